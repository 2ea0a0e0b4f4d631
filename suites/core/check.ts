/**
 * A check: one assertion, named as a sentence, with a stable id, the requirement it cites and a pure
 * `evaluate` over what its module captured — no I/O, so it is unit-tested with a captured value that
 * makes it fail. Its findings' level comes from the requirement's keyword, never from the check.
 */
import { REQUIREMENTS, type RequirementId } from '../../harness/protocol/index.ts';

/** One thing that is wrong: a sentence a user can act on, and the evidence (redacted, short). */
export interface Problem {
  readonly message: string;
  readonly evidence?: unknown;
}

/**
 * The check did not judge. Plain: it does not apply to what was captured (an optional endpoint absent).
 * With `blockedBy`: its input is missing because an earlier step failed, and that step's check (in the
 * same module, or one that ran before it) says so — one refused call fails one check, not every check
 * that needed its answer. With `inconclusive`: its input was captured but proves nothing, because a
 * precondition failed (a receiver that refuses an unbroken SET refuses the broken ones for nothing).
 */
export interface Skip {
  readonly skip: string;
  readonly blockedBy?: string;
  readonly inconclusive?: true;
}

/** No problem: the check held. Problems: it failed. A skip: it did not judge. */
export type Verdict = readonly Problem[] | Skip;

export interface Check<C> {
  /** Stable kebab-case id, unique across every plan, never reused. */
  readonly id: string;
  /** The assertion, as a sentence ending in a full stop. */
  readonly title: string;
  readonly requirement: RequirementId;
  evaluate(captured: C): Verdict;
}

export function defineCheck<C>(check: Check<C>): Check<C> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)+$/.test(check.id))
    throw new TypeError(`check id "${check.id}" is not kebab-case`);
  if (!Object.hasOwn(REQUIREMENTS, check.requirement))
    throw new TypeError(`check ${check.id} cites unknown requirement ${check.requirement}`);
  return Object.freeze(check);
}

export function problem(message: string, evidence?: unknown): Problem {
  return evidence === undefined ? { message } : { message, evidence };
}

export function skip(reason: string): Skip {
  return { skip: reason };
}

/**
 * The check's input is missing because the check `by` failed: `reason` says what is missing ("no stream
 * was created"). The run makes sure `by` did fail; if it did not, this is an ordinary skip.
 */
export function blocked(by: string, reason: string): Skip {
  return { skip: reason, blockedBy: by };
}

/** The check's input was captured but proves nothing, because a precondition failed: `reason` says which. */
export function inconclusive(reason: string): Skip {
  return { skip: reason, inconclusive: true };
}

export function isSkip(verdict: Verdict): verdict is Skip {
  return !Array.isArray(verdict);
}

/** Nothing wrong. */
export const HOLDS: readonly Problem[] = Object.freeze([]);

/** A verdict from a condition: holds when `ok`, else one problem. */
export function expectThat(ok: boolean, message: string, evidence?: unknown): readonly Problem[] {
  return ok ? HOLDS : [problem(message, evidence)];
}
