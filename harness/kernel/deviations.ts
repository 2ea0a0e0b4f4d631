/**
 * Deviations: named ways a mock or reference engine can be told to break a rule — a transmitter that signs
 * SETs with `typ: JWT`, an Okta that logs out on a Medium risk — so that every conformance check can be
 * shown failing end to end against a running system that deviates in exactly the way the check describes
 * (docs/self-test.md). Off unless named: with no deviation switched on, every service follows its spec or
 * its vendor's published behaviour.
 *
 * A service asks `deviations.on(name)` at the point where it would otherwise do the right thing. The lab
 * owns one switch for all its services, so `ssf-lab serve --deviate NAME` and `PUT /_lab/deviations/NAME`
 * act on a running lab; each service declares its own names (DeviationCatalogue) so a misspelt name is a
 * usage error, never a silently correct service.
 */
import { HarnessError } from './errors.ts';

/** What a service consults: is this deviation switched on right now? */
export interface DeviationSwitch {
  on(name: string): boolean;
}

/** No deviation, ever: what a service built on its own gets. */
export const NO_DEVIATIONS: DeviationSwitch = { on: () => false };

/** A service's deviations: name → what it makes the service do wrong (one sentence, present tense). */
export type DeviationCatalogue = Readonly<Record<string, string>>;

/** Edit distance, for "did you mean" on a misspelt name. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * Up to three names close to `name`, quoted, for an error message: within 3 edits, or one edit per
 * `charsPerEdit` characters of a long name.
 */
export function closestNames(name: string, names: Iterable<string>, charsPerEdit = 4): string[] {
  return [...names]
    .map((candidate) => ({ candidate, d: editDistance(name, candidate) }))
    .filter((c) => c.d <= Math.max(3, Math.floor(name.length / charsPerEdit)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((c) => `"${c.candidate}"`);
}

/** The switch a lab owns: which of the known deviations are on. */
export class Deviations implements DeviationSwitch {
  readonly #known: DeviationCatalogue;
  readonly #active = new Set<string>();

  constructor(known: DeviationCatalogue, initial: readonly string[] = []) {
    this.#known = known;
    for (const name of initial) this.enable(name);
  }

  /** Refuses a name no service declares, naming the closest ones. */
  #check(name: string): void {
    if (Object.hasOwn(this.#known, name)) return;
    const close = closestNames(name, Object.keys(this.#known));
    throw new HarnessError(
      'ERR_USAGE',
      `unknown deviation "${name}"${close.length > 0 ? `; did you mean ${close.join(' or ')}?` : ''} (docs/self-test.md lists them all)`,
    );
  }

  enable(name: string): void {
    this.#check(name);
    this.#active.add(name);
  }

  disable(name: string): void {
    this.#check(name);
    this.#active.delete(name);
  }

  clear(): void {
    this.#active.clear();
  }

  on(name: string): boolean {
    return this.#active.has(name);
  }

  /** The deviations switched on, sorted. */
  active(): string[] {
    return [...this.#active].sort();
  }

  /** Every deviation the services declare, with its description. */
  known(): DeviationCatalogue {
    return this.#known;
  }
}
