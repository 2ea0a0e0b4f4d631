/**
 * Identity Threat Protection's risk engine: each user's entity risk level (`NONE` until a first detection),
 * the detections that set it, and the seam to the ENTITY_RISK policy (`org.itp`, itp-hub.ts).
 *
 * A detection — a security events provider's risk report (a SET, set-receiver.ts) or an admin's
 * `PUT /api/v1/users/{userId}/risk` — sets the user's level to the level it reports, up or down: help.okta.com
 * ("Security events provider reported risk") describes a provider restoring access by sending a new, lower
 * level. Every detection is logged as `user.risk.detect` with Okta's `Risk` map and a `TraceId`; a detection
 * that changes the level is published to the hub, after the receiver has answered, one at a time in arrival
 * order (`enqueue`, `reserve`), so one signal's chain (detection → policy → sessions → Universal Logout) is finished
 * before the next begins. A detection that changes the level is also logged as `user.risk.change` (previous
 * and new level), right after its `user.risk.detect`: the seed's policy runs "whenever a user's Entity Risk
 * Level is updated, such as during a user.risk.change event". A detection at the level the user already has
 * changes nothing, logs no `user.risk.change` and is not published: Okta's ITP event reference (developer.okta.com) describes the entity risk policy as evaluated
 * when a risk change event was generated for the entity. After a policy action the policy asks for a reset
 * (`org.itp.resetRisk`): the level drops to `LOW`, as help.okta.com ("Elevate or lower an entity risk
 * level") documents for Universal Logout — `NONE` with `resetLevel: 'NONE'` — logged as `user.risk.change`
 * by the system principal with the signal's `TraceId`, and not published (a reset is no detection).
 */
import { uuidFrom } from '../core/ids.ts';
import type { OktaOrg } from '../core/org.ts';
import { deviates } from '../deviations.ts';
import type { LogActor, LogTarget, RequestOrigin } from '../system-log/system-log.ts';
import type { DetectionType, RiskChange, UserRiskLevel } from './itp-hub.ts';

/** The levels a detection can report (a user's level is `NONE` only until the first one). */
export type DetectedLevel = Exclude<UserRiskLevel, 'NONE'>;

export interface RiskEngineOptions {
  /** The level a reset after a policy action leaves the user at (default `LOW`, as Okta documents). */
  readonly resetLevel?: 'LOW' | 'NONE';
  /** Detections and resets kept per user, oldest dropped first (default 100). */
  readonly historyCap?: number;
}

/** Okta's display names of the detections (the `detectionName` of the System Log's `Risk` map). */
export const DETECTION_NAMES: Readonly<Record<string, string>> = {
  SECURITY_EVENTS_PROVIDER_REPORTED_RISK: 'Security Events Provider Reported Risk',
  ADMIN_REPORTED_USER_RISK: 'Admin Reported User Risk',
};

/**
 * The level mapping: a provider's level (Okta's `device-risk-change` / `user-risk-change` enum, lower case)
 * as the detection's entity risk level. `high`, `medium`, `low` map to themselves. `secure` — a device with
 * no known threat — is `LOW`: Okta's "Security events provider reported risk" detection has only the levels
 * High, Medium and Low, and help.okta.com describes a healthy device being reported as "risk level is low",
 * which restores access. `none` — no assessment at all — is no detection (the event is logged as received
 * and changes nothing); so is any other value (the validator has refused those already).
 */
export function reportedUserRisk(level: unknown): DetectedLevel | undefined {
  switch (level) {
    case 'high':
      return 'HIGH';
    case 'medium':
      return 'MEDIUM';
    case 'low':
    case 'secure':
      return 'LOW';
    default:
      return undefined;
  }
}

/** The reason `PUT …/risk` records when the admin gives none (Okta's default). */
export const ADMIN_DEFAULT_REASON = 'override.by.admin';
/** The reason a reset after a policy action records (a lab choice; Okta publishes none). */
export const RESET_REASON = 'reset.after.policy.action';

/** Who reported a detection. */
export type RiskSource =
  | {
      readonly type: 'SecurityEventProvider';
      readonly id: string;
      readonly name: string;
      readonly issuer: string;
      readonly eventType: string;
      readonly jti: string;
      readonly deviceId?: string;
    }
  | { readonly type: 'Admin'; readonly id: string; readonly alternateId: string | null }
  | { readonly type: 'Policy' };

/** One entry of a user's risk history. */
export interface RiskRecord {
  readonly at: number;
  readonly kind: 'detection' | 'reset';
  /** The detection type; null for a reset. */
  readonly detection: DetectionType | null;
  readonly previous: UserRiskLevel;
  readonly current: UserRiskLevel;
  readonly reason: string | null;
  readonly traceId: string;
  readonly source: RiskSource;
}

export interface UserRisk {
  readonly level: UserRiskLevel;
  /** Null when the level is NONE. */
  readonly reason: string | null;
}

export interface DetectionInput {
  readonly userId: string;
  readonly level: DetectedLevel;
  readonly detection: DetectionType;
  readonly source: RiskSource;
  readonly traceId: string;
  readonly reason: string;
  /** The System Log actor: the provider or the admin. */
  readonly actor: LogActor;
  readonly origin?: RequestOrigin;
  /** Shared with the signal's other log events. */
  readonly transactionId?: string;
  /** The provider as the hub names it (absent for an admin). */
  readonly provider?: RiskChange['provider'];
}

export interface DetectionResult {
  readonly previous: UserRiskLevel;
  readonly current: UserRiskLevel;
  /** The change to publish, when the level changed. */
  readonly change?: RiskChange;
}

export interface RiskEngineStats {
  readonly detections: number;
  readonly changes: number;
  readonly resets: number;
  /** Queued work that threw (a bug, or a hub listener that failed outside the hub's own guard). */
  readonly failures: number;
}

interface UserState {
  level: UserRiskLevel;
  reason: string | null;
  readonly history: RiskRecord[];
}

/** A user as a System Log target. */
export function userTarget(user: {
  readonly id: string;
  readonly profile: { readonly login: string; readonly displayName: string };
}): LogTarget {
  return {
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: user.profile.displayName,
    detailEntry: null,
  };
}

/** Okta's `Risk` debug value: `{previousLevel=LOW, level=HIGH, detectionName=…, reasons=…, issuer=…}`. */
export function riskMap(entries: readonly (readonly [string, string | null])[]): string {
  return `{${entries
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

const engines = new WeakMap<OktaOrg, RiskEngine>();

/** The org's risk engine, when the ITP receiving plugin is installed (tests and the lab wait on `idle()`). */
export function riskEngineOf(org: OktaOrg): RiskEngine | undefined {
  return engines.get(org);
}

export class RiskEngine {
  readonly #org: OktaOrg;
  readonly #resetLevel: 'LOW' | 'NONE';
  readonly #historyCap: number;
  readonly #users = new Map<string, UserState>();
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;
  #stats = { detections: 0, changes: 0, resets: 0, failures: 0 };

  constructor(org: OktaOrg, options: RiskEngineOptions = {}) {
    const cap = options.historyCap ?? 100;
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError('historyCap must be a positive integer');
    this.#org = org;
    this.#resetLevel = options.resetLevel ?? 'LOW';
    this.#historyCap = cap;
    org.systemLog.define('user.risk.detect', { displayMessage: 'User risk detected', legacyEventType: null });
    org.systemLog.define('user.risk.change', {
      displayMessage: 'User risk level changed',
      legacyEventType: null,
    });
    org.itp.setResetter({ reset: (userId, traceId) => this.reset(userId, traceId) });
    engines.set(org, this);
  }

  get stats(): RiskEngineStats {
    return { ...this.#stats };
  }

  /** The user's current entity risk. */
  riskOf(userId: string): UserRisk {
    const state = this.#users.get(userId);
    return state ? { level: state.level, reason: state.reason } : { level: 'NONE', reason: null };
  }

  /** The user's detections and resets, oldest first (at most `historyCap`). */
  history(userId: string): readonly RiskRecord[] {
    return [...(this.#users.get(userId)?.history ?? [])];
  }

  /** A new trace id (a UUID from the org's id source). */
  newTraceId(): string {
    return uuidFrom(this.#org.ids());
  }

  #state(userId: string): UserState {
    let state = this.#users.get(userId);
    if (!state) {
      state = { level: 'NONE', reason: null, history: [] };
      this.#users.set(userId, state);
    }
    return state;
  }

  #remember(state: UserState, record: RiskRecord): void {
    state.history.push(record);
    if (state.history.length > this.#historyCap) state.history.shift();
  }

  /**
   * Records a detection: sets the level, logs `user.risk.detect`, and returns the change to publish when
   * the level changed. Synchronous, so the caller answers with the new level; publishing is the caller's
   * (`enqueue(() => org.itp.publish(change))`).
   */
  detect(input: DetectionInput): DetectionResult {
    const user = this.#org.directory.user(input.userId);
    if (!user || user.id !== input.userId) throw new RangeError(`no user with id ${input.userId}`);
    const state = this.#state(user.id);
    const previous = state.level;
    // okta-reads-high-as-medium breaks OKTA-ITP-RISK: a provider's HIGH report is recorded one level down.
    const current: UserRiskLevel =
      input.level === 'HIGH' &&
      input.source.type === 'SecurityEventProvider' &&
      deviates(this.#org, 'okta-reads-high-as-medium')
        ? 'MEDIUM'
        : input.level;
    const at = this.#org.now();
    state.level = current;
    state.reason = input.reason;
    this.#remember(state, {
      at,
      kind: 'detection',
      detection: input.detection,
      previous,
      current,
      reason: input.reason,
      traceId: input.traceId,
      source: input.source,
    });
    this.#stats.detections += 1;
    // The detection, and — when the level moved — the change, logged with the same actor, target,
    // transaction, TraceId and Risk map.
    const logged = (eventType: 'user.risk.detect' | 'user.risk.change'): void => {
      this.#org.log({
        eventType,
        actor: input.actor,
        target: [userTarget(user)],
        ...(input.origin ? { origin: input.origin } : {}),
        ...(input.transactionId ? { transaction: { id: input.transactionId } } : {}),
        debugData: {
          Risk: riskMap([
            ['previousLevel', previous],
            ['level', current],
            ['detectionName', DETECTION_NAMES[input.detection] ?? input.detection],
            ['reasons', input.reason],
            ['issuer', input.source.type === 'SecurityEventProvider' ? input.source.issuer : 'OKTA'],
          ]),
          TraceId: input.traceId,
        },
      });
    };
    logged('user.risk.detect');
    if (previous === current) return { previous, current };
    this.#stats.changes += 1;
    // The level moved, so Okta logs user.risk.change too, right after the detection and before the policy
    // runs: the seed's Entity Risk Policy runs "whenever a user's Entity Risk Level is updated, such as
    // during a user.risk.change event".
    logged('user.risk.change');
    const change: RiskChange = {
      userId: user.id,
      previous,
      current,
      detection: input.detection,
      traceId: input.traceId,
      at,
      ...(input.provider ? { provider: input.provider } : {}),
      reason: input.reason,
    };
    return { previous, current, change };
  }

  /**
   * The reset the policy asks for after an action: the level drops to the reset level, logged as
   * `user.risk.change` by the system principal with the signal's TraceId. Not published. An unknown user
   * or a user already at the reset level is left alone (nothing logged).
   */
  reset(userId: string, traceId: string): void {
    const user = this.#org.directory.user(userId);
    if (!user || user.id !== userId) return;
    const state = this.#state(user.id);
    const previous = state.level;
    const current = this.#resetLevel;
    if (previous === current) return;
    state.level = current;
    state.reason = current === 'NONE' ? null : RESET_REASON;
    this.#remember(state, {
      at: this.#org.now(),
      kind: 'reset',
      detection: null,
      previous,
      current,
      reason: state.reason,
      traceId,
      source: { type: 'Policy' },
    });
    this.#stats.resets += 1;
    this.#org.log({
      eventType: 'user.risk.change',
      target: [userTarget(user)],
      debugData: {
        Risk: riskMap([
          ['previousLevel', previous],
          ['level', current],
          ['reasons', RESET_REASON],
          ['issuer', 'OKTA'],
        ]),
        TraceId: traceId,
      },
    });
  }

  /**
   * Runs `task` after every task enqueued before it has finished, on a later turn of the event loop (after
   * the HTTP answer has gone out). A task that throws is counted, and the queue goes on.
   */
  enqueue(task: () => void | Promise<void>): void {
    this.#queued += 1;
    this.#tail = this.#tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .catch(() => {
        this.#stats.failures += 1;
      })
      .finally(() => {
        this.#queued -= 1;
      });
  }

  /**
   * Takes the next place in the queue now, for work whose content is known later (a SET whose signature is
   * still being checked): `fill(task)` runs it in that place, `fill(undefined)` gives the place up. Signals
   * are thus processed in the order they arrived, whatever order their checks finish in. Every reservation
   * must be filled, or the queue stops.
   */
  reserve(): { fill(task: (() => void | Promise<void>) | undefined): void } {
    let fill: (task: (() => void | Promise<void>) | undefined) => void = () => undefined;
    const ready = new Promise<(() => void | Promise<void>) | undefined>((resolve) => {
      fill = resolve;
    });
    this.enqueue(async () => {
      const task = await ready;
      if (task) await task();
    });
    return { fill };
  }

  /** Resolves when every queued signal has been processed and every published change handled. */
  async idle(): Promise<void> {
    for (;;) {
      await this.#tail;
      await this.#org.itp.idle();
      if (this.#queued === 0) return;
    }
  }
}
