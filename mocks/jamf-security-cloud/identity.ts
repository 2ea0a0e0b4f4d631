/**
 * Who is behind a device. The seed connects Jamf Security Cloud to the Okta org as its identity provider
 * ("Test and Save" runs OIDC discovery against the org), creates an activation profile that requires
 * authentication by that identity provider, and deploys it through Jamf Pro. When a device activates Jamf
 * Trust under such a profile, the user signs in through Okta and JSC binds that user to the device — the
 * device → user mapping every later SET carries.
 *
 * The browserless sign-in the lab drives (`POST /_lab/devices/{id}/activate`) is the OIDC authorization
 * code flow with PKCE that a native app runs, started with an Okta session token from the Authentication
 * API (`POST /api/v1/authn` → `sessionToken`, then `/authorize?…&sessionToken=…` answers 302 with the
 * code). The ID token is verified against the org's JWKS; its `email` claim is the user bound.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { BODY_CAPS, BodyTooLargeError, readBodyText } from '../../harness/kernel/index.ts';
import { invalid, JscError, notFound } from './errors.ts';

export interface IdentityProvider {
  readonly id: string;
  /** The connection's name in the console (the seed names it; default "Okta"). */
  readonly name: string;
  readonly type: 'OKTA';
  readonly domain: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly status: 'CONNECTED';
  readonly createdAt: number;
}

export const CAPABILITIES = [
  'networkSecurity',
  'threatPrevention',
  'contentFiltering',
  'zeroTrustNetworkAccess',
] as const;

export interface ActivationProfile {
  readonly id: string;
  readonly name: string;
  readonly platforms: readonly ('MAC_OS' | 'IOS')[];
  readonly capabilities: Readonly<Record<string, boolean>>;
  /** "Authenticated by Identity Provider": activation needs a sign-in through this provider. */
  readonly identityProviderId?: string;
  /**
   * When the profile's activation link stops activating devices (ISO 8601), as the console's "Expiration
   * date"; absent, it never expires. Jamf publishes no field name: `expirationDate` is the lab's choice.
   */
  readonly expirationDate?: string;
  readonly createdAt: number;
  deployments: { connectorId: string; kind: 'computer' | 'mobile'; jamfProfileId: number; at: number }[];
}

/** Jamf Trust's OIDC redirect URI, registered on the Okta native app (the seed's step; a lab choice). */
export const JAMF_TRUST_REDIRECT_URI = 'com.jamf.trust:/oauth2/callback';
/** Jamf Trust's sign-out redirect URI, the Okta app's `post_logout_redirect_uris` (a lab choice). */
export const JAMF_TRUST_POST_LOGOUT_REDIRECT_URI = 'com.jamf.trust:/oauth2/logout';

function orgUrl(domain: string): string {
  const url = new URL(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`);
  return url.origin;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export class Identity {
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #ids: () => string;
  readonly #providers = new Map<string, IdentityProvider>();
  readonly #profiles = new Map<string, ActivationProfile>();

  constructor(fetchImpl: typeof fetch, now: () => number, ids: () => string) {
    this.#fetch = fetchImpl;
    this.#now = now;
    this.#ids = ids;
  }

  reset(): void {
    this.#providers.clear();
    this.#profiles.clear();
  }

  providers(): IdentityProvider[] {
    return [...this.#providers.values()];
  }

  profiles(): ActivationProfile[] {
    return [...this.#profiles.values()];
  }

  profile(id: string): ActivationProfile {
    const p = this.#profiles.get(id);
    if (!p) throw notFound(`activation profile "${id}"`);
    return p;
  }

  /**
   * One call to the identity provider, its answer read up to `maxBytes` (the provider is whatever host
   * the admin named, so its answer may be anything): a larger one is cancelled unread and refused.
   */
  async #json(
    url: string,
    init: RequestInit = {},
    maxBytes: number = BODY_CAPS.apiAnswer,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const signal = AbortSignal.timeout(10_000);
    const response = await this.#fetch(url, { ...init, redirect: 'manual', signal });
    let text: string;
    try {
      text = await readBodyText(response, maxBytes, { signal });
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      throw new JscError(502, 'IDP_CONNECTION_FAILED', `${url}: ${error.message}`);
    }
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // Not JSON; callers look at the status.
    }
    return { status: response.status, body, headers: response.headers };
  }

  /** "Test and Save": OIDC discovery against the org; the issuer must be the org itself. */
  async connect(body: unknown): Promise<IdentityProvider> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.type !== 'OKTA') throw invalid('INVALID_REQUEST', '"type" must be OKTA');
    const domain = str(b.domain);
    const clientId = str(b.clientId);
    if (b.name !== undefined && (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 100))
      throw invalid('INVALID_REQUEST', '"name" must be a non-empty string of at most 100 characters');
    const name = typeof b.name === 'string' ? b.name : 'Okta';
    if (!domain || !clientId)
      throw invalid(
        'INVALID_REQUEST',
        '"domain" (the Okta org) and "clientId" (the Jamf Trust OIDC app) are required',
      );
    let issuer: string;
    try {
      issuer = orgUrl(domain);
    } catch {
      throw invalid('INVALID_REQUEST', `"domain" is not a host name or URL: ${JSON.stringify(domain)}`);
    }
    let discovery: Record<string, unknown>;
    try {
      const r = await this.#json(
        `${issuer}/.well-known/openid-configuration`,
        { headers: { accept: 'application/json' } },
        BODY_CAPS.discovery,
      );
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      discovery = r.body;
    } catch (error) {
      throw invalid(
        'IDP_CONNECTION_FAILED',
        `OIDC discovery at ${issuer} failed: ${(error as Error).message}`,
      );
    }
    if (discovery.issuer !== issuer) {
      throw invalid(
        'IDP_CONNECTION_FAILED',
        `the discovery document names issuer ${JSON.stringify(discovery.issuer)}, not ${issuer}`,
      );
    }
    const authorizationEndpoint = str(discovery.authorization_endpoint);
    const tokenEndpoint = str(discovery.token_endpoint);
    const jwksUri = str(discovery.jwks_uri);
    if (!authorizationEndpoint || !tokenEndpoint || !jwksUri) {
      throw invalid(
        'IDP_CONNECTION_FAILED',
        'the discovery document lacks authorization_endpoint, token_endpoint or jwks_uri',
      );
    }
    const provider: IdentityProvider = {
      id: this.#ids(),
      name,
      type: 'OKTA',
      domain,
      clientId,
      issuer,
      authorizationEndpoint,
      tokenEndpoint,
      jwksUri,
      status: 'CONNECTED',
      createdAt: this.#now(),
    };
    this.#providers.set(provider.id, provider);
    return provider;
  }

  createProfile(body: unknown): ActivationProfile {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    const name = str(b.name);
    if (!name || name.length > 100)
      throw invalid('INVALID_REQUEST', '"name" is required (at most 100 characters)');
    const platforms = b.platforms;
    if (
      !Array.isArray(platforms) ||
      platforms.length < 1 ||
      platforms.length > 2 ||
      !platforms.every((p) => p === 'MAC_OS' || p === 'IOS')
    ) {
      throw invalid('INVALID_REQUEST', '"platforms" must hold one or two of MAC_OS, IOS');
    }
    const caps = (b.capabilities ?? {}) as Record<string, unknown>;
    const capabilities: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(caps)) {
      if (!(CAPABILITIES as readonly string[]).includes(k) || typeof v !== 'boolean') {
        throw invalid(
          'INVALID_REQUEST',
          `capability "${k}" must be one of ${CAPABILITIES.join(', ')} with a boolean value`,
        );
      }
      capabilities[k] = v;
    }
    if (!Object.values(capabilities).some(Boolean))
      throw invalid('INVALID_REQUEST', 'at least one capability must be true');
    const idp = b.identityProviderId;
    if (idp !== undefined && (typeof idp !== 'string' || !this.#providers.has(idp))) {
      throw invalid(
        'INVALID_REQUEST',
        `"identityProviderId" ${JSON.stringify(idp)} is not a connected identity provider`,
      );
    }
    const expiry = b.expirationDate;
    let expirationDate: string | undefined;
    if (expiry !== undefined && expiry !== null) {
      const at = typeof expiry === 'string' ? Date.parse(expiry) : Number.NaN;
      if (!/^\d{4}-\d{2}-\d{2}T/.test(String(expiry)) || Number.isNaN(at))
        throw invalid('INVALID_REQUEST', '"expirationDate" must be an ISO 8601 date-time');
      if (at <= this.#now()) throw invalid('INVALID_REQUEST', '"expirationDate" must be in the future');
      expirationDate = new Date(at).toISOString();
    }
    const profile: ActivationProfile = {
      id: this.#ids(),
      name,
      platforms: platforms as ('MAC_OS' | 'IOS')[],
      capabilities,
      ...(idp === undefined ? {} : { identityProviderId: idp as string }),
      ...(expirationDate === undefined ? {} : { expirationDate }),
      createdAt: this.#now(),
      deployments: [],
    };
    this.#profiles.set(profile.id, profile);
    return profile;
  }

  /** The profile, when it still activates devices: past its `expirationDate` it is 409 ACTIVATION_PROFILE_EXPIRED. */
  activatable(id: string): ActivationProfile {
    const profile = this.profile(id);
    if (profile.expirationDate !== undefined && Date.parse(profile.expirationDate) <= this.#now())
      throw new JscError(
        409,
        'ACTIVATION_PROFILE_EXPIRED',
        `the activation profile "${profile.name}" expired at ${profile.expirationDate}`,
      );
    return profile;
  }

  /**
   * Signs `username` in through the provider as Jamf Trust would and returns the verified ID token's user.
   * Fails with 401 IDP_AUTHENTICATION_FAILED when the sign-in is refused at any step.
   */
  async signIn(
    providerId: string,
    username: string,
    password: string,
  ): Promise<{ email: string; name?: string }> {
    const idp = this.#providers.get(providerId);
    if (!idp) throw notFound(`identity provider "${providerId}"`);
    const fail = (step: string, detail: string): JscError =>
      new JscError(
        401,
        'IDP_AUTHENTICATION_FAILED',
        `sign-in through ${idp.issuer} failed at ${step}: ${detail}`,
      );

    const authn = await this.#json(`${idp.issuer}/api/v1/authn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const sessionToken = str(authn.body.sessionToken);
    if (authn.status !== 200 || authn.body.status !== 'SUCCESS' || !sessionToken) {
      throw fail(
        'authentication',
        `HTTP ${authn.status} ${String(authn.body.errorSummary ?? authn.body.status ?? '')}`.trim(),
      );
    }
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const authorize = new URL(idp.authorizationEndpoint);
    for (const [k, v] of Object.entries({
      client_id: idp.clientId,
      response_type: 'code',
      scope: 'openid profile email groups offline_access',
      redirect_uri: JAMF_TRUST_REDIRECT_URI,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      sessionToken,
    })) {
      authorize.searchParams.set(k, v);
    }
    const redirected = await this.#json(authorize.href);
    const location = redirected.headers.get('location');
    if (redirected.status !== 302 || !location)
      throw fail('authorization', `HTTP ${redirected.status}, no redirect`);
    const back = new URL(location);
    const code = back.searchParams.get('code');
    if (back.searchParams.get('error'))
      throw fail(
        'authorization',
        `${back.searchParams.get('error')}: ${back.searchParams.get('error_description') ?? ''}`,
      );
    if (!code || back.searchParams.get('state') !== state)
      throw fail('authorization', 'no code, or the state does not match');
    const token = await this.#json(
      idp.tokenEndpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: JAMF_TRUST_REDIRECT_URI,
          client_id: idp.clientId,
          code_verifier: verifier,
        }).toString(),
      },
      BODY_CAPS.tokenAnswer,
    );
    const idToken = str(token.body.id_token);
    if (token.status !== 200 || !idToken)
      throw fail('token', `HTTP ${token.status} ${String(token.body.error ?? '')}`.trim());
    const jwks = await this.#json(idp.jwksUri, { headers: { accept: 'application/json' } }, BODY_CAPS.jwks);
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(idToken, createLocalJWKSet(jwks.body as unknown as JSONWebKeySet), {
        issuer: idp.issuer,
        audience: idp.clientId,
        currentDate: new Date(this.#now()),
      });
      claims = verified.payload as Record<string, unknown>;
    } catch (error) {
      throw fail('ID token verification', (error as Error).message);
    }
    if (claims.nonce !== nonce) throw fail('ID token verification', 'the nonce does not match');
    const email = str(claims.email) ?? str(claims.preferred_username);
    if (!email) throw fail('ID token', 'no email claim');
    const name = str(claims.name);
    return { email, ...(name === undefined ? {} : { name }) };
  }
}
