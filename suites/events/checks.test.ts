/**
 * The events checks, judged purely over captured findings: each generated (type, profile) check fails when
 * the well-formed example draws a finding or a broken variant draws no failure, holds otherwise, and is
 * skipped when its profile is not selected; the captured-SET checks sort findings by level.
 */
import { describe, expect, test } from 'vitest';
import {
  EVENT_TYPES,
  EVENT_URIS,
  type EventType,
  type Finding,
  makeFinding,
  PROFILE_NAMES,
  REQUIREMENTS,
} from '../../harness/protocol/index.ts';
import { isSkip, type Verdict } from '../core/index.ts';
import type { ProfileCapture, TypeResult } from './build.ts';
import { appliesTo } from './build.ts';
import { CAPTURED_CHECKS, type CapturedCapture, PROFILE_CHECKS, typeCheckId } from './checks.ts';
import { mutationsFor, NOT_AN_OBJECT } from './negatives.ts';

const messages = (v: Verdict): string[] => (isSkip(v) ? [`skip: ${v.skip}`] : v.map((p) => p.message));

const failure: Finding = makeFinding(
  'event-payload-matches-event-schema',
  'CAEP-3.3',
  'change_type must be one of create, revoke, update, delete',
  { path: '/payload/events/x/change_type' },
);
const warning: Finding = makeFinding('claims-have-txn', 'SSF-4.1.9', 'the SET has no "txn"');
const info: Finding = makeFinding(
  'subject-format-is-registered',
  'SSF-3.4',
  'format "x-acme" is proprietary',
);

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
    expect(new Set(PROFILE_NAMES.flatMap((p) => PROFILE_CHECKS[p].map((c) => c.id))).size).toBe(42);
    expect(check?.id).toBe('events-caep-credential-change-under-ssf');
  });

  test('holds: clean valid example, every broken variant draws a failure', () => {
    const verdict = check?.evaluate(
      capture({ valid: [], broken: [{ what: 'without "change_type"', findings: [failure] }] }),
    );
    expect(verdict).toEqual([]);
  });

  test('fails: the valid example draws a finding (any level)', () => {
    const verdict = check?.evaluate(capture({ valid: [warning], broken: [] })) as Verdict;
    expect(messages(verdict)).toEqual([
      expect.stringMatching(
        /well-formed credential-change example draws a finding: \[warning SSF-4\.1\.9 claims-have-txn\]/,
      ),
    ]);
  });

  test('fails: a broken variant draws no failure, or only a warning', () => {
    const verdict = check?.evaluate(
      capture({
        valid: [],
        broken: [
          { what: 'without "credential_type"', findings: [] },
          { what: 'with "change_type": "rotate"', findings: [warning] },
        ],
      }),
    ) as Verdict;
    expect(messages(verdict)).toEqual([
      expect.stringMatching(/without "credential_type" is not rejected \(no finding at all\)/),
      expect.stringMatching(/"rotate" is not rejected: only \[warning/),
    ]);
  });

  test('fails when the type was never built; skipped when the profile is not selected', () => {
    expect(messages(check?.evaluate({ profile: 'ssf', selected: true, results: {} }) as Verdict)).toEqual([
      expect.stringMatching(/no credential-change SET was built/),
    ]);
    expect(messages(check?.evaluate(capture({ valid: [], broken: [] }, false)) as Verdict)).toEqual([
      expect.stringMatching(/^skip: the ssf profile is not selected/),
    ]);
  });
});

test.each(PROFILE_NAMES.flatMap((p) => PROFILE_CHECKS[p].map((c) => ({ p, c, id: c.id }))))(
  '$id fails on a dirty example and holds on a clean one',
  ({ p, c }) => {
    const type = EVENT_TYPES.find((t) => typeCheckId(t, p) === c.id) as EventType;
    const of = (result: TypeResult): ProfileCapture => ({
      profile: p,
      selected: true,
      results: { [type.uri]: result },
    });
    expect(c.evaluate(of({ valid: [], broken: [{ what: 'broken', findings: [failure] }] }))).toEqual([]);
    expect(c.evaluate(of({ valid: [failure], broken: [{ what: 'broken', findings: [info] }] }))).toHaveLength(
      2,
    );
  },
);

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
  const judged: CapturedCapture = {
    judged: [
      { index: 0, profile: 'okta', findings: [failure, warning, info] },
      { index: 1, profile: 'ssf', findings: [], jwksProblem: 'HTTP 404 from https://tx.example/jwks' },
    ],
  };
  const clean: CapturedCapture = { judged: [{ index: 0, profile: 'ssf', findings: [] }] };

  test('their requirements have the level they gather', () => {
    expect([must, should, may].map((c) => (c ? REQUIREMENTS[c.requirement].level : undefined))).toEqual([
      'failure',
      'warning',
      'info',
    ]);
  });

  test('MUST: fails on a failure finding or a JWKS that could not be had; holds on clean SETs', () => {
    expect(messages(must?.evaluate(judged) as Verdict)).toEqual([
      expect.stringMatching(
        /^SET #0 \(okta\): \[failure CAEP-3\.3 event-payload-matches-event-schema at \/payload/,
      ),
      expect.stringMatching(/^SET #1 \(ssf\): its JWKS could not be had: HTTP 404/),
    ]);
    expect(must?.evaluate(clean)).toEqual([]);
  });

  test('SHOULD and MAY: only their own level', () => {
    expect(messages(should?.evaluate(judged) as Verdict)).toEqual([
      expect.stringMatching(/^SET #0 \(okta\): \[warning/),
    ]);
    expect(messages(may?.evaluate(judged) as Verdict)).toEqual([
      expect.stringMatching(/^SET #0 \(okta\): \[info/),
    ]);
    expect(should?.evaluate(clean)).toEqual([]);
    expect(may?.evaluate(clean)).toEqual([]);
  });
});
