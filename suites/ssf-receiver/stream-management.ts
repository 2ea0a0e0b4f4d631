/**
 * The `stream-management` module: receivers that manage their own stream, as the OIDF receiver plan
 * grades them. The harness serves the reference transmitter (metadata, JWKS, management API, push and
 * poll delivery) and waits for the receiver — configured with the harness issuer and a bearer token — to
 * create its stream, request a verification and (when expected) delete the stream. Right after the create
 * the harness sends a Verification event of its own, without `state` (SSF §8.1.4.2 allows one at any
 * time), and records whether the receiver took it. The run captures plain data; the checks are pure.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { systemScheduler } from '../../harness/kernel/index.ts';
import { EVENT_URIS, importSigningKey } from '../../harness/protocol/index.ts';
import {
  type SetRecord,
  type StreamView,
  ssfTransmitterPlugin,
  Transmitter,
  type TransmitterPaths,
} from '../../harness/ssf/index.ts';
import {
  defineCheck,
  defineModule,
  expectThat,
  HOLDS,
  type Problem,
  problem,
  SkipModule,
  type SuiteContext,
  skip,
  type Verdict,
} from '../core/index.ts';
import { eventsOf, type SsfReceiverOptions, type StreamAction } from './options.ts';

/** The one receiver account the harness transmitter knows: the receiver under test. */
const RECEIVER_ID = 'receiver-under-test';
export const DEFAULT_WAIT_MS = 120_000;
export const DEFAULT_EXPECT: readonly StreamAction[] = ['create', 'verify'];
export const DEFAULT_ISSUER_PATH = '/ssf-transmitter';
/** How often the transmitter's state is looked at while waiting. */
const LOOK_EVERY_MS = 100;

export type ManagementOperation =
  | 'metadata'
  | 'jwks'
  | 'token'
  | 'create'
  | 'read'
  | 'update'
  | 'replace'
  | 'delete'
  | 'read-status'
  | 'update-status'
  | 'add-subject'
  | 'remove-subject'
  | 'verify'
  | 'poll'
  | 'other';

/** One request the receiver made at the harness transmitter. */
export interface ManagementCall {
  readonly operation: ManagementOperation;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Milliseconds after the transmitter came up. */
  readonly atMs: number;
}

/** What became of one Verification event the harness sent on the receiver's stream. */
export interface VerificationOutcome {
  readonly jti: string;
  /** The `state` the event carried (a solicited one echoes the receiver's). */
  readonly state?: string;
  /** The ledger state when waiting ended: delivered (push 2xx), acked (poll), dead-lettered, dropped, … */
  readonly outcome: string;
  readonly reason?: string;
  /** The receiver's answers to each push of it (status 0: no answer). */
  readonly answers: readonly { readonly status: number; readonly err?: string; readonly error?: string }[];
}

export interface StreamSeen {
  readonly streamId: string;
  readonly deliveryMethod: string;
  readonly endpointUrl?: string;
  readonly eventsDelivered: readonly string[];
  readonly deleted: boolean;
}

export interface StreamManagementCapture {
  readonly issuer: string;
  readonly expected: readonly StreamAction[];
  readonly waitedMs: number;
  /** Every request the receiver made at the harness transmitter, in order. */
  readonly calls: readonly ManagementCall[];
  /** The first stream the receiver created. */
  readonly stream?: StreamSeen;
  /** The Verification event the harness sent unasked right after the create. */
  readonly unsolicited?: VerificationOutcome;
  /** The Verification events that followed the receiver's own requests. */
  readonly solicited: readonly VerificationOutcome[];
  /**
   * A Verification event whose "state" the receiver never asked for, sent on its stream as its first
   * verification request came in — before the answer to that request, so the receiver sees it before it
   * has what it waits for.
   */
  readonly wrongState?: VerificationOutcome;
}

const PUSH_METHOD = 'urn:ietf:rfc:8935';
const TERMINAL = new Set(['delivered', 'acked', 'dead-lettered', 'dropped']);

// ---- checks -------------------------------------------------------------------------------------------

/** Push: answered 202 (what RFC 8935 and the OIDF suite require, not any 2xx); poll: acknowledged. */
export function accepted(v: VerificationOutcome, deliveryMethod: string): boolean {
  return deliveryMethod === PUSH_METHOD ? v.answers.some((a) => a.status === 202) : v.outcome === 'acked';
}

function describeOutcome(v: VerificationOutcome, deliveryMethod: string): string {
  const answers = v.answers.map((a) =>
    a.status === 0
      ? `no answer (${a.error ?? 'network error'})`
      : `HTTP ${a.status}${a.err ? ` "${a.err}"` : ''}`,
  );
  const said = answers.length === 0 ? 'it was never pushed' : `the receiver answered ${answers.join(', ')}`;
  if (deliveryMethod !== PUSH_METHOD)
    return v.outcome === 'dead-lettered'
      ? `the receiver reported an error for it in setErrs (${v.reason ?? 'no reason'})`
      : `the receiver never acknowledged it (it was ${v.outcome} when waiting ended)`;
  if (v.outcome === 'dropped') return `${said}; it was dropped (${v.reason ?? 'no reason'})`;
  if (!TERMINAL.has(v.outcome)) return `${said}; it was still ${v.outcome} when waiting ended`;
  return said;
}

function verificationVerdict(
  v: VerificationOutcome,
  method: string,
  what: string,
  evidence: Record<string, unknown> = {},
): readonly Problem[] {
  return expectThat(
    accepted(v, method),
    `the ${what} Verification event was not accepted: ${describeOutcome(v, method)}`,
    {
      jti: v.jti,
      outcome: v.outcome,
      answers: v.answers,
      ...evidence,
    },
  );
}

export const createsItsStream = defineCheck<StreamManagementCapture>({
  id: 'receiver-creates-its-stream',
  title: "The receiver creates its stream at the harness transmitter's configuration endpoint.",
  requirement: 'SSF-8.1.1.1-RX-CREATE',
  evaluate({ stream, expected, calls, issuer, waitedMs }) {
    if (stream !== undefined) return HOLDS;
    if (!expected.includes('create')) return skip('the receiver created no stream, and none was expected');
    if (calls.length === 0)
      return [
        problem(
          `the receiver made no request at the harness transmitter within ${waitedMs} ms (is it configured with the issuer ${issuer}?)`,
        ),
      ];
    const creates = calls.filter((c) => c.operation === 'create');
    return [
      problem(
        creates.length === 0
          ? `the receiver called the harness transmitter (${[...new Set(calls.map((c) => c.operation))].join(', ')}) but created no stream within ${waitedMs} ms`
          : `the receiver's stream creation was refused (HTTP ${creates.map((c) => c.status).join(', ')})`,
        { calls },
      ),
    ];
  },
});

export const acceptsUnsolicitedVerification = defineCheck<StreamManagementCapture>({
  id: 'receiver-accepts-unsolicited-verification',
  title:
    'A Verification event without "state", sent unasked right after the stream is created, is accepted (202 to the push, or acknowledged when polling).',
  requirement: 'SSF-8.1.4-ACCEPT',
  evaluate({ stream, unsolicited }) {
    if (stream === undefined) return skip('the receiver created no stream');
    if (unsolicited === undefined)
      return skip('the stream was gone before a Verification event could be sent');
    return verificationVerdict(unsolicited, stream.deliveryMethod, 'unsolicited');
  },
});

export const requestsVerification = defineCheck<StreamManagementCapture>({
  id: 'receiver-requests-verification',
  title:
    "The receiver requests a verification of its stream at the harness transmitter's verification endpoint.",
  requirement: 'LAB-RX-VERIFY-REQUEST',
  evaluate({ stream, calls, expected, waitedMs }) {
    if (stream === undefined) return skip('the receiver created no stream');
    const verifies = calls.filter((c) => c.operation === 'verify');
    if (verifies.some((c) => c.status === 204)) return HOLDS;
    if (verifies.length > 0)
      return [
        problem(
          `the receiver's verification requests were refused (HTTP ${verifies.map((c) => c.status).join(', ')})`,
          { calls: verifies },
        ),
      ];
    if (!expected.includes('verify'))
      return skip('the receiver requested no verification, and none was expected');
    return [problem(`the receiver requested no verification within ${waitedMs} ms of waiting`)];
  },
});

export const acceptsSolicitedVerification = defineCheck<StreamManagementCapture>({
  id: 'receiver-accepts-solicited-verification',
  title:
    'The Verification event that follows the receiver\'s own request, echoing its "state", is accepted (202 to the push, or acknowledged when polling).',
  requirement: 'SSF-8.1.4-ACCEPT',
  evaluate({ stream, solicited }): Verdict {
    if (stream === undefined) return skip('the receiver created no stream');
    if (solicited.length === 0) return skip('the receiver requested no verification');
    return solicited.flatMap((v) =>
      verificationVerdict(
        v,
        stream.deliveryMethod,
        'solicited',
        v.state === undefined ? {} : { state: v.state },
      ),
    );
  },
});

export const deletesItsStream = defineCheck<StreamManagementCapture>({
  id: 'receiver-deletes-its-stream',
  title: 'The receiver deletes its stream at the harness transmitter when it is expected to.',
  requirement: 'LAB-RX-STREAM-DELETE',
  evaluate({ stream, expected, calls, waitedMs }) {
    if (stream === undefined) return skip('the receiver created no stream');
    if (stream.deleted) return HOLDS;
    if (!expected.includes('delete'))
      return skip('the receiver kept its stream, and deleting it was not expected');
    const deletes = calls.filter((c) => c.operation === 'delete' && c.status !== 204);
    return [
      problem(
        deletes.length === 0
          ? `the receiver did not delete its stream within ${waitedMs} ms of waiting`
          : `the receiver's deletion was refused (HTTP ${deletes.map((c) => c.status).join(', ')})`,
        deletes.length === 0 ? undefined : { calls: deletes },
      ),
    ];
  },
});

/**
 * SSF-8.1.4.1: a Verification event whose "state" is not one the receiver asked for SHOULD be answered with
 * "invalid_state". Only a receiver that manages its stream holds states of its own, so the case is pushed
 * on that stream (by push) or offered on it (by poll, where a refusal is a setErr instead of an ack).
 */
export const refusesWrongState = defineCheck<StreamManagementCapture>({
  id: 'receiver-refuses-wrong-state',
  title:
    'A Verification event whose "state" the receiver never asked for is refused with "invalid_state" (400 to the push, or a setErr when polling).',
  requirement: 'SSF-8.1.4.1-STATE',
  evaluate({ stream, wrongState }): Verdict {
    if (stream === undefined) return skip('the receiver created no stream');
    if (wrongState === undefined) return skip('the receiver requested no verification, so it holds no state');
    const answered = wrongState.answers.filter((a) => a.status !== 0);
    if (stream.deliveryMethod === PUSH_METHOD && answered.length === 0)
      return skip(
        `the Verification event with a wrong state was never answered: ${describeOutcome(wrongState, stream.deliveryMethod)}`,
      );
    if (accepted(wrongState, stream.deliveryMethod))
      return [
        problem(
          `the receiver took a Verification event whose state "${wrongState.state ?? ''}" it never asked for: ${describeOutcome(wrongState, stream.deliveryMethod)}`,
          { jti: wrongState.jti },
        ),
      ];
    // A poll receiver's setErr is kept as the record's reason.
    const errs = wrongState.answers.flatMap((a) => (a.err === undefined ? [] : [a.err]));
    return expectThat(
      errs.includes('invalid_state') || (wrongState.reason?.includes('invalid_state') ?? false),
      `the receiver refused the Verification event with a wrong state but not with "invalid_state": ${describeOutcome(wrongState, stream.deliveryMethod)}`,
      { jti: wrongState.jti },
    );
  },
});

export const STREAM_MANAGEMENT_CHECKS = [
  createsItsStream,
  acceptsUnsolicitedVerification,
  requestsVerification,
  acceptsSolicitedVerification,
  refusesWrongState,
  deletesItsStream,
] as const;

// ---- run ----------------------------------------------------------------------------------------------

/** Names a request by the endpoint it hit. */
export function operationOf(paths: TransmitterPaths, method: string, path: string): ManagementOperation {
  const m = method.toUpperCase();
  if (path === paths.metadata) return 'metadata';
  if (path === paths.jwks) return 'jwks';
  if (path === paths.token) return 'token';
  if (path === paths.streams) {
    const byMethod: Record<string, ManagementOperation> = {
      POST: 'create',
      GET: 'read',
      PATCH: 'update',
      PUT: 'replace',
      DELETE: 'delete',
    };
    return byMethod[m] ?? 'other';
  }
  if (path === paths.status) return m === 'POST' ? 'update-status' : 'read-status';
  if (path === paths.addSubject) return 'add-subject';
  if (path === paths.removeSubject) return 'remove-subject';
  if (path === paths.verify) return 'verify';
  if (path.startsWith(`${paths.poll}/`)) return 'poll';
  return 'other';
}

const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'];

function withoutHopByHop(headers: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.includes(name.toLowerCase())) continue;
    if (typeof value === 'string' || Array.isArray(value)) out[name] = value as string | string[];
    else if (typeof value === 'number') out[name] = String(value);
  }
  return out;
}

/**
 * The served app. The transmitter's routes and documents derive from its issuer, which is the served URL
 * — known only once `ctx.serve` returns, and fastify takes no routes after it listens. So the served app
 * forwards every request to an inner app built afterwards (503 until then). Each call is reported once
 * its answer has gone out, with the answer's JSON, so what follows a create comes after the 201.
 */
function forwardingApp(
  inner: () => { app: FastifyInstance; paths: TransmitterPaths } | undefined,
  since: () => number,
  answered: (call: ManagementCall, json: unknown) => Promise<void>,
  arriving: (operation: ManagementCall['operation']) => Promise<void>,
): FastifyInstance {
  const app = Fastify();
  const pending = new WeakMap<object, { call: ManagementCall; json: unknown }>();
  // Bodies pass through untouched: the transmitter parses and judges them itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  app.all('/*', async (request, reply) => {
    const target = inner();
    if (target === undefined) return reply.code(503).header('retry-after', '1').send();
    const path = request.url.split('?', 1)[0] ?? request.url;
    await arriving(operationOf(target.paths, request.method, path));
    const response = await target.app.inject({
      method: request.method as NonNullable<InjectOptions['method']>,
      url: request.url,
      headers: withoutHopByHop(request.headers),
      ...(Buffer.isBuffer(request.body) ? { payload: request.body } : {}),
    });
    let json: unknown;
    try {
      json = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      json = undefined;
    }
    pending.set(request, {
      call: {
        operation: operationOf(target.paths, request.method, path),
        method: request.method,
        path,
        status: response.statusCode,
        atMs: since(),
      },
      json,
    });
    return reply
      .code(response.statusCode)
      .headers(withoutHopByHop(response.headers))
      .send(response.rawPayload);
  });
  app.addHook('onResponse', async (request) => {
    const done = pending.get(request);
    if (done !== undefined) await answered(done.call, done.json);
  });
  return app;
}

function stateOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      events?: Record<string, { state?: unknown }>;
    };
    const state = claims.events?.[EVENT_URIS.verification]?.state;
    return typeof state === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

function outcomeOf(record: SetRecord): VerificationOutcome {
  const state = stateOf(record.token);
  return {
    jti: record.jti,
    ...(state === undefined ? {} : { state }),
    outcome: record.state,
    ...(record.reason === undefined ? {} : { reason: record.reason }),
    answers: record.attempts.map((a) => ({
      status: a.status,
      ...(a.err === undefined ? {} : { err: a.err }),
      ...(a.error === undefined ? {} : { error: a.error }),
    })),
  };
}

/** The plain facts of a stream, as of now (it may be updated or deleted later). */
function seenOf(view: StreamView): Omit<StreamSeen, 'deleted'> {
  const delivery = view.config.delivery as { method: string; endpoint_url?: string };
  return {
    streamId: view.config.stream_id,
    deliveryMethod: delivery.method,
    ...(delivery.endpoint_url === undefined ? {} : { endpointUrl: delivery.endpoint_url }),
    eventsDelivered: [...view.config.events_delivered],
  };
}

/** Serves the harness transmitter and watches the receiver manage its stream there. */
export async function watchStreamManagement(
  ctx: SuiteContext,
  options: SsfReceiverOptions,
): Promise<StreamManagementCapture> {
  const sm = options.streamManagement;
  if (sm === undefined)
    throw new SkipModule('no streamManagement configured: the receiver manages no stream at the harness');
  if (
    !ctx.intend('serve a transmitter for the receiver and push Verification events to the stream it creates')
  )
    throw new SkipModule('dry run: would serve a transmitter and push Verification events');
  const expected = sm.expect ?? DEFAULT_EXPECT;
  const waitMs = sm.waitMs ?? DEFAULT_WAIT_MS;
  const signingKey = await importSigningKey(options.privateJwk);

  const calls: ManagementCall[] = [];
  let upAt = ctx.now();
  let inner: { app: FastifyInstance; paths: TransmitterPaths } | undefined;
  let transmitter: Transmitter | undefined;
  let streamId: string | undefined;
  let last: Omit<StreamSeen, 'deleted'> | undefined;
  let unsolicitedJti: string | undefined;
  let wrongStateJti: string | undefined;
  /** The first stream the receiver created: noted, and sent a Verification event of the harness's own. */
  const created = async (tx: Transmitter, id: string): Promise<void> => {
    const view = tx.stream(id);
    if (streamId !== undefined || view === undefined) return;
    streamId = id;
    last = seenOf(view);
    ctx.progress(`the receiver created stream ${id}; sending it an unsolicited Verification event`);
    try {
      unsolicitedJti = (await tx.sendVerification(id)).jti;
    } catch {
      // The stream was deleted in between: the check says so.
    }
  };
  const served = await ctx.serve(
    'ssf-receiver-transmitter',
    forwardingApp(
      () => inner,
      () => ctx.now() - upAt,
      async (call, json) => {
        calls.push(call);
        // "Right after create", as the OIDF suite does it: once the 201 is out, before anything else.
        const id = (json as { stream_id?: unknown } | undefined)?.stream_id;
        if (call.operation === 'create' && call.status === 201 && typeof id === 'string' && transmitter)
          await created(transmitter, id);
      },
      async (operation) => {
        // SSF-8.1.4.1: once the receiver asks for a verification it holds a state to compare with, so a
        // Verification event carrying another one is sent first, ahead of the answer to its request.
        if (operation !== 'verify' || wrongStateJti !== undefined || streamId === undefined || !transmitter)
          return;
        try {
          wrongStateJti = (
            await transmitter.sendVerification(streamId, `ssf-lab-never-asked-${randomUUID()}`)
          ).jti;
          ctx.progress(
            'the receiver asked for a verification; sending first one with a state it never asked for',
          );
        } catch {
          // The stream was deleted in between: the check says so.
        }
      },
    ),
  );
  const issuer = `${served.url.replace(/\/+$/, '')}${sm.issuerPath ?? DEFAULT_ISSUER_PATH}`;
  const tx = new Transmitter({
    issuer,
    signingKey,
    eventsSupported: eventsOf(options),
    receivers: [{ id: RECEIVER_ID, audience: options.audience, tokens: [sm.token] }],
    // The OIDF mock's rule: one stream per receiver, a second create is 409.
    multipleStreamsPerReceiver: false,
    scheduler: systemScheduler,
    // Pushes go through the context, so they are in the module's timeline.
    fetch: ctx.fetch,
  });
  transmitter = tx;
  const app = Fastify();
  await app.register(ssfTransmitterPlugin, { transmitter: tx });
  await app.ready();
  ctx.defer('stop serving the harness transmitter', async () => {
    tx.close();
    await served.detach();
    await app.close();
  });
  inner = { app, paths: tx.paths };
  upAt = ctx.now();
  ctx.progress(
    `the harness transmitter is up: configure the receiver with the issuer ${issuer} and the streamManagement token; waiting up to ${Math.round(waitMs / 1000)} s for it to ${expected.join(', ')}`,
  );

  let deleted = false;
  const verifications = (): SetRecord[] =>
    streamId === undefined
      ? []
      : tx.records({ streamId }).filter((r) => r.eventType === EVENT_URIS.verification);
  for (;;) {
    // Looked for here too, in case the hook missed the create (the answer never reached the receiver).
    const mine = tx.streams().find((s) => s.owner === RECEIVER_ID);
    if (streamId === undefined && mine !== undefined) await created(tx, mine.config.stream_id);
    if (streamId !== undefined) {
      const view = tx.stream(streamId);
      if (view === undefined) deleted = true;
      else last = seenOf(view);
    }
    const records = verifications();
    const seen: Record<StreamAction, boolean> = {
      create: streamId !== undefined,
      verify: records.some((r) => r.jti !== unsolicitedJti && r.jti !== wrongStateJti),
      delete: deleted,
    };
    const settled = records.every((r) => TERMINAL.has(r.state));
    // A deleted stream can take no more events; otherwise stop once all expected is seen and settled.
    if (deleted || (expected.every((a) => seen[a]) && settled)) break;
    if (ctx.now() - upAt >= waitMs) break;
    await ctx.sleep(LOOK_EVERY_MS);
  }

  const records = verifications();
  const unsolicited = records.find((r) => r.jti === unsolicitedJti);
  const wrongState = records.find((r) => r.jti === wrongStateJti);
  return {
    issuer,
    expected: [...expected],
    waitedMs: ctx.now() - upAt,
    calls: [...calls],
    ...(last === undefined ? {} : { stream: { ...last, deleted } }),
    ...(unsolicited === undefined ? {} : { unsolicited: outcomeOf(unsolicited) }),
    solicited: records.filter((r) => r.jti !== unsolicitedJti && r.jti !== wrongStateJti).map(outcomeOf),
    ...(wrongState === undefined ? {} : { wrongState: outcomeOf(wrongState) }),
  };
}

export const streamManagement = defineModule<SsfReceiverOptions, StreamManagementCapture>({
  id: 'stream-management',
  title: 'The receiver manages its stream at the harness transmitter',
  run: watchStreamManagement,
  checks: STREAM_MANAGEMENT_CHECKS,
});
