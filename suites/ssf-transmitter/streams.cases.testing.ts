/** The streams module's conforming capture and its failing cases. */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { EVENTS_REQUESTED, type StreamsCapture, streamsChecks } from './streams.ts';
import type { Captured } from './wire.ts';

export const ISSUER = 'https://tx.example/iss1';
const URL = 'https://tx.example/iss1/streams';
const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';

export function ok(method: string, status: number, body?: unknown): Captured {
  return { method, url: URL, status, ...(body === undefined ? {} : { body }) };
}

const delivery = { method: 'urn:ietf:rfc:8936', endpoint_url: 'https://tx.example/poll/s1' };
const created = {
  stream_id: 's1',
  iss: ISSUER,
  aud: 'urn:rx',
  events_supported: [`${CAEP}device-compliance-change`, `${CAEP}session-revoked`],
  events_requested: [...EVENTS_REQUESTED],
  events_delivered: [`${CAEP}device-compliance-change`, `${CAEP}session-revoked`],
  delivery,
  description: 'd',
};
const patched = { ...created, description: 'patched' };
const put = { ...created, events_requested: [`${CAEP}device-compliance-change`] } as Record<string, unknown>;
delete put.description;

export const good: StreamsCapture = {
  issuer: ISSUER,
  requested: [...EVENTS_REQUESTED],
  create: ok('POST', 201, created),
  readOne: ok('GET', 200, created),
  readAll: ok('GET', 200, [created]),
  patchBody: { stream_id: 's1', description: 'patched' },
  patch: ok('PATCH', 200, patched),
  afterPatch: ok('GET', 200, patched),
  putBody: { stream_id: 's1', events_requested: [`${CAEP}device-compliance-change`], delivery },
  put: ok('PUT', 200, put),
  afterPut: ok('GET', 200, put),
  del: ok('DELETE', 204),
  afterDelete: ok('GET', 404, { error: 'not_found' }),
};

const fails = casesFor(streamsChecks);

export const STREAMS_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-create-answers-201',
    { ...good, create: ok('POST', 200, created) },
    'Creating a stream answers 200 instead of 201 Created.',
    /HTTP 200, not 201/,
  ),
  fails(
    'transmitter-create-returns-the-configuration',
    { ...good, create: ok('POST', 201, { ...created, aud: undefined }) },
    'The created stream comes back without "aud".',
    /"aud" is missing/,
  ),
  fails(
    'transmitter-stream-iss-is-the-issuer',
    { ...good, create: ok('POST', 201, { ...created, iss: `${ISSUER}/` }) },
    'The stream\'s "iss" has a trailing slash the Issuer does not have.',
    /"iss" is "https:\/\/tx\.example\/iss1\/"/,
  ),
  fails(
    'transmitter-events-delivered-within-supported-and-requested',
    { ...good, create: ok('POST', 201, { ...created, events_delivered: [`${CAEP}credential-change`] }) },
    'The stream delivers credential-change, which was neither requested nor supported.',
    /credential-change is delivered but was not requested/,
  ),
  fails(
    'transmitter-events-delivered-within-supported-and-requested',
    {
      ...good,
      create: ok('POST', 201, {
        ...created,
        events_delivered: [...created.events_delivered, EVENTS_REQUESTED[3]],
      }),
    },
    'The stream delivers the unknown event type it was asked for, which it does not support.',
    /unknown is delivered but not supported/,
  ),
  fails(
    'transmitter-read-stream-returns-the-object',
    { ...good, readOne: ok('GET', 200, [created]) },
    'Reading one stream by stream_id answers an array instead of the stream object.',
    /not the stream asked for/,
  ),
  fails(
    'transmitter-read-all-returns-an-array',
    { ...good, readAll: ok('GET', 200, created) },
    'Reading without stream_id answers a single object instead of an array.',
    /not a JSON array/,
  ),
  fails(
    'transmitter-patch-leaves-omitted-members-unchanged',
    { ...good, afterPatch: ok('GET', 200, { ...patched, events_requested: undefined }) },
    'A PATCH naming only "description" drops "events_requested" from the stream.',
    /read after PATCH: "events_requested" changed/,
  ),
  fails(
    'transmitter-patch-leaves-omitted-members-unchanged',
    { ...good, patch: ok('PATCH', 200, created), afterPatch: ok('GET', 200, created) },
    'A PATCH of "description" answers 200 but does not apply it.',
    /"description" was not applied/,
  ),
  fails(
    'transmitter-put-deletes-omitted-members',
    { ...good, put: ok('PUT', 200, { ...put, description: 'd' }) },
    'A PUT that omits "description" keeps it, as a PATCH would.',
    /"description" is still there/,
  ),
  fails(
    'transmitter-delete-answers-204',
    { ...good, del: ok('DELETE', 200, { deleted: true }) },
    'DELETE answers 200 with a body instead of 204 No Content.',
    /HTTP 200, not 204/,
  ),
  fails(
    'transmitter-deleted-stream-is-gone',
    { ...good, afterDelete: ok('GET', 200, created) },
    'The deleted stream can still be read.',
    /GET of the deleted stream answered HTTP 200, not 404/,
  ),
];
