/**
 * Findings: what the validator (and later every conformance check) reports about the system under test.
 * A finding is data, never an exception. Its level comes from the requirement it cites.
 */
import type { CheckId } from './checks.ts';
import { type FindingLevel, REQUIREMENTS, type RequirementId } from './requirements.ts';

export interface Finding {
  /** Stable kebab-case id of the assertion, e.g. `claims-have-no-exp`. */
  readonly check: CheckId;
  /** The requirement the deviation breaks, e.g. `SSF-4.1.7`. */
  readonly requirement: RequirementId;
  readonly level: FindingLevel;
  /** What is wrong, in a sentence a user can act on. */
  readonly message: string;
  /** JSON Pointer into the decoded token, prefixed with `/header` or `/payload`. */
  readonly path?: string;
  /** The offending value or a short excerpt of it (never key material). */
  readonly evidence?: unknown;
}

export interface FindingExtras {
  readonly path?: string;
  readonly evidence?: unknown;
}

export function makeFinding(
  check: CheckId,
  requirement: RequirementId,
  message: string,
  extras: FindingExtras = {},
): Finding {
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    check,
    requirement,
    level: REQUIREMENTS[requirement].level,
    message,
  };
  if (extras.path !== undefined) finding.path = extras.path;
  if (extras.evidence !== undefined) finding.evidence = extras.evidence;
  return finding;
}

export function hasFailures(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === 'failure');
}

export function countByLevel(findings: readonly Finding[]): Record<FindingLevel, number> {
  const counts: Record<FindingLevel, number> = { failure: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.level] += 1;
  return counts;
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
export function pointerToken(token: string | number): string {
  const text = String(token);
  return text.includes('~') || text.includes('/') ? text.replaceAll('~', '~0').replaceAll('/', '~1') : text;
}

export function pointer(...tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${pointerToken(t)}`).join('');
}

/** Shortens long evidence so a finding never carries a megabyte of attacker input. */
export function excerpt(value: unknown, max = 200): unknown {
  if (typeof value === 'string')
    return value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value;
  if (value === null || typeof value !== 'object') return value;
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : value;
}
