/**
 * RSQL, the FIQL dialect of Jamf Pro's `filter` query parameter: a parser that turns the text into a small
 * tree, and a compiler that turns the tree into a predicate over one endpoint's field table. Kept apart
 * from fastify and from the inventory so it can be tested exhaustively on its own, and so each endpoint
 * only declares which fields it allows and how to read them.
 *
 * Grammar (rsql-parser's, which Jamf documents by example): `or` = `and` joined by `,` or ` or `; `and` =
 * constraints joined by `;` or ` and `; a constraint is `( or )` or `selector operator arguments`.
 * Operators: `==`, `!=`, `=lt=`/`<`, `=le=`/`<=`, `=gt=`/`>`, `=ge=`/`>=`, `=in=`, `=out=`. Arguments are
 * one value or a parenthesised, comma-separated list; a value is unquoted (no spaces or reserved
 * characters) or quoted with `"` or `'` (backslash escapes the next character). `*` is a wildcard in `==`,
 * `!=`, `=in=` and `=out=` on string fields; `\*` inside quotes is a literal asterisk. String comparison is
 * case-insensitive, as Jamf documents.
 */

export type RsqlOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=in=' | '=out=';

export interface RsqlValue {
  /** The value with escapes resolved; wildcards shown as `*`. */
  readonly text: string;
  /** The literal pieces between wildcards: one piece means no wildcard. */
  readonly parts: readonly string[];
}

export interface RsqlComparison {
  readonly kind: 'comparison';
  readonly selector: string;
  readonly operator: RsqlOperator;
  readonly values: readonly RsqlValue[];
  /** Offset of the selector in the filter text (for error messages). */
  readonly position: number;
}

export interface RsqlLogical {
  readonly kind: 'and' | 'or';
  readonly children: readonly RsqlNode[];
}

export type RsqlNode = RsqlComparison | RsqlLogical;

/** A filter that is not RSQL; `position` is the offset where parsing failed. */
export class RsqlSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'RsqlSyntaxError';
    this.position = position;
  }
}

/** A well-formed filter the endpoint cannot run: an unknown field, or a value of the wrong type. */
export class RsqlFieldError extends Error {
  readonly selector: string;
  readonly reason: 'unknown-field' | 'bad-value';
  constructor(selector: string, reason: 'unknown-field' | 'bad-value', message: string) {
    super(message);
    this.name = 'RsqlFieldError';
    this.selector = selector;
    this.reason = reason;
  }
}

/** Longest filter accepted, and deepest parenthesis nesting: bounds on work and on recursion. */
export const RSQL_MAX_LENGTH = 8192;
export const RSQL_MAX_DEPTH = 32;

const ALPHA_OPERATORS: Readonly<Record<string, RsqlOperator>> = {
  '=lt=': '<',
  '=le=': '<=',
  '=gt=': '>',
  '=ge=': '>=',
  '=in=': '=in=',
  '=out=': '=out=',
};

const RESERVED = new Set(['"', "'", '(', ')', ';', ',', '=', '!', '~', '<', '>']);

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

class Parser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): RsqlNode {
    const node = this.#or(0);
    this.#skipSpace();
    if (this.#pos < this.#text.length) {
      const ch = this.#text[this.#pos];
      throw new RsqlSyntaxError(
        ch === ')' ? 'unbalanced closing parenthesis' : `unexpected character '${ch}'`,
        this.#pos,
      );
    }
    return node;
  }

  #skipSpace(): void {
    while (isSpace(this.#text[this.#pos])) this.#pos++;
  }

  /** Consumes a word operator (` and `, ` or `) when one follows whitespace here. */
  #keyword(word: 'and' | 'or'): boolean {
    const start = this.#pos;
    if (!isSpace(this.#text[start - 1])) return false;
    const candidate = this.#text.slice(start, start + word.length).toLowerCase();
    const after = this.#text[start + word.length];
    if (candidate === word && (isSpace(after) || after === '(')) {
      this.#pos = start + word.length;
      return true;
    }
    return false;
  }

  #or(depth: number): RsqlNode {
    const children = [this.#and(depth)];
    for (;;) {
      this.#skipSpace();
      if (this.#text[this.#pos] === ',') this.#pos++;
      else if (!this.#keyword('or')) break;
      children.push(this.#and(depth));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'or', children };
  }

  #and(depth: number): RsqlNode {
    const children = [this.#constraint(depth)];
    for (;;) {
      this.#skipSpace();
      if (this.#text[this.#pos] === ';') this.#pos++;
      else if (!this.#keyword('and')) break;
      children.push(this.#constraint(depth));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'and', children };
  }

  #constraint(depth: number): RsqlNode {
    this.#skipSpace();
    if (this.#text[this.#pos] === '(') {
      if (depth >= RSQL_MAX_DEPTH)
        throw new RsqlSyntaxError(`parentheses nested deeper than ${RSQL_MAX_DEPTH}`, this.#pos);
      const open = this.#pos;
      this.#pos++;
      const node = this.#or(depth + 1);
      this.#skipSpace();
      if (this.#text[this.#pos] !== ')') throw new RsqlSyntaxError('unclosed parenthesis', open);
      this.#pos++;
      return node;
    }
    return this.#comparison();
  }

  #comparison(): RsqlComparison {
    const position = this.#pos;
    const selector = this.#unreserved();
    if (selector === '') {
      throw new RsqlSyntaxError(
        this.#pos >= this.#text.length
          ? 'expected a field name but the filter ended'
          : 'expected a field name',
        this.#pos,
      );
    }
    const operator = this.#operator();
    this.#skipSpace();
    const values: RsqlValue[] = [];
    if (this.#text[this.#pos] === '(') {
      const open = this.#pos;
      this.#pos++;
      for (;;) {
        this.#skipSpace();
        values.push(this.#value());
        this.#skipSpace();
        const ch = this.#text[this.#pos];
        if (ch === ',') {
          this.#pos++;
          continue;
        }
        if (ch === ')') {
          this.#pos++;
          break;
        }
        throw new RsqlSyntaxError('unclosed argument list', open);
      }
      if (operator !== '=in=' && operator !== '=out=' && values.length > 1)
        throw new RsqlSyntaxError(`operator ${operator} takes a single value`, open);
    } else {
      values.push(this.#value());
    }
    return { kind: 'comparison', selector, operator, values, position };
  }

  #operator(): RsqlOperator {
    const at = this.#pos;
    const rest = this.#text.slice(at, at + 8);
    for (const op of ['==', '!=', '<=', '>='] as const) {
      if (rest.startsWith(op)) {
        this.#pos += 2;
        return op;
      }
    }
    if (rest.startsWith('<') || rest.startsWith('>')) {
      this.#pos += 1;
      return rest[0] === '<' ? '<' : '>';
    }
    const alpha = /^=[a-z]+=/i.exec(this.#text.slice(at, at + 16));
    if (alpha) {
      const op = ALPHA_OPERATORS[alpha[0].toLowerCase()];
      if (!op) throw new RsqlSyntaxError(`unknown operator '${alpha[0]}'`, at);
      this.#pos += alpha[0].length;
      return op;
    }
    throw new RsqlSyntaxError(
      at >= this.#text.length ? 'expected an operator but the filter ended' : 'expected an operator',
      at,
    );
  }

  #unreserved(): string {
    const start = this.#pos;
    for (;;) {
      const ch = this.#text[this.#pos];
      if (ch === undefined || isSpace(ch) || RESERVED.has(ch)) break;
      this.#pos++;
    }
    return this.#text.slice(start, this.#pos);
  }

  #value(): RsqlValue {
    const quote = this.#text[this.#pos];
    if (quote === '"' || quote === "'") return this.#quoted(quote);
    const at = this.#pos;
    const raw = this.#unreserved();
    if (raw === '') {
      throw new RsqlSyntaxError(
        at >= this.#text.length ? 'expected a value but the filter ended' : 'expected a value',
        at,
      );
    }
    return { text: raw, parts: raw.split('*') };
  }

  #quoted(quote: string): RsqlValue {
    const open = this.#pos;
    this.#pos++;
    const parts: string[] = [];
    let current = '';
    let text = '';
    for (;;) {
      const ch = this.#text[this.#pos];
      if (ch === undefined) throw new RsqlSyntaxError('unterminated quoted value', open);
      this.#pos++;
      if (ch === quote) break;
      if (ch === '\\') {
        const next = this.#text[this.#pos];
        if (next === undefined) throw new RsqlSyntaxError('unterminated quoted value', open);
        this.#pos++;
        current += next;
        text += next;
      } else if (ch === '*') {
        parts.push(current);
        current = '';
        text += '*';
      } else {
        current += ch;
        text += ch;
      }
    }
    parts.push(current);
    return { text, parts };
  }
}

/** Parses a filter; `undefined` for an empty or blank one (no filtering). */
export function parseRsql(filter: string): RsqlNode | undefined {
  if (filter.length > RSQL_MAX_LENGTH)
    throw new RsqlSyntaxError(`the filter is longer than ${RSQL_MAX_LENGTH} characters`, RSQL_MAX_LENGTH);
  if (filter.trim() === '') return undefined;
  return new Parser(filter).parse();
}

export type RsqlFieldType = 'string' | 'number' | 'boolean' | 'date';
export type RsqlScalar = string | number | boolean | null | undefined;

/** How an endpoint exposes one filterable field. */
export interface RsqlField<T> {
  readonly type: RsqlFieldType;
  readonly get: (item: T) => RsqlScalar;
}

export type RsqlFieldTable<T> = ReadonlyMap<string, RsqlField<T>>;

type Test = (actual: RsqlScalar) => boolean;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function stringEquals(value: RsqlValue): Test {
  if (value.parts.length === 1) {
    const expected = value.text.toLowerCase();
    return (actual) => String(actual ?? '').toLowerCase() === expected;
  }
  const pattern = new RegExp(`^${value.parts.map(escapeRegExp).join('[\\s\\S]*')}$`, 'i');
  return (actual) => pattern.test(String(actual ?? ''));
}

function badValue(selector: string, message: string): RsqlFieldError {
  return new RsqlFieldError(selector, 'bad-value', message);
}

function typedOperand(selector: string, type: RsqlFieldType, value: RsqlValue): number | boolean {
  if (value.parts.length > 1)
    throw badValue(selector, `wildcards are only allowed on text fields, not on ${selector}`);
  if (type === 'boolean') {
    const lower = value.text.toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      throw badValue(selector, `${selector} is a boolean: use true or false, not '${value.text}'`);
    return lower === 'true';
  }
  if (type === 'number') {
    const n = value.text.trim() === '' ? Number.NaN : Number(value.text);
    if (!Number.isFinite(n)) throw badValue(selector, `${selector} is a number, not '${value.text}'`);
    return n;
  }
  const ms = Date.parse(value.text);
  if (Number.isNaN(ms)) throw badValue(selector, `${selector} is a date, not '${value.text}'`);
  return ms;
}

function actualTyped(type: RsqlFieldType, actual: RsqlScalar): number | boolean | undefined {
  if (actual === null || actual === undefined || actual === '') return undefined;
  if (type === 'boolean')
    return typeof actual === 'boolean' ? actual : String(actual).toLowerCase() === 'true';
  if (type === 'number') {
    const n = typeof actual === 'number' ? actual : Number(actual);
    return Number.isFinite(n) ? n : undefined;
  }
  const ms = typeof actual === 'number' ? actual : Date.parse(String(actual));
  return Number.isNaN(ms) ? undefined : ms;
}

function equalityTest(selector: string, type: RsqlFieldType, value: RsqlValue): Test {
  if (type === 'string') return stringEquals(value);
  const expected = typedOperand(selector, type, value);
  return (actual) => actualTyped(type, actual) === expected;
}

function orderingTest(selector: string, field: RsqlField<unknown>, op: RsqlOperator, value: RsqlValue): Test {
  const holds = (cmp: number): boolean =>
    op === '<' ? cmp < 0 : op === '<=' ? cmp <= 0 : op === '>' ? cmp > 0 : cmp >= 0;
  if (field.type === 'boolean') throw badValue(selector, `${selector} is a boolean and cannot be ordered`);
  if (field.type === 'string') {
    const expected = value.text.toLowerCase();
    return (actual) => {
      if (actual === null || actual === undefined) return false;
      const a = String(actual).toLowerCase();
      return holds(a < expected ? -1 : a > expected ? 1 : 0);
    };
  }
  const expected = typedOperand(selector, field.type, value) as number;
  return (actual) => {
    const a = actualTyped(field.type, actual);
    return typeof a === 'number' && holds(a - expected);
  };
}

/**
 * Compiles a parsed filter against a field table. Throws `RsqlFieldError` for an unknown field or a value
 * that does not fit the field's type, before any item is looked at.
 */
export function compileRsql<T>(node: RsqlNode, fields: RsqlFieldTable<T>): (item: T) => boolean {
  if (node.kind !== 'comparison') {
    const children = node.children.map((child) => compileRsql(child, fields));
    return node.kind === 'and'
      ? (item) => children.every((test) => test(item))
      : (item) => children.some((test) => test(item));
  }
  const field = fields.get(node.selector);
  if (!field) throw new RsqlFieldError(node.selector, 'unknown-field', `cannot filter by ${node.selector}`);
  const get = field.get;
  const { operator, selector } = node;
  if (operator === '==' || operator === '!=' || operator === '=in=' || operator === '=out=') {
    const tests = node.values.map((v) => equalityTest(selector, field.type, v));
    const matchesAny = (actual: RsqlScalar): boolean => tests.some((test) => test(actual));
    return operator === '==' || operator === '=in='
      ? (item) => matchesAny(get(item))
      : (item) => !matchesAny(get(item));
  }
  const value = node.values[0];
  if (!value) throw badValue(selector, `${selector} needs a value`);
  const test = orderingTest(selector, field as RsqlField<unknown>, operator, value);
  return (item) => test(get(item));
}

/** The selectors a filter uses, in order of appearance (for error messages and tests). */
export function rsqlSelectors(node: RsqlNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'comparison') return [node.selector];
  return node.children.flatMap(rsqlSelectors);
}
