/**
 * The reference SSF transmitter: streams, status, subjects, verification, push and poll delivery, and
 * the ledger of every SET it makes. It is transport-independent — `plugin.ts` maps HTTP onto it — so a
 * mock (Jamf Security Cloud) can also drive it directly: create a stream the way an admin would, emit
 * an event, pause a stream, rotate a key, and list what happened to each SET.
 */

import { KeyObject } from 'node:crypto';
import {
  type DeviationSwitch,
  type IdSource,
  NO_DEVIATIONS,
  randomIds,
  type Scheduler,
  systemScheduler,
  type Timer,
} from '../../kernel/index.ts';
import {
  buildSetClaims,
  type Delivery,
  EVENT_URIS,
  generateSigningKey,
  isJsonObject,
  type JwkSet,
  POLL_DELIVERY_METHOD,
  POLL_REQUEST_SCHEMA_ID,
  PUSH_DELIVERY_METHOD,
  type PushDelivery,
  publicJwks,
  type SigningKey,
  type StreamConfiguration,
  type StreamStatusValue,
  SUBJECT_ID_SCHEMA_ID,
  type SubjectPlacement,
  signRaw,
  signSet,
  TRANSMITTER_SUPPLIED_MEMBERS,
  type TransmitterMetadata,
  validateWithSchema,
} from '../../protocol/index.ts';
import { createHttpFetch } from '../http-fetch.ts';
import { Authenticator, type Principal, type ReceiverAccount } from './auth.ts';
import {
  DEVIANT_AUDIENCE,
  DEVIANT_ISSUER,
  DEVIANT_SUBJECT_FORMAT,
  type TransmitterDeviation,
} from './deviations.ts';
import { badRequest, notFound, SsfApiError } from './errors.ts';
import { DEFAULT_POLL, PollQueue, type PollSettings } from './poll-queue.ts';
import { PushWorker, type SendDecision } from './push-worker.ts';
import { SetLedger, type SetRecord, type SetState } from './records.ts';
import { DEFAULT_RETRY, type RetrySettings } from './retry-policy.ts';
import {
  type ConfigContext,
  createConfig,
  eventsDelivered,
  patchConfig,
  replaceConfig,
} from './stream-config.ts';
import { StreamSubjects, type Subject } from './subject-matching.ts';

export interface TransmitterOptions {
  /** The Issuer: SET `iss`, metadata `issuer`, and where the endpoints live (its path is their prefix). */
  readonly issuer: string;
  readonly signingKey: SigningKey;
  readonly eventsSupported: readonly string[];
  readonly receivers: readonly ReceiverAccount[];
  /** Run an RFC 6749 client-credentials token endpoint (and advertise `urn:ietf:rfc:6749`). */
  readonly oauth?: { readonly tokenTtlSeconds?: number };
  /** Delivery methods offered (default both). */
  readonly deliveryMethods?: readonly ('push' | 'poll')[];
  /** A second create for the same receiver makes a new stream (true, default) or answers 409 (false). */
  readonly multipleStreamsPerReceiver?: boolean;
  /**
   * What a new stream carries before any add or remove (SSF §7.1 `default_subjects`): every subject
   * (`ALL`, default) or none (`NONE`). `setDefaultSubjects` changes it for streams created afterwards.
   */
  readonly defaultSubjects?: 'ALL' | 'NONE';
  /** Seconds; verification requests faster than this get 429 (SSF §8.1.4.2). */
  readonly minVerificationIntervalSeconds?: number;
  /** Seconds without receiver activity before the transmitter pauses (or disables) a stream. */
  readonly inactivityTimeoutSeconds?: number;
  readonly inactivityAction?: 'paused' | 'disabled';
  /** Most events held for one paused stream (default 1000); past it the oldest are dropped. */
  readonly heldCap?: number;
  /** Most SET records kept in the ledger (default 10,000; see records.ts). */
  readonly ledgerCap?: number;
  /**
   * Most streams one receiver account (one token) may have at once (default DEFAULT_MAX_STREAMS_PER_RECEIVER,
   * 25); one more create is answered 409, the code SSF §8.1.1.1 gives a Transmitter that supports no more.
   */
  readonly maxStreamsPerReceiver?: number;
  readonly criticalSubjectMembers?: readonly string[];
  readonly retry?: Partial<RetrySettings>;
  /** Pushes in flight at once per stream (default 1, which keeps SETs strictly in order). */
  readonly pushConcurrency?: number;
  readonly poll?: Partial<PollSettings>;
  readonly scheduler?: Scheduler;
  readonly fetch?: typeof fetch;
  readonly ids?: IdSource;
  readonly random?: () => number;
  /** Rules to break on purpose (TRANSMITTER_DEVIATIONS), consulted as each SET is made and pushed. */
  readonly deviations?: DeviationSwitch;
}

/**
 * `transmitter-duplicate-member` breaks RFC8259-4 (member names SHOULD be unique): the event's
 * "event_timestamp" written twice, as a hand-rolled JSON writer might. Unchanged without one.
 */
function withDuplicateTimestamp(json: string): string {
  return json.replace(/"event_timestamp":(-?\d+)/, '"event_timestamp":$1,"event_timestamp":$1');
}

/**
 * `transmitter-proprietary-subject-format` leaves the registered formats (SSF-3.4: RFC 9493's, SSF's, or a
 * proprietary one the parties agreed on — which no validator can see, hence an info finding, not a
 * failure): each identifier renamed to DEVIANT_SUBJECT_FORMAT, its identifying value kept as "id", as a
 * transmitter that exports its internal ids might. A complex subject keeps "complex" (that format is
 * registered) and has every member renamed; Okta's in-event `{user, device}` has no format of its own, and
 * only its device is renamed — the user stays an email, so Okta still knows whom the event is about (Okta
 * documents the device as an opaque id, so its contract fails the renamed one too).
 */
function withProprietaryFormat(subject: Subject): Subject {
  const renamed = (identifier: Readonly<Record<string, unknown>>): Subject => {
    const value = Object.entries(identifier).find(([name]) => name !== 'format')?.[1];
    return { format: DEVIANT_SUBJECT_FORMAT, id: typeof value === 'string' ? value : JSON.stringify(value) };
  };
  if (subject.format === undefined)
    return isJsonObject(subject.device) ? { ...subject, device: renamed(subject.device) } : subject;
  if (subject.format !== 'complex') return renamed(subject);
  return Object.fromEntries(
    Object.entries(subject).map(([name, member]) => [
      name,
      name !== 'format' && isJsonObject(member) ? renamed(member) : member,
    ]),
  );
}

/** A SET of a stream waiting for its next push attempt, as the lab shows it. */
export interface RetryView {
  readonly jti: string;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Scheduler time (ms) of the next attempt. */
  readonly retryAt: number;
  /** The receiver's Retry-After in ms, as asked, when it sent one. */
  readonly retryAfterMs?: number;
  /** In words: what it waits for and until when, e.g. "waiting for Retry-After (capped at 300 s) until …". */
  readonly waiting: string;
}

export interface StreamView {
  readonly config: StreamConfiguration;
  readonly owner: string;
  readonly status: StreamStatusValue;
  readonly reason?: string;
  readonly subjectPlacement: SubjectPlacement;
  readonly held: number;
  /** SETs queued for a first attempt (push) or waiting to be polled. */
  readonly queued: number;
  /** Push SETs waiting to be retried: the stall a Retry-After or a backoff causes, in plain view. */
  readonly retrying: readonly RetryView[];
}

/** How many streams one receiver account may have unless `maxStreamsPerReceiver` says otherwise. */
export const DEFAULT_MAX_STREAMS_PER_RECEIVER = 25;

export interface EmitInput {
  readonly eventType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The subject: an RFC 9493/SSF identifier, or for `in-event` streams the shape the receiver expects. */
  readonly subject: Subject;
  /**
   * The SSF subject identifier the event is about, matched against each stream's subjects (SSF §8.1.3.1),
   * when `subject` is a receiver's own shape that is no identifier — Okta's format-less in-event
   * `{user, device}` — so a stream with `default_subjects: NONE` still gets it for a subject it added.
   * Default: `subject`.
   */
  readonly about?: Subject;
  readonly txn?: string;
  /** Only these streams (e.g. the streams that want this event in a given shape); default: all. */
  readonly streams?: readonly string[];
}

interface Stream {
  config: StreamConfiguration;
  readonly owner: string;
  status: StreamStatusValue;
  reason?: string;
  readonly subjects: StreamSubjects;
  readonly placement: SubjectPlacement;
  readonly held: SetRecord[];
  push: PushWorker | undefined;
  poll: PollQueue | undefined;
  lastVerificationAt?: number;
  inactivity?: Timer;
  /** `transmitter-delete-keeps-the-stream`: when the stream a DELETE answered 204 for really goes. */
  lateDelete?: Timer;
  deleted: boolean;
}

/** How long `transmitter-delete-keeps-the-stream` keeps a stream it answered a DELETE for. */
const LATE_DELETE_MS = 5000;

/** `transmitter-verify-429-without-interval`'s interval: enforced, never declared. */
const UNDECLARED_VERIFICATION_INTERVAL_SECONDS = 30;

/** The endpoint paths under the issuer's path (SSF leaves them to the transmitter; §13 item 24). */
export interface TransmitterPaths {
  readonly metadata: string;
  readonly jwks: string;
  readonly streams: string;
  readonly status: string;
  readonly addSubject: string;
  readonly removeSubject: string;
  readonly verify: string;
  readonly poll: string;
  readonly token: string;
}

export function transmitterPaths(issuer: string): TransmitterPaths {
  const base = new URL(issuer).pathname.replace(/\/+$/, '');
  return {
    // SSF §7.2.1: the well-known segment is inserted between host and path.
    metadata: `/.well-known/ssf-configuration${base}`,
    jwks: `${base}/ssf/jwks.json`,
    streams: `${base}/ssf/streams`,
    status: `${base}/ssf/status`,
    addSubject: `${base}/ssf/subjects/add`,
    removeSubject: `${base}/ssf/subjects/remove`,
    verify: `${base}/ssf/verify`,
    poll: `${base}/ssf/poll`,
    token: `${base}/oauth/token`,
  };
}

export class Transmitter {
  readonly issuer: string;
  readonly paths: TransmitterPaths;
  readonly ledger: SetLedger;
  readonly auth: Authenticator;
  readonly #opts: TransmitterOptions;
  readonly #scheduler: Scheduler;
  readonly #fetch: typeof fetch;
  readonly #ids: IdSource;
  readonly #random: () => number;
  readonly #retry: RetrySettings;
  readonly #poll: PollSettings;
  readonly #streams = new Map<string, Stream>();
  readonly #deviations: DeviationSwitch;
  /** `transmitter-unpublished-key`'s key: made once, on first use, never published. */
  #unpublishedKey: Promise<SigningKey> | undefined;
  /** Stream-updated events sent before a transmitter-initiated pause/disable: they go out regardless. */
  readonly #control = new WeakSet<SetRecord>();
  #keys: SigningKey[];
  #defaultSubjects: 'ALL' | 'NONE';
  #closed = false;

  constructor(options: TransmitterOptions) {
    this.#opts = options;
    this.issuer = options.issuer;
    this.paths = transmitterPaths(options.issuer);
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#deviations = options.deviations ?? NO_DEVIATIONS;
    // Pushes go out through node:http keep-alive connections unless the caller supplies a fetch.
    this.#fetch = options.fetch ?? createHttpFetch();
    this.#ids = options.ids ?? randomIds;
    this.#random = options.random ?? Math.random;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#poll = { ...DEFAULT_POLL, ...options.poll };
    this.#keys = [options.signingKey];
    this.#defaultSubjects = options.defaultSubjects ?? 'ALL';
    this.ledger = new SetLedger(options.ledgerCap);
    this.auth = new Authenticator(
      options.receivers,
      () => this.#scheduler.now(),
      options.oauth?.tokenTtlSeconds,
      this.#deviations,
    );
  }

  /** Whether this transmitter breaks `name`'s rule on purpose now (the HTTP mapping asks too). */
  deviates(name: TransmitterDeviation): boolean {
    return this.#deviations.on(name);
  }

  #url(path: string): string {
    return new URL(path, this.issuer).href;
  }

  get #deliveryMethods(): string[] {
    const kinds = this.#opts.deliveryMethods ?? ['push', 'poll'];
    return kinds.map((k) => (k === 'push' ? PUSH_DELIVERY_METHOD : POLL_DELIVERY_METHOD));
  }

  /** SSF §7.1 Transmitter Configuration Metadata. Arrays are never empty (§7.2.3). */
  metadata(): TransmitterMetadata {
    const critical = this.#opts.criticalSubjectMembers ?? [];
    const deviates = (name: TransmitterDeviation): boolean => this.deviates(name);
    // SSF-7.1-ENDPOINTS (deviation): the management endpoints lose their TLS scheme.
    const endpoint = (path: string): string =>
      deviates('transmitter-metadata-http-endpoints')
        ? this.#url(path).replace(/^https:/, 'http:')
        : this.#url(path);
    const defaultSubjects = this.#defaultSubjects;
    return {
      spec_version: '1_0',
      // SSF-7.2.4 (deviation): an issuer one slash away from the Issuer it was fetched for.
      issuer: deviates('transmitter-metadata-issuer-trailing-slash')
        ? this.issuer.endsWith('/')
          ? this.issuer.replace(/\/+$/, '')
          : `${this.issuer}/`
        : this.issuer,
      jwks_uri: this.#url(this.paths.jwks),
      // SSF-7.1-DELIVERY (deviation): the methods by name, not by URI.
      delivery_methods_supported: deviates('transmitter-delivery-methods-as-names')
        ? (this.#opts.deliveryMethods ?? ['push', 'poll'])
        : this.#deliveryMethods,
      configuration_endpoint: endpoint(this.paths.streams),
      // SSF-8-API (deviation): the status endpoint answers but is not published.
      ...(deviates('transmitter-metadata-no-status-endpoint')
        ? {}
        : { status_endpoint: endpoint(this.paths.status) }),
      add_subject_endpoint: endpoint(this.paths.addSubject),
      remove_subject_endpoint: endpoint(this.paths.removeSubject),
      verification_endpoint: endpoint(this.paths.verify),
      // SSF-7.1.1 (deviation): an empty array where the member should be omitted.
      ...(critical.length > 0 || deviates('transmitter-metadata-empty-array')
        ? { critical_subject_members: [...critical] }
        : {}),
      // OAuth 2.0 (RFC 6749) when the token endpoint runs; otherwise static RFC 6750 bearer tokens.
      authorization_schemes: [{ spec_urn: this.#opts.oauth ? 'urn:ietf:rfc:6749' : 'urn:ietf:rfc:6750' }],
      // SSF-7.1-DEFAULT-SUBJECTS (deviation): the enum value in the wrong case.
      default_subjects: deviates('transmitter-metadata-default-subjects-lowercase')
        ? (defaultSubjects.toLowerCase() as 'ALL')
        : defaultSubjects,
    };
  }

  /** What a stream created now carries before any add or remove (SSF §7.1 `default_subjects`). */
  get defaultSubjects(): 'ALL' | 'NONE' {
    return this.#defaultSubjects;
  }

  /**
   * Changes `default_subjects` in the metadata and for the streams created from now on; a stream keeps
   * the mode it was created with (SSF §7.1 speaks of newly created streams), so its receiver's adds and
   * removes keep their meaning.
   */
  setDefaultSubjects(mode: 'ALL' | 'NONE'): void {
    if (mode !== 'ALL' && mode !== 'NONE') throw new TypeError(`default subjects must be ALL or NONE`);
    this.#defaultSubjects = mode;
  }

  /** The public keys: the active one first, then keys kept for SETs still in flight after a rotation. */
  jwks(): JwkSet {
    const jwks = publicJwks(...this.#keys);
    if (!this.deviates('transmitter-leaks-private-key')) return jwks;
    // SSF-7.1-JWKS (deviation): the private key's members published beside the public ones — the classic
    // mistake of serialising the whole key pair.
    return {
      keys: jwks.keys.map((jwk, i) => {
        const key = this.#keys[i] as SigningKey;
        return { ...KeyObject.from(key.privateKey).export({ format: 'jwk' }), ...jwk };
      }),
    };
  }

  /** Signs new SETs with `key`; the old key stays published until `retireKey` (receivers can still verify). */
  rotateKey(key: SigningKey): void {
    this.#keys = [key, ...this.#keys.filter((k) => k.kid !== key.kid)];
  }

  retireKey(kid: string): void {
    if (this.#keys[0]?.kid === kid) throw new TypeError('cannot retire the active signing key; rotate first');
    this.#keys = this.#keys.filter((k) => k.kid !== kid);
  }

  /** Adds a receiver account (a transmitter's admin configuring a new receiver, e.g. an Okta org). */
  addReceiver(account: ReceiverAccount): void {
    this.auth.addReceiver(account);
  }

  #contextFor(receiver: ReceiverAccount): ConfigContext {
    return {
      // SSF-7.2.4 (deviation): the stream's "iss" is the origin, the Issuer's path lost.
      issuer: this.deviates('transmitter-stream-iss-is-the-origin')
        ? new URL(this.issuer).origin
        : this.issuer,
      audience: receiver.audience,
      eventsSupported: this.#opts.eventsSupported,
      deliveryMethods: this.#deliveryMethods,
      pollEndpoint: (id) => this.#url(`${this.paths.poll}/${encodeURIComponent(id)}`),
      ...(this.#opts.minVerificationIntervalSeconds === undefined
        ? {}
        : { minVerificationInterval: this.#opts.minVerificationIntervalSeconds }),
      ...(this.#inactivitySeconds(receiver) === undefined
        ? {}
        : { inactivityTimeout: this.#inactivitySeconds(receiver) as number }),
    };
  }

  // ---- streams --------------------------------------------------------------------------------------

  #view(s: Stream): StreamView {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const capSeconds = Math.round(this.#retry.maxRetryAfterMs / 1000);
    return {
      config: s.config,
      owner: s.owner,
      status: s.status,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      subjectPlacement: s.placement,
      held: s.held.length,
      queued: (s.push?.queued ?? 0) + (s.poll?.size ?? 0),
      retrying: (s.push?.retrying() ?? []).map((w) => ({
        jti: w.record.jti,
        attempts: w.record.attempts.length,
        retryAt: w.at,
        ...(w.retryAfterMs === undefined ? {} : { retryAfterMs: w.retryAfterMs }),
        waiting:
          w.retryAfterMs === undefined
            ? `backing off until ${iso(w.at)}`
            : `waiting for Retry-After (${Math.round(w.retryAfterMs / 1000)} s${
                w.capped ? `, capped at ${capSeconds} s` : ''
              }) until ${iso(w.at)}`,
      })),
    };
  }

  /** Every live stream (the lab's view; receivers see only their own through the API). */
  streams(): StreamView[] {
    return [...this.#streams.values()].map((s) => this.#view(s));
  }

  stream(streamId: string): StreamView | undefined {
    const s = this.#streams.get(streamId);
    return s ? this.#view(s) : undefined;
  }

  #owned(principal: Principal, streamId: unknown): Stream {
    if (typeof streamId !== 'string' || streamId === '') throw badRequest('stream_id is required');
    const stream = this.#streams.get(streamId);
    // SSF-8-AUTH (deviation): the owner is never compared, so any receiver reaches any stream.
    const mine =
      stream?.owner === principal.receiver.id || this.deviates('transmitter-shows-other-receivers-streams');
    // SSF §8: another receiver's stream looks exactly like one that does not exist.
    if (!stream || !mine) {
      // SSF-8.1.1.2 and its siblings (deviation): "not yours" answered as 403, not as 404.
      if (this.deviates('transmitter-unknown-stream-is-403'))
        throw new SsfApiError(403, 'forbidden', `stream "${streamId}" is not one of this receiver's streams`);
      throw notFound(`no stream "${streamId}" for this receiver`);
    }
    this.#touch(stream);
    return stream;
  }

  /** Stream configuration, bent by the deviations that get `events_delivered` wrong. */
  #deliveredDeviation(config: StreamConfiguration): StreamConfiguration {
    // SSF-8.1.1.1-EVENTS (deviation): everything supported is delivered, requested or not.
    if (!this.deviates('transmitter-delivers-unrequested-events')) return config;
    return { ...config, events_delivered: [...this.#opts.eventsSupported] };
  }

  /**
   * Creates a stream for `receiverId` (SSF §8.1.1.1). Also the programmatic path a mock uses to set up a
   * stream the way its admin console would, including how the SET carries its subject.
   */
  createStream(
    receiverId: string,
    body: unknown,
    options: { subjectPlacement?: SubjectPlacement } = {},
  ): StreamConfiguration {
    const receiver = this.auth.receiver(receiverId);
    if (!receiver) throw new TypeError(`unknown receiver "${receiverId}"`);
    if (
      this.#opts.multipleStreamsPerReceiver === false &&
      [...this.#streams.values()].some((s) => s.owner === receiverId)
    ) {
      throw new SsfApiError(
        409,
        'conflict',
        'this transmitter supports one stream per receiver; read and update the existing one',
      );
    }
    const most = this.#opts.maxStreamsPerReceiver ?? DEFAULT_MAX_STREAMS_PER_RECEIVER;
    let mine = 0;
    for (const s of this.#streams.values()) if (s.owner === receiverId) mine += 1;
    if (mine >= most) {
      // SSF-8.1.1.1: 409 is the code for a Transmitter that supports no more streams for this Receiver.
      throw new SsfApiError(
        409,
        'conflict',
        `this receiver already has ${mine} streams, the most this transmitter supports per receiver (${most}); delete one or update an existing one`,
      );
    }
    // SSF-8.1.1.1 (deviation): a create without delivery is refused rather than made a poll stream.
    if (this.deviates('transmitter-requires-delivery') && isJsonObject(body) && body.delivery === undefined)
      throw badRequest('delivery is required');
    const streamId = this.#ids().replaceAll(/[^A-Za-z0-9\-._~]/g, '');
    const config = this.#deliveredDeviation(createConfig(body, streamId, this.#contextFor(receiver)));
    const stream: Stream = {
      config,
      owner: receiverId,
      status: 'enabled',
      subjects: new StreamSubjects(this.#defaultSubjects),
      placement: options.subjectPlacement ?? 'sub_id',
      held: [],
      push: undefined,
      poll: undefined,
      deleted: false,
    };
    this.#attachDelivery(stream);
    this.#streams.set(streamId, stream);
    this.#touch(stream);
    // SSF-8.1.4.2-UNSOLICITED (deviation): a "welcome" verification carrying a state nobody asked for.
    if (this.deviates('transmitter-unsolicited-verification-with-state') && stream.push)
      void this.sendVerification(streamId, `welcome-${this.#ids()}`);
    return config;
  }

  #attachDelivery(stream: Stream): void {
    const method = stream.config.delivery.method;
    if (method === PUSH_DELIVERY_METHOD && !stream.push) {
      // Switching from poll to push: what the receiver has not acked moves to the push queue.
      const moving = stream.poll?.drain() ?? [];
      stream.poll = undefined;
      stream.push = this.#newPushWorker(stream);
      for (const r of moving) this.#enqueueDelivery(stream, r);
    } else if (method === POLL_DELIVERY_METHOD && !stream.poll) {
      // Waiting retries and in-flight pushes move too (an in-flight one is aborted), so none is stranded.
      const moving = stream.push?.withdraw(() => false, 'delivery-method-changed') ?? [];
      stream.push?.stop();
      stream.push = undefined;
      stream.poll = new PollQueue(this.ledger, this.#scheduler, this.#poll);
      for (const r of moving) stream.poll.enqueue(r);
    }
  }

  #newPushWorker(stream: Stream): PushWorker {
    return new PushWorker({
      scheduler: this.#scheduler,
      fetch: this.#fetch,
      ledger: this.ledger,
      settings: this.#retry,
      random: this.#random,
      target: () => {
        const d = stream.config.delivery as PushDelivery;
        return {
          endpointUrl: d.endpoint_url,
          ...(d.authorization_header === undefined ? {} : { authorizationHeader: d.authorization_header }),
        };
      },
      decide: (record) => this.#decide(stream, record),
      maxInFlight: this.#opts.pushConcurrency ?? 1,
      hold: (record) => this.#hold(stream, record),
      drop: (record) => this.#drop(record, stream.deleted ? 'stream-deleted' : 'stream-disabled'),
      deviations: this.#deviations,
    });
  }

  readStreams(principal: Principal): StreamConfiguration[] {
    return [...this.#streams.values()].filter((s) => s.owner === principal.receiver.id).map((s) => s.config);
  }

  readStream(principal: Principal, streamId: unknown): StreamConfiguration {
    return this.#owned(principal, streamId).config;
  }

  updateStream(principal: Principal, body: unknown, mode: 'patch' | 'replace'): StreamConfiguration {
    const stream = this.#owned(principal, isJsonObject(body) ? body.stream_id : undefined);
    const ctx = this.#contextFor(this.auth.receiver(stream.owner) ?? principal.receiver);
    // SSF-8.1.1.4 (deviation): a PUT merged as a PATCH.
    const patching = mode === 'patch' || this.deviates('transmitter-put-keeps-omitted-members');
    stream.config = this.#deliveredDeviation(
      patching ? this.#patch(body, stream.config, ctx) : replaceConfig(body, stream.config, ctx),
    );
    this.#attachDelivery(stream);
    return stream.config;
  }

  /** patchConfig, bent by the PATCH deviations. */
  #patch(body: unknown, current: StreamConfiguration, ctx: ConfigContext): StreamConfiguration {
    if (!isJsonObject(body)) return patchConfig(body, current, ctx);
    // SSF-8.1.1.3 (deviation): transmitter-supplied members are copied from the body, not checked.
    const overwrite = this.deviates('transmitter-patch-overwrites-transmitter-members');
    const given: Record<string, unknown> = {};
    const rest: Record<string, unknown> = { ...body };
    if (overwrite)
      for (const member of TRANSMITTER_SUPPLIED_MEMBERS)
        if (member !== 'stream_id' && Object.hasOwn(body, member)) {
          given[member] = body[member];
          delete rest[member];
        }
    const next: Record<string, unknown> = { ...patchConfig(rest, current, ctx), ...given };
    // SSF-8.1.1.3 (deviation): what the PATCH omits is deleted, as a PUT would.
    if (this.deviates('transmitter-patch-clears-omitted-members')) {
      if (!Object.hasOwn(body, 'events_requested')) {
        delete next.events_requested;
        next.events_delivered = eventsDelivered(ctx.eventsSupported, undefined);
      }
      if (!Object.hasOwn(body, 'description')) delete next.description;
    }
    return next as unknown as StreamConfiguration;
  }

  deleteStream(principal: Principal, streamId: unknown): void {
    const stream = this.#owned(principal, streamId);
    if (!this.deviates('transmitter-delete-keeps-the-stream')) {
      this.#remove(stream);
      return;
    }
    // SSF-8.1.1.2 (deviation): a deletion done later, out of band — the stream stops delivering at once
    // but is read back, as if never deleted, until it really goes.
    this.#applyStatus(stream, 'disabled', 'deleting');
    stream.lateDelete ??= this.#scheduler.setTimer(LATE_DELETE_MS, () => {
      if (!stream.deleted) this.#remove(stream);
    });
  }

  /** Removes a stream as the transmitter's admin would (no receiver credentials involved). */
  removeStream(streamId: string): void {
    const stream = this.#streams.get(streamId);
    if (!stream) throw new TypeError(`no stream "${streamId}"`);
    this.#remove(stream);
  }

  #remove(stream: Stream): void {
    stream.deleted = true;
    stream.inactivity?.cancel();
    stream.lateDelete?.cancel();
    this.#streams.delete(stream.config.stream_id);
    // Queued, held, waiting for a retry or in flight (the request is aborted): all of it is dropped now,
    // and a push answer that comes back after this cannot move it again (records.ts).
    const left = [
      ...stream.held.splice(0),
      ...(stream.push?.withdraw(() => false, 'stream-deleted') ?? []),
      ...(stream.poll?.drain() ?? []),
    ];
    stream.push?.stop();
    for (const r of left) this.#drop(r, 'stream-deleted');
  }

  /**
   * Drops every SET not yet delivered, on every stream — held, queued, waiting for a retry, in flight
   * (aborted) or handed out by poll and not acked — recording `reason` (e.g. `lab-stopped`), so a
   * transmitter that goes away leaves no SET in a non-terminal state. Returns how many were dropped.
   */
  dropAllHeld(reason: string): number {
    let dropped = 0;
    for (const stream of this.#streams.values()) {
      const left = [
        ...stream.held.splice(0),
        ...(stream.push?.withdraw(() => false, reason) ?? []),
        ...(stream.poll?.drain() ?? []),
      ];
      for (const r of left) if (this.#drop(r, reason)) dropped += 1;
    }
    return dropped;
  }

  // ---- status ---------------------------------------------------------------------------------------

  readStatus(
    principal: Principal,
    streamId: unknown,
  ): { stream_id: string; status: StreamStatusValue; reason?: string } {
    const s = this.#owned(principal, streamId);
    return {
      stream_id: s.config.stream_id,
      status: s.status,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
    };
  }

  updateStatusFromReceiver(
    principal: Principal,
    body: unknown,
  ): { stream_id: string; status: StreamStatusValue; reason?: string } {
    if (!isJsonObject(body)) throw badRequest('the status body must be a JSON object');
    const stream = this.#owned(principal, body.stream_id);
    const status = body.status;
    if (status !== 'enabled' && status !== 'paused' && status !== 'disabled') {
      throw badRequest('status must be "enabled", "paused" or "disabled"');
    }
    if (body.reason !== undefined && typeof body.reason !== 'string')
      throw badRequest('reason must be a string');
    this.#applyStatus(stream, status, body.reason as string | undefined);
    return this.readStatus(principal, stream.config.stream_id);
  }

  /**
   * A status change the transmitter makes on its own (SSF §8.1.5): the stream-updated event goes out
   * before it pauses or disables the stream, and when it re-enables it.
   */
  async setStatus(streamId: string, status: StreamStatusValue, reason?: string): Promise<void> {
    const stream = this.#streams.get(streamId);
    if (!stream) throw new TypeError(`no stream "${streamId}"`);
    if (stream.status === status) return;
    const payload = { status, ...(reason === undefined ? {} : { reason }) };
    const announce = async (): Promise<void> => {
      // SSF-8.1.5-ON-CHANGE (deviation): the change is made, and nobody is told.
      if (this.deviates('transmitter-silent-status-change')) return;
      const record = await this.#mint(
        stream,
        EVENT_URIS.streamUpdated,
        payload,
        // SSF-8.1.5 (deviation): the event names the receiver, not the stream.
        this.deviates('transmitter-stream-updated-names-the-audience')
          ? this.#audienceSubject(stream)
          : this.#streamSubject(stream),
      );
      // It goes out whatever the status, ahead of anything queued or held.
      this.#control.add(record);
      this.#deliverFirst(stream, record);
    };
    if (status === 'enabled') {
      // Announced first, then the held events follow it.
      await announce();
      this.#applyStatus(stream, status, reason);
    } else {
      // Stop at once, so nothing else slips out; the announcement still goes out first.
      this.#applyStatus(stream, status, reason);
      await announce();
    }
  }

  #applyStatus(stream: Stream, status: StreamStatusValue, reason: string | undefined): void {
    const was = stream.status;
    stream.status = status;
    if (reason === undefined) delete stream.reason;
    else stream.reason = reason;
    // SSF-8.1.2-DISABLED (deviation): a disabled stream is an enabled one; nothing waiting is dropped.
    if (status === 'disabled' && !this.deviates('transmitter-disabled-stream-delivers')) {
      // SSF §8.1.2: a disabled stream neither sends nor holds; what was waiting is dropped (and recorded).
      // That includes a SET waiting for a retry or in flight (its request is aborted).
      const keep = (r: SetRecord): boolean => this.#control.has(r);
      const dropped = [
        // SSF-8.1.2-DISABLED-HELD (deviation): what a paused stream held survives the disable.
        ...(this.deviates('transmitter-keeps-held-events-when-disabled') ? [] : stream.held.splice(0)),
        ...(stream.push?.withdraw(keep, 'stream-disabled') ?? []),
        ...(stream.poll?.purge(keep, true) ?? []),
      ];
      for (const r of dropped) this.#drop(r, 'stream-disabled');
    }
    if (status === 'enabled' && was !== 'enabled') {
      // Held events go out in the order they were made (SSF §8.1.2.1: per-subject order kept).
      for (const r of stream.held.splice(0)) this.#enqueueDelivery(stream, r);
      stream.push?.kick();
    }
    stream.poll?.release();
  }

  // ---- subjects -------------------------------------------------------------------------------------

  #subjectRequest(principal: Principal, body: unknown): { stream: Stream; subject: Subject } {
    if (!isJsonObject(body)) throw badRequest('the body must be a JSON object');
    const stream = this.#owned(principal, body.stream_id);
    const check = validateWithSchema(SUBJECT_ID_SCHEMA_ID, body.subject, 'subject');
    const first = check.errors[0];
    if (first) throw badRequest(`subject: ${first.message}`);
    return { stream, subject: body.subject as Subject };
  }

  addSubject(principal: Principal, body: unknown): void {
    const { stream, subject } = this.#subjectRequest(principal, body);
    if (isJsonObject(body) && body.verified !== undefined && typeof body.verified !== 'boolean') {
      throw badRequest('verified must be a boolean');
    }
    stream.subjects.add(subject);
  }

  removeSubject(principal: Principal, body: unknown): void {
    const { stream, subject } = this.#subjectRequest(principal, body);
    stream.subjects.remove(subject);
  }

  // ---- verification ---------------------------------------------------------------------------------

  async requestVerification(principal: Principal, body: unknown): Promise<void> {
    if (!isJsonObject(body)) throw badRequest('the verification body must be a JSON object');
    const stream = this.#owned(principal, body.stream_id);
    if (body.state !== undefined && typeof body.state !== 'string')
      throw badRequest('state must be a string');
    // SSF-8.1.4.2-RATE (deviation): a rate limit the stream's min_verification_interval never declares.
    const interval =
      this.#opts.minVerificationIntervalSeconds ??
      (this.deviates('transmitter-verify-429-without-interval')
        ? UNDECLARED_VERIFICATION_INTERVAL_SECONDS
        : undefined);
    const now = this.#scheduler.now();
    if (interval !== undefined && stream.lastVerificationAt !== undefined) {
      const waitMs = stream.lastVerificationAt + interval * 1000 - now;
      if (waitMs > 0) {
        throw new SsfApiError(429, 'too_many_requests', `verification is limited to one per ${interval} s`, {
          'retry-after': String(Math.ceil(waitMs / 1000)),
        });
      }
    }
    // SSF is silent on verifying a disabled stream; it can never deliver, so say so instead of a 204.
    if (stream.status === 'disabled' && !this.deviates('transmitter-disabled-stream-delivers'))
      throw badRequest('the stream is disabled; enable it before verifying');
    stream.lastVerificationAt = now;
    await this.sendVerification(stream.config.stream_id, body.state as string | undefined);
  }

  /** Sends a verification event; without `state` it is an unsolicited one (SSF §8.1.4.1). */
  async sendVerification(streamId: string, state?: string): Promise<SetRecord> {
    const stream = this.#streams.get(streamId);
    if (!stream) throw new TypeError(`no stream "${streamId}"`);
    const record = await this.#mint(
      stream,
      EVENT_URIS.verification,
      // SSF-8.1.4.2-STATE (deviation): the state asked for is not echoed.
      state === undefined || this.deviates('transmitter-verification-drops-state') ? {} : { state },
      // SSF-8.1.4.1 (deviation): the event names the receiver, not the stream.
      this.deviates('transmitter-verification-names-the-audience')
        ? this.#audienceSubject(stream)
        : this.#streamSubject(stream),
    );
    this.#route(stream, record);
    return record;
  }

  // ---- poll -----------------------------------------------------------------------------------------

  async poll(
    principal: Principal,
    streamId: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<{ sets: Record<string, string>; moreAvailable: boolean }> {
    const stream = this.#owned(principal, streamId);
    const queue = stream.poll;
    if (!queue) throw badRequest('this stream delivers by push, not poll');
    const check = validateWithSchema(POLL_REQUEST_SCHEMA_ID, body, 'the poll request');
    const first = check.errors[0];
    if (first) throw badRequest(first.message);
    const request = body as {
      maxEvents?: number;
      returnImmediately?: boolean;
      ack?: string[];
      setErrs?: Record<string, { err: string; description: string }>;
    };
    // RFC8936-2.5 (deviation): acknowledgements are thrown away, and everything queued is handed out again.
    const forgetful = this.deviates('transmitter-poll-ignores-acks');
    if (!forgetful) for (const jti of request.ack ?? []) queue.ack(jti);
    for (const [jti, e] of Object.entries(request.setErrs ?? {})) queue.reject(jti, e.err, e.description);
    const max = request.maxEvents ?? this.#poll.maxEventsPerResponse;
    // An acknowledge-only request (RFC 8936 §2.4, maxEvents 0) has nothing to wait for: answer at once.
    if (max === 0) return { sets: {}, moreAvailable: queue.hasMore((r) => this.#pollable(stream, r)) };
    const sendable = (r: SetRecord): boolean => this.#pollable(stream, r);
    let taken = queue.take(max, sendable, forgetful);
    if (taken.length === 0 && request.returnImmediately !== true) {
      await queue.wait(this.#poll.maxWaitMs, signal);
      if (stream.deleted || signal?.aborted) return { sets: {}, moreAvailable: false };
      taken = queue.take(max, sendable, forgetful);
    }
    this.#touch(stream);
    return {
      sets: Object.fromEntries(taken.map((r) => [r.jti, r.token])),
      moreAvailable: queue.hasMore(sendable, forgetful),
    };
  }

  #pollable(stream: Stream, record: SetRecord): boolean {
    return this.#sends(stream) || this.#control.has(record);
  }

  /** Whether the stream's status lets events out: enabled — or what a status deviation treats as such. */
  #sends(stream: Stream): boolean {
    if (stream.status === 'enabled') return true;
    // SSF-8.1.2-PAUSED-SILENT (deviation): paused changes nothing.
    if (stream.status === 'paused') return this.deviates('transmitter-paused-stream-keeps-sending');
    // SSF-8.1.2-DISABLED (deviation): disabled changes nothing.
    return this.deviates('transmitter-disabled-stream-delivers');
  }

  // ---- events ---------------------------------------------------------------------------------------

  /**
   * Emits an event to every stream that delivers its type and carries its subject (SSF §8.1.3.1); one SET
   * per stream, each with that stream's `aud`. Returns the records, one per stream.
   */
  async emit(input: EmitInput): Promise<SetRecord[]> {
    const out: SetRecord[] = [];
    const about = input.about ?? input.subject;
    for (const stream of this.#streams.values()) {
      if (input.streams !== undefined && !input.streams.includes(stream.config.stream_id)) continue;
      if (!stream.config.events_delivered.includes(input.eventType) || !stream.subjects.includes(about))
        continue;
      const record = await this.#mint(stream, input.eventType, input.payload, input.subject, input.txn);
      this.#route(stream, record);
      out.push(record);
    }
    return out;
  }

  #streamSubject(stream: Stream): Subject {
    // SSF §8.1.4.1 and §8.1.5: control events name the stream itself.
    return { format: 'opaque', id: stream.config.stream_id };
  }

  /** What the `…-names-the-audience` deviations put in a control event: the receiver, not the stream. */
  #audienceSubject(stream: Stream): Subject {
    const aud = stream.config.aud;
    return { format: 'opaque', id: typeof aud === 'string' ? aud : (aud[0] ?? '') };
  }

  async #mint(
    stream: Stream,
    eventType: string,
    payload: Readonly<Record<string, unknown>>,
    subject: Subject,
    txn?: string,
  ): Promise<SetRecord> {
    const control = eventType === EVENT_URIS.verification || eventType === EVENT_URIS.streamUpdated;
    // Control events always carry sub_id (they are SSF's own types); others follow the stream's placement.
    const placement: SubjectPlacement = control ? 'sub_id' : stream.placement;
    const deviate = this.#deviations;
    // SSF-3.4 (deviation): the event's subject in a format nobody registered. Control events keep
    // the stream's opaque id: their subject is SSF's own rule (§8.1.4.1, §8.1.5), not this one's.
    const named =
      !control && deviate.on('transmitter-proprietary-subject-format')
        ? withProprietaryFormat(subject)
        : subject;
    const event = placement === 'sub_id' ? { ...payload } : { ...payload, subject: named };
    const claims: Record<string, unknown> = buildSetClaims(
      {
        iss: deviate.on('transmitter-wrong-iss') ? DEVIANT_ISSUER : this.issuer,
        aud: deviate.on('transmitter-wrong-aud') ? DEVIANT_AUDIENCE : stream.config.aud,
        events: { [eventType]: event },
        ...(placement === 'in-event' ? {} : { sub_id: named as never }),
        ...(deviate.on('transmitter-no-txn') ? {} : { txn: txn ?? this.#ids() }),
      },
      { clock: this.#scheduler, ids: this.#ids },
    );
    if (deviate.on('transmitter-sub-claim')) claims.sub = stream.config.stream_id;
    if (deviate.on('transmitter-exp-claim')) claims.exp = (claims.iat as number) + 300;
    if (deviate.on('transmitter-iat-as-string'))
      claims.iat = new Date((claims.iat as number) * 1000).toISOString();
    const key = this.#keys[0] as SigningKey;
    const token = deviate.on('transmitter-duplicate-member')
      ? await signRaw(
          JSON.stringify({ alg: key.alg, typ: 'secevent+jwt', kid: key.kid }),
          withDuplicateTimestamp(JSON.stringify(claims)),
          key,
        )
      : await signSet(
          claims,
          deviate.on('transmitter-unpublished-key') ? await this.#unpublished(key) : key,
          deviate.on('transmitter-typ-jwt') ? { header: { typ: 'JWT' } } : {},
        );
    const now = this.#scheduler.now();
    const record: SetRecord = {
      jti: claims.jti as string,
      streamId: stream.config.stream_id,
      eventType,
      createdAt: now,
      token,
      state: 'queued',
      attempts: [],
      updatedAt: now,
    };
    this.ledger.add(record);
    return record;
  }

  /** A key of the published key's algorithm that signs under the published kid: a forgery, as a receiver sees it. */
  #unpublished(published: SigningKey): Promise<SigningKey> {
    this.#unpublishedKey ??= generateSigningKey(published.alg, { kid: published.kid }).then((g) => g.key);
    return this.#unpublishedKey;
  }

  #route(stream: Stream, record: SetRecord): void {
    if (stream.deleted) this.#drop(record, 'stream-deleted');
    else if (this.#sends(stream)) this.#enqueueDelivery(stream, record);
    else if (stream.status === 'paused') this.#hold(stream, record);
    else this.#drop(record, 'stream-disabled');
  }

  #enqueueDelivery(stream: Stream, record: SetRecord): void {
    this.ledger.transition(record, 'queued', this.#scheduler.now());
    if (stream.push) stream.push.enqueue(record);
    else stream.poll?.enqueue(record);
  }

  /** Control events go ahead of what is queued: "before it stops" (SSF §8.1.5). */
  #deliverFirst(stream: Stream, record: SetRecord): void {
    this.ledger.transition(record, 'queued', this.#scheduler.now());
    if (stream.push) stream.push.enqueue(record, true);
    else stream.poll?.enqueue(record);
  }

  #decide(stream: Stream, record: SetRecord): SendDecision {
    if (stream.deleted) return 'drop';
    if (this.#control.has(record) || this.#sends(stream)) return 'send';
    return stream.status === 'paused' ? 'hold' : 'drop';
  }

  #hold(stream: Stream, record: SetRecord): void {
    // SSF-8.1.2-PAUSED (deviation): nothing is held for later; a paused stream loses its events.
    if (this.deviates('transmitter-paused-stream-drops-events')) {
      this.#drop(record, 'stream-paused: deviation transmitter-paused-stream-drops-events');
      return;
    }
    stream.held.push(record);
    this.ledger.transition(record, 'held', this.#scheduler.now());
    const cap = this.#opts.heldCap ?? 1000;
    while (stream.held.length > cap) {
      const oldest = stream.held.shift();
      if (oldest) this.#drop(oldest, `held-cap: more than ${cap} events held while paused`);
    }
  }

  /** Drops `record` with `reason`; false when it had already reached a terminal state. */
  #drop(record: SetRecord, reason: string): boolean {
    return this.ledger.transition(record, 'dropped', this.#scheduler.now(), reason);
  }

  // ---- inactivity -----------------------------------------------------------------------------------

  #inactivitySeconds(receiver: ReceiverAccount | undefined): number | undefined {
    return receiver?.inactivityTimeoutSeconds ?? this.#opts.inactivityTimeoutSeconds;
  }

  /** SSF §8.1.1: eligible receiver activity restarts the inactivity timer. */
  #touch(stream: Stream): void {
    const seconds = this.#inactivitySeconds(this.auth.receiver(stream.owner));
    if (seconds === undefined || this.#closed) return;
    stream.inactivity?.cancel();
    stream.inactivity = this.#scheduler.setTimer(seconds * 1000, () => {
      if (stream.deleted || stream.status !== 'enabled') return;
      void this.setStatus(
        stream.config.stream_id,
        this.#opts.inactivityAction ?? 'paused',
        'receiver inactive',
      );
    });
  }

  // ---- lab view -------------------------------------------------------------------------------------

  records(filter: { state?: SetState; streamId?: string } = {}): SetRecord[] {
    return this.ledger.list(filter);
  }

  /** Stops timers and workers; pending SETs stay in the ledger as they are. */
  close(): void {
    this.#closed = true;
    for (const stream of this.#streams.values()) {
      stream.inactivity?.cancel();
      stream.lateDelete?.cancel();
      stream.push?.stop();
      stream.poll?.release();
    }
  }

  /** For tests and the lab: the delivery settings in force. */
  get settings(): { retry: RetrySettings; poll: PollSettings } {
    return { retry: this.#retry, poll: this.#poll };
  }
}

export type { Delivery };
