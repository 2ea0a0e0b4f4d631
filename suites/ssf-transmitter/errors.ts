/**
 * Module `errors`: the management API's refusals (SSF 1.0 §8) — no token and a wrong token on every
 * stream operation (401), an unknown stream (404), a body that is not JSON (400), a transmitter-supplied
 * member with another value (400), and, when a second receiver's token is given, another receiver's
 * stream (404: it must look like a stream that does not exist).
 */
import type { RequirementId } from '../../harness/protocol/index.ts';
import {
  blocked,
  type Check,
  defineCheck,
  defineModule,
  inconclusive,
  type Problem,
  problem,
  SkipModule,
  skip,
} from '../core/index.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { type Captured, call, createStream, discover, nonce, requireEndpoint, streamIdOf } from './wire.ts';

export type Operation = 'create' | 'read' | 'update' | 'replace' | 'delete';
export const OPERATIONS: readonly Operation[] = ['create', 'read', 'update', 'replace', 'delete'];

export interface ErrorsCapture {
  /** The stream the refusals are tried against (none: nothing to try). */
  readonly streamId?: string;
  readonly create: Captured;
  readonly noToken: Partial<Record<Operation, Captured>>;
  readonly badToken: Partial<Record<Operation, Captured>>;
  readonly unknown: Partial<Record<Exclude<Operation, 'create'>, Captured>>;
  readonly broken: Partial<Record<'create' | 'update' | 'replace', Captured>>;
  readonly changedIss?: Captured;
  readonly afterChangedIss?: Captured;
  /** With a second receiver: that receiver's stream, read / updated / deleted with the first token. */
  readonly foreign?: {
    readonly create: Captured;
    readonly read?: Captured;
    readonly update?: Captured;
    readonly del?: Captured;
  };
}

function answered(c: Captured): string {
  return c.status === 0 ? (c.error ?? 'no answer') : `HTTP ${c.status}`;
}

function expectEach<K extends string>(
  got: Partial<Record<K, Captured>>,
  keys: readonly K[],
  expected: number,
  what: string,
): readonly Problem[] {
  const out: Problem[] = [];
  for (const k of keys) {
    const c = got[k];
    if (!c) out.push(problem(`${k} ${what} was not attempted`));
    else if (c.status !== expected)
      out.push(problem(`${k} ${what} (${c.method}) answered ${answered(c)}, not ${expected}`, c.body));
  }
  return out;
}

/**
 * The checks that need a stream of this receiver's are blocked when none could be created: the streams
 * module's create check (it ran first, in the same plan) judges that refusal once. When that check held
 * (only this module's create failed), the run makes this an ordinary skip.
 */
const needsStream = (c: ErrorsCapture) =>
  c.streamId === undefined
    ? blocked('transmitter-create-answers-201', `no stream could be created (${answered(c.create)})`)
    : undefined;

/**
 * The operations a refusal check tries: every one against the receiver's stream; without a stream, the
 * create alone — it needs no stream, and a transmitter must refuse it without a valid token all the same.
 */
const tried = (c: ErrorsCapture): readonly Operation[] =>
  c.streamId === undefined ? ['create'] : OPERATIONS;

const UNKNOWN_REQ: Record<Exclude<Operation, 'create'>, RequirementId> = {
  read: 'SSF-8.1.1.2',
  update: 'SSF-8.1.1.3',
  replace: 'SSF-8.1.1.4',
  delete: 'SSF-8.1.1.5',
};
const BROKEN_REQ: Record<'create' | 'update' | 'replace', RequirementId> = {
  create: 'SSF-8.1.1.1',
  update: 'SSF-8.1.1.3',
  replace: 'SSF-8.1.1.4',
};

export const errorsChecks: Check<ErrorsCapture>[] = [
  defineCheck<ErrorsCapture>({
    id: 'transmitter-refuses-requests-without-a-token',
    title: 'Every stream operation without an Authorization header answers 401.',
    requirement: 'SSF-8-AUTH',
    evaluate: (c) => expectEach(c.noToken, tried(c), 401, 'without a token'),
  }),
  defineCheck<ErrorsCapture>({
    id: 'transmitter-refuses-requests-with-a-wrong-token',
    title: 'Every stream operation with a token the transmitter did not issue answers 401.',
    requirement: 'SSF-8-AUTH',
    evaluate: (c) => expectEach(c.badToken, tried(c), 401, 'with a wrong token'),
  }),
  ...(['read', 'update', 'replace', 'delete'] as const).map((op) =>
    defineCheck<ErrorsCapture>({
      id: `transmitter-${op}-unknown-stream-is-404`,
      title: `A ${op} of a stream that does not exist answers 404.`,
      requirement: UNKNOWN_REQ[op],
      evaluate: (c) => expectEach(c.unknown, [op], 404, 'of an unknown stream'),
    }),
  ),
  ...(['create', 'update', 'replace'] as const).map((op) =>
    defineCheck<ErrorsCapture>({
      id: `transmitter-${op}-with-a-broken-body-is-400`,
      title: `A ${op} whose body is not JSON answers 400.`,
      requirement: BROKEN_REQ[op],
      evaluate: (c) => {
        if (op !== 'create')
          return needsStream(c) ?? expectEach(c.broken, [op], 400, 'with the body ";{ broken"');
        // A transmitter that refuses this receiver's well-formed create refuses the broken one for that
        // reason too: unless it answers 400 anyway, its answer says nothing about the broken body.
        const answer = c.broken.create;
        if (c.streamId === undefined && answer !== undefined && answer.status !== 400)
          return inconclusive(
            `a well-formed create was refused too (${answered(c.create)}), so the answer to a broken one (${answered(answer)}) shows nothing`,
          );
        return expectEach(c.broken, [op], 400, 'with the body ";{ broken"');
      },
    }),
  ),
  defineCheck<ErrorsCapture>({
    id: 'transmitter-patch-refuses-a-changed-transmitter-member',
    title: 'A PATCH giving a transmitter-supplied member another value answers 400 and changes nothing.',
    requirement: 'SSF-8.1.1.3',
    evaluate: (c) => {
      const none = needsStream(c);
      if (none) return none;
      if (!c.changedIss) return [problem('the PATCH was not attempted')];
      const out = [...expectEach({ patch: c.changedIss }, ['patch'], 400, 'with a different "iss"')];
      const after = c.afterChangedIss?.body as Record<string, unknown> | undefined;
      if (after && typeof after === 'object' && after.iss === 'https://ssf-lab.invalid/other-issuer')
        out.push(problem('the stream\'s "iss" was changed by the PATCH'));
      return out;
    },
  }),
  defineCheck<ErrorsCapture>({
    id: 'transmitter-hides-other-receivers-streams',
    title: "Another receiver's stream answers 404 to read, update and delete, like one that does not exist.",
    requirement: 'SSF-8-AUTH',
    evaluate: (c) => {
      if (!c.foreign) return skip('no secondToken is configured: stream isolation is not graded');
      if (streamIdOf(c.foreign.create.body) === undefined)
        return skip(`the second receiver could not create a stream (${answered(c.foreign.create)})`);
      return expectEach(
        { read: c.foreign.read, update: c.foreign.update, delete: c.foreign.del } as Partial<
          Record<'read' | 'update' | 'delete', Captured>
        >,
        ['read', 'update', 'delete'],
        404,
        "of another receiver's stream",
      );
    },
  }),
];

export const errorsModule = defineModule<SsfTransmitterOptions, ErrorsCapture>({
  id: 'errors',
  title: 'Stream management refusals: authorization, unknown streams, broken bodies, isolation',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    const url = requireEndpoint(d, 'configuration_endpoint');
    const poll = { method: 'urn:ietf:rfc:8936' };
    const body = { description: 'ssf-lab conformance: refusals', delivery: poll };
    const create = await createStream(ctx, url, o.token, body);
    const streamId = streamIdOf(create.body);
    const capture: {
      -readonly [K in keyof ErrorsCapture]: ErrorsCapture[K];
    } = { create, noToken: {}, badToken: {}, unknown: {}, broken: {} };
    if (streamId !== undefined) capture.streamId = streamId;
    const id = streamId ?? 'ssf-lab-no-stream';
    const attempt = (op: Operation, token: string | null, stream = id): Promise<Captured> => {
      switch (op) {
        case 'create':
          return call(ctx, { method: 'POST', url, token, body });
        case 'read':
          return call(ctx, { method: 'GET', url, token, query: { stream_id: stream } });
        case 'update':
          return call(ctx, { method: 'PATCH', url, token, body: { stream_id: stream, description: 'x' } });
        case 'replace':
          return call(ctx, { method: 'PUT', url, token, body: { stream_id: stream, delivery: poll } });
        case 'delete':
          return call(ctx, { method: 'DELETE', url, token, query: { stream_id: stream } });
      }
    };
    // Without a stream, the create alone is tried without a token and with a wrong one: it needs none.
    for (const op of streamId === undefined ? (['create'] as const) : OPERATIONS) {
      capture.noToken[op] = await attempt(op, null);
      capture.badToken[op] = await attempt(op, `ssf-lab-wrong-${nonce()}`);
    }
    // A create that wrongly succeeded is cleaned up like any other.
    for (const c of [capture.noToken.create, capture.badToken.create]) {
      const made = streamIdOf(c?.body);
      if (made !== undefined)
        ctx.defer(`delete stream ${made}`, async () => {
          await call(ctx, { method: 'DELETE', url, token: o.token, query: { stream_id: made } });
        });
    }
    const unknownId = `ssf-lab-unknown-${nonce()}`;
    for (const op of ['read', 'update', 'replace', 'delete'] as const)
      capture.unknown[op] = await attempt(op, o.token, unknownId);
    capture.broken.create = await call(ctx, { method: 'POST', url, token: o.token, body: ';{ broken' });
    const madeBroken = streamIdOf(capture.broken.create.body);
    if (madeBroken !== undefined)
      ctx.defer(`delete stream ${madeBroken}`, async () => {
        await call(ctx, { method: 'DELETE', url, token: o.token, query: { stream_id: madeBroken } });
      });
    if (streamId !== undefined) {
      capture.broken.update = await call(ctx, { method: 'PATCH', url, token: o.token, body: ';{ broken' });
      capture.broken.replace = await call(ctx, { method: 'PUT', url, token: o.token, body: ';{ broken' });
      capture.changedIss = await call(ctx, {
        method: 'PATCH',
        url,
        token: o.token,
        body: { stream_id: streamId, iss: 'https://ssf-lab.invalid/other-issuer' },
      });
      capture.afterChangedIss = await call(ctx, {
        method: 'GET',
        url,
        token: o.token,
        query: { stream_id: streamId },
      });
    }
    if (o.secondToken !== undefined) {
      const second = o.secondToken;
      const foreignCreate = await createStream(
        ctx,
        url,
        second,
        body,
        'create a stream as the second receiver',
      );
      const fid = streamIdOf(foreignCreate.body);
      capture.foreign =
        fid === undefined
          ? { create: foreignCreate }
          : {
              create: foreignCreate,
              read: await attempt('read', o.token, fid),
              update: await attempt('update', o.token, fid),
              del: await attempt('delete', o.token, fid),
            };
    }
    if (streamId === undefined && capture.foreign === undefined && create.status === 0)
      throw new SkipModule(`the configuration endpoint did not answer: ${create.error ?? ''}`);
    return capture;
  },
  checks: errorsChecks,
});
