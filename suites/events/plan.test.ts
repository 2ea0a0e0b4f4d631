/**
 * The events plan run end to end without a lab: the catalogue modules pass under the profiles asked for and
 * skip the others, and captured SETs — here signed by a stand-in transmitter whose JWKS is fetched through
 * the context — are judged under their profile, a broken one failing the MUST check.
 */
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import {
  buildEventSet,
  EVENT_URIS,
  exampleEventFor,
  generateSigningKey,
  publicJwks,
  signSet,
} from '../../harness/protocol/index.ts';
import { type CertificationRecord, checksOf, Timeline } from '../../harness/records/index.ts';
import { createInjectFetch } from '../../harness/ssf/index.ts';
import { runPlans } from '../core/index.ts';
import { type EventsOptions, eventsPlan } from './index.ts';

const TX = 'https://tx.events-test.example';

async function run(options: EventsOptions): Promise<CertificationRecord> {
  const { key } = await generateSigningKey('RS256', { kid: 'tx-1' });
  const jwksApp = Fastify();
  jwksApp.get('/jwks', async () => publicJwks(key));
  const fetch = createInjectFetch(new Map([[TX, jwksApp]]));
  const claims = buildEventSet({
    iss: TX,
    aud: 'https://rx.example',
    eventType: EVENT_URIS.sessionRevoked,
    ...exampleEventFor(EVENT_URIS.sessionRevoked),
    txn: 't-1',
  });
  const good = await signSet(claims, key);
  const bad = await signSet({ ...claims, exp: 1 }, key);
  const sets = (options.sets ?? []).map((s) =>
    typeof s === 'string'
      ? s.replace('GOOD', good).replace('BAD', bad)
      : { ...s, set: s.set === 'GOOD' ? good : bad },
  );
  return runPlans([{ plan: eventsPlan, options: { ...options, ...(options.sets ? { sets } : {}) } }], {
    target: { name: 'events test', kind: 'file' },
    toolVersion: 'test',
    context: {
      fetch,
      serve: () => Promise.reject(new Error('not used')),
      timeline: new Timeline({ services: new Map() }),
      now: () => Date.now(),
      sleep: () => Promise.resolve(),
      signal: new AbortController().signal,
    },
  });
}

test('only the selected profiles are judged; captured SETs skip without the option', async () => {
  const record = await run({ profiles: ['okta'] });
  const checks = checksOf(record);
  expect(checks.filter((c) => c.status === 'passed').map((c) => c.id)).toHaveLength(6);
  expect(checks.filter((c) => c.status === 'passed').every((c) => c.id.endsWith('-under-okta'))).toBe(true);
  expect(checks.filter((c) => c.status === 'skipped')).toHaveLength(41 - 6 + 3);
  expect(record.passed).toBe(true);
});

test('captured SETs: a good one passes its profile, one with "exp" fails the MUST check', async () => {
  const record = await run({
    profiles: ['ssf'],
    sets: [
      { set: 'GOOD', issuer: TX, audience: 'https://rx.example', jwksUri: `${TX}/jwks` },
      { set: 'BAD', jwksUri: `${TX}/jwks` },
    ],
  });
  const captured = Object.fromEntries(
    checksOf(record)
      .filter((c) => c.module === 'captured-sets')
      .map((c) => [c.id, c.findings.map((f) => f.message)]),
  );
  expect(captured['events-captured-sets-meet-every-must']).toEqual([
    expect.stringMatching(/^SET #1 \(ssf\): \[failure SSF-4\.1\.7 claims-have-no-exp/),
  ]);
  expect(captured['events-captured-sets-meet-every-should']).toEqual([]);
  expect(record.passed).toBe(false);
});

test('a JWKS that cannot be fetched is a MUST finding, not a crash', async () => {
  const record = await run({ profiles: ['ssf'], sets: [{ set: 'GOOD', jwksUri: `${TX}/missing` }] });
  const must = checksOf(record).find((c) => c.id === 'events-captured-sets-meet-every-must');
  expect(must?.status).toBe('failed');
  expect(must?.findings[0]?.message).toMatch(/JWKS could not be had/);
});
