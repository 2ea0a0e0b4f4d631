import { describe, test } from 'vitest';
import { expectAllHold, expectFails, rows } from './checks.testing.ts';
import { good, METADATA_CASES, withDoc } from './metadata.cases.testing.ts';
import { type MetadataCapture, metadataChecks } from './metadata.ts';

describe('metadata checks', () => {
  test('all hold over a conforming metadata document', () => expectAllHold(metadataChecks, good));

  test.each(rows(METADATA_CASES))('%s fails: %s', (_id, _why, c) => expectFails(c));

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
