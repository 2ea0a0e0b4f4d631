/**
 * Transmitter discovery: the path-insertion well-known URL (asserted as the exact URL requested), the
 * byte-identical issuer rule, schema validation of the metadata, and every way a fetch can fail — against
 * an injected fetch, and once end to end against a fastify stub on 127.0.0.1.
 */
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import {
  type DiscoveryOptions,
  discoverTransmitter,
  SsfDiscoveryError,
  ssfConfigurationUrl,
} from './discovery.ts';
import { jsonResponse, never, recordingFetch } from './receiver.testing.ts';

const ISSUER = 'https://tx.example.com/issuer1';

function metadata(issuer = ISSUER): Record<string, unknown> {
  return {
    spec_version: '1_0',
    issuer,
    jwks_uri: 'https://tx.example.com/jwks.json',
    delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
    configuration_endpoint: 'https://tx.example.com/ssf/streams',
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
  };
}

async function discoveryError(issuer: string, options: DiscoveryOptions): Promise<SsfDiscoveryError> {
  const error = await discoverTransmitter(issuer, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SsfDiscoveryError);
  return error as SsfDiscoveryError;
}

test.each([
  ['https://tx.example.com/issuer1', 'https://tx.example.com/.well-known/ssf-configuration/issuer1'],
  ['https://tx.example.com/issuer1/', 'https://tx.example.com/.well-known/ssf-configuration/issuer1'],
  ['https://tx.example.com/a/b', 'https://tx.example.com/.well-known/ssf-configuration/a/b'],
  ['https://tx.example.com', 'https://tx.example.com/.well-known/ssf-configuration'],
  ['https://tx.example.com/', 'https://tx.example.com/.well-known/ssf-configuration'],
  ['https://tx.example.com:8443/t', 'https://tx.example.com:8443/.well-known/ssf-configuration/t'],
])('the configuration URL of %s is %s (path insertion)', (issuer, url) => {
  expect(ssfConfigurationUrl(issuer)).toBe(url);
});

test.each([
  ['http://tx.example.com/issuer1', 'not an https URL'],
  ['https://tx.example.com/issuer1?tenant=1', 'query or fragment'],
  ['https://tx.example.com/issuer1#x', 'query or fragment'],
  ['tx.example.com/issuer1', 'not a URL'],
])('the Issuer %s is refused: %s', (issuer, problem) => {
  expect(() => ssfConfigurationUrl(issuer)).toThrow(problem);
});

test('discovery GETs exactly the path-inserted URL and returns the metadata', async () => {
  const { fetch, requests } = recordingFetch(() => jsonResponse(200, metadata()));
  const result = await discoverTransmitter(ISSUER, { fetch });
  expect(requests.map((r) => [r.method, r.url])).toEqual([
    ['GET', 'https://tx.example.com/.well-known/ssf-configuration/issuer1'],
  ]);
  expect(requests[0]?.headers.accept).toBe('application/json');
  expect(result.issuer).toBe(ISSUER);
  expect(result.configuration_endpoint).toBe('https://tx.example.com/ssf/streams');
});

test.each([
  ['a trailing slash the Issuer lacks', ISSUER, `${ISSUER}/`],
  ['no trailing slash where the Issuer has one', `${ISSUER}/`, ISSUER],
  ['another path', ISSUER, 'https://tx.example.com/issuer2'],
  ['another case of the host', ISSUER, 'https://TX.example.com/issuer1'],
])('metadata naming the issuer with %s is refused', async (_label, asked, answered) => {
  const { fetch } = recordingFetch(() => jsonResponse(200, metadata(answered)));
  const error = await discoveryError(asked, { fetch });
  expect(error.message).toContain('not identical');
  expect(error.message).toContain(answered);
  expect(error.issuer).toBe(asked);
});

test('metadata with an empty array is refused, naming the member', async () => {
  const { fetch } = recordingFetch(() =>
    jsonResponse(200, { ...metadata(), delivery_methods_supported: [] }),
  );
  const error = await discoveryError(ISSUER, { fetch });
  expect(error.message).toContain('delivery_methods_supported');
  expect(error.message).toContain('is invalid');
});

test('metadata without an issuer is refused', async () => {
  const { issuer: _omitted, ...rest } = metadata();
  const { fetch } = recordingFetch(() => jsonResponse(200, rest));
  expect((await discoveryError(ISSUER, { fetch })).message).toContain('missing required member "issuer"');
});

test.each([
  ['a 404', () => jsonResponse(404, { error: 'not_found' }), 'answered HTTP 404, not 200'],
  ['a 301', () => new Response(null, { status: 301, headers: { location: '/x' } }), 'HTTP 301'],
  [
    'HTML',
    () => new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    'Content-Type "text/html", not application/json',
  ],
  [
    'JSON that is not an object',
    () => new Response('[1]', { status: 200, headers: { 'content-type': 'application/json' } }),
    'is not a JSON object',
  ],
  [
    'a duplicate issuer member',
    () =>
      new Response(`{"issuer":"${ISSUER}","issuer":"https://evil.example.com"}`, {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      }),
    '"issuer" twice',
  ],
  [
    'an oversized document',
    () => jsonResponse(200, { ...metadata(), padding: 'x'.repeat(70_000) }),
    'larger than 65536 bytes',
  ],
] as const)('a response with %s is refused', async (_label, respond, problem) => {
  const { fetch } = recordingFetch(respond);
  expect((await discoveryError(ISSUER, { fetch })).message).toContain(problem);
});

test('a transmitter that never answers is given up on after timeoutMs', async () => {
  const { fetch } = recordingFetch(never);
  const error = await discoveryError(ISSUER, { fetch, timeoutMs: 30 });
  expect(error.message).toContain('no answer within 30 ms');
});

test('discovery works end to end against a stub transmitter on 127.0.0.1', async () => {
  const app = Fastify();
  const seen: string[] = [];
  app.get('/*', async (request, reply) => {
    seen.push(request.url);
    return reply.type('application/json').send(metadata());
  });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // The Issuer is https; route it to the stub's plain-HTTP socket.
    const viaStub: typeof fetch = (input, init) =>
      fetch(String(input).replace('https://tx.example.com', address), init);
    const result = await discoverTransmitter(ISSUER, { fetch: viaStub });
    expect(result.issuer).toBe(ISSUER);
    expect(seen).toEqual(['/.well-known/ssf-configuration/issuer1']);
  } finally {
    await app.close();
  }
});
