/**
 * A target file for a lab running as separate processes (`ssf-lab serve`), built from its manifest alone:
 * the lab treated as a black box standing in for a real tenant. It does, over HTTP only (the services'
 * public APIs and the mocks' `/_lab/` routes, never lab internals), exactly the set-up a user does by hand
 * before grading a tenant — and the very set-up code the in-process builders run (lab-targets/set-up.ts):
 *
 * - generates the harness's signing keys and hosts their public JWKS on a small server on 127.0.0.1 ("a
 *   JWKS the user hosts", docs/certify.md), one base URL per issuer;
 * - `ssf-receiver`: registers the harness issuer as a security events provider with Okta's API (SSWS);
 * - `okta-receiver`: gives the plan the Okta API token and `registerProvider: true`, as in the lab;
 * - `universal-logout`: makes Salesforce trust the harness issuer (`POST /_lab/trusted-issuers`) and signs
 *   its first user in (`/_lab/users`, `/_lab/sessions`);
 * - picks the receiver plans' users and devices with the Jamf Security Cloud Risk API;
 * - `ssf-transmitter`: the event trigger, a test threat through JSC's `/_lab/threats`; `events`: the SETs
 *   JSC pushed for one such threat, read back from the lab's `/_lab/timeline`.
 *
 * Every secret (stream token, Okta API token, private JWKs, the session cookie) goes into `env`, and the
 * target file names it `{ "env": "NAME" }` — the file itself is shareable, as a user's would be.
 *
 * On https (serve's default) it trusts the CA the manifest names, and the target file names the same CA
 * file (`tls.caFile`), so every plan verifies the lab's certificates.
 *
 * What it cannot do: give `ssf-transmitter` a second receiver's token. The lab creates receiver accounts
 * only in-process (a JSC admin's console step, with no API), so the stream isolation check skips here.
 */
import Fastify from 'fastify';
import { HarnessError } from '../kernel/index.ts';
import { type LabManifest, limitListener, manifestOrigins, withLabAdminToken } from '../lab/index.ts';
import type { JwkSet } from '../protocol/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { eventsOptions } from './lab-targets/events.ts';
import { integrationOptions } from './lab-targets/integration.ts';
import { oktaReceiverOptions } from './lab-targets/okta-receiver.ts';
import {
  appState,
  deleteProvider,
  fleetSubjects,
  harnessKeys,
  type PublishJwks,
  registerProvider,
  SET_ENDPOINT_PATH,
  signalSubject,
  subjectFromEnd,
  transmitterOptions,
  universalLogoutOptions,
} from './lab-targets/set-up.ts';

/** A target file's JSON (harness/config/target.ts describes the format). */
export interface TargetFileJson {
  readonly name: string;
  readonly description?: string;
  readonly plans: Readonly<Record<string, unknown>>;
  /** A served lab on https: the CA certificate file its manifest names (trusted besides node's roots). */
  readonly tls?: { readonly caFile: string };
}

export interface BlackBoxTarget {
  readonly target: TargetFileJson;
  /** The environment variables the target file reads its secrets from. */
  readonly env: Readonly<Record<string, string>>;
  /** Undoes the set-up that outlives the run (the Okta provider) and stops the JWKS host. */
  close(): Promise<void>;
}

/** The app the logout plan grades (the lab's default, as in certifyLab). */
const LOGOUT_APP_KIND = 'salesforce';

/** One HTTP server for every JWKS the harness publishes, each under `/<name>`. */
async function jwksHost(): Promise<{ publish: PublishJwks; close(): Promise<void> }> {
  const published = new Map<string, JwkSet>();
  const app = Fastify({ logger: false });
  app.get('/*', async (request, reply) => {
    const jwks = published.get(request.url.split('?')[0] ?? '');
    return jwks === undefined ? reply.code(404).send({ error: 'not_found' }) : jwks;
  });
  limitListener(app.server);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    publish: async (name, path, jwks) => {
      published.set(`/${name}${path}`, jwks);
      return `${origin}/${name}`;
    },
    close: () => app.close(),
  };
}

/**
 * A lab request (a trigger, its resolve — nested too) whose headers carry the lab admin token, with the
 * headers moved into the environment: a target file never holds a credential.
 */
function withAdminHeaders<T extends { readonly headers?: Readonly<Record<string, string>> }>(
  request: T,
  secret: (name: string, value: unknown) => { env: string },
  prefix: string,
): T {
  const resolve = (request as { resolve?: { headers?: Record<string, string> } }).resolve;
  return {
    ...request,
    ...(request.headers === undefined ? {} : { headers: secret(`${prefix}_HEADERS`, request.headers) }),
    ...(resolve?.headers === undefined
      ? {}
      : { resolve: { ...resolve, headers: secret(`${prefix}_RESOLVE_HEADERS`, resolve.headers) } }),
  };
}

/** Builds the target for a served lab; see the module comment for what it sets up. */
export async function blackBoxTarget(
  manifest: LabManifest,
  fetchWith: typeof fetch = manifest.tls === undefined
    ? globalThis.fetch
    : createHttpFetch({ ca: manifest.tls.caCert }),
): Promise<BlackBoxTarget> {
  if (manifest.tls !== undefined && manifest.tls.caFile === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      'the manifest is of a lab on https but names no tls.caFile for the target file to trust (ssf-lab serve writes one)',
    );
  // The set-up's own calls to the lab's controls carry the manifest's admin token (when it has one).
  const fetchImpl = withLabAdminToken(fetchWith, manifestOrigins(manifest), manifest.lab?.adminToken);
  const host = await jwksHost();
  let providerId: string | undefined;
  const close = async (): Promise<void> => {
    try {
      if (providerId !== undefined) await deleteProvider(fetchImpl, manifest.okta, providerId);
    } finally {
      await host.close();
    }
  };
  try {
    const env: Record<string, string> = {};
    /** A secret into the environment; the file only names it. */
    const secret = (name: string, value: unknown): { env: string } => {
      env[name] = typeof value === 'string' ? value : JSON.stringify(value);
      return { env: name };
    };

    const subjects = await fleetSubjects(fetchImpl, manifest.jamfSecurityCloud);

    const transmitter = transmitterOptions(manifest.jamfSecurityCloud, {
      signal: signalSubject(subjects),
      ...(manifest.lab === undefined ? {} : { adminToken: manifest.lab.adminToken }),
    });
    const events = await eventsOptions(fetchImpl, manifest);

    const receiverKeys = await harnessKeys(host.publish, 'ssf-receiver');
    providerId = await registerProvider(fetchImpl, manifest.okta, receiverKeys, 'ssf-lab-ssf-receiver');

    const okta = oktaReceiverOptions(
      manifest,
      await harnessKeys(host.publish, 'okta-receiver'),
      subjectFromEnd(subjects, 0),
    );

    let appUrl: string | undefined;
    for (const app of manifest.apps)
      if ((await appState(fetchImpl, app.url)).kind === LOGOUT_APP_KIND) appUrl = app.url;
    if (appUrl === undefined) throw new Error(`lab set-up: the manifest has no ${LOGOUT_APP_KIND} app`);
    const logout = await universalLogoutOptions(fetchImpl, appUrl, host.publish);
    const probe = logout.sessionProbe;
    const integration = await integrationOptions(fetchImpl, manifest);

    const target: TargetFileJson = {
      name: 'ssf-lab serve, as a black box',
      description:
        'The lab started as separate processes, set up through its public APIs and /_lab/ routes only.',
      // A lab on https: the plans trust its CA (and only that besides node's roots), from the manifest.
      ...(manifest.tls?.caFile === undefined ? {} : { tls: { caFile: manifest.tls.caFile } }),
      // The order of PLAN_ENTRIES: the plans that log a user out come last.
      plans: {
        events,
        'ssf-transmitter': {
          ...transmitter,
          token: secret('SSF_LAB_STREAM_TOKEN', transmitter.token),
          // The trigger's `/_lab/threats` calls carry the lab admin token: named, never written.
          ...(transmitter.eventTrigger === undefined || manifest.lab === undefined
            ? {}
            : {
                eventTrigger: withAdminHeaders(
                  transmitter.eventTrigger,
                  secret,
                  'SSF_LAB_TRANSMITTER_TRIGGER',
                ),
              }),
        },
        'ssf-receiver': {
          pushEndpoint: `${manifest.okta.url}${SET_ENDPOINT_PATH}`,
          audience: manifest.okta.url,
          issuer: receiverKeys.issuer,
          privateJwk: secret('SSF_LAB_RECEIVER_PRIVATE_JWK', receiverKeys.privateJwk),
          profile: 'okta',
          subject: subjectFromEnd(subjects, 1),
        },
        'okta-receiver': {
          ...okta,
          privateJwk: secret('SSF_LAB_OKTA_RECEIVER_PRIVATE_JWK', okta.privateJwk),
          okta: {
            url: manifest.okta.url,
            apiToken: secret('SSF_LAB_OKTA_API_TOKEN', manifest.okta.apiToken),
          },
        },
        'universal-logout': {
          ...logout,
          privateJwk: secret('SSF_LAB_LOGOUT_PRIVATE_JWK', logout.privateJwk),
          ...(probe === undefined
            ? {}
            : {
                // The probe carries the signed-in user's credential: a cookie, or a refresh token in the body.
                sessionProbe: {
                  ...probe,
                  ...(probe.headers?.cookie === undefined
                    ? {}
                    : {
                        headers: {
                          ...probe.headers,
                          cookie: secret('SSF_LAB_APP_SESSION_COOKIE', probe.headers.cookie),
                        },
                      }),
                  ...(probe.body === undefined ? {} : { body: secret('SSF_LAB_APP_PROBE_BODY', probe.body) }),
                },
              }),
        },
        integration: {
          ...integration,
          ...(manifest.lab === undefined
            ? {}
            : {
                trigger: withAdminHeaders(integration.trigger, secret, 'SSF_LAB_INTEGRATION_TRIGGER'),
                ...(integration.resolve === undefined
                  ? {}
                  : {
                      resolve: withAdminHeaders(integration.resolve, secret, 'SSF_LAB_INTEGRATION_RESOLVE'),
                    }),
              }),
          okta: {
            url: integration.okta.url,
            apiToken: secret('SSF_LAB_OKTA_API_TOKEN', integration.okta.apiToken),
          },
          // Okta session ids are the `sid` cookie's value: credentials, named only.
          ...(integration.oktaSessionIds === undefined
            ? {}
            : {
                oktaSessionIds: integration.oktaSessionIds.map((id, i) =>
                  secret(`SSF_LAB_INTEGRATION_OKTA_SESSION_${i}`, id),
                ),
              }),
          // Each probe carries the user's session cookie or refresh token: the file only names them.
          apps: integration.apps.map((app, i) => ({
            ...app,
            sessionProbe: {
              ...app.sessionProbe,
              ...(app.sessionProbe.headers === undefined
                ? {}
                : { headers: secret(`SSF_LAB_INTEGRATION_PROBE_HEADERS_${i}`, app.sessionProbe.headers) }),
              ...(app.sessionProbe.body === undefined
                ? {}
                : { body: secret(`SSF_LAB_INTEGRATION_PROBE_BODY_${i}`, app.sessionProbe.body) }),
            },
          })),
        },
      },
    };
    return { target, env, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
