/**
 * The `universal-logout` plan: grades an app's Global Token Revocation endpoint the way Okta's Universal
 * Logout calls it. The harness plays Okta — it signs revocation JWTs with a key the app trusts — and sends,
 * in this order: requests with broken authentication (401), authenticated requests with a broken body or an
 * unsupported subject format (400), one for a user the app does not know (404), and last one valid request
 * (204), which really logs the user out of the app. The valid request goes last so that what the earlier
 * ones leave behind cannot be mistaken for its effect.
 * @module
 */
import { defineModule, definePlan, SkipModule, type SuiteContext } from '../core/index.ts';
import {
  AUTH_CHECKS,
  type AuthCapture,
  LOGOUT_CHECKS,
  type LogoutCapture,
  REQUEST_ERROR_CHECKS,
  type RequestErrorsCapture,
  type UnknownUserCapture,
  unknownUserAnswers404,
} from './checks.ts';
import {
  describeSubject,
  type ResolvedOptions,
  resolveOptions,
  UNIVERSAL_LOGOUT_OPTIONS_SCHEMA,
  type UniversalLogoutOptions,
} from './options.ts';
import { impostorKey, mintToken, sendGtr, sendProbe, serveJwksOnce } from './requests.ts';

export * from './checks.ts';
export * from './options.ts';
// The session probe the integration plan shares.
export { type Answer, GTR_JWT_TYP, mintToken, sendProbe } from './requests.ts';

/** Resolved once per run: the options object is the same for every module of a plan run. */
const resolved = new WeakMap<object, Promise<ResolvedOptions>>();

async function prepare(ctx: SuiteContext, raw: UniversalLogoutOptions): Promise<ResolvedOptions> {
  let pending = resolved.get(raw);
  if (pending === undefined) {
    pending = resolveOptions(raw);
    resolved.set(raw, pending);
  }
  const options = await pending;
  if (options.serveJwks)
    ctx.progress(`serving the signing key's JWKS at ${await serveJwksOnce(ctx, raw, options)}`);
  return options;
}

const body = (subject: unknown): string => JSON.stringify({ sub_id: subject });

const authentication = defineModule<UniversalLogoutOptions, AuthCapture>({
  id: 'authentication',
  title: 'Requests with broken authentication are refused',
  async run(ctx, raw) {
    const o = await prepare(ctx, raw);
    // A conforming app refuses all four; one that does not would log the user out, so it is a real change.
    if (
      !ctx.intend(`send ${o.endpoint} four revocation requests for ${describeSubject(o.user)} it must refuse`)
    )
      throw new SkipModule('dry run');
    const now = ctx.now();
    const payload = body(o.user);
    const forger = await impostorKey(o);
    const past = Math.floor(now / 1000) - 900;
    return {
      badSignature: await sendGtr(ctx, o, { token: await mintToken(o, now, { key: forger }), body: payload }),
      expired: await sendGtr(ctx, o, {
        token: await mintToken(o, now, { claims: { iat: past, nbf: past, exp: past + 300 } }),
        body: payload,
      }),
      wrongAudience: await sendGtr(ctx, o, {
        token: await mintToken(o, now, {
          claims: { aud: 'https://another-app.invalid/global-token-revocation' },
        }),
        body: payload,
      }),
      missingAuthorization: await sendGtr(ctx, o, { token: null, body: payload }),
    };
  },
  checks: AUTH_CHECKS,
});

const requestErrors = defineModule<UniversalLogoutOptions, RequestErrorsCapture>({
  id: 'request-errors',
  title: 'Authenticated requests with a broken body are refused',
  async run(ctx, raw) {
    const o = await prepare(ctx, raw);
    const token = () => mintToken(o, ctx.now());
    return {
      notJson: await sendGtr(ctx, o, {
        token: await token(),
        body: '{"sub_id": {"format": "email", "email": ',
      }),
      noSubject: await sendGtr(ctx, o, { token: await token(), body: '{}' }),
      // `opaque` is a registered RFC 9493 format, and what Okta's own revocation endpoint takes, but Okta
      // sends apps only email or iss_sub — a subject an app cannot resolve to a user of its own.
      unsupportedFormat: await sendGtr(ctx, o, {
        token: await token(),
        body: body({ format: 'opaque', id: 'ssf-lab-unsupported-subject' }),
      }),
    };
  },
  checks: REQUEST_ERROR_CHECKS,
});

const unknownUser = defineModule<UniversalLogoutOptions, UnknownUserCapture>({
  id: 'unknown-user',
  title: 'A request for a user the app does not know is answered 404',
  async run(ctx, raw) {
    const o = await prepare(ctx, raw);
    const answer = await sendGtr(ctx, o, { token: await mintToken(o, ctx.now()), body: body(o.unknownUser) });
    return { who: describeSubject(o.unknownUser), answer };
  },
  checks: [unknownUserAnswers404],
});

const logout = defineModule<UniversalLogoutOptions, LogoutCapture>({
  id: 'logout',
  title: 'A valid request logs the user out',
  async run(ctx, raw) {
    const o = await prepare(ctx, raw);
    const who = describeSubject(o.user);
    if (!ctx.intend(`log ${who} out of ${o.endpoint}`)) throw new SkipModule('dry run');
    const before = o.sessionProbe ? await sendProbe(ctx, o.sessionProbe) : undefined;
    const answer = await sendGtr(ctx, o, { token: await mintToken(o, ctx.now()), body: body(o.user) });
    const after = o.sessionProbe ? await sendProbe(ctx, o.sessionProbe) : undefined;
    return { who, answer, ...(before && after ? { probe: { before, after } } : {}) };
  },
  checks: LOGOUT_CHECKS,
});

export const universalLogoutPlan = definePlan<UniversalLogoutOptions>({
  name: 'universal-logout',
  title: 'Universal Logout: an app’s Global Token Revocation endpoint',
  role: "The harness plays Okta: it signs Global Token Revocation JWTs with a key the app trusts and calls the app's endpoint.",
  optionsSchema: UNIVERSAL_LOGOUT_OPTIONS_SCHEMA,
  modules: [authentication, requestErrors, unknownUser, logout],
});
