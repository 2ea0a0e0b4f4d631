/**
 * The Okta org: the one state object every route module reads and writes — directory, applications, Okta
 * sessions, issued tokens and the System Log — plus the org's identity (URL = issuer of the org authorization
 * server, signing key, lab admin) and the injected clock, id source and outbound fetch. Part B of the Okta
 * mock (Security Events Providers, risk, ENTITY_RISK policy, Universal Logout) builds on it: it registers its
 * System Log event types with `systemLog.define`, logs with `log`, ends sessions with `endSessions`, revokes
 * tokens with `tokens.revokeForUser`, signs its JWTs with `signJwt`, and keeps its own state beside these.
 */
import { SignJWT } from 'jose';
import type { Fleet } from '../../../harness/fleet/index.ts';
import {
  type DeviationSwitch,
  type IdSource,
  NO_DEVIATIONS,
  type Scheduler,
} from '../../../harness/kernel/index.ts';
import { type JwkSet, publicJwks, type SigningKey } from '../../../harness/protocol/index.ts';
import { Applications } from '../apps/apps.ts';
import { Directory } from '../directory/directory.ts';
import { ItpHub } from '../itp/itp-hub.ts';
import { type OktaSession, Sessions } from '../oidc/sessions.ts';
import { TokenStores } from '../oidc/tokens.ts';
import {
  type LogActor,
  type LogEvent,
  type LogEventInput,
  type RequestOrigin,
  SystemLog,
} from '../system-log/system-log.ts';
import { oktaId } from './ids.ts';

export interface OktaOrgOptions {
  readonly orgUrl: string;
  readonly fleet: Fleet;
  readonly scheduler: Scheduler;
  readonly ids: IdSource;
  readonly signingKey: SigningKey;
  readonly userPassword: string;
  readonly fetch: typeof fetch;
  readonly systemLogCap?: number;
  /** Rules the org breaks on purpose (OKTA_DEVIATIONS, docs/self-test.md); default none. */
  readonly deviations?: DeviationSwitch;
}

export interface EndSessionsOptions {
  /** Also revoke the user's access and refresh tokens (`oauthTokens=true`). */
  readonly revokeTokens: boolean;
  /** Who ended them (default: the system principal). */
  readonly actor?: LogActor;
  readonly origin?: RequestOrigin;
  /** Shared by the `user.session.end` events and the caller's own events (System.Transaction.ID). */
  readonly transactionId?: string;
  /** Merged into each `user.session.end` event's debug data (part B adds `TraceId`, `ThreatSuspected`…). */
  readonly debugData?: Readonly<Record<string, unknown>>;
}

export class OktaOrg {
  /** The org URL, which is also the issuer of the org authorization server (no trailing slash). */
  readonly url: string;
  /** The org's identity provider id, the `idp` claim of its ID tokens. */
  readonly idpId: string;
  readonly scheduler: Scheduler;
  readonly ids: IdSource;
  readonly fetch: typeof fetch;
  readonly signingKey: SigningKey;
  readonly fleet: Fleet;
  readonly directory: Directory;
  readonly apps: Applications;
  readonly sessions: Sessions;
  readonly tokens: TokenStores;
  readonly systemLog: SystemLog;
  /** The lab admin the SSWS API token belongs to (an actor only: not one of the fleet's users). */
  readonly admin: LogActor;
  /** Identity Threat Protection's seam: risk changes out of the risk engine, into the ENTITY_RISK policy. */
  readonly itp = new ItpHub();
  /** Which of OKTA_DEVIATIONS are on right now (asked at the point each rule is followed). */
  readonly deviations: DeviationSwitch;

  constructor(options: OktaOrgOptions) {
    this.url = options.orgUrl;
    this.scheduler = options.scheduler;
    this.ids = options.ids;
    this.fetch = options.fetch;
    this.signingKey = options.signingKey;
    this.fleet = options.fleet;
    this.deviations = options.deviations ?? NO_DEVIATIONS;
    const now = (): number => this.scheduler.now();
    const host = new URL(this.url).hostname;
    this.idpId = oktaId('00o', `org:${this.url}:${options.fleet.seed}`);
    this.admin = {
      id: oktaId('00u', `admin:${this.url}:${options.fleet.seed}`),
      type: 'User',
      alternateId: `admin@${host}`,
      displayName: 'Lab Admin',
      detailEntry: null,
    };
    this.directory = new Directory(options.fleet, options.userPassword);
    this.apps = new Applications({ now, newId: (prefix) => this.newId(prefix), directory: this.directory });
    this.sessions = new Sessions(now);
    this.tokens = new TokenStores(now);
    this.systemLog = new SystemLog(now, options.ids, options.systemLogCap);
  }

  now(): number {
    return this.scheduler.now();
  }

  /** A new Okta id with `prefix` from the injected id source. */
  newId(prefix: string): string {
    return oktaId(prefix, `${prefix}:${this.ids()}`);
  }

  /** Appends a System Log event (see SystemLog.append). */
  log(input: LogEventInput): LogEvent {
    return this.systemLog.append(input);
  }

  /** The org's public keys (`/oauth2/v1/keys`). */
  keys(): JwkSet {
    return publicJwks(this.signingKey);
  }

  /** Signs a JWT with the org key (ID tokens, access tokens, part B's global-token-revocation JWTs). */
  async signJwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ ...header, alg: this.signingKey.alg, kid: this.signingKey.kid })
      .sign(this.signingKey.privateKey);
  }

  /**
   * Ends every Okta session of the user — one `user.session.end` per session, sharing a transaction id —
   * and with `revokeTokens` forgets the user's access and refresh tokens. Returns the ended sessions.
   */
  endSessions(userId: string, options: EndSessionsOptions): OktaSession[] {
    const ended = this.sessions.endAllForUser(userId);
    const user = this.directory.user(userId);
    const transactionId = options.transactionId ?? options.origin?.requestId;
    for (const session of ended) {
      this.log({
        eventType: 'user.session.end',
        ...(options.actor ? { actor: options.actor } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        target: user
          ? [
              {
                id: user.id,
                type: 'User',
                alternateId: user.profile.login,
                displayName: user.profile.displayName,
                detailEntry: null,
              },
            ]
          : [],
        authenticationContext: { externalSessionId: session.id, rootSessionId: session.id },
        debugData: { EndedSessionId: session.id, ...options.debugData },
        ...(transactionId ? { transaction: { id: transactionId } } : {}),
      });
    }
    if (options.revokeTokens) this.tokens.revokeForUser(userId);
    return ended;
  }
}
