/**
 * The lab's strict SSF receiver, for the `ssf-receiver` plan: ssf-lab's reference receiver engine
 * (SetIntake under the `ssf` profile behind ssfPushEndpoint, SsfStreamClient, VerificationStates) served on
 * the lab beside its services. Mock Okta is a receiver too, but one graded under Okta's contract, that
 * caches a provider's JWKS for 30 s and manages no stream; this one is what SSF 1.0 describes — it fetches
 * the JWKS the harness serves (refetching on an unknown `kid`), creates its own stream at a transmitter,
 * asks for a verification and deletes the stream — so the plan's every module runs against the lab.
 *
 * Like any receiver it is configured by its operator before and during the run; here the operator is the
 * lab target, told where the harness serves its endpoints (`LabOperator.onServe`): the JWKS the battery's
 * issuer signs with, and the transmitter whose issuer the plan prints for the receiver to subscribe to.
 *
 * It exposes what it processed (`GET /_lab/processed`, the jtis), so the battery can check that a SET it
 * refused changed nothing. Its deviations (RECEIVER_DEVIATIONS, harness/ssf/receiver/deviations.ts) each switch one behaviour off or
 * add one flaw, read per request, so the self-test matrix shows every check failing against it.
 */
import {
  createPublicKey,
  constants as cryptoConstants,
  verify as cryptoVerify,
  randomUUID,
} from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { BODY_CAPS, type Deviations, readBodyText, type Scheduler } from '../../kernel/index.ts';
import {
  decodeSet,
  EVENT_URIS,
  type Finding,
  type JwkSet,
  jwksFromObject,
  jwksFromUrl,
  type KeyLookup,
  type KeySource,
  validateSet,
} from '../../protocol/index.ts';
import {
  discoverTransmitter,
  type IntakeResult,
  type ReceivedSet,
  SetIntake,
  SsfStreamClient,
  ssfPushEndpoint,
  VerificationStates,
} from '../../ssf/index.ts';

/** The `aud` it expects: its own name, whatever URL it is reached at. */
export const REFERENCE_RECEIVER_AUDIENCE = 'https://reference-receiver.ssf-lab.test';
/** The issuer the battery's SETs carry, as configured in the receiver (the harness signs as it). */
export const BATTERY_ISSUER = 'https://harness.ssf-lab.test/ssf-receiver';
/** Where the plan serves its transmitter below the served URL (the plan's default issuerPath). */
const ISSUER_PATH = '/ssf-transmitter';
/** How long it waits for the transmitter, and then for its Verification events. */
const WAIT_MS = 4000;

/** What the harness serves that this receiver is configured with, by the name it is served under. */
export const SERVED_KEYS = 'ssf-receiver-keys';
export const SERVED_TRANSMITTER = 'ssf-receiver-transmitter';

function refused(
  description: string,
  err: 'invalid_request' | 'invalid_key' = 'invalid_request',
): IntakeResult {
  return { status: 'rejected', err, description, findings: [] };
}

/** Which validator findings a switched-on deviation makes this receiver overlook. */
function overlooked(deviations: Deviations, f: Finding): boolean {
  if (deviations.on('receiver-accepts-future-iat') && f.check === 'iat-is-not-in-future') return true;
  if (deviations.on('receiver-accepts-subject-in-event') && f.check === 'event-has-no-subject-member')
    return true;
  if (
    deviations.on('receiver-accepts-sub-and-exp') &&
    (f.check === 'claims-have-no-sub' || f.check === 'claims-have-no-exp')
  )
    return true;
  return (
    deviations.on('receiver-skips-subject-checks') &&
    (f.check === 'claims-have-sub-id' || f.check.startsWith('subject-'))
  );
}

export class LabReferenceReceiver {
  readonly app: FastifyInstance = Fastify({ logger: false });
  readonly #deviations: Deviations;
  readonly #fetch: typeof fetch;
  readonly #token: string;
  /** The lab's clock: it waits, and judges a SET's times, in the lab's time (virtual in-process). */
  readonly #clock: Scheduler;
  readonly #processed: string[] = [];
  #url = '';
  #jwksUrl: string | undefined;
  #keys: KeySource | undefined;
  /** Every key fetched so far, by kid (what `receiver-keeps-withdrawn-keys` goes on trusting). */
  readonly #everSeen = new Map<string, KeyLookup & { ok: true }>();
  #pinned: string | undefined;
  readonly #battery: SetIntake;
  #stream: SetIntake | undefined;
  #managing: Promise<void> | undefined;

  constructor(options: {
    deviations: Deviations;
    fetch: typeof fetch;
    streamToken: string;
    clock: Scheduler;
  }) {
    this.#deviations = options.deviations;
    this.#clock = options.clock;
    this.#fetch = options.fetch;
    this.#token = options.streamToken;
    this.#battery = this.#intake(BATTERY_ISSUER, this.#batteryKeys());
    void this.app.register(ssfPushEndpoint, {
      path: '/ssf/push',
      intake: { accept: (t, via) => this.#accept(this.#battery, t, via) },
    });
    void this.app.register(ssfPushEndpoint, {
      path: '/ssf/stream',
      intake: {
        accept: (t, via) =>
          this.#stream === undefined
            ? Promise.resolve(refused('this receiver has no stream'))
            : this.#acceptOnStream(this.#stream, t, via),
      },
    });
    this.app.get('/_lab/processed', async () => ({ jtis: [...this.#processed] }));
  }

  /** Where it is served, once attached to the lab. */
  attached(url: string): void {
    this.#url = url.replace(/\/+$/, '');
  }

  get pushEndpoint(): string {
    return `${this.#url}/ssf/push`;
  }

  get processedUrl(): string {
    return `${this.#url}/_lab/processed`;
  }

  /** The operator's part: configure the receiver with what the harness just served. */
  served(name: string, url: string, jwksPath: string): void {
    if (name === SERVED_KEYS) {
      this.#jwksUrl = `${url}${jwksPath}`;
      // A fresh source for a new URL; no cool-down, so an unknown kid is looked up at once.
      this.#keys = jwksFromUrl(this.#jwksUrl, { fetch: this.#fetch, cooldownMs: 0 });
    } else if (name === SERVED_TRANSMITTER) {
      this.#managing = this.#manageStreamAt(`${url}${ISSUER_PATH}`).catch(() => {
        // The plan sees what did not happen at its transmitter; nothing to report here.
      });
    }
  }

  /** Waits for the stream management the last transmitter started (for a clean stop). */
  async settled(): Promise<void> {
    await this.#managing;
  }

  #intake(issuer: string, keys: KeySource, verification?: VerificationStates): SetIntake {
    return new SetIntake({
      profile: 'ssf',
      keys,
      scheduler: this.#clock,
      expectedIssuer: issuer,
      expectedAudience: REFERENCE_RECEIVER_AUDIENCE,
      ...(verification === undefined ? {} : { verification }),
      overlook: (f) => overlooked(this.#deviations, f),
      onSet: (set) => {
        this.#note(set.jti);
      },
    });
  }

  #note(jti: string): void {
    if (jti !== '' && !this.#processed.includes(jti)) this.#processed.push(jti);
  }

  /** The battery's keys: the JWKS the harness serves, as the deviations bend them. */
  #batteryKeys(): KeySource {
    return {
      description: 'the harness JWKS',
      keysFor: async (query) => {
        if (this.#keys === undefined)
          return { ok: false, problem: 'unavailable', message: 'no JWKS configured yet' };
        const pinned = this.#pinned;
        if (
          this.#deviations.on('receiver-pins-the-first-key') &&
          pinned !== undefined &&
          query.kid !== pinned
        )
          return { ok: false, problem: 'no-matching-key', message: `only key ${pinned} is trusted` };
        const found = await this.#keys.keysFor(query);
        if (found.ok) {
          if (query.kid !== undefined) {
            this.#everSeen.set(query.kid, found);
            this.#pinned ??= query.kid;
          }
          return found;
        }
        const kept = query.kid === undefined ? undefined : this.#everSeen.get(query.kid);
        return this.#deviations.on('receiver-keeps-withdrawn-keys') && kept !== undefined ? kept : found;
      },
    };
  }

  async #accept(intake: SetIntake, token: string, via: 'push' | 'poll'): Promise<IntakeResult> {
    const { header, payload: claims } = decodeSet(token);
    if (this.#deviations.on('receiver-processes-refused-sets') && typeof claims?.jti === 'string')
      this.#note(claims.jti);
    if (header !== null && claims !== null) {
      if (this.#deviations.on('receiver-requires-short-typ') && header.typ !== 'secevent+jwt')
        return refused(`"typ" must be "secevent+jwt", not ${JSON.stringify(header.typ)}`);
      const bypass =
        (this.#deviations.on('receiver-follows-jku') && (await this.#verifiesWithJku(token, header))) ||
        (this.#deviations.on('receiver-accepts-short-rsa-keys') &&
          (await this.#verifiesWithShortKey(token, header)));
      if (bypass) return this.#taken(header, claims, via);
    }
    return intake.accept(token, via);
  }

  /** A SET taken on a deviation's say-so, recorded as processed like any other. */
  #taken(
    header: Record<string, unknown>,
    claims: Record<string, unknown>,
    via: 'push' | 'poll',
  ): IntakeResult {
    const jti = typeof claims.jti === 'string' ? claims.jti : '';
    this.#note(jti);
    const events = claims.events;
    const set: ReceivedSet = {
      jti,
      header,
      claims,
      eventTypes: typeof events === 'object' && events !== null ? Object.keys(events) : [],
      via,
      receivedAt: this.#clock.now(),
    };
    return { status: 'accepted', set };
  }

  /** `receiver-follows-jku`: the keys at the header's URL, trusted as if they were the transmitter's. */
  async #verifiesWithJku(token: string, header: Record<string, unknown>): Promise<boolean> {
    if (typeof header.jku !== 'string') return false;
    try {
      const signal = AbortSignal.timeout(5000);
      const response = await this.#fetch(header.jku, { signal });
      // The jku is the SET's to name: its answer is read only up to the JWKS cap.
      const jwks = JSON.parse(await readBodyText(response, BODY_CAPS.jwks, { signal })) as JwkSet;
      const result = await validateSet(token, {
        profile: 'ssf',
        clock: this.#clock,
        keys: jwksFromObject(jwks, header.jku),
        expectedIssuer: BATTERY_ISSUER,
        expectedAudience: REFERENCE_RECEIVER_AUDIENCE,
      });
      return !result.findings.some((f) => f.level === 'failure');
    } catch {
      return false;
    }
  }

  /** `receiver-accepts-short-rsa-keys`: node:crypto verifies what jose refuses to (RSA under 2048 bits). */
  async #verifiesWithShortKey(token: string, header: Record<string, unknown>): Promise<boolean> {
    if ((header.alg !== 'RS256' && header.alg !== 'PS256') || this.#jwksUrl === undefined) return false;
    try {
      const signal = AbortSignal.timeout(5000);
      const response = await this.#fetch(this.#jwksUrl, { signal });
      const jwks = JSON.parse(await readBodyText(response, BODY_CAPS.jwks, { signal })) as JwkSet;
      const jwk = jwks.keys.find((k) => k.kid === header.kid && k.kty === 'RSA');
      if (jwk?.n === undefined || Buffer.from(jwk.n, 'base64url').length * 8 >= 2048) return false;
      const [h, p, s] = token.split('.');
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      return cryptoVerify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        header.alg === 'PS256'
          ? { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
          : key,
        Buffer.from(s ?? '', 'base64url'),
      );
    } catch {
      return false;
    }
  }

  async #acceptOnStream(intake: SetIntake, token: string, via: 'push' | 'poll'): Promise<IntakeResult> {
    const events = decodeSet(token).payload?.events;
    if (
      this.#deviations.on('receiver-refuses-verification') &&
      typeof events === 'object' &&
      events !== null &&
      EVENT_URIS.verification in events
    )
      return refused('this receiver takes no Verification events');
    return this.#accept(intake, token, via);
  }

  /** What a receiver does when told to subscribe: discover, create its stream, verify, leave. */
  async #manageStreamAt(issuer: string): Promise<void> {
    if (this.#deviations.on('receiver-creates-no-stream')) return;
    const deadline = this.#clock.now() + WAIT_MS;
    const metadata = await this.#until(deadline, () => discoverTransmitter(issuer, { fetch: this.#fetch }));
    const verification = this.#deviations.on('receiver-accepts-any-state')
      ? undefined
      : new VerificationStates();
    const taken: (string | undefined)[] = [];
    const intake = new SetIntake({
      profile: 'ssf',
      scheduler: this.#clock,
      keys: jwksFromUrl(metadata.jwks_uri ?? '', { fetch: this.#fetch, cooldownMs: 0 }),
      expectedIssuer: metadata.issuer,
      expectedAudience: REFERENCE_RECEIVER_AUDIENCE,
      ...(verification === undefined ? {} : { verification }),
      onSet: (set) => {
        this.#note(set.jti);
        const event = (set.claims.events as Record<string, { state?: string }>)[EVENT_URIS.verification];
        if (event !== undefined) taken.push(event.state);
      },
    });
    this.#stream = intake;
    const client = new SsfStreamClient({
      metadata,
      auth: { bearer: this.#token },
      fetch: this.#fetch,
      ...(verification === undefined ? {} : { verification }),
    });
    const stream = await client.createStream({
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: `${this.#url}/ssf/stream` },
      events_requested: [EVENT_URIS.sessionRevoked],
      description: `ssf-lab reference receiver ${randomUUID()}`,
    });
    const waitFrom = this.#clock.now() + WAIT_MS;
    if (this.#deviations.on('receiver-requests-no-verification')) {
      await this.#until(waitFrom, async () => (taken.includes(undefined) ? true : undefined)).catch(() => {});
    } else {
      const state = await client.requestVerification(stream.stream_id);
      // Its own answer and the transmitter's unasked one, or the wait runs out.
      await this.#until(waitFrom, async () =>
        taken.includes(state) && taken.includes(undefined) ? true : undefined,
      ).catch(() => {});
    }
    if (!this.#deviations.on('receiver-keeps-its-stream')) await client.deleteStream(stream.stream_id);
  }

  async #until<T>(deadline: number, look: () => Promise<T | undefined>): Promise<T> {
    for (;;) {
      try {
        const value = await look();
        if (value !== undefined) return value;
      } catch (error) {
        if (this.#clock.now() > deadline) throw error;
      }
      if (this.#clock.now() > deadline) throw new Error('the wait ran out');
      await this.#clock.sleep(50);
    }
  }
}
