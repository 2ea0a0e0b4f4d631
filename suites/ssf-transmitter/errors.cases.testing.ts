/** The errors module's conforming capture and its failing cases. */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { type ErrorsCapture, errorsChecks, OPERATIONS, type Operation } from './errors.ts';
import type { Captured } from './wire.ts';

export const at = (status: number, method = 'GET'): Captured => ({
  method,
  url: 'https://tx.example/streams',
  status,
});
const each = (status: number): Record<Operation, Captured> =>
  Object.fromEntries(OPERATIONS.map((op) => [op, at(status)])) as Record<Operation, Captured>;

export const good: ErrorsCapture = {
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

const fails = casesFor(errorsChecks);

export const ERRORS_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-refuses-requests-without-a-token',
    { ...good, noToken: { ...each(401), delete: at(204, 'DELETE') } },
    'A DELETE without an Authorization header deletes the stream (204) instead of answering 401.',
    /delete without a token \(DELETE\) answered HTTP 204, not 401/,
  ),
  fails(
    'transmitter-refuses-requests-with-a-wrong-token',
    { ...good, badToken: { ...each(401), read: at(200) } },
    'A read with a token the transmitter never issued answers 200 with the stream.',
    /read with a wrong token \(GET\) answered HTTP 200, not 401/,
  ),
  fails(
    'transmitter-read-unknown-stream-is-404',
    { ...good, unknown: { ...good.unknown, read: at(200) } },
    'Reading a stream_id that does not exist answers 200.',
    /read of an unknown stream \(GET\) answered HTTP 200, not 404/,
  ),
  fails(
    'transmitter-update-unknown-stream-is-404',
    { ...good, unknown: { ...good.unknown, update: at(400, 'PATCH') } },
    'A PATCH of a stream that does not exist answers 400 instead of 404.',
    /update of an unknown stream \(PATCH\) answered HTTP 400, not 404/,
  ),
  fails(
    'transmitter-replace-unknown-stream-is-404',
    { ...good, unknown: { ...good.unknown, replace: at(500, 'PUT') } },
    'A PUT of a stream that does not exist answers 500 instead of 404.',
    /replace of an unknown stream \(PUT\) answered HTTP 500, not 404/,
  ),
  fails(
    'transmitter-delete-unknown-stream-is-404',
    { ...good, unknown: { ...good.unknown, delete: at(204, 'DELETE') } },
    'A DELETE of a stream that does not exist answers 204 instead of 404.',
    /delete of an unknown stream \(DELETE\) answered HTTP 204, not 404/,
  ),
  fails(
    'transmitter-create-with-a-broken-body-is-400',
    { ...good, broken: { ...good.broken, create: at(500, 'POST') } },
    'A create whose body is not JSON crashes the transmitter (500) instead of answering 400.',
    /create with the body ";\{ broken" \(POST\) answered HTTP 500, not 400/,
  ),
  fails(
    'transmitter-update-with-a-broken-body-is-400',
    { ...good, broken: { ...good.broken, update: at(200, 'PATCH') } },
    'A PATCH whose body is not JSON is accepted with 200.',
    /update with the body ";\{ broken" \(PATCH\) answered HTTP 200, not 400/,
  ),
  fails(
    'transmitter-replace-with-a-broken-body-is-400',
    { ...good, broken: { ...good.broken, replace: at(415, 'PUT') } },
    'A PUT whose body is not JSON answers 415 instead of 400.',
    /replace with the body ";\{ broken" \(PUT\) answered HTTP 415, not 400/,
  ),
  fails(
    'transmitter-patch-refuses-a-changed-transmitter-member',
    {
      ...good,
      changedIss: at(200, 'PATCH'),
      afterChangedIss: { ...at(200), body: { stream_id: 's1', iss: 'https://ssf-lab.invalid/other-issuer' } },
    },
    'A PATCH giving the stream another "iss" is accepted and changes the stream\'s "iss".',
    /"iss" was changed by the PATCH/,
  ),
  fails(
    'transmitter-hides-other-receivers-streams',
    {
      ...good,
      foreign: {
        create: { ...at(201, 'POST'), body: { stream_id: 's2' } },
        read: at(200),
        update: at(404, 'PATCH'),
        del: at(404, 'DELETE'),
      },
    },
    "Another receiver's stream can be read with the first receiver's token (200).",
    /read of another receiver's stream \(GET\) answered HTTP 200, not 404/,
  ),
  fails(
    'transmitter-hides-other-receivers-streams',
    {
      ...good,
      foreign: {
        create: { ...at(201, 'POST'), body: { stream_id: 's2' } },
        read: at(403),
        update: at(403, 'PATCH'),
        del: at(403, 'DELETE'),
      },
    },
    "Another receiver's stream answers 403, which tells the caller that the stream exists.",
    /answered HTTP 403, not 404/,
  ),
];
