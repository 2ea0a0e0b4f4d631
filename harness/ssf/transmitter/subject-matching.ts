/**
 * Subject matching (SSF 1.0 §8.1.3.1) and the set of subjects a stream carries events about (§8.1.3.2–3,
 * `default_subjects` in §7.1). Simple subjects match only when identical. Complex subjects match when,
 * for every member name, the member is missing on one side (a wildcard) or identical on both.
 *
 * SSF is silent on a simple subject against a complex one; ssf-lab treats the simple subject as the one
 * member it names, so `{email: U}` matches `{format: complex, user: {email: U}}` — a receiver that added
 * a user receives events about that user's sessions and devices.
 */
import { isJsonObject } from '../../protocol/index.ts';

export type Subject = Readonly<Record<string, unknown>>;

/** Deep equality of JSON values (member order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function members(subject: Subject): [string, unknown][] {
  return Object.entries(subject).filter(([name]) => name !== 'format');
}

/** Whether two subject identifiers match under SSF §8.1.3.1. */
export function subjectsMatch(a: Subject, b: Subject): boolean {
  const aComplex = a.format === 'complex';
  const bComplex = b.format === 'complex';
  if (!aComplex && !bComplex) return jsonEqual(a, b);
  if (aComplex && bComplex) {
    const shared = members(a).filter(([name]) => Object.hasOwn(b, name));
    // Two complex subjects with no member in common say nothing about each other.
    return shared.length > 0 && shared.every(([name, value]) => jsonEqual(value, b[name]));
  }
  const [simple, complex] = aComplex ? [b, a] : [a, b];
  return members(complex).some(([, value]) => jsonEqual(value, simple));
}

/**
 * The subjects of one stream. With `default_subjects: ALL` every subject is in the stream until removed
 * (and can be added back); with `NONE` only added subjects are.
 */
export class StreamSubjects {
  readonly #mode: 'ALL' | 'NONE';
  #added: Subject[] = [];
  #removed: Subject[] = [];

  constructor(mode: 'ALL' | 'NONE') {
    this.#mode = mode;
  }

  add(subject: Subject): void {
    this.#removed = this.#removed.filter((s) => !jsonEqual(s, subject));
    if (!this.#added.some((s) => jsonEqual(s, subject))) this.#added.push(subject);
  }

  remove(subject: Subject): void {
    this.#added = this.#added.filter((s) => !jsonEqual(s, subject));
    if (!this.#removed.some((s) => jsonEqual(s, subject))) this.#removed.push(subject);
  }

  /** Whether an event about `subject` belongs on this stream. */
  includes(subject: Subject): boolean {
    if (this.#added.some((s) => subjectsMatch(s, subject))) return true;
    if (this.#mode === 'NONE') return false;
    return !this.#removed.some((s) => subjectsMatch(s, subject));
  }

  get added(): readonly Subject[] {
    return this.#added;
  }

  get removed(): readonly Subject[] {
    return this.#removed;
  }
}
