/**
 * The events checks, judged purely over captured findings: each generated (type, profile) check fails when
 * the well-formed example draws a finding or a broken variant draws no failure, holds otherwise, and is
 * skipped when its profile is not selected; the captured-SET checks sort findings by level. The captures
 * that make them fail are the plan's failing cases (failing-cases.testing.ts): each is asserted to fail here,
 * and a few to say what is wrong.
 */
import { describe, expect, test } from 'vitest';
import {
  EVENT_TYPES,
  EVENT_URIS,
  type EventType,
  PROFILE_NAMES,
  REQUIREMENTS,
} from '../../harness/protocol/index.ts';
import { describeFailingCases, type FailingCase } from '../core/failing.testing.ts';
import { isSkip, type Verdict } from '../core/index.ts';
import type { ProfileCapture, TypeResult } from './build.ts';
import { appliesTo } from './build.ts';
import { CAPTURED_CHECKS, type CapturedCapture, PROFILE_CHECKS, typeCheckId } from './checks.ts';
import { FAILING_CASES, SCHEMA_FAILURE as failure } from './failing-cases.testing.ts';
import { eventsPlan } from './index.ts';
import { mutationsFor, NOT_AN_OBJECT } from './negatives.ts';

const messages = (v: Verdict): string[] => (isSkip(v) ? [`skip: ${v.skip}`] : v.map((p) => p.message));

/** The table's cases of `checkId` whose `why` matches: at least one, or the wording test proves nothing. */
function casesSaying(checkId: string, why: RegExp | string): readonly FailingCase[] {
  const says = (text: string): boolean => (typeof why === 'string' ? text.startsWith(why) : why.test(text));
  const found = FAILING_CASES.filter((c) => c.check.id === checkId && says(c.why));
  expect(found.length, `no failing case of ${checkId} says ${why}`).toBeGreaterThan(0);
  return found;
}

const messagesOf = (c: FailingCase): string[] => messages(c.check.evaluate(c.captured));

const credentialChange = EVENT_TYPES.find((t) => t.uri === EVENT_URIS.credentialChange) as EventType;
const check = PROFILE_CHECKS.ssf.find((c) => c.id === typeCheckId(credentialChange, 'ssf'));

function capture(result: TypeResult, selected = true): ProfileCapture {
  return { profile: 'ssf', selected, results: { [credentialChange.uri]: result } };
}

describe('generated (event type, profile) checks', () => {
  test('one check per applicable pair, each citing the type’s requirement (Okta’s under okta)', () => {
    for (const profile of PROFILE_NAMES) {
      const applicable = EVENT_TYPES.filter((t) => appliesTo(profile, t));
      expect(PROFILE_CHECKS[profile].map((c) => c.id)).toEqual(
        applicable.map((t) => typeCheckId(t, profile)),
      );
      for (const [i, c] of PROFILE_CHECKS[profile].entries()) {
        const type = applicable[i] as EventType;
        expect(c.requirement).toBe(profile === 'okta' ? type.okta?.requirement : type.requirement);
      }
    }
    expect(PROFILE_CHECKS.okta).toHaveLength(6);
    expect(new Set(PROFILE_NAMES.flatMap((p) => PROFILE_CHECKS[p].map((c) => c.id))).size).toBe(41);
    expect(check?.id).toBe('events-caep-credential-change-under-ssf');
  });

  test('holds: clean valid example, every broken variant draws a failure', () => {
    const verdict = check?.evaluate(
      capture({ valid: [], broken: [{ what: 'without "change_type"', findings: [failure] }] }),
    );
    expect(verdict).toEqual([]);
  });

  test('the failing cases say which example draws what', () => {
    const id = 'events-caep-credential-change-under-ssf';
    for (const c of casesSaying(id, /example draws a warning/))
      expect(messagesOf(c)).toEqual([
        expect.stringMatching(
          /well-formed credential-change example draws a finding: \[warning SSF-4\.1\.9 claims-have-txn\]/,
        ),
      ]);
    for (const c of casesSaying(id, /"rotate" only a warning/))
      expect(messagesOf(c)).toEqual([
        expect.stringMatching(/without "credential_type" is not rejected \(no finding at all\)/),
        expect.stringMatching(/"rotate" is not rejected: only \[warning/),
      ]);
    for (const c of casesSaying(id, /no credential-change SET was built/))
      expect(messagesOf(c)).toEqual([expect.stringMatching(/no credential-change SET was built/)]);
  });

  test('skipped when the profile is not selected', () => {
    expect(messages(check?.evaluate(capture({ valid: [], broken: [] }, false)) as Verdict)).toEqual([
      expect.stringMatching(/^skip: the ssf profile is not selected/),
    ]);
  });
});

test.each(PROFILE_NAMES.flatMap((p) => PROFILE_CHECKS[p].map((c) => ({ p, c, id: c.id }))))(
  '$id holds on a clean example whose broken variant draws a failure',
  ({ p, c }) => {
    const type = EVENT_TYPES.find((t) => typeCheckId(t, p) === c.id) as EventType;
    const of = (result: TypeResult): ProfileCapture => ({
      profile: p,
      selected: true,
      results: { [type.uri]: result },
    });
    expect(c.evaluate(of({ valid: [], broken: [{ what: 'broken', findings: [failure] }] }))).toEqual([]);
  },
);

describeFailingCases(eventsPlan.modules, FAILING_CASES);

describe('failing cases, by type', () => {
  test('a generated check fails on each broken variant of its type let through', () => {
    const id = 'events-caep-credential-change-under-ssf';
    for (const what of mutationsFor('caep/credential-change', 'ssf').map((m) => m.what))
      for (const c of casesSaying(
        id,
        `Under the ssf profile the credential-change example ${what} draws no finding`,
      ))
        expect(messagesOf(c)).toEqual([
          expect.stringContaining(`${what} is not rejected (no finding at all)`),
        ]);
  });
});

describe('broken variants', () => {
  test('spec-derived where the spec defines members; the shared variant otherwise', () => {
    expect(mutationsFor('caep/credential-change', 'ssf').map((m) => m.what)).toEqual([
      'without "credential_type"',
      'without "change_type"',
      'with "change_type": "rotate"',
    ]);
    expect(mutationsFor('caep/credential-change', 'caep-interop').map((m) => m.what)).toContain(
      'without "reason_admin"',
    );
    expect(mutationsFor('risc/opt-in', 'ssf')).toEqual([NOT_AN_OBJECT]);
    expect(mutationsFor('caep/session-revoked', 'okta').map((m) => m.what)).toEqual([
      'without "subject"',
      'without "event_timestamp"',
    ]);
  });
});

describe('captured-SET checks', () => {
  const [must, should, may] = CAPTURED_CHECKS;
  const clean: CapturedCapture = { judged: [{ index: 0, profile: 'ssf', findings: [] }] };

  test('their requirements have the level they gather', () => {
    expect([must, should, may].map((c) => (c ? REQUIREMENTS[c.requirement].level : undefined))).toEqual([
      'failure',
      'warning',
      'info',
    ]);
  });

  test('MUST: fails on a failure finding or a JWKS that could not be had; holds on clean SETs', () => {
    const id = 'events-captured-sets-meet-every-must';
    for (const c of casesSaying(id, /"change_type" outside/))
      expect(messagesOf(c)).toEqual([
        expect.stringMatching(
          /^SET #0 \(okta\): \[failure CAEP-3\.3 event-payload-matches-event-schema at \/payload/,
        ),
      ]);
    for (const c of casesSaying(id, /carries "exp"/))
      expect(messagesOf(c)).toEqual([expect.stringMatching(/^SET #0 \(ssf\): \[failure SSF-4\.1\.7/)]);
    for (const c of casesSaying(id, /JWKS answered 404/))
      expect(messagesOf(c)).toEqual([
        expect.stringMatching(/^SET #1 \(ssf\): its JWKS could not be had: HTTP 404/),
      ]);
    expect(must?.evaluate(clean)).toEqual([]);
  });

  test('SHOULD and MAY: only their own level', () => {
    for (const c of casesSaying('events-captured-sets-meet-every-should', /no "txn"/))
      expect(messagesOf(c)).toEqual([expect.stringMatching(/^SET #0 \(okta\): \[warning/)]);
    for (const c of casesSaying('events-captured-sets-use-catalogued-types-and-formats', /"x-acme"/))
      expect(messagesOf(c)).toEqual([expect.stringMatching(/^SET #0 \(okta\): \[info/)]);
    expect(should?.evaluate(clean)).toEqual([]);
    expect(may?.evaluate(clean)).toEqual([]);
  });
});
