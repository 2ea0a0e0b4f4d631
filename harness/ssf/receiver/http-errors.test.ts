/**
 * The clients' errors: the error text pulled from RFC 8935 and OAuth bodies, and messages that name the
 * operation and the status.
 */
import { expect, test } from 'vitest';
import { errorTextOf, SsfHttpError, SsfResponseError, SsfUnsupportedError } from './http-errors.ts';

test.each([
  [{ err: 'invalid_request', description: 'bad' }, 'invalid_request: bad'],
  [{ error: 'invalid_client', error_description: 'unknown client' }, 'invalid_client: unknown client'],
  [{ message: 'stream not found' }, 'stream not found'],
  [{ other: 1 }, '{"other":1}'],
  ['  plain text  ', 'plain text'],
  ['', undefined],
  [null, undefined],
  [[1, 2], undefined],
] as const)('the error text of %j is %j', (body, text) => {
  expect(errorTextOf(body)).toBe(text);
});

test('long error text is shortened', () => {
  const text = errorTextOf('x'.repeat(5000));
  expect(text?.length).toBeLessThan(250);
  expect(text).toContain('5000 chars');
});

test('an SsfHttpError names the operation, the status and the body error text', () => {
  const error = new SsfHttpError({
    operation: 'getStream',
    status: 404,
    body: { err: 'not_found', description: 'no such stream' },
  });
  expect(error.message).toBe('getStream failed: HTTP 404 (not_found: no such stream)');
  expect(error.status).toBe(404);
  expect(error.operation).toBe('getStream');
  expect(error.retryAfterMs).toBeUndefined();
});

test('an SsfResponseError is an SsfHttpError that names the problem', () => {
  const error = new SsfResponseError(
    { operation: 'createStream', status: 200, body: {} },
    'has the wrong status',
  );
  expect(error).toBeInstanceOf(SsfHttpError);
  expect(error.name).toBe('SsfResponseError');
  expect(error.message).toBe('createStream: HTTP 200 response has the wrong status');
});

test('an SsfUnsupportedError names the missing metadata member', () => {
  expect(new SsfUnsupportedError('getStatus', 'status_endpoint').message).toBe(
    'getStatus: the Transmitter\'s metadata has no "status_endpoint"',
  );
});
