/**
 * The lab manifest: each service's base URL and the credentials a client outside the lab needs to use it —
 * what `ssf-lab serve` prints, and what a test or script hands to Okta's SDK, curl or a suite.
 *
 * Every value in it is a secret of a throwaway lab (random per run), yet still a secret: a manifest is
 * printed or written to a private file, never logged or put in a report.
 */
import { randomBytes } from 'node:crypto';
import { jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { rememberLabCredential } from '../kernel/index.ts';
import { APP_KINDS_IN_LAB, type Lab } from './start-lab.ts';

/** The receiver account the manifest's `streamToken` belongs to at the JSC transmitter. */
export const LAB_CLIENT_RECEIVER_ID = 'ssf-lab-client';
/** The `aud` of the streams created with the manifest's `streamToken` (and of their SETs). */
export const LAB_CLIENT_AUDIENCE = 'urn:ssf-lab:lab-client';

export interface LabManifest {
  /**
   * Okta: the org URL, an SSWS API token (`Authorization: SSWS <apiToken>`) of the org's admin, and the
   * password every lab user signs in with (their logins are the fleet's emails: `GET /api/v1/users`) —
   * what a client signing a user in through Okta needs. Always written by `labManifest`; optional only so
   * a manifest file from before it still reads.
   */
  readonly okta: { readonly url: string; readonly apiToken: string; readonly userPassword?: string };
  /** Jamf Pro: a user for `POST /api/v1/auth/token` and an API client for `POST /api/oauth/token`. */
  readonly jamfPro: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /**
   * Jamf Security Cloud: the SSF transmitter's issuer and well-known URL, a bearer token for its stream
   * management API, and a Radar API application for `POST /v1/login`.
   */
  readonly jamfSecurityCloud: {
    readonly url: string;
    readonly issuer: string;
    readonly wellKnownUrl: string;
    readonly streamToken: string;
    readonly appId: string;
    readonly appSecret: string;
  };
  /** The downstream apps: display name, the lab's short name for it (`salesforce`, `office365`…) and URL. */
  readonly apps: readonly { readonly name: string; readonly kind: string; readonly url: string }[];
  /**
   * The lab itself: the token its `/_lab/` controls ask for (`Authorization: Bearer <adminToken>`), when
   * they are guarded — absent for open controls (an in-process lab, `ssf-lab serve --open-lab`).
   */
  readonly lab?: { readonly adminToken: string };
  /**
   * A lab on https: the CA certificate its services chain to (PEM: public, not a secret) and, when
   * `ssf-lab serve` wrote it, the file it is in — what `curl --cacert` and `NODE_EXTRA_CA_CERTS` take.
   * Absent for a lab on plain http.
   */
  readonly tls?: { readonly caCert: string; readonly caFile?: string };
  /**
   * The lab console (`ssf-lab serve`, harness/console): its URL, and the sign-in link — the URL with
   * `?token=<lab admin token>` — a browser opens to be signed in. The link is a secret, like the token.
   */
  readonly console?: { readonly url: string; readonly signInUrl: string };
}

/**
 * One stream-management token per lab, so asking for the manifest twice gives the same one. Keyed by the
 * lab's transmitter, which the token is registered with: a view of the lab with other clocks or fetches
 * (certify's virtual-time lab) is the same lab.
 */
const streamTokens = new WeakMap<object, string>();

function streamTokenOf(lab: Lab, fixed: string | undefined): string {
  let token = streamTokens.get(lab.jsc.transmitter);
  if (token !== undefined && fixed !== undefined && fixed !== token)
    throw new TypeError(
      "labManifest: this lab's stream token is already chosen and is not options.streamToken",
    );
  if (token === undefined) {
    token = rememberLabCredential(fixed ?? randomBytes(32).toString('base64url'));
    lab.jsc.transmitter.addReceiver({
      id: LAB_CLIENT_RECEIVER_ID,
      audience: LAB_CLIENT_AUDIENCE,
      tokens: [token],
    });
    streamTokens.set(lab.jsc.transmitter, token);
  }
  return token;
}

export interface LabManifestOptions {
  /** The stream-management token to give the `ssf-lab-client` account (default a random one). */
  readonly streamToken?: string;
  /** Where the lab's CA certificate was written, named in the manifest's `tls.caFile` (a TLS lab only). */
  readonly caFile?: string;
  /** The lab console serving this lab, named in the manifest's `console`. */
  readonly console?: { readonly url: string; readonly signInUrl: string };
}

/**
 * The manifest of a running lab. The first call adds a receiver account (`ssf-lab-client`, audience
 * `urn:ssf-lab:lab-client`) with a fresh random bearer token (or `options.streamToken`) to the JSC
 * transmitter: a client of its stream-management API, separate from the Okta org's stream.
 */
export function labManifest(lab: Lab, options: LabManifestOptions = {}): LabManifest {
  const { users, clients } = jamfProOf(lab.jamfPro).credentials;
  const user = users[0];
  const client = clients[0];
  const app = lab.jsc.apps[0];
  if (!user || !client || !app)
    throw new TypeError('the lab has no Jamf Pro user, Jamf Pro API client or JSC application');
  const transmitter = lab.jsc.transmitter;
  return {
    okta: { url: lab.urls.okta, apiToken: lab.okta.apiToken, userPassword: lab.okta.userPassword },
    jamfPro: {
      url: lab.urls.jamfPro,
      username: user.username,
      password: user.password,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
    },
    jamfSecurityCloud: {
      url: lab.urls.jamfSecurityCloud,
      issuer: lab.jsc.issuer,
      // SSF §7.2.1: the well-known segment goes between the host and the issuer's path.
      wellKnownUrl: new URL(transmitter.paths.metadata, lab.jsc.issuer).href,
      streamToken: streamTokenOf(lab, options.streamToken),
      appId: app.appId,
      appSecret: app.appSecret,
    },
    apps: APP_KINDS_IN_LAB.map((kind) => ({ name: lab.apps[kind].label, kind, url: lab.urls.apps[kind] })),
    ...(lab.adminToken === undefined ? {} : { lab: { adminToken: lab.adminToken } }),
    ...(lab.caCert === undefined
      ? {}
      : { tls: { caCert: lab.caCert, ...(options.caFile === undefined ? {} : { caFile: options.caFile }) } }),
    ...(options.console === undefined ? {} : { console: options.console }),
  };
}
