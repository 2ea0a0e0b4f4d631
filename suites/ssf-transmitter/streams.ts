/**
 * Module `streams`: the stream management happy path (SSF 1.0 §8.1.1) — create, read one, read all,
 * PATCH (omitted members unchanged), PUT (omitted receiver-supplied members deleted), DELETE, and the
 * read after it. The stream uses poll delivery when poll is graded (nothing has to reach the harness),
 * push to the harness's endpoint otherwise.
 */
import { EVENT_URIS, isJsonObject } from '../../harness/protocol/index.ts';
import {
  blocked,
  defineCheck,
  defineModule,
  expectThat,
  type Problem,
  problem,
  type Skip,
  SkipModule,
} from '../core/index.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { PushReceiver } from './receiver.ts';
import {
  type Captured,
  call,
  createStream,
  deliveryWanted,
  discover,
  nonce,
  requireEndpoint,
  streamIdOf,
} from './wire.ts';

/** Requested on create: three CAEP types and one no transmitter knows (it must be ignored, not delivered). */
export const EVENTS_REQUESTED = [
  EVENT_URIS.sessionRevoked,
  EVENT_URIS.deviceComplianceChange,
  EVENT_URIS.riskLevelChange,
  'urn:ssf-lab:event-type:unknown',
] as const;

export interface StreamsCapture {
  readonly issuer: string;
  readonly requested: readonly string[];
  readonly create: Captured;
  readonly readOne?: Captured;
  readonly readAll?: Captured;
  readonly patchBody?: Record<string, unknown>;
  readonly patch?: Captured;
  readonly afterPatch?: Captured;
  readonly putBody?: Record<string, unknown>;
  readonly put?: Captured;
  readonly afterPut?: Captured;
  readonly del?: Captured;
  readonly afterDelete?: Captured;
}

function obj(c: Captured | undefined): Record<string, unknown> | undefined {
  return c && isJsonObject(c.body) ? c.body : undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function status(c: Captured | undefined, expected: number, what: string): readonly Problem[] {
  if (!c) return [problem(`${what} was not attempted`)];
  return expectThat(
    c.status === expected,
    `${what} answered ${c.status === 0 ? c.error : `HTTP ${c.status}`}, not ${expected}`,
    c.body,
  );
}

const REQUIRED_MEMBERS = ['stream_id', 'iss', 'aud', 'events_delivered', 'delivery'] as const;

const CREATE_201 = 'transmitter-create-answers-201';
const CREATE_CONFIGURATION = 'transmitter-create-returns-the-configuration';

function answered(c: Captured): string {
  return c.status === 0 ? (c.error ?? 'no answer') : `HTTP ${c.status}`;
}

/**
 * When the create was refused, what it refused is judged once, by transmitter-create-answers-201; every
 * check that needed the stream is blocked by it rather than failed again for the same refusal.
 */
function refused(c: StreamsCapture): Skip | undefined {
  return c.create.status >= 200 && c.create.status < 300
    ? undefined
    : blocked(CREATE_201, `the create was refused (${answered(c.create)}): there is no stream to judge`);
}

/**
 * No stream to go on with: the create was refused (blocked by its status check), or its answer carried no
 * `stream_id` (blocked by the configuration check, which names what is missing).
 */
function noStream(c: StreamsCapture): Skip | undefined {
  if (streamIdOf(c.create.body) !== undefined) return undefined;
  return (
    refused(c) ??
    blocked(CREATE_CONFIGURATION, 'the create answered no "stream_id": there is no stream to go on with')
  );
}

/** A member of the created stream that another check judges, missing: blocked by the configuration check. */
function missing(b: Record<string, unknown>, member: (typeof REQUIRED_MEMBERS)[number]): Skip | undefined {
  return b[member] === undefined
    ? blocked(CREATE_CONFIGURATION, `the created stream has no "${member}"`)
    : undefined;
}

export const streamsChecks = [
  defineCheck<StreamsCapture>({
    id: CREATE_201,
    title: 'Creating a stream answers 201 Created.',
    requirement: 'SSF-8.1.1.1',
    evaluate: (c) => status(c.create, 201, 'POST configuration_endpoint'),
  }),
  defineCheck<StreamsCapture>({
    id: CREATE_CONFIGURATION,
    title: 'The created stream carries stream_id, iss, aud, events_delivered and delivery.',
    requirement: 'SSF-8.1.1.1',
    evaluate: (c) => {
      const none = refused(c);
      if (none) return none;
      const b = obj(c.create);
      if (!b) return [problem('the create response is not a JSON object', c.create.body)];
      return REQUIRED_MEMBERS.filter((m) => b[m] === undefined).map((m) => problem(`"${m}" is missing`));
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-stream-iss-is-the-issuer',
    title: 'The stream\'s "iss" is identical to the Issuer.',
    requirement: 'SSF-7.2.4',
    evaluate: (c) => {
      const none = refused(c);
      if (none) return none;
      const b = obj(c.create);
      if (!b) return blocked(CREATE_CONFIGURATION, 'the create answered no JSON object');
      return (
        missing(b, 'iss') ??
        expectThat(b.iss === c.issuer, `"iss" is ${JSON.stringify(b.iss)}, not "${c.issuer}"`)
      );
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-events-delivered-within-supported-and-requested',
    title: '"events_delivered" is a subset of "events_supported" and of "events_requested".',
    requirement: 'SSF-8.1.1.1-EVENTS',
    evaluate: (c) => {
      const none = refused(c);
      if (none) return none;
      const b = obj(c.create);
      if (!b) return blocked(CREATE_CONFIGURATION, 'the create answered no JSON object');
      const absent = missing(b, 'events_delivered');
      if (absent) return absent;
      const delivered = b.events_delivered;
      if (!Array.isArray(delivered)) return [problem('"events_delivered" is not an array', delivered)];
      const supported = Array.isArray(b.events_supported) ? (b.events_supported as unknown[]) : undefined;
      const out: Problem[] = [];
      for (const e of delivered) {
        if (!c.requested.includes(e as string))
          out.push(problem(`${String(e)} is delivered but was not requested`));
        if (supported && !supported.includes(e))
          out.push(problem(`${String(e)} is delivered but not supported`));
      }
      return out;
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-read-stream-returns-the-object',
    title: "Reading with stream_id answers 200 and that stream's configuration object.",
    requirement: 'SSF-8.1.1.2',
    evaluate: (c) => {
      const none = noStream(c);
      if (none) return none;
      const id = streamIdOf(c.create.body);
      const s = status(c.readOne, 200, 'GET configuration_endpoint?stream_id');
      if (s.length > 0) return s;
      return expectThat(
        streamIdOf(c.readOne?.body) === id,
        'the answer is not the stream asked for',
        c.readOne?.body,
      );
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-read-all-returns-an-array',
    title: "Reading without stream_id answers 200 and an array holding the receiver's streams.",
    requirement: 'SSF-8.1.1.2',
    evaluate: (c) => {
      const none = noStream(c);
      if (none) return none;
      const id = streamIdOf(c.create.body);
      const s = status(c.readAll, 200, 'GET configuration_endpoint');
      if (s.length > 0) return s;
      const all = c.readAll?.body;
      if (!Array.isArray(all)) return [problem('the answer is not a JSON array', all)];
      return expectThat(
        all.some((x) => streamIdOf(x) === id),
        'the array does not hold the stream just created',
      );
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-patch-leaves-omitted-members-unchanged',
    title:
      'PATCH answers 200 with the whole configuration, applies what it names and leaves the rest unchanged.',
    requirement: 'SSF-8.1.1.3',
    evaluate: (c) => {
      const none = noStream(c);
      if (none) return none;
      const before = obj(c.create) ?? {};
      if (!c.patchBody) return [problem('the PATCH was not attempted')];
      const s = status(c.patch, 200, 'PATCH configuration_endpoint');
      if (s.length > 0) return s;
      const out: Problem[] = [];
      for (const [name, got] of [
        ['the PATCH answer', obj(c.patch)],
        ['the read after PATCH', obj(c.afterPatch)],
      ] as const) {
        if (!got) {
          out.push(problem(`${name} is not a JSON object`));
          continue;
        }
        if (got.description !== c.patchBody.description)
          out.push(problem(`${name}: "description" was not applied`, got.description));
        for (const m of ['events_requested', 'delivery', 'aud', 'iss'])
          if (!same(got[m], before[m]))
            out.push(problem(`${name}: "${m}" changed although the PATCH omitted it`, got[m]));
      }
      return out;
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-put-deletes-omitted-members',
    title: 'PUT answers 200 and deletes the receiver-supplied members it omits.',
    requirement: 'SSF-8.1.1.4',
    evaluate: (c) => {
      const none = noStream(c);
      if (none) return none;
      if (!c.putBody) return [problem('the PUT was not attempted')];
      const s = status(c.put, 200, 'PUT configuration_endpoint');
      if (s.length > 0) return s;
      const out: Problem[] = [];
      for (const [name, got] of [
        ['the PUT answer', obj(c.put)],
        ['the read after PUT', obj(c.afterPut)],
      ] as const) {
        if (!got) {
          out.push(problem(`${name} is not a JSON object`));
          continue;
        }
        if (got.description !== undefined)
          out.push(
            problem(`${name}: "description" is still there although the PUT omitted it`, got.description),
          );
        if (!same(got.events_requested, c.putBody.events_requested))
          out.push(problem(`${name}: "events_requested" is not the one the PUT sent`, got.events_requested));
      }
      return out;
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-delete-answers-204',
    title: 'DELETE with stream_id answers 204 with an empty body.',
    requirement: 'SSF-8.1.1.5',
    evaluate: (c) => {
      const none = noStream(c);
      if (none) return none;
      const s = status(c.del, 204, 'DELETE configuration_endpoint');
      if (s.length > 0) return s;
      return expectThat(c.del?.body === undefined, 'the 204 carries a body', c.del?.body);
    },
  }),
  defineCheck<StreamsCapture>({
    id: 'transmitter-deleted-stream-is-gone',
    title: 'Reading a deleted stream answers 404.',
    requirement: 'SSF-8.1.1.2',
    evaluate: (c) => {
      const none = noStream(c);
      if (none) return none;
      // A DELETE that did not answer 204 is judged by transmitter-delete-answers-204; whether the stream
      // is gone after it means nothing.
      if (c.del?.status !== 204)
        return blocked(
          'transmitter-delete-answers-204',
          `the DELETE answered ${c.del === undefined ? 'nothing' : answered(c.del)}: the stream may not be deleted`,
        );
      return status(c.afterDelete, 404, 'GET of the deleted stream');
    },
  }),
];

export const streamsModule = defineModule<SsfTransmitterOptions, StreamsCapture>({
  id: 'streams',
  title: 'Stream management happy path: create, read, PATCH, PUT, DELETE',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    const endpoint = requireEndpoint(d, 'configuration_endpoint');
    let delivery: Record<string, unknown>;
    if (deliveryWanted(d, o, 'poll')) delivery = { method: 'urn:ietf:rfc:8936' };
    else if (deliveryWanted(d, o, 'push')) {
      const receiver = new PushReceiver(ctx);
      await receiver.serve();
      delivery = { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.slot(nonce()) };
    } else throw new SkipModule('neither push nor poll is graded');
    const requested = [...EVENTS_REQUESTED];
    const create = await createStream(ctx, endpoint, o.token, {
      description: 'ssf-lab conformance: stream management',
      events_requested: requested,
      delivery,
    });
    const base = { issuer: o.issuer, requested, create };
    const id = streamIdOf(create.body);
    if (id === undefined) return base;
    const auth = { url: endpoint, token: o.token };
    const readOne = await call(ctx, { method: 'GET', ...auth, query: { stream_id: id } });
    const readAll = await call(ctx, { method: 'GET', ...auth });
    const patchBody = { stream_id: id, description: 'ssf-lab conformance: patched' };
    const patch = await call(ctx, { method: 'PATCH', ...auth, body: patchBody });
    const afterPatch = await call(ctx, { method: 'GET', ...auth, query: { stream_id: id } });
    const current = isJsonObject(afterPatch.body) ? afterPatch.body : {};
    const putBody = {
      stream_id: id,
      events_requested: [EVENT_URIS.deviceComplianceChange],
      delivery: current.delivery ?? delivery,
    };
    const put = await call(ctx, { method: 'PUT', ...auth, body: putBody });
    const afterPut = await call(ctx, { method: 'GET', ...auth, query: { stream_id: id } });
    const del = await call(ctx, { method: 'DELETE', ...auth, query: { stream_id: id } });
    const afterDelete = await call(ctx, { method: 'GET', ...auth, query: { stream_id: id } });
    return {
      ...base,
      readOne,
      readAll,
      patchBody,
      patch,
      afterPatch,
      putBody,
      put,
      afterPut,
      del,
      afterDelete,
    };
  },
  checks: streamsChecks,
});
