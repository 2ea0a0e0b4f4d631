/**
 * The transport-independent heart of the reference Receiver: every SET, whether pushed (RFC 8935) or
 * polled (RFC 8936), goes through `SetIntake.accept`, which decides what the Receiver answers. It validates
 * the SET under a profile against the Transmitter's keys, issuer and the Receiver's audience (RFC8935-2),
 * judges a Verification event's `state` (SSF-8.1.4.1), recognises a repeat by `jti` so a SET is processed
 * once but a redelivery gets the same answer (RFC8935-2, RFC8936-2.4), discards events whose subject has a
 * critical member the Receiver cannot process (SSF-3.6), and hands accepted SETs to `onSet`
 * asynchronously, after the answer is decided: RFC 8935 §2 says to answer once the SET is validated and
 * persisted and to process it afterwards, so a slow or failing handler never changes the answer. When the
 * Receiver cannot judge a SET at all because the Transmitter's keys are unreachable, `accept` throws
 * `IntakeUnavailableError` instead of rejecting: that is a recoverable failure (RFC8935-2 lets the
 * Transmitter retry it), not a fault of the SET, and RFC8936-2.4 keeps `setErrs` for SETs that failed
 * parsing or validation.
 */
import { type Scheduler, systemScheduler } from '../../kernel/index.ts';
import {
  type CheckId,
  EVENT_URIS,
  eventType,
  type Finding,
  isJsonObject,
  isProfileName,
  type KeyLookup,
  type KeySource,
  makeFinding,
  type ProfileName,
  type PushErrorCode,
  pushErrorFor,
  validateSet,
} from '../../protocol/index.ts';
import { ReplayGuard, type ReplayGuardOptions } from './replay-guard.ts';
import type { VerificationStates } from './verification-states.ts';

/** The member names SSF 1.0 §3.3 defines for a complex subject: what this Receiver understands by default. */
export const COMPLEX_SUBJECT_MEMBERS: readonly string[] = Object.freeze([
  'user',
  'device',
  'session',
  'application',
  'tenant',
  'org_unit',
  'group',
]);

/**
 * Findings below failure level that this Receiver still refuses a SET for, by default. Each is a SHOULD a
 * receiver may choose to enforce, and a reference receiver does: a SET without "aud" does not identify
 * this Receiver as "an intended audience of the SET" (RFC 8935 §2), although RFC 8417 only RECOMMENDS the
 * claim; an "iat" beyond the clock skew is no issue time (RFC 7519 §4.1.6; LAB-IAT-NOT-FUTURE); and a
 * subject format that is neither registered nor SSF's is one this Receiver agreed with nobody (SSF §3.4),
 * so it could never tell whom the SET is about.
 */
export const DEFAULT_REFUSE_ALSO: readonly CheckId[] = Object.freeze([
  'claims-have-aud',
  'iat-is-not-in-future',
  'subject-format-is-registered',
]);

/** How many accepted SETs `processed` keeps unless told otherwise. */
export const DEFAULT_PROCESSED_LOG_SIZE = 10_000;

/** How a SET reached the Receiver. */
export type IntakeChannel = 'push' | 'poll';

/** An accepted SET, as handed to `onSet` and kept in the `processed` log. */
export interface ReceivedSet {
  readonly jti: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  /** The member names of `events`. */
  readonly eventTypes: readonly string[];
  readonly via: IntakeChannel;
  /** Scheduler time (ms since the epoch) when the SET was accepted. */
  readonly receivedAt: number;
  /** For SSF's own control events (verification, stream-updated): the stream named by `sub_id.id`. */
  readonly streamId?: string;
}

export type IntakeResult =
  | { readonly status: 'accepted'; readonly set: ReceivedSet }
  | { readonly status: 'duplicate'; readonly jti: string }
  | { readonly status: 'discarded'; readonly jti: string; readonly reason: string }
  | {
      readonly status: 'rejected';
      readonly err: PushErrorCode;
      readonly description: string;
      readonly findings: readonly Finding[];
    };

export interface IntakeStats {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly discarded: number;
  /** `onSet` calls that threw or rejected. */
  readonly handlerErrors: number;
}

export interface SetIntakeOptions {
  readonly profile: ProfileName;
  /** The Transmitter's keys (its `jwks_uri`, SSF-4.1.4). */
  readonly keys: KeySource;
  /** The Transmitter's Issuer: SET `iss` must be identical to it (SSF-4.1.6). */
  readonly expectedIssuer: string;
  /** This Receiver: SET `aud` must name it (RFC8935-2). */
  readonly expectedAudience: string | readonly string[];
  /** The stream this intake serves, when it serves one: control events must name it (SSF-8.1.4.1). */
  readonly expectedStreamId?: string;
  /** The states this Receiver asked for; without it a Verification event's `state` is not judged. */
  readonly verification?: VerificationStates;
  /**
   * The replay store: `iat` acceptance window and remembered `jti`s (replay-guard.ts). Give one store to
   * several intakes (e.g. one per provider of one org) so they share its memory; without it the intake
   * makes its own from `replayWindow`.
   */
  readonly replay?: ReplayGuard;
  /** The window and capacity of the intake's own store (defaults: 24 h past, 5 min future, 1,000,000 ids). */
  readonly replayWindow?: Omit<ReplayGuardOptions, 'now'>;
  /** The Transmitter's `critical_subject_members` metadata (SSF-3.6). */
  readonly criticalSubjectMembers?: readonly string[];
  /**
   * Validator checks whose findings refuse a SET although their level is below failure (default
   * DEFAULT_REFUSE_ALSO); `[]` refuses failures only.
   */
  readonly refuseAlso?: readonly CheckId[];
  /** Complex-subject members this Receiver can process (default: the seven of SSF 1.0 §3.3). */
  readonly understoodSubjectMembers?: readonly string[];
  /**
   * Findings this Receiver does not act on, asked per SET: a validation step switched off. Only a lab
   * deviation sets it (mock Okta told to accept a wrong audience, docs/self-test.md), so a plan can be
   * shown failing against a receiver that really skips the step; a real receiver leaves it out.
   */
  readonly overlook?: (
    finding: Finding,
    header: Readonly<Record<string, unknown>> | null,
    all: readonly Finding[],
  ) => boolean;
  /** The largest SET this Receiver reads, in bytes (default the validator's, 64 KiB); read per SET. */
  readonly maxTokenBytes?: number;
  /** Processes an accepted SET; called once per SET, after `accept` has returned. */
  readonly onSet?: (set: ReceivedSet) => void | Promise<void>;
  readonly scheduler?: Scheduler;
  /** How many accepted SETs `processed` keeps (default 10 000); the oldest go first. */
  readonly maxProcessedLog?: number;
}

/**
 * Thrown by `accept` when the SET cannot be judged right now (the Transmitter's JWKS cannot be fetched, or
 * the key source threw). A push answers it with 503 and a poll leaves the SET unacknowledged, so the
 * Transmitter delivers it again.
 */
export class IntakeUnavailableError extends Error {
  /** When known: how long until trying again makes sense (a push answers it as Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.name = 'IntakeUnavailableError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/**
 * The replay store is full of ids still inside their window: the SET is refused for now, not accepted
 * unremembered (which would let its replay through) — a push gets 503 with Retry-After, a poll leaves it
 * unacknowledged.
 */
export class IntakeFullError extends IntakeUnavailableError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { retryAfterSeconds });
    this.name = 'IntakeFullError';
  }
}

/**
 * A key source that never rejects: a lookup that throws becomes an `unavailable` answer, and the thrown
 * error is kept for `accept` to report. (A rejection inside the validator's parallel signature check
 * would otherwise surface as an unhandled rejection.)
 */
function guardedKeys(keys: KeySource): { source: KeySource; thrown: () => unknown } {
  let thrown: unknown;
  return {
    thrown: () => thrown,
    source: {
      description: keys.description,
      async keysFor(query): Promise<KeyLookup> {
        try {
          return await keys.keysFor(query);
        } catch (error) {
          thrown = error ?? new Error('the key source failed');
          return { ok: false, problem: 'unavailable', message: `${keys.description} failed` };
        }
      },
    },
  };
}

/** Escapes one JSON Pointer reference token (RFC 6901), e.g. an event type URI. */
function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Shortens attacker-controlled text before it goes into a message. */
function shorten(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** The stream id an SSF control event names (SSF-8.1.4.1, SSF-8.1.5: an opaque `sub_id`). */
function controlStreamId(claims: Record<string, unknown>, eventTypes: readonly string[]): string | undefined {
  if (!eventTypes.some((uri) => eventType(uri)?.control === true)) return undefined;
  const subId = claims.sub_id;
  return isJsonObject(subId) && subId.format === 'opaque' && typeof subId.id === 'string'
    ? subId.id
    : undefined;
}

/**
 * SSF-3.6: the name of a critical member the Receiver cannot process, with where it was found, or
 * undefined. Complex subjects are looked for in `sub_id` and in a legacy in-event `subject` (SSF-3.1.1).
 */
function unprocessableCriticalMember(
  claims: Record<string, unknown>,
  critical: ReadonlySet<string>,
  understood: ReadonlySet<string>,
): string | undefined {
  if (critical.size === 0) return undefined;
  const subjects: [string, unknown][] = [['"sub_id"', claims.sub_id]];
  if (isJsonObject(claims.events)) {
    for (const [uri, payload] of Object.entries(claims.events)) {
      if (isJsonObject(payload) && Object.hasOwn(payload, 'subject'))
        subjects.push([`the "subject" of ${uri}`, payload.subject]);
    }
  }
  for (const [where, subject] of subjects) {
    if (!isJsonObject(subject) || subject.format !== 'complex') continue;
    for (const name of Object.keys(subject)) {
      if (name !== 'format' && critical.has(name) && !understood.has(name)) {
        return `${where} has the critical member "${shorten(name)}", which this Receiver cannot process (SSF-3.6)`;
      }
    }
  }
  return undefined;
}

export class SetIntake {
  readonly #options: SetIntakeOptions;
  readonly #scheduler: Scheduler;
  readonly #replay: ReplayGuard;
  readonly #critical: ReadonlySet<string>;
  readonly #understood: ReadonlySet<string>;
  readonly #refuseAlso: ReadonlySet<string>;
  readonly #maxLog: number;
  readonly #processed: ReceivedSet[] = [];
  /** Index of the oldest entry once the log is full. */
  #oldest = 0;
  readonly #pending = new Set<Promise<void>>();
  #stats = { accepted: 0, duplicates: 0, rejected: 0, discarded: 0, handlerErrors: 0 };

  constructor(options: SetIntakeOptions) {
    if (!isProfileName(options.profile)) throw new RangeError(`unknown profile "${String(options.profile)}"`);
    const maxLog = options.maxProcessedLog ?? DEFAULT_PROCESSED_LOG_SIZE;
    if (!Number.isSafeInteger(maxLog) || maxLog < 0)
      throw new RangeError(`maxProcessedLog must be a non-negative integer, not ${String(maxLog)}`);
    this.#options = options;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#replay =
      options.replay ?? new ReplayGuard({ ...options.replayWindow, now: () => this.#scheduler.now() });
    this.#critical = new Set(options.criticalSubjectMembers ?? []);
    this.#understood = new Set(options.understoodSubjectMembers ?? COMPLEX_SUBJECT_MEMBERS);
    this.#refuseAlso = new Set(options.refuseAlso ?? DEFAULT_REFUSE_ALSO);
    this.#maxLog = maxLog;
  }

  /** Counts of every outcome so far. */
  get stats(): IntakeStats {
    return { ...this.#stats };
  }

  /** The most recently accepted SETs, oldest first (bounded by `maxProcessedLog`). */
  get processed(): readonly ReceivedSet[] {
    return [...this.#processed.slice(this.#oldest), ...this.#processed.slice(0, this.#oldest)];
  }

  /** Resolves once every `onSet` call started so far has settled (for tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /**
   * Decides the answer to one SET. Never throws for bad input; it throws `IntakeUnavailableError` only
   * when the Transmitter's keys cannot be obtained, which a transport answers as a temporary failure.
   */
  async accept(token: string, via: IntakeChannel): Promise<IntakeResult> {
    const o = this.#options;
    const keys = guardedKeys(o.keys);
    // RFC8935-2: parse, authenticate, check the audience and issuer — all before anything is remembered.
    const result = await validateSet(typeof token === 'string' ? token : '', {
      profile: o.profile,
      keys: keys.source,
      clock: this.#scheduler,
      expectedIssuer: o.expectedIssuer,
      expectedAudience: o.expectedAudience,
      ...(o.expectedStreamId === undefined ? {} : { expectedStreamId: o.expectedStreamId }),
      ...(o.maxTokenBytes === undefined ? {} : { maxTokenBytes: o.maxTokenBytes }),
    });
    const keysUnreachable = result.findings.find((f) => f.check === 'jwks-is-retrievable');
    // Without keys the signature is unjudged: the SET is answered by its other faults, if it has any.
    const judged = (keysUnreachable ? result.findings.filter((f) => f !== keysUnreachable) : result.findings)
      .filter((f) => o.overlook?.(f, result.header, result.findings) !== true)
      .map((f) =>
        f.level !== 'failure' && this.#refuseAlso.has(f.check) ? { ...f, level: 'failure' as const } : f,
      );
    const failure = pushErrorFor(judged);
    if (keysUnreachable && !failure) {
      // The SET may be perfectly good; only our view of the Transmitter's keys is missing.
      throw new IntakeUnavailableError(
        `the Transmitter's keys could not be obtained: ${keysUnreachable.message}`,
        {
          cause: keys.thrown(),
        },
      );
    }
    if (failure) return this.#reject(failure.err, failure.description, result.findings);
    const { header, payload: claims } = result;
    if (header === null || claims === null) {
      // Unreachable while the validator reports these as failures; kept so a gap there cannot crash us.
      return this.#reject('invalid_request', 'the SET could not be decoded', result.findings);
    }
    // Without a string "jti" only when `overlook` switched its check off (a lab deviation): such a SET is
    // taken as new each time, as a receiver that never reads "jti" would.
    const jti = typeof claims.jti === 'string' ? claims.jti : undefined;

    // From here on nothing awaits, so two concurrent deliveries of one jti cannot both be accepted.
    // The replay store judges "iat" against the acceptance window first: outside it a SET is refused
    // (a replay of an old SET included), inside it its jti is remembered until the window ends.
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    // A number unless a lab deviation switched the "iat" check off; then "now" stands in for it.
    const iat = typeof claims.iat === 'number' ? claims.iat : Math.floor(this.#scheduler.now() / 1000);
    let replay = jti === undefined ? undefined : this.#replay.inspect(iss, jti, iat);
    if (jti !== undefined && replay?.kind === 'outside-window') {
      // An iat ahead of the window is the validator's iat-is-not-in-future, taken further: a deviation
      // that overlooks that check (receiver-accepts-future-iat) overlooks this too.
      const ahead = iat > this.#scheduler.now() / 1000;
      const finding = makeFinding('iat-is-not-in-future', 'LAB-IAT-NOT-FUTURE', replay.description, {
        path: '/payload/iat',
        evidence: iat,
      });
      if (!(ahead && o.overlook?.(finding, header, [...result.findings, finding]) === true))
        return this.#reject('invalid_request', replay.description, result.findings);
      replay = this.#replay.inspect(iss, jti, iat, { window: false });
    }
    if (replay?.kind === 'full') throw new IntakeFullError(replay.description, replay.retryAfterSeconds);
    // RFC8935-2: a repeat is answered as if it were new, with no second side effect. It is recognised
    // before the state judgment: the first delivery consumed its state, and the repeat must not now be
    // answered invalid_state.
    if (jti !== undefined && replay?.kind === 'replay') {
      this.#stats.duplicates += 1;
      return { status: 'duplicate', jti };
    }

    const events = isJsonObject(claims.events) ? claims.events : {};
    const eventTypes = Object.keys(events);
    const streamId = controlStreamId(claims, eventTypes);

    const verification = events[EVENT_URIS.verification];
    if (o.verification && streamId !== undefined && verification !== undefined) {
      const state = isJsonObject(verification) ? verification.state : undefined;
      // SSF-8.1.4.1: a state other than the one requested is answered with invalid_state.
      if (o.verification.judge(streamId, state) === 'mismatch') {
        const finding = makeFinding(
          'verification-state-matches-expected',
          'SSF-8.1.4.2-STATE',
          `"state" is "${shorten(state)}", which is not a state this Receiver requested for stream "${shorten(streamId)}"`,
          {
            path: `/payload/events/${pointerToken(EVENT_URIS.verification)}/state`,
            evidence: shorten(state),
          },
        );
        const findings = [...result.findings, finding];
        const body = pushErrorFor(findings) ?? {
          err: 'invalid_state' as const,
          description: finding.message,
        };
        return this.#reject(body.err, body.description, findings);
      }
    }

    if (jti !== undefined) this.#replay.remember(iss, jti, iat);

    // SSF-3.6: discarding is not an error; the SET is answered like an accepted one.
    const problem = unprocessableCriticalMember(claims, this.#critical, this.#understood);
    if (problem !== undefined) {
      this.#stats.discarded += 1;
      return { status: 'discarded', jti: jti ?? '', reason: problem };
    }

    const set: ReceivedSet = {
      jti: jti ?? '',
      header,
      claims,
      eventTypes,
      via,
      receivedAt: this.#scheduler.now(),
      ...(streamId === undefined ? {} : { streamId }),
    };
    this.#record(set);
    this.#stats.accepted += 1;
    this.#dispatch(set);
    return { status: 'accepted', set };
  }

  #reject(err: PushErrorCode, description: string, findings: readonly Finding[]): IntakeResult {
    // A rejected SET is not remembered: a corrected redelivery with the same jti must be accepted.
    this.#stats.rejected += 1;
    return { status: 'rejected', err, description, findings };
  }

  #record(set: ReceivedSet): void {
    if (this.#maxLog === 0) return;
    // A ring: once full, the oldest entry is overwritten in place (no shifting of the whole log).
    if (this.#processed.length < this.#maxLog) this.#processed.push(set);
    else {
      this.#processed[this.#oldest] = set;
      this.#oldest = (this.#oldest + 1) % this.#maxLog;
    }
  }

  /** Runs `onSet` on a later turn of the event loop, after the answer has gone out (RFC8935-2). */
  #dispatch(set: ReceivedSet): void {
    const onSet = this.#options.onSet;
    if (onSet === undefined) return;
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => onSet(set))
      .then(
        () => undefined,
        () => {
          this.#stats.handlerErrors += 1;
        },
      );
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }
}
