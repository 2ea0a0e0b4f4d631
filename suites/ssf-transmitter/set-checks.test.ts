import { describe, expect, test } from 'vitest';
import { makeFinding } from '../../harness/protocol/index.ts';
import { isSkip } from '../core/index.ts';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type HasSets, setChecks } from './set-checks.ts';
import type { JudgedSet } from './wire.ts';

const checks = setChecks<HasSets>('unit', 'unit test');

const clean: JudgedSet = {
  via: 'push',
  jti: 'j1',
  eventTypes: ['https://schemas.openid.net/secevent/ssf/event-type/verification'],
  state: 's',
  subId: { format: 'opaque', id: 's1' },
  findings: [],
  signature: 'valid',
};

function withFinding(f: ReturnType<typeof makeFinding>): HasSets {
  return { sets: [{ ...clean, findings: [f] }] };
}

describe('SET checks (made per module)', () => {
  test('ids carry the module key and stay kebab-case', () => {
    for (const c of checks) expect(c.id).toMatch(/^transmitter-unit-sets-[a-z0-9-]+$/);
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  test('all hold over a clean, correctly signed SET', () => expectAllHold(checks, { sets: [clean] }));

  test('each fails over a SET the validator found fault with', () =>
    expectEachFails(checks, {
      'transmitter-unit-sets-are-explicitly-typed': withFinding(
        makeFinding('header-typ-is-secevent-jwt', 'SSF-4.1.1', '"typ" is "JWT"'),
      ),
      'transmitter-unit-sets-have-no-sub': withFinding(
        makeFinding('claims-have-no-sub', 'SSF-4.1.2', '"sub" is present'),
      ),
      'transmitter-unit-sets-have-no-exp': withFinding(
        makeFinding('claims-have-no-exp', 'SSF-4.1.7', '"exp" is present'),
      ),
      'transmitter-unit-sets-iss-is-the-issuer': withFinding(
        makeFinding('iss-matches-expected-issuer', 'SSF-4.1.6', '"iss" differs'),
      ),
      'transmitter-unit-sets-aud-names-the-receiver': withFinding(
        makeFinding('aud-includes-expected-audience', 'RFC8935-2', '"aud" does not name the receiver'),
      ),
      'transmitter-unit-sets-signature-verifies': { sets: [{ ...clean, signature: 'invalid' }] },
      'transmitter-unit-sets-meet-the-ssf-profile': withFinding(
        makeFinding('claims-have-sub-id', 'SSF-3.1', 'no sub_id'),
      ),
      'transmitter-unit-sets-meet-the-ssf-recommendations': withFinding(
        makeFinding('claims-have-txn', 'SSF-4.1.9', 'no txn'),
      ),
    }));

  test('a SET whose signature could not be checked (no JWKS) fails the signature check', () => {
    const v = checks
      .find((c) => c.id === 'transmitter-unit-sets-signature-verifies')
      ?.evaluate({ sets: [{ ...clean, signature: 'not-checked', keysProblem: 'no jwks_uri' }] });
    expect(v).toHaveLength(1);
  });

  test('without SETs every check skips', () => {
    for (const c of checks) expect(isSkip(c.evaluate({ sets: [] })), c.id).toBe(true);
  });
});
