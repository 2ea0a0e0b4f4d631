/**
 * The events checks, generated from the catalogue: one per (event type, profile) pair the profile applies
 * to, citing the requirement that defines the type's payload (Okta's, under the okta profile). A check
 * holds when the well-formed example draws no finding at all and every broken variant draws at least one
 * failure. One check per pair, rather than one per profile listing the failing types, so that a report row
 * names the event type and its own requirement, and the ledger can tolerate one type without hiding others.
 *
 * Captured SETs (the `sets` option) are judged by three checks that gather the validator's findings by
 * level, each finding's message keeping the specific requirement and validator check it comes from.
 */
import {
  EVENT_TYPES,
  type EventType,
  type Finding,
  type FindingLevel,
  PROFILE_NAMES,
  type ProfileName,
  type RequirementId,
} from '../../harness/protocol/index.ts';
import { type Check, defineCheck, type Problem, problem, skip } from '../core/index.ts';
import { appliesTo, type ProfileCapture } from './build.ts';

function describe(f: Finding): string {
  return `[${f.level} ${f.requirement} ${f.check}${f.path === undefined ? '' : ` at ${f.path}`}] ${f.message}`;
}

function requirementOf(type: EventType, profile: ProfileName): RequirementId {
  return profile === 'okta' && type.okta ? type.okta.requirement : type.requirement;
}

/** The verdict for one type under one profile, from its capture. */
export function judgeType(capture: ProfileCapture, type: EventType): readonly Problem[] | { skip: string } {
  if (!capture.selected) return skip(`the ${capture.profile} profile is not selected (option "profiles")`);
  const result = capture.results[type.uri];
  if (!result) return [problem(`no ${type.name} SET was built under the ${capture.profile} profile`)];
  const problems: Problem[] = result.valid.map((f) =>
    problem(`the well-formed ${type.name} example draws a finding: ${describe(f)}`, f.evidence),
  );
  for (const r of result.broken) {
    if (r.findings.some((f) => f.level === 'failure')) continue;
    problems.push(
      problem(
        `the ${type.name} example ${r.what} is not rejected${
          r.findings.length === 0 ? ' (no finding at all)' : `: only ${r.findings.map(describe).join('; ')}`
        }`,
      ),
    );
  }
  return problems;
}

export function typeCheckId(type: EventType, profile: ProfileName): string {
  return `events-${type.family}-${type.name}-under-${profile}`;
}

/** The checks of one profile's module, one per applicable event type. */
export function profileChecks(profile: ProfileName): readonly Check<ProfileCapture>[] {
  return EVENT_TYPES.filter((t) => appliesTo(profile, t)).map((type) =>
    defineCheck<ProfileCapture>({
      id: typeCheckId(type, profile),
      title: `Under the ${profile} profile, a well-formed ${type.family} ${type.name} event passes and a broken one is rejected.`,
      requirement: requirementOf(type, profile),
      evaluate: (capture) => judgeType(capture, type),
    }),
  );
}

export const PROFILE_CHECKS: Readonly<Record<ProfileName, readonly Check<ProfileCapture>[]>> =
  Object.fromEntries(PROFILE_NAMES.map((p) => [p, profileChecks(p)])) as Record<
    ProfileName,
    readonly Check<ProfileCapture>[]
  >;

// ---------------------------------------------------------------------------------------------------
// Captured SETs

export interface JudgedSet {
  /** Position in the `sets` option, from 0. */
  readonly index: number;
  readonly profile: ProfileName;
  readonly findings: readonly Finding[];
  /** The JWKS to verify the signature with could not be had: the signature went unchecked. */
  readonly jwksProblem?: string;
}

export interface CapturedCapture {
  readonly judged: readonly JudgedSet[];
}

function byLevel(capture: CapturedCapture, level: FindingLevel): readonly Problem[] {
  const problems: Problem[] = [];
  for (const set of capture.judged) {
    if (level === 'failure' && set.jwksProblem !== undefined)
      problems.push(
        problem(`SET #${set.index} (${set.profile}): its JWKS could not be had: ${set.jwksProblem}`),
      );
    for (const f of set.findings)
      if (f.level === level)
        problems.push(problem(`SET #${set.index} (${set.profile}): ${describe(f)}`, f.evidence));
  }
  return problems;
}

const captured = (id: string, title: string, requirement: RequirementId, level: FindingLevel) =>
  defineCheck<CapturedCapture>({ id, title, requirement, evaluate: (c) => byLevel(c, level) });

export const CAPTURED_CHECKS: readonly Check<CapturedCapture>[] = [
  captured(
    'events-captured-sets-meet-every-must',
    'Every captured SET meets every MUST-level requirement of the profile it is judged under.',
    'SSF-4-PROFILE-MUST',
    'failure',
  ),
  captured(
    'events-captured-sets-meet-every-should',
    'Every captured SET meets every SHOULD-level requirement of the profile it is judged under.',
    'SSF-4-PROFILE-SHOULD',
    'warning',
  ),
  captured(
    'events-captured-sets-use-catalogued-types-and-formats',
    'Captured SETs use only catalogued event types and registered subject formats (for information).',
    'SSF-4-PROFILE-MAY',
    'info',
  ),
];
