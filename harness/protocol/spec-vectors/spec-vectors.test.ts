/**
 * The specifications' examples, judged: each vector runs through the validator (SETs, subjects, event
 * fragments) or its JSON Schema (wire objects), and the exact set of check ids raised — with their
 * levels — must be the vector's verdict for that profile. A verdict that changes is either a validator
 * change the spec text supports (update the vector and its reason) or a regression.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { EVENT_URIS } from '../event-types.ts';
import { PROFILE_NAMES, type ProfileName } from '../validator/profiles.ts';
import { SPEC_VECTORS } from './index.ts';
import {
  type Judge,
  judgeClaims,
  judgeFragment,
  judgeSubject,
  judgeToken,
  makeJudge,
  verdictOf,
  WRAPPER_SUBJECT,
  wireErrorPaths,
} from './judge.testing.ts';
import { isNotApplicable, type SpecVector, type Verdict } from './types.ts';

let judge: Judge;
beforeAll(async () => {
  judge = await makeJudge();
});

type Judged = Exclude<SpecVector, { kind: 'wire' } | { kind: 'no-body' }>;

function findingsOf(v: Judged, profile: ProfileName) {
  switch (v.kind) {
    case 'claims':
      return judgeClaims(judge, v, profile);
    case 'token':
      return judgeToken(judge, v, profile);
    case 'subject':
      return judgeSubject(judge, v, profile);
    case 'fragment':
      return judgeFragment(judge, v, profile);
  }
}

const judged = SPEC_VECTORS.filter((v): v is Judged => v.kind !== 'wire' && v.kind !== 'no-body');
const cases = judged.flatMap((v) =>
  PROFILE_NAMES.flatMap((profile) => {
    const verdict = v.expect[profile];
    return isNotApplicable(verdict) ? [] : [{ name: `${v.id} under ${profile}`, v, profile, verdict }];
  }),
);

describe('spec example SETs, subjects and fragments', () => {
  test.each(cases)('$name', async ({ v, profile, verdict }) => {
    const findings = await findingsOf(v, profile);
    const expected = Object.fromEntries(Object.entries(verdict as Verdict).map(([id, e]) => [id, e?.level]));
    expect(
      verdictOf(findings),
      findings.map((f) => `${f.level} ${f.check}: ${f.message}`).join('\n'),
    ).toEqual(expected);
  });
});

describe('spec example wire objects', () => {
  const wires = SPEC_VECTORS.filter((v) => v.kind === 'wire');
  test.each(wires.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    expect(wireErrorPaths(v)).toEqual(Object.keys(v.errors).sort());
  });
});

describe('the vectors themselves', () => {
  test('the wrapper a subject or fragment is judged in draws no finding by itself', async () => {
    for (const profile of ['ssf', 'caep-interop'] as const) {
      const base = { id: 'wrapper', source: 'the wrapper alone', expect: {} as never };
      expect(
        await judgeSubject(judge, { ...base, kind: 'subject', subject: WRAPPER_SUBJECT }, profile),
      ).toEqual([]);
      const fragment = {
        ...base,
        kind: 'fragment',
        eventType: EVENT_URIS.sessionRevoked,
        fragment: {},
      } as const;
      expect(await judgeFragment(judge, fragment, profile)).toEqual([]);
    }
  });

  test('every numbered figure of every document is a vector, so none is skipped silently', () => {
    const figures = { rfc8417: 6, rfc8935: 5, rfc8936: 7, rfc9493: 20, ssf: 47, caep: 12, risc: 6 };
    const ids = new Set(SPEC_VECTORS.map((v) => v.id));
    const missing = Object.entries(figures).flatMap(([doc, count]) =>
      Array.from({ length: count }, (_, i) => `${doc}-figure-${i + 1}`).filter((id) => !ids.has(id)),
    );
    expect(missing).toEqual([]);
  });

  test('ids are unique, and every expected finding and not-applicable profile says why', () => {
    const ids = SPEC_VECTORS.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of SPEC_VECTORS) {
      expect(v.source, v.id).toMatch(/\S/);
      if (v.kind === 'wire') for (const why of Object.values(v.errors)) expect(why, v.id).toMatch(/\S{3}/);
      else if (v.kind === 'no-body') expect(v.why, v.id).toMatch(/\S{3}/);
      else
        for (const verdict of Object.values(v.expect)) {
          const whys = isNotApplicable(verdict)
            ? [verdict.notApplicable]
            : Object.values(verdict).map((e) => e?.why);
          for (const why of whys) expect(why, v.id).toMatch(/\S{3}/);
        }
    }
  });
});
