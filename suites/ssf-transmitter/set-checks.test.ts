import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../../harness/protocol/index.ts';
import { isSkip } from '../core/index.ts';
import { checkOf, expectAllHold, expectFails, rows } from './checks.testing.ts';
import {
  cleanSet,
  DEVICE_COMPLIANCE_SET,
  STREAM_UPDATED_SET,
  setCheckCases,
  setWithHeader,
  VERIFICATION_SET,
} from './set-checks.cases.testing.ts';
import { type HasSets, setChecks } from './set-checks.ts';

const checks = setChecks<HasSets>('unit', 'unit test');
const failing = await setCheckCases(checks, { sets: [] }, VERIFICATION_SET('push'));
const shapes = [
  VERIFICATION_SET('push'),
  VERIFICATION_SET('poll'),
  STREAM_UPDATED_SET,
  DEVICE_COMPLIANCE_SET,
];

describe('SET checks (made per module)', () => {
  test('ids carry the module key and stay kebab-case', () => {
    for (const c of checks) expect(c.id).toMatch(/^transmitter-unit-sets-[a-z0-9-]+$/);
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  test.each(shapes.map((s) => [s.eventType.split('/').pop(), s.via, s] as const))(
    'all hold over a clean, correctly signed %s SET (%s): the failing cases start from it',
    async (_type, _via, shape) => {
      const clean = await cleanSet(shape);
      expect(clean.findings).toEqual([]);
      expect(clean.signature).toBe('valid');
      expect(clean.eventTypes).toEqual([shape.eventType]);
      expectAllHold(checks, { sets: [clean] });
    },
  );

  test.each(rows(failing))('%s fails: %s', (_id, _why, c) => expectFails(c));

  test('a SET whose signature could not be checked (no JWKS) fails the signature check', async () => {
    const clean = await cleanSet(VERIFICATION_SET('push'));
    const v = checkOf(checks, 'transmitter-unit-sets-signature-verifies').evaluate({
      sets: [{ ...clean, signature: 'not-checked', keysProblem: 'no jwks_uri' }],
    });
    expect(v).toHaveLength(1);
  });

  test('a long-form "typ" is explicitly typed; only the recommendations check warns about its spelling', async () => {
    const longForm = await setWithHeader(VERIFICATION_SET('push'), { typ: 'application/secevent+jwt' });
    expect(longForm.findings.map((f) => [f.check, f.level])).toEqual([
      ['header-typ-is-short-form', 'warning'],
    ]);
    const captured = { sets: [longForm] };
    expect(checkOf(checks, 'transmitter-unit-sets-are-explicitly-typed').evaluate(captured)).toEqual([]);
    expect(checkOf(checks, 'transmitter-unit-sets-meet-the-ssf-profile').evaluate(captured)).toEqual([]);
    const recommendations = checkOf(checks, 'transmitter-unit-sets-meet-the-ssf-recommendations');
    const said = recommendations.evaluate(captured);
    expect(isSkip(said) ? said : said.map((p) => p.message)).toEqual([
      expect.stringMatching(/RFC 8417 §2.3 says the value used SHOULD be "secevent\+jwt" \(RFC7515-4.1.9\)$/),
    ]);
    expect(REQUIREMENTS[recommendations.requirement].level).toBe('warning');
    // "typ": "JWT" is no SET media type at all: still the MUST.
    const jwt = await setWithHeader(VERIFICATION_SET('push'), { typ: 'JWT' });
    expect(
      checkOf(checks, 'transmitter-unit-sets-are-explicitly-typed').evaluate({ sets: [jwt] }),
    ).toHaveLength(1);
  });

  test('without SETs every check skips', () => {
    for (const c of checks) expect(isSkip(c.evaluate({ sets: [] })), c.id).toBe(true);
  });
});
