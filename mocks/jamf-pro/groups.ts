/**
 * Computer and mobile device groups: static groups (an explicit member list) and smart groups (criteria
 * evaluated against inventory), with membership kept current. Jamf Security Cloud's risk signalling only
 * works if a smart group follows an extension attribute the moment it changes, so membership is indexed
 * per group and recalculated incrementally: a device change re-tests that one device against every smart
 * group of its kind (O(groups)), a group change re-tests that group against every device (O(devices)).
 *
 * Criteria are Jamf's: `{name, priority, andOr, searchType, value, openingParen, closingParen}`, ordered by
 * priority, joined by `and`/`or` with `and` binding tighter (Jamf turns them into a SQL WHERE clause) and
 * regrouped by the paren flags. `name` is an inventory field's display name ("Serial Number", "Username")
 * or an extension attribute's name, matched case-insensitively. Search types and their meaning are listed
 * in `SEARCH_TYPES` and the README; text comparisons are case-insensitive like Jamf's MySQL collation.
 */

import { isObject, join, optBoolean, optInteger, optString } from './body.ts';
import { ClassicList, type ClassicObject } from './classic-format.ts';
import { duplicate, invalid, notFound } from './errors.ts';
import { childrenNamed, childText, type XmlElement } from './xml.ts';

export interface Criterion {
  readonly name: string;
  readonly priority: number;
  readonly andOr: 'and' | 'or';
  readonly searchType: string;
  readonly value: string;
  readonly openingParen: boolean;
  readonly closingParen: boolean;
}

export type CriterionValue = string | readonly string[] | undefined;

/** How one criterion name reads a device. */
export interface CriterionField<T> {
  readonly type: 'string' | 'number' | 'date';
  readonly get: (device: T) => CriterionValue;
}

export type FieldResolver<T> = (name: string) => CriterionField<T> | undefined;

export const SEARCH_TYPES = [
  'is',
  'is not',
  'like',
  'not like',
  'has',
  'does not have',
  'matches regex',
  'does not match regex',
  'more than',
  'less than',
  'before (yyyy-mm-dd)',
  'after (yyyy-mm-dd)',
] as const;

/** Longest regular expression a `matches regex` criterion may carry (bounds the cost of each test). */
export const MAX_REGEX_LENGTH = 1000;
/** Regexes are tested against at most this many characters of a value. */
export const MAX_REGEX_INPUT = 1024;

/**
 * JavaScript regexes backtrack, so a pattern like `(a+)+$` against a long value can hang the process.
 * Quantified groups that contain a quantifier, and backreferences, are refused; everyday criteria
 * (anchors, classes, alternation, single quantifiers) are unaffected.
 */
function riskyRegex(pattern: string): boolean {
  return /\([^)]*[+*}][^)]*\)\s*[+*{]/.test(pattern) || /\\[1-9]/.test(pattern);
}

export interface GroupSpec {
  readonly name: string;
  readonly description: string;
  readonly siteId: number;
  readonly smart: boolean;
  readonly criteria: readonly Criterion[];
  /** Static groups only: device ids. */
  readonly members: readonly number[];
}

export interface GroupRecord {
  readonly id: number;
  name: string;
  description: string;
  siteId: number;
  readonly smart: boolean;
  criteria: readonly Criterion[];
  readonly members: Set<number>;
}

type Predicate<T> = (device: T) => boolean;

function values(v: CriterionValue): readonly string[] {
  if (v === undefined) return [''];
  return typeof v === 'string' ? [v] : v.length === 0 ? [''] : v;
}

function numeric(v: string, type: CriterionField<unknown>['type']): number {
  if (type === 'date') return Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v.replace(' ', 'T'));
  return v.trim() === '' ? Number.NaN : Number(v);
}

function compileOne<T>(c: Criterion, index: number, resolve: FieldResolver<T>): Predicate<T> {
  const at = `criteria[${index}]`;
  const field = resolve(c.name);
  if (!field)
    throw invalid(join(at, 'name'), `there is no inventory field or extension attribute named ${c.name}`);
  const type = c.searchType.toLowerCase();
  const expected = c.value.toLowerCase();
  const get = field.get;
  const some =
    (test: (v: string) => boolean): Predicate<T> =>
    (d) =>
      values(get(d)).some(test);
  const none =
    (test: (v: string) => boolean): Predicate<T> =>
    (d) =>
      !values(get(d)).some(test);
  switch (type) {
    case 'is':
      return some((v) => v.toLowerCase() === expected);
    case 'is not':
      return none((v) => v.toLowerCase() === expected);
    case 'like':
    case 'has':
      return some((v) => v.toLowerCase().includes(expected));
    case 'not like':
    case 'does not have':
      return none((v) => v.toLowerCase().includes(expected));
    case 'matches regex':
    case 'does not match regex': {
      if (c.value.length > MAX_REGEX_LENGTH)
        throw invalid(join(at, 'value'), `regular expressions are limited to ${MAX_REGEX_LENGTH} characters`);
      if (riskyRegex(c.value))
        throw invalid(
          join(at, 'value'),
          'nested quantifiers and backreferences are not supported in regular expressions',
        );
      let pattern: RegExp;
      try {
        pattern = new RegExp(c.value, 'i');
      } catch {
        throw invalid(join(at, 'value'), `'${c.value}' is not a valid regular expression`);
      }
      const test = (v: string): boolean => pattern.test(v.slice(0, MAX_REGEX_INPUT));
      return type === 'matches regex' ? some(test) : none(test);
    }
    case 'more than':
    case 'less than':
    case 'before (yyyy-mm-dd)':
    case 'after (yyyy-mm-dd)': {
      const dated = type.startsWith('before') || type.startsWith('after');
      const target = numeric(c.value, dated ? 'date' : 'number');
      if (Number.isNaN(target))
        throw invalid(join(at, 'value'), `'${c.value}' is not a ${dated ? 'date (yyyy-mm-dd)' : 'number'}`);
      const greater = type === 'more than' || type.startsWith('after');
      return some((v) => {
        const n = numeric(v, dated ? 'date' : field.type === 'date' ? 'date' : 'number');
        return !Number.isNaN(n) && (greater ? n > target : n < target);
      });
    }
    default:
      throw invalid(
        join(at, 'searchType'),
        `search type ${c.searchType} is not one of ${SEARCH_TYPES.join(', ')}`,
      );
  }
}

/** Compiles criteria (sorted by priority) into one predicate: `and` before `or`, paren flags regroup. */
export function compileCriteria<T>(criteria: readonly Criterion[], resolve: FieldResolver<T>): Predicate<T> {
  if (criteria.length === 0) return () => true;
  const ordered = criteria.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i);
  type Token = { kind: 'test'; test: Predicate<T> } | { kind: 'op'; op: 'and' | 'or' } | { kind: '(' | ')' };
  const tokens: Token[] = [];
  ordered.forEach(({ c, i }, position) => {
    if (position > 0) tokens.push({ kind: 'op', op: c.andOr });
    if (c.openingParen) tokens.push({ kind: '(' });
    tokens.push({ kind: 'test', test: compileOne(c, i, resolve) });
    if (c.closingParen) tokens.push({ kind: ')' });
  });
  let pos = 0;
  const unbalanced = (): never => {
    throw invalid('criteria', 'the criteria have unbalanced opening and closing parentheses');
  };
  const primary = (): Predicate<T> => {
    const token = tokens[pos];
    if (token?.kind === '(') {
      pos++;
      const inner = or();
      if (tokens[pos]?.kind !== ')') unbalanced();
      pos++;
      return inner;
    }
    if (token?.kind !== 'test') return unbalanced();
    pos++;
    return token.test;
  };
  const and = (): Predicate<T> => {
    const parts = [primary()];
    for (let t = tokens[pos]; t?.kind === 'op' && t.op === 'and'; t = tokens[pos]) {
      pos++;
      parts.push(primary());
    }
    return parts.length === 1 && parts[0] ? parts[0] : (d) => parts.every((p) => p(d));
  };
  const or = (): Predicate<T> => {
    const parts = [and()];
    for (let t = tokens[pos]; t?.kind === 'op' && t.op === 'or'; t = tokens[pos]) {
      pos++;
      parts.push(and());
    }
    return parts.length === 1 && parts[0] ? parts[0] : (d) => parts.some((p) => p(d));
  };
  const predicate = or();
  if (pos !== tokens.length) unbalanced();
  return predicate;
}

export class GroupStore<T extends { readonly id: number }> {
  readonly kind: 'computer' | 'mobile';
  readonly #devices: () => readonly T[];
  readonly #resolve: FieldResolver<T>;
  readonly #groups = new Map<number, GroupRecord>();
  readonly #predicates = new Map<number, Predicate<T>>();
  #nextId = 1;

  constructor(kind: 'computer' | 'mobile', devices: () => readonly T[], resolve: FieldResolver<T>) {
    this.kind = kind;
    this.#devices = devices;
    this.#resolve = resolve;
  }

  list(filter?: { smart: boolean }): GroupRecord[] {
    const all = [...this.#groups.values()];
    return filter ? all.filter((g) => g.smart === filter.smart) : all;
  }

  get(id: number): GroupRecord | undefined {
    return this.#groups.get(id);
  }

  /** A group by its id text; 404 unless it exists (and is of the wanted type when one is given). */
  require(idText: string, smart?: boolean): GroupRecord {
    const group = /^\d+$/.test(idText) ? this.#groups.get(Number(idText)) : undefined;
    const what = `${this.kind === 'computer' ? 'Computer' : 'Mobile device'} ${smart === undefined ? '' : smart ? 'smart ' : 'static '}group`;
    if (!group || (smart !== undefined && group.smart !== smart)) throw notFound(what, idText);
    return group;
  }

  byName(name: string): GroupRecord | undefined {
    const lower = name.toLowerCase();
    return [...this.#groups.values()].find((g) => g.name.toLowerCase() === lower);
  }

  /** Validates a spec for a new group (or group `id`) without changing anything. */
  #prepare(spec: GroupSpec, id?: number): Predicate<T> | undefined {
    if (spec.name.trim() === '') throw invalid('name', 'name is required', 'MISSING_FIELD');
    const existing = this.byName(spec.name);
    if (existing && existing.id !== id)
      throw duplicate('name', `a group named ${existing.name} already exists`);
    return spec.smart ? compileCriteria(spec.criteria, this.#resolve) : undefined;
  }

  create(spec: GroupSpec): GroupRecord {
    const predicate = this.#prepare(spec);
    const group: GroupRecord = {
      id: this.#nextId++,
      name: spec.name,
      description: spec.description,
      siteId: spec.siteId,
      smart: spec.smart,
      criteria: spec.smart ? spec.criteria : [],
      members: new Set(spec.smart ? [] : spec.members),
    };
    this.#groups.set(group.id, group);
    if (predicate) {
      this.#predicates.set(group.id, predicate);
      this.recalculateGroup(group);
    }
    return group;
  }

  update(group: GroupRecord, spec: GroupSpec): GroupRecord {
    const predicate = this.#prepare({ ...spec, smart: group.smart }, group.id);
    group.name = spec.name;
    group.description = spec.description;
    group.siteId = spec.siteId;
    if (predicate) {
      group.criteria = spec.criteria;
      this.#predicates.set(group.id, predicate);
      this.recalculateGroup(group);
    } else {
      group.members.clear();
      for (const id of spec.members) group.members.add(id);
    }
    return group;
  }

  delete(group: GroupRecord): void {
    this.#groups.delete(group.id);
    this.#predicates.delete(group.id);
  }

  /** Re-tests one device against every smart group; returns how many smart groups now contain it. */
  recalculateDevice(device: T): number {
    let count = 0;
    for (const [id, predicate] of this.#predicates) {
      const group = this.#groups.get(id);
      if (!group) continue;
      if (predicate(device)) {
        group.members.add(device.id);
        count++;
      } else group.members.delete(device.id);
    }
    return count;
  }

  /** Re-tests every device against one smart group; returns its member count. */
  recalculateGroup(group: GroupRecord): number {
    const predicate = this.#predicates.get(group.id);
    if (!predicate) return group.members.size;
    group.members.clear();
    for (const device of this.#devices()) if (predicate(device)) group.members.add(device.id);
    return group.members.size;
  }

  /** Recompiles every smart group (criteria names may now resolve differently) and recalculates it. */
  recompileAll(): void {
    for (const group of this.#groups.values()) {
      if (!group.smart) continue;
      this.#predicates.set(group.id, compileCriteria(group.criteria, this.#resolve));
      this.recalculateGroup(group);
    }
  }

  /** Smart groups whose criteria name `name` (case-insensitively). */
  referencing(name: string): GroupRecord[] {
    const lower = name.toLowerCase();
    return this.list({ smart: true }).filter((g) => g.criteria.some((c) => c.name.toLowerCase() === lower));
  }

  /** Follows an extension attribute rename in every criterion that names it. */
  renameCriteria(from: string, to: string): void {
    const lower = from.toLowerCase();
    for (const group of this.#groups.values()) {
      group.criteria = group.criteria.map((c) => (c.name.toLowerCase() === lower ? { ...c, name: to } : c));
    }
  }

  groupsOf(deviceId: number): GroupRecord[] {
    return this.list().filter((g) => g.members.has(deviceId));
  }

  /** A device left the inventory: drop it from every group. */
  forget(deviceId: number): void {
    for (const group of this.#groups.values()) group.members.delete(deviceId);
  }
}

function andOrOf(text: string | undefined, field: string): 'and' | 'or' {
  const lower = (text ?? 'and').toLowerCase();
  if (lower !== 'and' && lower !== 'or') throw invalid(field, `${field} must be and or or`);
  return lower;
}

/** Reads Pro API criteria (`[{name, priority, andOr, searchType, value, openingParen, closingParen}]`). */
export function parseProCriteria(items: readonly unknown[] | undefined): Criterion[] {
  return (items ?? []).map((item, i) => {
    const at = `criteria[${i}]`;
    if (!isObject(item)) throw invalid(at, `${at} must be an object`);
    const name = optString(item, 'name', at);
    if (name === undefined) throw invalid(join(at, 'name'), `${at}.name is required`, 'MISSING_FIELD');
    const searchType = optString(item, 'searchType', at);
    if (searchType === undefined)
      throw invalid(join(at, 'searchType'), `${at}.searchType is required`, 'MISSING_FIELD');
    return {
      name,
      priority: optInteger(item, 'priority', at) ?? i,
      andOr: andOrOf(optString(item, 'andOr', at), join(at, 'andOr')),
      searchType,
      value: optString(item, 'value', at) ?? '',
      openingParen: optBoolean(item, 'openingParen', at) ?? false,
      closingParen: optBoolean(item, 'closingParen', at) ?? false,
    };
  });
}

export function proCriteria(criteria: readonly Criterion[]): object[] {
  return criteria.map((c) => ({
    name: c.name,
    priority: c.priority,
    andOr: c.andOr,
    searchType: c.searchType,
    value: c.value,
    openingParen: c.openingParen,
    closingParen: c.closingParen,
  }));
}

function classicBool(text: string | undefined, field: string): boolean {
  if (text === undefined || text === '') return false;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  throw invalid(field, `${field} must be true or false`);
}

/** Reads Classic `<criteria><criterion>…</criterion></criteria>`. */
export function parseClassicCriteria(criteria: XmlElement | undefined): Criterion[] {
  return childrenNamed(criteria, 'criterion').map((el, i) => {
    const at = `criteria/criterion[${i}]`;
    const name = childText(el, 'name');
    if (!name) throw invalid(`${at}/name`, `${at}/name is required`);
    const priorityText = childText(el, 'priority');
    const priority = priorityText === undefined || priorityText === '' ? i : Number(priorityText);
    if (!Number.isSafeInteger(priority)) throw invalid(`${at}/priority`, `${at}/priority must be an integer`);
    return {
      name,
      priority,
      andOr: andOrOf(childText(el, 'and_or'), `${at}/and_or`),
      searchType: childText(el, 'search_type') ?? 'is',
      value: childText(el, 'value') ?? '',
      openingParen: classicBool(childText(el, 'opening_paren'), `${at}/opening_paren`),
      closingParen: classicBool(childText(el, 'closing_paren'), `${at}/closing_paren`),
    };
  });
}

export function classicCriteria(criteria: readonly Criterion[]): ClassicList {
  return new ClassicList(
    'criterion',
    criteria.map(
      (c): ClassicObject => ({
        name: c.name,
        priority: c.priority,
        and_or: c.andOr,
        search_type: c.searchType,
        value: c.value,
        opening_paren: c.openingParen,
        closing_paren: c.closingParen,
      }),
    ),
  );
}
