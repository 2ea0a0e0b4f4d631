import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type ErrorsCapture, errorsChecks, OPERATIONS, type Operation } from './errors.ts';
import type { Captured } from './wire.ts';

const at = (status: number, method = 'GET'): Captured => ({
  method,
  url: 'https://tx.example/streams',
  status,
});
const each = (status: number): Record<Operation, Captured> =>
  Object.fromEntries(OPERATIONS.map((op) => [op, at(status)])) as Record<Operation, Captured>;

const good: ErrorsCapture = {
  streamId: 's1',
  create: { ...at(201, 'POST'), body: { stream_id: 's1' } },
  noToken: each(401),
  badToken: each(401),
  unknown: { read: at(404), update: at(404), replace: at(404), delete: at(404) },
  broken: { create: at(400), update: at(400), replace: at(400) },
  changedIss: at(400, 'PATCH'),
  afterChangedIss: { ...at(200), body: { stream_id: 's1', iss: 'https://tx.example' } },
  foreign: {
    create: { ...at(201, 'POST'), body: { stream_id: 's2' } },
    read: at(404),
    update: at(404),
    del: at(404),
  },
};

describe('refusal checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(errorsChecks, good));

  test('each fails over a conversation that breaks it', () =>
    expectEachFails(errorsChecks, {
      'transmitter-refuses-requests-without-a-token': { ...good, noToken: { ...each(401), delete: at(204) } },
      'transmitter-refuses-requests-with-a-wrong-token': {
        ...good,
        badToken: { ...each(401), read: at(200) },
      },
      'transmitter-read-unknown-stream-is-404': { ...good, unknown: { ...good.unknown, read: at(200) } },
      'transmitter-update-unknown-stream-is-404': { ...good, unknown: { ...good.unknown, update: at(400) } },
      'transmitter-replace-unknown-stream-is-404': {
        ...good,
        unknown: { ...good.unknown, replace: at(500) },
      },
      'transmitter-delete-unknown-stream-is-404': { ...good, unknown: { ...good.unknown, delete: at(204) } },
      'transmitter-create-with-a-broken-body-is-400': {
        ...good,
        broken: { ...good.broken, create: at(500) },
      },
      'transmitter-update-with-a-broken-body-is-400': {
        ...good,
        broken: { ...good.broken, update: at(200) },
      },
      'transmitter-replace-with-a-broken-body-is-400': {
        ...good,
        broken: { ...good.broken, replace: at(415) },
      },
      'transmitter-patch-refuses-a-changed-transmitter-member': {
        ...good,
        changedIss: at(200, 'PATCH'),
        afterChangedIss: {
          ...at(200),
          body: { stream_id: 's1', iss: 'https://ssf-lab.invalid/other-issuer' },
        },
      },
      'transmitter-hides-other-receivers-streams': {
        ...good,
        foreign: {
          create: { ...at(201, 'POST'), body: { stream_id: 's2' } },
          read: at(200),
          update: at(404),
          del: at(404),
        },
      },
    }));

  test('isolation is skipped without a second receiver', () => {
    const { foreign: _f, ...withoutSecond } = good;
    expectAllHold(errorsChecks, withoutSecond, ['transmitter-hides-other-receivers-streams']);
  });
});
