/**
 * The client credentials token: the exact token request (client_secret_basic, form body), caching by the
 * scheduler's clock until shortly before expiry, one shared request for concurrent callers, renewal after
 * invalidate(), and the token endpoint's errors.
 */
import { expect, test } from 'vitest';
import { VirtualScheduler } from '../../kernel/index.ts';
import { SsfHttpError, SsfResponseError } from './http-errors.ts';
import { basicAuthorization, ClientCredentialsToken, TOKEN_RENEWAL_MARGIN_MS } from './oauth-token.ts';
import { jsonResponse, recordingFetch } from './receiver.testing.ts';

const CREDENTIALS = {
  tokenEndpoint: 'https://as.example.com/token',
  clientId: 'receiver-1',
  clientSecret: 's3cret',
  scope: 'ssf.manage ssf.read',
} as const;

/** A token endpoint issuing at-1, at-2, …; `expiresIn` null leaves expires_in out. */
function tokenServer(expiresIn: number | null = 3600) {
  return recordingFetch((_request, index) =>
    jsonResponse(200, {
      access_token: `at-${index + 1}`,
      token_type: 'Bearer',
      ...(expiresIn === null ? {} : { expires_in: expiresIn }),
    }),
  );
}

test('client_secret_basic form-urlencodes the id and secret before base64 (RFC 6749 §2.3.1)', () => {
  expect(basicAuthorization('a b', 'c:d/é')).toBe(
    `Basic ${Buffer.from('a+b:c%3Ad%2F%C3%A9').toString('base64')}`,
  );
});

test('the token request is a client_credentials grant with Basic authentication and the scope', async () => {
  const server = tokenServer();
  const token = new ClientCredentialsToken(CREDENTIALS, {
    fetch: server.fetch,
    scheduler: new VirtualScheduler(),
  });
  expect(await token.get()).toBe('at-1');
  const request = server.requests[0];
  expect(request?.method).toBe('POST');
  expect(request?.url).toBe('https://as.example.com/token');
  expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('receiver-1:s3cret').toString('base64')}`);
  expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
    grant_type: 'client_credentials',
    scope: 'ssf.manage ssf.read',
  });
});

test('the token is reused until 30 s before expires_in, then renewed', async () => {
  const scheduler = new VirtualScheduler();
  const server = tokenServer(3600);
  const token = new ClientCredentialsToken(CREDENTIALS, { fetch: server.fetch, scheduler });
  expect(await token.get()).toBe('at-1');
  await scheduler.advance(3600_000 - TOKEN_RENEWAL_MARGIN_MS - 1);
  expect(await token.get()).toBe('at-1');
  await scheduler.advance(1);
  expect(await token.get()).toBe('at-2');
  expect(server.requests).toHaveLength(2);
});

test('a short-lived token is renewed at half its lifetime', async () => {
  const scheduler = new VirtualScheduler();
  const server = tokenServer(20);
  const token = new ClientCredentialsToken(CREDENTIALS, { fetch: server.fetch, scheduler });
  await token.get();
  await scheduler.advance(9_999);
  expect(await token.get()).toBe('at-1');
  await scheduler.advance(1);
  expect(await token.get()).toBe('at-2');
});

test('a token without expires_in is kept until invalidated', async () => {
  const scheduler = new VirtualScheduler();
  const server = tokenServer(null);
  const token = new ClientCredentialsToken(CREDENTIALS, { fetch: server.fetch, scheduler });
  await token.get();
  await scheduler.advance(7 * 24 * 3600_000);
  expect(await token.get()).toBe('at-1');
  token.invalidate();
  expect(await token.get()).toBe('at-2');
});

test('concurrent callers share one token request', async () => {
  const server = tokenServer();
  const token = new ClientCredentialsToken(CREDENTIALS, {
    fetch: server.fetch,
    scheduler: new VirtualScheduler(),
  });
  expect(await Promise.all([token.get(), token.get(), token.get()])).toEqual(['at-1', 'at-1', 'at-1']);
  expect(server.requests).toHaveLength(1);
});

test('a token endpoint error is an SsfHttpError carrying the OAuth error', async () => {
  const { fetch } = recordingFetch(() =>
    jsonResponse(401, { error: 'invalid_client', error_description: 'unknown client' }),
  );
  const token = new ClientCredentialsToken(CREDENTIALS, { fetch, scheduler: new VirtualScheduler() });
  const error = await token.get().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfHttpError);
  expect((error as SsfHttpError).status).toBe(401);
  expect((error as Error).message).toBe('token failed: HTTP 401 (invalid_client: unknown client)');
});

test.each([
  [{ token_type: 'Bearer' }, 'no "access_token"'],
  [{ access_token: 'x', token_type: 'mac' }, '"token_type" "mac"'],
  [{ access_token: 'x' }, '"token_type" null'],
])('a token response %j is refused', async (body, problem) => {
  const { fetch } = recordingFetch(() => jsonResponse(200, body));
  const token = new ClientCredentialsToken(CREDENTIALS, { fetch, scheduler: new VirtualScheduler() });
  const error = await token.get().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfResponseError);
  expect((error as Error).message).toContain(problem);
});

test('a failed token request is not cached: the next call asks again', async () => {
  const { fetch, requests } = recordingFetch((_r, index) =>
    index === 0 ? jsonResponse(503) : jsonResponse(200, { access_token: 'ok', token_type: 'bearer' }),
  );
  const token = new ClientCredentialsToken(CREDENTIALS, { fetch, scheduler: new VirtualScheduler() });
  await expect(token.get()).rejects.toThrow('HTTP 503');
  expect(await token.get()).toBe('ok');
  expect(requests).toHaveLength(2);
});
