import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { EVENTS_REQUESTED, type StreamsCapture, streamsChecks } from './streams.ts';
import type { Captured } from './wire.ts';

const ISSUER = 'https://tx.example/iss1';
const URL = 'https://tx.example/iss1/streams';
const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';

function ok(method: string, status: number, body?: unknown): Captured {
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

const good: StreamsCapture = {
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

describe('stream management checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(streamsChecks, good));

  test('each fails over a conversation that breaks it', () =>
    expectEachFails(streamsChecks, {
      'transmitter-create-answers-201': { ...good, create: ok('POST', 200, created) },
      'transmitter-create-returns-the-configuration': {
        ...good,
        create: ok('POST', 201, { ...created, aud: undefined }),
      },
      'transmitter-stream-iss-is-the-issuer': {
        ...good,
        create: ok('POST', 201, { ...created, iss: `${ISSUER}/` }),
      },
      'transmitter-events-delivered-within-supported-and-requested': {
        ...good,
        create: ok('POST', 201, { ...created, events_delivered: [`${CAEP}credential-change`] }),
      },
      'transmitter-read-stream-returns-the-object': { ...good, readOne: ok('GET', 200, [created]) },
      'transmitter-read-all-returns-an-array': { ...good, readAll: ok('GET', 200, created) },
      'transmitter-patch-leaves-omitted-members-unchanged': {
        ...good,
        afterPatch: ok('GET', 200, { ...patched, events_requested: undefined }),
      },
      'transmitter-put-deletes-omitted-members': {
        ...good,
        put: ok('PUT', 200, { ...put, description: 'd' }),
      },
      'transmitter-delete-answers-204': { ...good, del: ok('DELETE', 200, { deleted: true }) },
      'transmitter-deleted-stream-is-gone': { ...good, afterDelete: ok('GET', 200, created) },
    }));

  test('without a created stream the follow-up checks skip', () =>
    expectAllHold(
      streamsChecks.filter((c) => !c.id.startsWith('transmitter-create-')),
      { issuer: ISSUER, requested: [], create: ok('POST', 500) },
      streamsChecks.filter((c) => !c.id.startsWith('transmitter-create-')).map((c) => c.id),
    ));
});
