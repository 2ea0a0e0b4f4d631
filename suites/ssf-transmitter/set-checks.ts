/**
 * Checks over every SET a module received, judged by the protocol core's validator (`validateSet`, the
 * `ssf` profile, the transmitter's JWKS). The same checks apply to each module that receives SETs, so
 * they are made per module with the module's key in the id (`transmitter-push-sets-…`): check ids stay
 * unique across the plan and a finding says which conversation the SET came from.
 */
import type { Finding, RequirementId } from '../../harness/protocol/index.ts';
import { type Check, defineCheck, type Problem, problem, skip, type Verdict } from '../core/index.ts';
import type { JudgedSet } from './wire.ts';

export interface HasSets {
  readonly sets: readonly JudgedSet[];
}

const GROUPS: readonly {
  readonly suffix: string;
  readonly title: string;
  readonly requirement: RequirementId;
  readonly validatorChecks: readonly string[];
}[] = [
  {
    // SSF-4.1.1 (MUST): explicit typing with the SET media type, which RFC 7515 §4.1.9 lets "typ" spell
    // "secevent+jwt" or "application/secevent+jwt". The long form only breaks RFC 8417 §2.3's SHOULD: the
    // validator reports it as `header-typ-is-short-form`, a warning the recommendations check below carries.
    suffix: 'are-explicitly-typed',
    title: 'Every SET is explicitly typed: its JOSE "typ" is the media type application/secevent+jwt.',
    requirement: 'SSF-4.1.1',
    validatorChecks: ['header-typ-is-secevent-jwt'],
  },
  {
    suffix: 'have-no-sub',
    title: 'No SET carries the JWT "sub" claim.',
    requirement: 'SSF-4.1.2',
    validatorChecks: ['claims-have-no-sub'],
  },
  {
    suffix: 'have-no-exp',
    title: 'No SET carries the "exp" claim.',
    requirement: 'SSF-4.1.7',
    validatorChecks: ['claims-have-no-exp'],
  },
  {
    suffix: 'iss-is-the-issuer',
    title: 'Every SET\'s "iss" is identical to the Issuer the metadata was discovered for.',
    requirement: 'SSF-4.1.6',
    validatorChecks: ['iss-matches-expected-issuer', 'claims-have-iss'],
  },
  {
    suffix: 'aud-names-the-receiver',
    title: 'Every SET carries an "aud" naming this receiver.',
    requirement: 'RFC8935-2',
    validatorChecks: ['claims-have-aud', 'aud-includes-expected-audience', 'aud-is-string-or-string-array'],
  },
];

const GROUPED = new Set(GROUPS.flatMap((g) => g.validatorChecks));
const SIGNATURE = new Set([
  'signature-is-valid',
  'signing-key-is-published',
  'jwks-is-retrievable',
  'jwks-is-valid-jwk-set',
]);

function label(s: JudgedSet): string {
  return `SET ${s.jti ?? '(no jti)'} (${s.via})`;
}

function fromFindings(sets: readonly JudgedSet[], keep: (f: Finding) => boolean): Verdict {
  if (sets.length === 0) return skip('no SET was received in this module');
  const out: Problem[] = [];
  for (const s of sets) {
    for (const f of s.findings.filter(keep)) {
      out.push(
        problem(`${label(s)}: ${f.message} (${f.requirement})`, {
          validatorCheck: f.check,
          ...(f.path === undefined ? {} : { path: f.path }),
          ...(f.evidence === undefined ? {} : { value: f.evidence }),
        }),
      );
    }
  }
  return out;
}

/** The SET checks for one module, ids `transmitter-<key>-sets-…`. */
export function setChecks<C extends HasSets>(key: string, where: string): Check<C>[] {
  const grouped = GROUPS.map((g) =>
    defineCheck<C>({
      id: `transmitter-${key}-sets-${g.suffix}`,
      title: g.title.replace('.', ` (${where}).`),
      requirement: g.requirement,
      evaluate: (c) => fromFindings(c.sets, (f) => g.validatorChecks.includes(f.check)),
    }),
  );
  return [
    ...grouped,
    defineCheck<C>({
      id: `transmitter-${key}-sets-signature-verifies`,
      title: `Every SET's signature verifies with a key from the transmitter's jwks_uri (${where}).`,
      requirement: 'RFC8935-2',
      evaluate: (c) => {
        if (c.sets.length === 0) return skip('no SET was received in this module');
        const out: Problem[] = [];
        for (const s of c.sets) {
          if (s.keysProblem !== undefined)
            out.push(problem(`${label(s)}: the signature could not be checked: ${s.keysProblem}`));
          else if (s.signature !== 'valid')
            out.push(problem(`${label(s)}: the signature is ${s.signature}`, { signature: s.signature }));
          for (const f of s.findings.filter((f) => SIGNATURE.has(f.check)))
            out.push(problem(`${label(s)}: ${f.message}`, { validatorCheck: f.check }));
        }
        return out;
      },
    }),
    defineCheck<C>({
      id: `transmitter-${key}-sets-meet-the-ssf-profile`,
      title: `Every SET meets the validator's other failure-level rules of the SSF profile (${where}).`,
      requirement: 'SSF-4.1-SET',
      evaluate: (c) =>
        fromFindings(
          c.sets,
          (f) => f.level === 'failure' && !GROUPED.has(f.check) && !SIGNATURE.has(f.check),
        ),
    }),
    defineCheck<C>({
      id: `transmitter-${key}-sets-meet-the-ssf-recommendations`,
      title: `Every SET meets the validator's warning-level rules of the SSF profile (${where}).`,
      requirement: 'SSF-4.1-SET-SHOULD',
      evaluate: (c) => fromFindings(c.sets, (f) => f.level === 'warning' && !GROUPED.has(f.check)),
    }),
  ];
}
