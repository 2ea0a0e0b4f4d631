/**
 * Everything one app mock is made of, resolved from its options once: who it is (kind, origin, client id),
 * whom it trusts (the Okta org and its JWKS), how it logs users out (full or partial, which subject format),
 * and its state (users, sessions, the GTR record, the replay cache, the lab behaviour). The route modules
 * share this one object; the public handle reads it.
 */
import type { Clock, DeviationSwitch } from '../../harness/kernel/index.ts';
import type { Behaviour } from './behaviour.ts';
import type { AppDirectory } from './directory.ts';
import type { GtrLedger } from './gtr-ledger.ts';
import type { SubjectFormat } from './gtr-request.ts';
import type { GtrTokenVerifier } from './gtr-token.ts';
import type { AppKind, Lifetimes } from './profiles.ts';
import type { ReplayCache } from './replay-cache.ts';
import type { SessionStore } from './sessions.ts';
import type { TrustedIssuers } from './trusted-issuers.ts';

export interface AppContext {
  readonly kind: AppKind;
  readonly label: string;
  readonly origin: string;
  readonly gtrPath: string;
  readonly gtrEndpoint: string;
  readonly oktaIssuer: string;
  readonly jwksUrl: string;
  readonly clientId: string;
  readonly subjectFormat: SubjectFormat;
  readonly partial: boolean;
  readonly cookieName: string;
  readonly lifetimes: Lifetimes;
  readonly clockSkewSeconds: number;
  readonly fleetSeed: number;
  readonly clock: Clock;
  readonly directory: AppDirectory;
  readonly sessions: SessionStore;
  readonly ledger: GtrLedger;
  readonly replay: ReplayCache;
  readonly verifier: GtrTokenVerifier;
  /** Lab-only extra issuers (the conformance harness playing Okta); empty unless the lab adds one. */
  readonly trustedIssuers: TrustedIssuers;
  behaviour: Behaviour;
  /** Which of APP_DEVIATIONS are on right now (the lab's switch; none for an app built on its own). */
  readonly deviations: DeviationSwitch;
}

/** Everything the app is and holds, without a secret: `GET /_lab/state` and the handle's `state()`. */
export function stateView(ctx: AppContext) {
  return {
    kind: ctx.kind,
    label: ctx.label,
    origin: ctx.origin,
    gtrEndpoint: ctx.gtrEndpoint,
    clientId: ctx.clientId,
    oktaIssuer: ctx.oktaIssuer,
    jwksUrl: ctx.jwksUrl,
    subjectFormat: ctx.subjectFormat,
    partial: ctx.partial,
    lifetimes: ctx.lifetimes,
    behaviour: ctx.behaviour,
    users: { count: ctx.directory.size, fleetSeed: ctx.fleetSeed },
    credentials: ctx.sessions.counts(),
    gtr: ctx.ledger.summary(),
  };
}

export type AppStateView = ReturnType<typeof stateView>;

/** Back to the app as built: no sessions, no learned Okta ids, no GTR records or seen jtis, no extra issuers, normal behaviour. */
export function resetContext(ctx: AppContext, normal: Behaviour): void {
  ctx.sessions.reset();
  ctx.directory.reset();
  ctx.ledger.clear();
  ctx.replay.clear();
  ctx.trustedIssuers.clear();
  ctx.behaviour = normal;
}
