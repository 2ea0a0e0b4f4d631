/**
 * Module `subjects`: adding and removing a subject (SSF 1.0 §8.1.3). Skipped when the metadata publishes
 * neither endpoint (both are OPTIONAL). Add succeeds with 200; §9.1 mentions 204 for an add as well, so a
 * 204 is tolerated as the harness's receiver engine tolerates it.
 */
import { defineCheck, defineModule, expectThat, SkipModule, skip } from '../core/index.ts';
import { resolveOptions, type SsfTransmitterOptions } from './options.ts';
import {
  type Captured,
  call,
  createStream,
  discover,
  nonce,
  optionalEndpoint,
  requireEndpoint,
  streamIdOf,
} from './wire.ts';

export const TEST_SUBJECT = { format: 'email', email: 'ssf-lab.subject@example.com' } as const;

export interface SubjectsCapture {
  readonly add?: Captured;
  readonly remove?: Captured;
  readonly addUnknownStream?: Captured;
}

function answered(c: Captured): string {
  return c.status === 0 ? (c.error ?? 'no answer') : `HTTP ${c.status}`;
}

export const subjectsChecks = [
  defineCheck<SubjectsCapture>({
    id: 'transmitter-add-subject-answers-200',
    title: 'Adding a subject answers 200.',
    requirement: 'SSF-8.1.3.2',
    evaluate: (c) =>
      c.add === undefined
        ? skip('the metadata publishes no add_subject_endpoint')
        : expectThat(
            c.add.status === 200 || c.add.status === 204,
            `add subject answered ${answered(c.add)}, not 200`,
            c.add.body,
          ),
  }),
  defineCheck<SubjectsCapture>({
    id: 'transmitter-remove-subject-answers-204',
    title: 'Removing a subject answers 204.',
    requirement: 'SSF-8.1.3.3',
    evaluate: (c) =>
      c.remove === undefined
        ? skip('the metadata publishes no remove_subject_endpoint')
        : expectThat(
            c.remove.status === 204,
            `remove subject answered ${answered(c.remove)}, not 204`,
            c.remove.body,
          ),
  }),
  defineCheck<SubjectsCapture>({
    id: 'transmitter-add-subject-to-unknown-stream-is-404',
    title: 'Adding a subject to a stream that does not exist answers 404.',
    requirement: 'SSF-8.1.3.2',
    evaluate: (c) =>
      c.addUnknownStream === undefined
        ? skip('the metadata publishes no add_subject_endpoint')
        : expectThat(
            c.addUnknownStream.status === 404,
            `it answered ${answered(c.addUnknownStream)}, not 404`,
          ),
  }),
];

export const subjectsModule = defineModule<SsfTransmitterOptions, SubjectsCapture>({
  id: 'subjects',
  title: 'Adding and removing subjects',
  run: async (ctx, options) => {
    const o = resolveOptions(options);
    const d = await discover(ctx, o);
    const addUrl = optionalEndpoint(d, 'add_subject_endpoint');
    const removeUrl = optionalEndpoint(d, 'remove_subject_endpoint');
    if (addUrl === undefined && removeUrl === undefined)
      throw new SkipModule('the metadata publishes neither add_subject_endpoint nor remove_subject_endpoint');
    const url = requireEndpoint(d, 'configuration_endpoint');
    const create = await createStream(ctx, url, o.token, { description: 'ssf-lab conformance: subjects' });
    const streamId = streamIdOf(create.body);
    if (streamId === undefined)
      throw new SkipModule(`no stream could be created (HTTP ${create.status}); see the streams module`, {
        blockedBy: 'transmitter-create-answers-201',
      });
    const out: { -readonly [K in keyof SubjectsCapture]: SubjectsCapture[K] } = {};
    if (addUrl !== undefined) {
      out.add = await call(ctx, {
        method: 'POST',
        url: addUrl,
        token: o.token,
        body: { stream_id: streamId, subject: TEST_SUBJECT, verified: true },
      });
      out.addUnknownStream = await call(ctx, {
        method: 'POST',
        url: addUrl,
        token: o.token,
        body: { stream_id: `ssf-lab-unknown-${nonce()}`, subject: TEST_SUBJECT },
      });
    }
    if (removeUrl !== undefined)
      out.remove = await call(ctx, {
        method: 'POST',
        url: removeUrl,
        token: o.token,
        body: { stream_id: streamId, subject: TEST_SUBJECT },
      });
    return out;
  },
  checks: subjectsChecks,
});
