import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type MetadataCapture, metadataChecks } from './metadata.ts';

const ISSUER = 'https://tx.example/iss1';

const good: MetadataCapture = {
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

function withDoc(patch: Record<string, unknown>, drop: string[] = []): MetadataCapture {
  const body = { ...(good.response.body as Record<string, unknown>), ...patch };
  for (const d of drop) delete body[d];
  return { ...good, response: { ...good.response, body } };
}

describe('metadata checks', () => {
  test('all hold over a conforming metadata document', () => expectAllHold(metadataChecks, good));

  test('each fails over a document that breaks it', () =>
    expectEachFails(metadataChecks, {
      'transmitter-metadata-answers-200-json': {
        ...good,
        response: { ...good.response, contentType: 'text/html' },
      },
      'transmitter-metadata-issuer-is-identical': withDoc({ issuer: `${ISSUER}/` }),
      'transmitter-metadata-has-no-empty-arrays': withDoc({ critical_subject_members: [] }),
      'transmitter-metadata-default-subjects-is-all-or-none': withDoc({ default_subjects: 'SOME' }),
      'transmitter-metadata-publishes-a-jwks': {
        ...good,
        jwks: { method: 'GET', url: 'https://tx.example/iss1/jwks', status: 200, body: { keys: 'no' } },
      },
      'transmitter-metadata-lists-delivery-methods': withDoc({}, ['delivery_methods_supported']),
      'transmitter-metadata-publishes-management-endpoints': withDoc({}, ['status_endpoint']),
      'transmitter-metadata-endpoints-are-https': withDoc({
        configuration_endpoint: 'http://tx.example/streams',
      }),
    }));

  test('a metadata document that cannot be read fails the first check and skips the rest', () => {
    const notFound: MetadataCapture = {
      ...good,
      response: { method: 'GET', url: good.response.url, status: 404 },
    };
    expectAllHold(
      metadataChecks.filter((c) => c.id !== 'transmitter-metadata-answers-200-json'),
      notFound,
      metadataChecks.map((c) => c.id),
    );
  });

  test('allowHttp skips the https check', () =>
    expectAllHold(metadataChecks, { ...withDoc({ configuration_endpoint: 'http://x/s' }), allowHttp: true }, [
      'transmitter-metadata-endpoints-are-https',
    ]));
});
