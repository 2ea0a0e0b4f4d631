/**
 * Plans and modules. A plan is the suite for one role (`ssf-transmitter`, `ssf-receiver`, …); a module
 * is one conversation with the target (create a stream and read it back; push the invalid-SET battery)
 * whose `run` does the I/O and returns what it captured, and whose checks judge that capture.
 */
import type { Check } from './check.ts';
import type { SuiteContext } from './context.ts';

export interface Module<O, C> {
  /** kebab-case, unique within its plan. */
  readonly id: string;
  readonly title: string;
  /** Talks to the target through `ctx` and returns what the checks judge. Throw `SkipModule` when it does not apply. */
  run(ctx: SuiteContext, options: O): Promise<C>;
  readonly checks: readonly Check<C>[];
}

export interface Plan<O> {
  /** The name used in target files and `--plan` (`ssf-transmitter`). */
  readonly name: string;
  readonly title: string;
  /** What the harness plays against the target, in a sentence. */
  readonly role: string;
  /** JSON Schema (2020-12) of this plan's section of a target file, after secrets are resolved. */
  readonly optionsSchema: object;
  // biome-ignore lint/suspicious/noExplicitAny: a plan holds modules of different capture types
  readonly modules: readonly Module<O, any>[];
}

/**
 * Thrown by a module's run when the module does not apply to this target (its checks are skipped) — or,
 * with `blockedBy`, when it cannot go on because a step an earlier check judged failed (the metadata
 * could not be read, no stream could be created): its checks are then blocked by that check, which the
 * run holds to having failed (else they are ordinary skips).
 */
export class SkipModule extends Error {
  readonly blockedBy: string | undefined;

  constructor(reason: string, options: { readonly blockedBy?: string } = {}) {
    super(reason);
    this.name = 'SkipModule';
    this.blockedBy = options.blockedBy;
  }
}

export function defineModule<O, C>(module: Module<O, C>): Module<O, C> {
  return module;
}

export function definePlan<O>(plan: Plan<O>): Plan<O> {
  const ids = new Set<string>();
  for (const m of plan.modules) {
    if (ids.has(m.id)) throw new TypeError(`plan ${plan.name}: module id ${m.id} is used twice`);
    ids.add(m.id);
  }
  return plan;
}
