/**
 * The set-up the plans need before they can grade the lab, done only over HTTP — the services' public
 * APIs and the mocks' `/_lab/` routes — through whichever fetch reaches the lab. The in-process builders
 * (lab-targets/*.ts) call these with `lab.fetch`; the black-box target (black-box-target.ts) calls them with
 * a real fetch against `ssf-lab serve`. One code path for both is what makes "the same verdict in both
 * modes" mean something: a set-up that only works with lab internals could not be repeated on a tenant.
 */
import type { CapturedSet } from '../../../suites/events/index.ts';
import type { EventTrigger, SsfTransmitterOptions } from '../../../suites/ssf-transmitter/index.ts';
import type { SessionProbe, UniversalLogoutOptions } from '../../../suites/universal-logout/index.ts';
import { apiCall, LAB_CLIENT_AUDIENCE, type LabManifest } from '../../lab/index.ts';
import {
  decodeSet,
  EVENT_URIS,
  generateSigningKey,
  type JwkSet,
  POLL_DELIVERY_METHOD,
  publicJwks,
} from '../../protocol/index.ts';
import { isVirtual, type LabWaits, realWaits } from '../lab-time.ts';

/** Okta's push endpoint for SETs, below the org URL. */
export const SET_ENDPOINT_PATH = '/security/api/v1/security-events';

/**
 * Makes a public JWKS fetchable at `path` below a base URL it returns, the base being unique to `name`.
 * The lab attaches a small app for it; outside the lab it is the user's own static hosting.
 */
export type PublishJwks = (name: string, path: string, jwks: JwkSet) => Promise<string>;

export interface HarnessKeys {
  /** The harness's issuer: the base URL its JWKS is published under. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly privateJwk: Readonly<Record<string, unknown>>;
}

/** A fresh RS256 key for the harness, its public JWKS published at `path` (what `ssf-lab keys generate` does). */
export async function harnessKeys(
  publish: PublishJwks,
  name: string,
  path = '/jwks.json',
): Promise<HarnessKeys> {
  const { key, privateJwk } = await generateSigningKey('RS256');
  const issuer = await publish(name, path, publicJwks(key));
  return { issuer, jwksUrl: `${issuer}${path}`, privateJwk };
}

const ssws = (okta: LabManifest['okta']): Record<string, string> => ({
  authorization: `SSWS ${okta.apiToken}`,
});

/**
 * Registers the harness issuer as a security events provider, as an Okta admin does (issuer + jwks_url,
 * the form that needs no SSF metadata). Returns the provider's id.
 */
export async function registerProvider(
  fetchImpl: typeof fetch,
  okta: LabManifest['okta'],
  keys: HarnessKeys,
  name: string,
): Promise<string> {
  const answer = await apiCall(
    fetchImpl,
    'lab set-up: register the harness as a security events provider',
    `${okta.url}/api/v1/security-events-providers`,
    {
      headers: ssws(okta),
      json: { name, type: 'ssf-lab', settings: { issuer: keys.issuer, jwks_url: keys.jwksUrl } },
      expect: [200],
    },
  );
  return String((answer.body as { id: unknown }).id);
}

export async function deleteProvider(
  fetchImpl: typeof fetch,
  okta: LabManifest['okta'],
  id: string,
): Promise<void> {
  await apiCall(
    fetchImpl,
    'lab clean-up: delete the harness security events provider',
    `${okta.url}/api/v1/security-events-providers/${encodeURIComponent(id)}`,
    { method: 'DELETE', headers: ssws(okta) },
  );
}

/** A fleet user on one of their Jamf Trust devices, as the Risk API names them. */
export interface FleetSubject {
  readonly email: string;
  /** The Jamf Security Cloud device id (what the JSC transmitter puts in its SETs). */
  readonly deviceId: string;
}

/** A device as the Risk API lists it. */
export interface RiskDevice {
  readonly deviceId: string;
  readonly externalId?: string;
  readonly osType?: string;
  readonly user?: { readonly email?: string };
}

/**
 * Every device as the Jamf Security Cloud Risk API lists it (`/v1/login` with the Radar application,
 * then `/risk/v1/devices` page by page), in the tenant's order.
 */
export async function riskDevices(
  fetchImpl: typeof fetch,
  jsc: LabManifest['jamfSecurityCloud'],
): Promise<RiskDevice[]> {
  const login = await apiCall(fetchImpl, 'lab set-up: Radar API login', `${jsc.url}/v1/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${jsc.appId}:${jsc.appSecret}`).toString('base64')}` },
  });
  const token = String((login.body as { token: unknown }).token);
  const out: RiskDevice[] = [];
  for (let page = 0; ; page++) {
    const answer = await apiCall(
      fetchImpl,
      'lab set-up: list devices (Risk API)',
      `${jsc.url}/risk/v1/devices?page=${page}&pageSize=100`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const { records, pagination } = answer.body as {
      records: RiskDevice[];
      pagination: { totalPages: number };
    };
    out.push(...records);
    if (page + 1 >= pagination.totalPages || records.length === 0) break;
  }
  return out;
}

/**
 * The distinct users with an activated device, each on their first such device, in the tenant's device
 * order. A device has a user in the Risk API once Jamf Trust was activated on it.
 */
export async function fleetSubjects(
  fetchImpl: typeof fetch,
  jsc: LabManifest['jamfSecurityCloud'],
): Promise<FleetSubject[]> {
  const byUser = new Map<string, FleetSubject>();
  for (const d of await riskDevices(fetchImpl, jsc)) {
    const email = d.user?.email;
    if (email !== undefined && !byUser.has(email)) byUser.set(email, { email, deviceId: d.deviceId });
  }
  return [...byUser.values()];
}

/**
 * Okta's in-event subject for the `fromEnd`-th fleet user counted from the end (0 the last). The receiver
 * plans take users from the end so that they never touch the fleet's first user, whom the logout plan signs
 * in to an app — nor each other's: the okta plan's HIGH report logs its user out.
 */
export function subjectFromEnd(subjects: readonly FleetSubject[], fromEnd: number): Record<string, unknown> {
  const s = subjects[Math.max(0, subjects.length - 1 - fromEnd)];
  if (s === undefined) throw new Error('lab set-up: no activated device with a user');
  return { user: { format: 'email', email: s.email }, device: { format: 'opaque', id: s.deviceId } };
}

/**
 * The fleet user (on their first device) on whose device the plans that need JSC to send a real event
 * raise a test threat: the okta-receiver plan's subject (`subjectFromEnd(…, 0)`), whose risk that plan
 * drives at Okta itself (to High, then a logout) and which it reads only after, two plans later. The
 * threat is LOW (labEventTrigger), so nobody is logged out and no other plan's user is touched; taking no
 * user of its own keeps a 4-device lab enough for every plan.
 */
export function signalSubject(subjects: readonly FleetSubject[]): FleetSubject {
  const s = subjects[subjects.length - 1];
  if (s === undefined) throw new Error('lab set-up: no activated device with a user');
  return s;
}

/**
 * A threat category no policy names: with an explicit LOW severity it writes no UEM tag to Jamf Pro (only
 * policy categories carry one) and stays below Okta's entity risk policy (HIGH), so it changes one device's
 * risk and nothing else.
 */
const TEST_THREAT = { category: 'ssf-lab conformance test', severity: 'LOW' } as const;

/** JSC's `/_lab/threats` for a test threat on `device`, and its undo (`{trigger.id}`: the threat's id). */
function testThreat(
  jsc: LabManifest['jamfSecurityCloud'],
  device: FleetSubject,
): { raise: { url: string; body: Record<string, unknown> }; resolveUrl: string } {
  return {
    raise: { url: `${jsc.url}/_lab/threats`, body: { device: device.deviceId, ...TEST_THREAT } },
    resolveUrl: `${jsc.url}/_lab/threats/{trigger.id}`,
  };
}

/**
 * The lab's event trigger for the `ssf-transmitter` plan: a LOW test threat on the device through JSC's
 * `POST /_lab/threats` (its device risk goes Secure → Low: one device-risk-change on every stream that
 * delivers it), undone when the module ends (`DELETE /_lab/threats/{trigger.id}`). The stream asks for
 * Okta's device-risk-change and carries the device's user as its subject.
 */
export function labEventTrigger(
  jsc: LabManifest['jamfSecurityCloud'],
  device: FleetSubject,
  adminToken?: string,
): EventTrigger {
  const threat = testThreat(jsc, device);
  // A guarded lab's controls take its admin token (manifest `lab.adminToken`).
  const headers = labAdminHeaders(adminToken);
  return {
    method: 'POST',
    url: threat.raise.url,
    ...(headers === undefined ? {} : { headers }),
    body: threat.raise.body,
    eventType: EVENT_URIS.oktaDeviceRiskChange,
    subject: { format: 'email', email: device.email },
    resolve: { method: 'DELETE', url: threat.resolveUrl, ...(headers === undefined ? {} : { headers }) },
  };
}

/** The header a request for a guarded lab's control carries, or undefined for open controls. */
export function labAdminHeaders(adminToken: string | undefined): { authorization: string } | undefined {
  return adminToken === undefined ? undefined : { authorization: `Bearer ${adminToken}` };
}

/**
 * The `ssf-transmitter` plan's options for the lab's JSC transmitter and the manifest's receiver account.
 * The timing bounds are tight because the lab answers in milliseconds; the retry cases follow the
 * reference engine's DEFAULT_RETRY (1 s base delay). A lab on plain http (`serve --http`): `allowHttp`.
 * With `signal` (signalSubject's user), the plan's event checks run on a test threat on that user's
 * device (labEventTrigger).
 */
export function transmitterOptions(
  jsc: LabManifest['jamfSecurityCloud'],
  more: {
    readonly secondToken?: string;
    readonly signal?: FleetSubject;
    /** The lab's admin token (manifest `lab.adminToken`), for the trigger's `/_lab/threats`. */
    readonly adminToken?: string;
  } = {},
): SsfTransmitterOptions {
  return {
    issuer: jsc.issuer,
    token: jsc.streamToken,
    ...(more.secondToken === undefined ? {} : { secondToken: more.secondToken }),
    audience: LAB_CLIENT_AUDIENCE,
    delivery: 'both',
    ...(more.signal === undefined
      ? {}
      : { eventTrigger: labEventTrigger(jsc, more.signal, more.adminToken) }),
    eventTimeoutMs: 8000,
    quietWindowMs: 400,
    allowHttp: new URL(jsc.issuer).protocol === 'http:',
    retry: { timeoutCase: false, noRetryWindowMs: 2500, retryAfterSeconds: 2 },
  };
}

/** A lab timeline page (`GET /_lab/timeline`), the members read here. */
interface TimelinePage {
  readonly exchanges: readonly {
    readonly method: string;
    readonly url: string;
    readonly requestBody?: string;
    readonly set?: { readonly claims: Record<string, unknown> | null };
  }[];
  readonly cursor: number;
}

const TIMELINE_PAGE = 5000;

/**
 * Every exchange completed from `cursor` on, page by page, and the cursor after them. A page that is not
 * full is the last: reading the timeline is itself an exchange the timeline records, so "until a page
 * comes back empty" would never end.
 */
async function timelineFrom(
  fetchImpl: typeof fetch,
  origin: string,
  cursor: number,
): Promise<{ exchanges: TimelinePage['exchanges']; cursor: number }> {
  const exchanges: TimelinePage['exchanges'][number][] = [];
  for (let at = cursor; ; ) {
    const page = (
      await apiCall(
        fetchImpl,
        'lab set-up: read the lab timeline',
        `${origin}/_lab/timeline?cursor=${at}&limit=${TIMELINE_PAGE}`,
      )
    ).body as TimelinePage;
    exchanges.push(...page.exchanges);
    at = page.cursor;
    if (page.exchanges.length < TIMELINE_PAGE) return { exchanges, cursor: at };
  }
}

/** The members of JSC's SSF transmitter metadata (SSF §7.1) the capture reads. */
interface TransmitterMetadataSeen {
  readonly jwks_uri?: unknown;
  readonly configuration_endpoint?: unknown;
  readonly add_subject_endpoint?: unknown;
  readonly events_supported?: unknown;
  readonly default_subjects?: unknown;
}

/**
 * SETs the lab's Jamf Security Cloud really transmitted, captured from the wire for the `events` plan's
 * `sets`: a test threat is raised on the device and resolved (Secure → Low → Secure: one SET per change
 * on every stream that delivers it). Two streams are captured:
 *
 * - the admin-configured push stream to Okta: the SETs JSC pushed to Okta's SET endpoint, read back from
 *   the lab's timeline (`GET /_lab/timeline`, which keeps a SET whole), each judged under the `okta`
 *   profile — the contract of the receiver it was sent to — with Okta's org URL as the audience;
 * - when JSC's issuer is https (in-process, and on loopback with TLS, serve's default), a poll stream (RFC 8936) the set-up creates itself
 *   through JSC's SSF stream management API with the manifest's stream token, as any SSF receiver would,
 *   asking for every event type JSC supports; it is opened before the threat, polled and acknowledged
 *   until the lab settles, and deleted whatever happens. Its SETs are judged under the `ssf` profile, with
 *   the stream's `aud` as the audience: the only captured SETs the profile's catalogue checks (registered
 *   event types and subject formats) see, since Okta's contract has neither. Everything is HTTP through
 *   `fetchImpl` — no push sink to attach — because the black-box target shares this code. On plain http
 *   (`ssf-lab serve --http`) the stream is left out: `iss-is-https-url` would fail every one of its SETs
 *   for the lab's missing TLS (a known lab gap), not for anything JSC's SETs get wrong.
 *
 * Both are judged against JSC's issuer and the JWKS its metadata names. What a user does with a real
 * transmitter: capture what it sent, hand it to the plan.
 */
export async function capturedLabSets(
  fetchImpl: typeof fetch,
  manifest: LabManifest,
  device: FleetSubject,
  waits: LabWaits = realWaits,
): Promise<CapturedSet[]> {
  const jsc = manifest.jamfSecurityCloud;
  const metadata = (await apiCall(fetchImpl, 'lab set-up: JSC transmitter metadata', jsc.wellKnownUrl))
    .body as TransmitterMetadataSeen;
  const jwksUri = metadata.jwks_uri;
  if (typeof jwksUri !== 'string')
    throw new Error('lab set-up: the JSC transmitter metadata has no jwks_uri');
  const stream =
    new URL(jsc.issuer).protocol === 'https:'
      ? await openPollStream(fetchImpl, jsc, metadata, device)
      : undefined;
  try {
    const from = (await timelineFrom(fetchImpl, jsc.url, 0)).cursor;
    const threat = testThreat(jsc, device);
    const raised = await apiCall(fetchImpl, 'lab set-up: raise a test threat', threat.raise.url, {
      json: threat.raise.body,
      expect: [201],
    });
    const id = String((raised.body as { id: unknown }).id);
    try {
      await labQuiet(fetchImpl, manifest, waits, stream);
    } finally {
      await apiCall(
        fetchImpl,
        'lab set-up: resolve the test threat',
        threat.resolveUrl.replace('{trigger.id}', encodeURIComponent(id)),
        { method: 'DELETE', expect: [204] },
      );
    }
    await labQuiet(fetchImpl, manifest, waits, stream);
    const endpoint = `${manifest.okta.url}${SET_ENDPOINT_PATH}`;
    const sets: CapturedSet[] = [];
    for (const e of (await timelineFrom(fetchImpl, jsc.url, from)).exchanges)
      if (
        e.method === 'POST' &&
        e.url === endpoint &&
        e.requestBody !== undefined &&
        e.set?.claims?.iss === jsc.issuer
      )
        sets.push({
          set: e.requestBody.trim(),
          profile: 'okta',
          issuer: jsc.issuer,
          audience: manifest.okta.url,
          jwksUri,
        });
    if (sets.length === 0)
      throw new Error(`lab set-up: JSC pushed no SET to ${endpoint} for a test threat on ${device.deviceId}`);
    // No SSF SET is no error: a transmitter may deliver nothing of this threat on a receiver's stream (the
    // ssf-transmitter plan grades that), and the Okta stream's SETs still give the plan something to judge.
    if (stream !== undefined)
      for (const set of stream.sets)
        sets.push({ set, profile: 'ssf', issuer: jsc.issuer, audience: stream.audience, jwksUri });
    return sets;
  } finally {
    await stream?.close();
  }
}

/** A poll stream (RFC 8936) the set-up holds at JSC as an SSF receiver, and the SETs polled from it. */
interface PollStream {
  /** The stream's `aud`: what its SETs are addressed to. */
  readonly audience: string;
  /** Every SET polled so far, each once, in the order handed out. */
  readonly sets: readonly string[];
  /** Polls until nothing new is handed out, acknowledging everything taken (RFC 8936 §2.4). */
  drain(): Promise<void>;
  /** Deletes the stream (SSF §8.1.1.5); what it still holds goes with it. */
  close(): Promise<void>;
}

/** The `jti` a SET names, or undefined when it cannot be read (the SET is captured all the same). */
function jtiOf(set: string): string | undefined {
  const jti = decodeSet(set).payload?.jti;
  return typeof jti === 'string' ? jti : undefined;
}

/**
 * Creates a poll stream at JSC with the manifest's stream token (SSF §8.1.1.1), asking for every event
 * type the metadata lists (JSC sends a receiver's stream a risk change as Okta's device-risk-change when
 * the stream delivers it, its subject a complex `sub_id`), and adds the device's user as a subject when
 * streams do not carry every subject from the start (`default_subjects` other than "ALL", SSF §7.1).
 */
async function openPollStream(
  fetchImpl: typeof fetch,
  jsc: LabManifest['jamfSecurityCloud'],
  metadata: TransmitterMetadataSeen,
  device: FleetSubject,
): Promise<PollStream> {
  const configurationEndpoint = metadata.configuration_endpoint;
  if (typeof configurationEndpoint !== 'string')
    throw new Error('lab set-up: the JSC transmitter metadata has no configuration_endpoint');
  const bearer = { authorization: `Bearer ${jsc.streamToken}` };
  const created = await apiCall(
    fetchImpl,
    'lab set-up: create an SSF poll stream at JSC',
    configurationEndpoint,
    {
      headers: bearer,
      json: {
        delivery: { method: POLL_DELIVERY_METHOD },
        ...(Array.isArray(metadata.events_supported) ? { events_requested: metadata.events_supported } : {}),
        description: 'ssf-lab events plan: SETs captured for the ssf profile',
      },
    },
  );
  type Config = { stream_id?: unknown; aud?: unknown; delivery?: { endpoint_url?: unknown } };
  let config = created.body as Config;
  const streamId = config.stream_id;
  if (typeof streamId !== 'string')
    throw new Error('lab set-up: JSC answered an SSF stream create without a stream_id');
  const streamUrl = `${configurationEndpoint}?stream_id=${encodeURIComponent(streamId)}`;
  const close = async (): Promise<void> => {
    await apiCall(fetchImpl, 'lab clean-up: delete the SSF poll stream at JSC', streamUrl, {
      method: 'DELETE',
      headers: bearer,
    });
  };
  try {
    // A create answered with less than the stream's configuration (SSF §8.1.1.1 says it is the whole of
    // it; the ssf-transmitter plan grades that) is read back, as a receiver would, for its poll URL.
    if (typeof config.delivery?.endpoint_url !== 'string')
      config = (
        await apiCall(fetchImpl, 'lab set-up: read the SSF poll stream at JSC', streamUrl, {
          headers: bearer,
        })
      ).body as Config;
    const pollUrl = config.delivery?.endpoint_url;
    if (typeof pollUrl !== 'string')
      throw new Error('lab set-up: JSC answered an SSF poll stream create without delivery.endpoint_url');
    const aud = Array.isArray(config.aud) ? config.aud[0] : config.aud;
    if (metadata.default_subjects !== 'ALL' && typeof metadata.add_subject_endpoint === 'string')
      await apiCall(
        fetchImpl,
        'lab set-up: add the test user to the SSF stream',
        metadata.add_subject_endpoint,
        {
          headers: bearer,
          json: { stream_id: streamId, subject: { format: 'email', email: device.email }, verified: true },
        },
      );
    const sets: string[] = [];
    const acked = new Set<string>();
    let open = true;
    return {
      audience: typeof aud === 'string' ? aud : LAB_CLIENT_AUDIENCE,
      sets,
      async drain() {
        for (let ack: string[] = []; open; ) {
          const answer = await apiCall(fetchImpl, 'lab set-up: poll the SSF stream at JSC', pollUrl, {
            headers: bearer,
            json: { maxEvents: 100, returnImmediately: true, ...(ack.length > 0 ? { ack } : {}) },
          });
          const handed = Object.values((answer.body as { sets?: Record<string, unknown> }).sets ?? {});
          ack = [];
          for (const set of handed) {
            if (typeof set !== 'string') continue;
            // Acknowledged by the jti inside, not the key it came under: a transmitter that keys its answer
            // otherwise would never see its SETs acknowledged, and the lab would never settle.
            const jti = jtiOf(set);
            if (jti !== undefined && acked.has(jti)) {
              // Handed out again after its acknowledgement: acks are ignored, so what this stream holds
              // would stay in flight for ever and the lab never settle. Deleting it lets go of it.
              open = false;
              await close();
              return;
            }
            sets.push(set);
            if (jti !== undefined) {
              acked.add(jti);
              ack.push(jti);
            }
          }
          // Nothing new handed out: this request carried the last acknowledgements.
          if (ack.length === 0) return;
        }
      },
      async close() {
        if (!open) return;
        open = false;
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** How long the set-up waits for the lab to settle after a test threat, and how often it looks. */
const QUIET_WITHIN_MS = 10_000;
const QUIET_POLL_MS = 25;

/**
 * Waits until the lab has settled, as the scenario runner's `idle` does: JSC has signalled every change
 * with no SET queued or in flight (`GET /_lab/idle`), and Okta has processed every SET it accepted
 * (`GET /_lab/entity-risk/idle`). JSC answers 503 at once while a push is in flight, so it is asked again.
 * JSC counts a poll stream's SETs as queued until they are polled and in flight until acknowledged, so the
 * set-up's own poll stream is drained before each look, or JSC would never be idle.
 */
async function labQuiet(
  fetchImpl: typeof fetch,
  manifest: LabManifest,
  waits: LabWaits,
  stream?: PollStream,
): Promise<void> {
  // In the lab's time: in-process the lab settles on virtual time (its retries' backoffs are timers).
  const deadline = waits.now() + QUIET_WITHIN_MS;
  // On virtual time an idle control must not wait in real time for what only the lab's timers bring
  // (a retry's backoff): it answers at once and the set-up waits in the lab's time between looks.
  const within = isVirtual(waits) ? 0 : 1000;
  const idle = async (url: string): Promise<boolean> =>
    (await apiCall(fetchImpl, 'lab set-up: wait for the lab to settle', url, { expect: [204, 503] }))
      .status === 204;
  for (;;) {
    await stream?.drain();
    if (
      (await idle(`${manifest.jamfSecurityCloud.url}/_lab/idle?timeoutMs=${within}`)) &&
      (await idle(`${manifest.okta.url}/_lab/entity-risk/idle?timeoutMs=${within}`))
    )
      return;
    if (waits.now() > deadline)
      throw new Error(`lab set-up: the lab did not settle within ${QUIET_WITHIN_MS} ms of a test threat`);
    await waits.sleep(QUIET_POLL_MS);
  }
}

/** What an app mock tells about itself at `GET /_lab/state` (the members the logout set-up reads). */
export interface AppState {
  readonly kind: string;
  readonly label: string;
  readonly gtrEndpoint: string;
  readonly clientId: string;
  /** Office 365's partial logout: only refresh tokens are revoked. */
  readonly partial: boolean;
}

async function labJson(fetchImpl: typeof fetch, url: string, json?: unknown): Promise<unknown> {
  const answer = await apiCall(
    fetchImpl,
    'lab set-up',
    url,
    json === undefined ? {} : { method: 'POST', json },
  );
  return answer.body;
}

export async function appState(fetchImpl: typeof fetch, appUrl: string): Promise<AppState> {
  return (await labJson(fetchImpl, `${appUrl}/_lab/state`)) as AppState;
}

/**
 * The `universal-logout` plan's options for one app. The harness must not hold mock Okta's key (a suite
 * never knows its target is a mock), so this does what an admin of a real app does to let another caller
 * in: the harness gets its own key, its JWKS published like Okta's `/oauth2/v1/keys`, and the app is told
 * to trust that issuer too (`POST /_lab/trusted-issuers`) — it then judges the harness's JWTs with the very
 * checks it applies to Okta's. The app's first user signs in first, so the plan's session probe can show
 * the logout take effect: the session cookie on `/api/me` for a full logout, the refresh grant for a
 * partial one.
 */
export async function universalLogoutOptions(
  fetchImpl: typeof fetch,
  appUrl: string,
  publish: PublishJwks,
): Promise<UniversalLogoutOptions> {
  const app = await appState(fetchImpl, appUrl);
  const keys = await harnessKeys(publish, `universal-logout-${app.kind}`, '/oauth2/v1/keys');
  await labJson(fetchImpl, `${appUrl}/_lab/trusted-issuers`, {
    issuer: keys.issuer,
    jwksUri: keys.jwksUrl,
    clientId: app.clientId,
  });
  const { users } = (await labJson(fetchImpl, `${appUrl}/_lab/users`)) as { users: { email: string }[] };
  const email = users[0]?.email;
  if (email === undefined) throw new Error(`lab set-up: ${app.label} knows no user`);
  const signIn = (await labJson(fetchImpl, `${appUrl}/_lab/sessions`, { email })) as {
    sessionCookie: string;
    refreshToken: string;
  };
  const sessionProbe: SessionProbe = app.partial
    ? {
        url: `${appUrl}/oauth/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: signIn.refreshToken,
        }).toString(),
      }
    : { url: `${appUrl}/api/me`, headers: { cookie: signIn.sessionCookie } };
  return {
    endpoint: app.gtrEndpoint,
    issuer: keys.issuer,
    privateJwk: keys.privateJwk,
    clientId: app.clientId,
    user: { format: 'email', email },
    sessionProbe,
  };
}
