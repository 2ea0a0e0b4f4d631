/** The metadata module's conforming capture and its failing cases. */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { type MetadataCapture, metadataChecks } from './metadata.ts';

export const ISSUER = 'https://tx.example/iss1';

export const good: MetadataCapture = {
  issuer: ISSUER,
  allowHttp: false,
  response: {
    method: 'GET',
    url: 'https://tx.example/.well-known/ssf-configuration/iss1',
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: {
      issuer: ISSUER,
      jwks_uri: 'https://tx.example/iss1/jwks',
      delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
      configuration_endpoint: 'https://tx.example/iss1/streams',
      status_endpoint: 'https://tx.example/iss1/status',
      verification_endpoint: 'https://tx.example/iss1/verify',
      default_subjects: 'NONE',
    },
  },
  jwks: {
    method: 'GET',
    url: 'https://tx.example/iss1/jwks',
    status: 200,
    body: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] },
  },
};

/** `good` with members of the metadata document replaced and `drop` removed. */
export function withDoc(patch: Record<string, unknown>, drop: string[] = []): MetadataCapture {
  const body = { ...(good.response.body as Record<string, unknown>), ...patch };
  for (const d of drop) delete body[d];
  return { ...good, response: { ...good.response, body } };
}

const fails = casesFor(metadataChecks);

export const METADATA_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-metadata-answers-200-json',
    { ...good, response: { ...good.response, contentType: 'text/html' } },
    'The metadata is served as text/html instead of application/json.',
    /Content-Type text\/html/,
  ),
  fails(
    'transmitter-metadata-answers-200-json',
    { ...good, response: { method: 'GET', url: good.response.url, status: 404 } },
    'The well-known URL made by path insertion answers 404.',
    /HTTP 404, not 200/,
  ),
  fails(
    'transmitter-metadata-issuer-is-identical',
    withDoc({ issuer: `${ISSUER}/` }),
    'The metadata "issuer" has a trailing slash the Issuer does not have.',
    /"issuer" is "https:\/\/tx\.example\/iss1\/"/,
  ),
  fails(
    'transmitter-metadata-has-no-empty-arrays',
    withDoc({ critical_subject_members: [] }),
    'The metadata sends "critical_subject_members" as an empty array instead of omitting it.',
    /\/critical_subject_members is an empty array/,
  ),
  fails(
    'transmitter-metadata-default-subjects-is-all-or-none',
    withDoc({ default_subjects: 'SOME' }),
    'The metadata "default_subjects" is "SOME".',
    /"SOME", not "ALL" or "NONE"/,
  ),
  fails(
    'transmitter-metadata-publishes-a-jwks',
    {
      ...good,
      jwks: { method: 'GET', url: 'https://tx.example/iss1/jwks', status: 200, body: { keys: 'no' } },
    },
    'The jwks_uri serves something that is not a JWK Set ("keys" is a string).',
    /keys/,
  ),
  fails(
    'transmitter-metadata-publishes-a-jwks',
    withDoc({}, ['jwks_uri']),
    'The metadata has no "jwks_uri".',
    /no "jwks_uri"/,
  ),
  fails(
    'transmitter-metadata-lists-delivery-methods',
    withDoc({}, ['delivery_methods_supported']),
    'The metadata does not list "delivery_methods_supported".',
    /no "delivery_methods_supported"/,
  ),
  fails(
    'transmitter-metadata-publishes-management-endpoints',
    withDoc({}, ['status_endpoint']),
    'The metadata publishes no "status_endpoint".',
    /no "status_endpoint"/,
  ),
  fails(
    'transmitter-metadata-endpoints-are-https',
    withDoc({ configuration_endpoint: 'http://tx.example/streams' }),
    'The "configuration_endpoint" is a plain http URL.',
    /"configuration_endpoint" is not an https URL/,
  ),
];
