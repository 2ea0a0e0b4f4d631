/**
 * Universal Logout: Okta signing a user out of the apps configured for it by calling each app's Global Token
 * Revocation endpoint (draft-parecki-oauth-global-token-revocation; Okta's "Build Universal Logout for your
 * app" guide). Per app and user, one `POST` with a JSON body naming the user as an RFC 9493 subject —
 * `{"sub_id": {"format": "email", "email": …}}` or `{"sub_id": {"format": "iss_sub", "iss": <org URL>, "sub":
 * <Okta user id>}}`, the app's "Subject format" — and `Authorization: Bearer <JWT>`, a JWT the org signs with
 * the key it publishes at `/oauth2/v1/keys`: header `typ: global-token-revocation+jwt`; claims `jti`, `iss`
 * (the org URL), `sub` (the app's OIDC client id, or the app instance id of a SAML app), `aud` (the endpoint
 * URL without query or fragment), `iat`, `nbf` (iat − 5 min) and `exp` (iat + 5 min). Okta reads only the
 * status: 2xx is done; 400, 401, 403, 404, 422, any other status, a timeout or a network error is a failure,
 * recorded with its reason. No retries (Okta documents none).
 *
 * How an app is configured for it (the Admin Console's app → Authentication → Logout → "Okta system or admin
 * initiates logout", the endpoint URL, "Subject format", and the integration's "Partial support") is not in
 * Okta's published API, so the lab keeps it here, set at `/_lab/apps/{appId}/universal-logout`. The seed's
 * SaaS apps are SAML apps in Okta, which Part A's Apps API does not create; `/_lab/saml-apps` creates the
 * minimal SAML app instances they need (../README.md, "Universal Logout").
 */
import { BODY_CAPS, readBodyHeadText } from '../../../harness/kernel/index.ts';
import { isObject } from '../apps/app-settings.ts';
import type { OktaApp, SamlApp } from '../apps/apps.ts';
import { validationFailed } from '../core/errors.ts';
import { uuidFrom } from '../core/ids.ts';
import type { OktaOrg } from '../core/org.ts';

export const GTR_JWT_TYP = 'global-token-revocation+jwt';
/** Okta's GTR JWTs are valid five minutes either side of `iat` (vendor-apis.md §1.10). */
export const GTR_JWT_SKEW_SECONDS = 300;
/** How long the org waits for one app (Okta publishes no value; a lab choice, settable per app). */
export const DEFAULT_LOGOUT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 60_000;
/** Attempts kept for `/_lab/universal-logout` (oldest dropped first). */
export const LOGOUT_RECORD_CAP = 1000;
const MAX_SAML_APPS = 1000;

export type SubjectFormat = 'EMAIL' | 'ISS_SUB';

export interface LogoutConfig {
  readonly appId: string;
  readonly endpoint: string;
  readonly subjectFormat: SubjectFormat;
  /** The app only revokes refresh tokens (Okta's "Partial support"; Microsoft 365 is one). */
  readonly partialSupport: boolean;
  readonly timeoutMs: number;
  readonly configuredAt: number;
}

export type { SamlApp } from '../apps/apps.ts';

/** An app instance Universal Logout can reach: an OIDC app of Part A's Apps API or a lab SAML app. */
export interface LogoutApp {
  readonly id: string;
  readonly label: string;
  readonly signOnMode: 'OPENID_CONNECT' | 'SAML_2_0';
  /** What the GTR JWT's `sub` carries: the OIDC client id, or the SAML app instance id. */
  readonly subject: string;
  readonly active: boolean;
  readonly oidc?: OktaApp;
}

export interface LogoutAttempt {
  readonly seq: number;
  readonly at: string;
  readonly traceId: string;
  readonly userId: string;
  readonly appId: string;
  readonly appLabel: string;
  readonly signOnMode: LogoutApp['signOnMode'];
  readonly endpoint: string;
  readonly subjectFormat: SubjectFormat;
  readonly partialSupport: boolean;
  /** The GTR JWT's `jti` (the token itself is never kept). */
  readonly jti: string;
  /** The app's HTTP status; null when no answer came (timeout, network error). */
  readonly status: number | null;
  readonly outcome: 'SUCCESS' | 'FAILURE';
  readonly reason: string | null;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'the app could not read the request (malformed, or a subject format it does not accept)',
  401: 'the app did not accept the signed JWT',
  403: 'the app refused: the JWT is not authorized for this app',
  404: 'the app does not know the user',
  422: 'the app could not log the user out',
};

/** The endpoint as the JWT's `aud`: the URL without query or fragment. */
export function audienceOf(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname}`;
}

export class UniversalLogout {
  readonly #org: OktaOrg;
  readonly #configs = new Map<string, LogoutConfig>();
  readonly #attempts: LogoutAttempt[] = [];
  #seq = 0;

  constructor(org: OktaOrg) {
    this.#org = org;
  }

  /** `POST /_lab/saml-apps`: a SAML 2.0 app instance (what Okta's OIN SaaS integrations are). */
  createSamlApp(body: unknown): SamlApp {
    if (!isObject(body)) throw validationFailed('body', 'body: must be {"label": …, "id"?: …}');
    const label = body.label;
    if (typeof label !== 'string' || label.trim() === '' || label.length > 100)
      throw validationFailed('label', 'label: The field cannot be left blank (at most 100 characters)');
    const given = body.id;
    if (given !== undefined && (typeof given !== 'string' || !/^[A-Za-z0-9_-]{3,100}$/.test(given)))
      throw validationFailed('id', 'id: an app instance id is 3–100 letters, digits, "_" or "-"');
    const givenName = body.name;
    if (givenName !== undefined && (typeof givenName !== 'string' || !/^[a-z0-9_]{1,100}$/.test(givenName)))
      throw validationFailed('name', 'name: an app key is 1–100 lower-case letters, digits or "_"');
    const id = typeof given === 'string' ? given : this.#org.newId('0oa');
    if (this.app(id) || this.#org.apps.byClientId(id))
      throw validationFailed('id', `id: "${id}" is already an app in this org`);
    if (this.#org.apps.samlApps().length >= MAX_SAML_APPS)
      throw validationFailed('body', `body: the lab keeps at most ${MAX_SAML_APPS} SAML apps`);
    // Okta keys a custom SAML app by the org and label; an OIN integration by its own name (given).
    const name =
      typeof givenName === 'string'
        ? givenName
        : `${new URL(this.#org.url).hostname.split('.')[0]}_${label.toLowerCase().replace(/[^a-z0-9]+/g, '')}_1`;
    const app: SamlApp = { id, name, label, created: this.#org.now() };
    this.#org.apps.addSaml(app);
    return app;
  }

  samlApps(): readonly SamlApp[] {
    return this.#org.apps.samlApps();
  }

  /** The app instance by id, from Part A's apps or the lab's SAML apps. */
  app(id: string): LogoutApp | undefined {
    const oidc = this.#org.apps.get(id);
    if (oidc)
      return {
        id: oidc.id,
        label: oidc.label,
        signOnMode: 'OPENID_CONNECT',
        subject: oidc.clientId,
        active: oidc.status === 'ACTIVE',
        oidc,
      };
    const saml = this.#org.apps.saml(id);
    return saml
      ? { id: saml.id, label: saml.label, signOnMode: 'SAML_2_0', subject: saml.id, active: true }
      : undefined;
  }

  /** Whether the user has the app: OIDC apps by assignment (user or group); lab SAML apps are everyone's. */
  assigned(app: LogoutApp, userId: string): boolean {
    return app.oidc ? this.#org.apps.isAssigned(app.oidc, userId) : true;
  }

  /** `PUT /_lab/apps/{appId}/universal-logout`. */
  configure(app: LogoutApp, body: unknown): LogoutConfig {
    const config = this.parseConfig(app, body);
    this.#configs.set(app.id, config);
    return config;
  }

  /** The configuration a `PUT` body asks for, checked (E0000001 naming each field), not stored. */
  parseConfig(app: LogoutApp, body: unknown): LogoutConfig {
    if (!isObject(body)) throw validationFailed('body', 'body: must be {"endpoint": …, "subjectFormat"?: …}');
    const causes: string[] = [];
    const endpoint = body.endpoint;
    let url: URL | undefined;
    try {
      url = typeof endpoint === 'string' ? new URL(endpoint) : undefined;
    } catch {
      url = undefined;
    }
    if (
      typeof endpoint !== 'string' ||
      endpoint.length > 1024 ||
      !url ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.hash !== ''
    )
      causes.push(
        'endpoint: the logout endpoint URL must be an absolute http(s) URL without a fragment (at most 1024 characters)',
      );
    const format = body.subjectFormat ?? 'EMAIL';
    if (format !== 'EMAIL' && format !== 'ISS_SUB')
      causes.push(
        'subjectFormat: must be EMAIL (Email Identifier) or ISS_SUB (Issuer and Subject Identifier)',
      );
    const partial = body.partialSupport ?? false;
    if (typeof partial !== 'boolean') causes.push('partialSupport: must be true or false');
    const method = body.authenticationMethod ?? 'SIGNED_JWT';
    if (method !== 'SIGNED_JWT') causes.push('authenticationMethod: Okta supports only SIGNED_JWT');
    const timeout = body.timeoutMs ?? DEFAULT_LOGOUT_TIMEOUT_MS;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS)
      causes.push(`timeoutMs: an integer from 1 to ${MAX_TIMEOUT_MS}`);
    const [first] = causes;
    if (first !== undefined) throw validationFailed(first.split(':')[0] ?? 'body', ...causes);
    const config: LogoutConfig = {
      appId: app.id,
      endpoint: endpoint as string,
      subjectFormat: format as SubjectFormat,
      partialSupport: partial as boolean,
      timeoutMs: timeout as number,
      configuredAt: this.#org.now(),
    };
    return config;
  }

  config(appId: string): LogoutConfig | undefined {
    return this.#configs.get(appId);
  }

  unconfigure(appId: string): boolean {
    return this.#configs.delete(appId);
  }

  /** Every app configured for Universal Logout that still exists. */
  configured(): readonly { readonly app: LogoutApp; readonly config: LogoutConfig }[] {
    return [...this.#configs.values()]
      .map((config) => ({ app: this.app(config.appId), config }))
      .filter((e): e is { app: LogoutApp; config: LogoutConfig } => e.app !== undefined)
      .sort((a, b) => (a.app.id < b.app.id ? -1 : 1));
  }

  /**
   * The apps a logout of `userId` reaches: configured, active, the user's, and — when `only` is given (the
   * rule's SPECIFIC selection) — among those named.
   */
  targets(
    userId: string,
    only?: readonly string[],
  ): readonly { readonly app: LogoutApp; readonly config: LogoutConfig }[] {
    return this.configured().filter(
      ({ app }) => app.active && this.assigned(app, userId) && (only === undefined || only.includes(app.id)),
    );
  }

  /** One Global Token Revocation call; never throws, the outcome is in the attempt. */
  async logout(
    user: { readonly id: string; readonly email: string },
    target: { readonly app: LogoutApp; readonly config: LogoutConfig },
    traceId: string,
  ): Promise<LogoutAttempt> {
    const { app, config } = target;
    const org = this.#org;
    const jti = uuidFrom(org.ids());
    const iat = Math.floor(org.now() / 1000);
    const record = (status: number | null, reason: string | null): LogoutAttempt => {
      this.#seq += 1;
      const attempt: LogoutAttempt = {
        seq: this.#seq,
        at: new Date(org.now()).toISOString(),
        traceId,
        userId: user.id,
        appId: app.id,
        appLabel: app.label,
        signOnMode: app.signOnMode,
        endpoint: config.endpoint,
        subjectFormat: config.subjectFormat,
        partialSupport: config.partialSupport,
        jti,
        status,
        outcome: reason === null ? 'SUCCESS' : 'FAILURE',
        reason,
      };
      this.#attempts.push(attempt);
      if (this.#attempts.length > LOGOUT_RECORD_CAP) this.#attempts.shift();
      return attempt;
    };
    try {
      const token = await org.signJwt(
        {
          jti,
          iss: org.url,
          sub: app.subject,
          aud: audienceOf(config.endpoint),
          iat,
          nbf: iat - GTR_JWT_SKEW_SECONDS,
          exp: iat + GTR_JWT_SKEW_SECONDS,
        },
        { typ: GTR_JWT_TYP },
      );
      const subject =
        config.subjectFormat === 'EMAIL'
          ? { format: 'email', email: user.email }
          : { format: 'iss_sub', iss: org.url, sub: user.id };
      const response = await org.fetch(config.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ sub_id: subject }),
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      // Only the status and an OAuth error matter: the first BODY_CAPS.logoutAnswer bytes, the rest
      // cancelled unread (the endpoint's URL is the app's to set, so its answer may be anything).
      const { text } = await readBodyHeadText(response, BODY_CAPS.logoutAnswer).catch(() => ({ text: '' }));
      if (response.status >= 200 && response.status < 300) return record(response.status, null);
      const base = REASONS[response.status] ?? `the app answered HTTP ${response.status}`;
      return record(response.status, `${base}${detailOf(text, token)}`);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError')
        return record(null, `no answer within ${config.timeoutMs} ms`);
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      const message = error instanceof Error ? error.message : String(error);
      return record(null, `network error: ${message}${cause}`.slice(0, 300));
    }
  }

  /** Attempts, oldest first, optionally for one trace, user or app. */
  attempts(filter: { traceId?: string; userId?: string; appId?: string } = {}): readonly LogoutAttempt[] {
    return this.#attempts.filter(
      (a) =>
        (filter.traceId === undefined || a.traceId === filter.traceId) &&
        (filter.userId === undefined || a.userId === filter.userId) &&
        (filter.appId === undefined || a.appId === filter.appId),
    );
  }
}

/** The app's OAuth-style error, if it sent one, for the reason (at most 200 characters). */
function detailOf(text: string, token: string): string {
  if (text === '') return '';
  // An app echoing the request must not put the bearer token into the record.
  if (text.includes(token)) return ' (the app echoed the bearer token; its answer is not recorded)';
  try {
    const body = JSON.parse(text) as unknown;
    if (isObject(body)) {
      const parts = [body.error, body.error_description].filter((p) => typeof p === 'string');
      if (parts.length > 0) return ` (${parts.join(': ')})`.slice(0, 200);
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return '';
}

/** `GET /_lab/apps/{appId}/universal-logout` and the listing. */
export function logoutConfigView(app: LogoutApp, config: LogoutConfig): Record<string, unknown> {
  return {
    appId: app.id,
    label: app.label,
    signOnMode: app.signOnMode,
    status: app.active ? 'ACTIVE' : 'INACTIVE',
    jwtSubject: app.subject,
    endpoint: config.endpoint,
    authenticationMethod: 'SIGNED_JWT',
    subjectFormat: config.subjectFormat,
    partialSupport: config.partialSupport,
    timeoutMs: config.timeoutMs,
    configuredAt: new Date(config.configuredAt).toISOString(),
  };
}
