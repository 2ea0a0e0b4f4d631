/**
 * The expression language of Okta's `search` and `filter` query parameters (Users, Groups, System Log): SCIM
 * filter syntax (RFC 7644 §3.4.2.2) as Okta documents it at developer.okta.com/docs/api/#filter — `attr op
 * "value"` with `eq ne gt ge lt le sw ew co`, `attr pr`, `and`, `or`, `not` and parentheses; values are
 * double-quoted strings, numbers, `true`, `false` or `null`. One parser serves every endpoint; each endpoint
 * then says which attributes and operators it accepts (Okta's subsets differ per endpoint) and whether
 * string comparison ignores case.
 */

export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'ew' | 'co';
export type FilterValue = string | number | boolean | null;

export type FilterExpr =
  | { readonly kind: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'not'; readonly expr: FilterExpr }
  | { readonly kind: 'compare'; readonly path: string; readonly op: FilterOp; readonly value: FilterValue }
  | { readonly kind: 'present'; readonly path: string };

/** A syntax error, or an attribute/operator the endpoint does not support; the message says which. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

const OPS: readonly FilterOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'ew', 'co'];

type Token =
  | { readonly t: '(' | ')' }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'string'; readonly v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterError('a string value is not closed with "');
        const d = text[i] ?? '';
        if (d === '\\') {
          const next = text[i + 1];
          if (next === undefined) throw new FilterError('a string value ends with a lone backslash');
          value += next;
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ t: 'string', v: value });
    } else {
      let word = '';
      while (i < text.length && !/[\s()"]/.test(text[i] ?? '')) word += text[i++];
      tokens.push({ t: 'word', v: word });
    }
  }
  return tokens;
}

/** Parses `text`; throws FilterError with a message naming the problem. */
export function parseFilter(text: string): FilterExpr {
  if (text.length > 2000) throw new FilterError('the expression is longer than 2000 characters');
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (token: Token | undefined, word: string): boolean =>
    token?.t === 'word' && token.v.toLowerCase() === word;

  const parseOr = (): FilterExpr => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterExpr => {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterExpr => {
    if (isWord(peek(), 'not')) {
      pos++;
      return { kind: 'not', expr: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): FilterExpr => {
    const token = peek();
    if (token === undefined) throw new FilterError('the expression ends where a condition was expected');
    if (token.t === '(') {
      pos++;
      if (++depth > 20) throw new FilterError('parentheses are nested too deeply');
      const inner = parseOr();
      if (peek()?.t !== ')') throw new FilterError('a "(" is not closed');
      pos++;
      depth--;
      return inner;
    }
    if (token.t !== 'word' || !/^[A-Za-z_][\w.$-]*$/.test(token.v))
      throw new FilterError(`expected an attribute name, found ${describe(token)}`);
    pos++;
    const opToken = peek();
    if (opToken?.t !== 'word') throw new FilterError(`"${token.v}" is not followed by an operator`);
    const op = opToken.v.toLowerCase();
    pos++;
    if (op === 'pr') return { kind: 'present', path: token.v };
    if (!(OPS as readonly string[]).includes(op))
      throw new FilterError(`"${opToken.v}" is not an operator (use ${OPS.join(', ')} or pr)`);
    const valueToken = peek();
    if (valueToken === undefined) throw new FilterError(`"${token.v} ${op}" has no value`);
    pos++;
    return { kind: 'compare', path: token.v, op: op as FilterOp, value: literal(valueToken) };
  };

  if (tokens.length === 0) throw new FilterError('the expression is empty');
  const expr = parseOr();
  const rest = peek();
  if (rest !== undefined) throw new FilterError(`unexpected ${describe(rest)} after a complete condition`);
  return expr;
}

function describe(token: Token): string {
  return token.t === 'word' || token.t === 'string' ? `"${token.v}"` : `"${token.t}"`;
}

function literal(token: Token): FilterValue {
  if (token.t === 'string') return token.v;
  if (token.t !== 'word') throw new FilterError(`expected a value, found ${describe(token)}`);
  const word = token.v;
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (word === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  throw new FilterError(`the value ${word} must be a double-quoted string, a number, true, false or null`);
}

/** Calls `visit` for every condition; `visit` returns a message to reject an attribute or operator. */
export function checkFilter(
  expr: FilterExpr,
  visit: (path: string, op: FilterOp | 'pr' | 'not') => string | undefined,
): void {
  const walk = (e: FilterExpr): void => {
    let problem: string | undefined;
    switch (e.kind) {
      case 'and':
      case 'or':
        walk(e.left);
        walk(e.right);
        return;
      case 'not':
        problem = visit('', 'not');
        if (problem) throw new FilterError(problem);
        walk(e.expr);
        return;
      case 'present':
        problem = visit(e.path, 'pr');
        break;
      default:
        problem = visit(e.path, e.op);
    }
    if (problem) throw new FilterError(problem);
  };
  walk(expr);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function compareOne(actual: unknown, op: FilterOp, expected: FilterValue, ignoreCase: boolean): boolean {
  if (actual === undefined) return false;
  if (expected === null) {
    if (op === 'eq') return actual === null;
    if (op === 'ne') return actual !== null;
    return false;
  }
  if (actual === null) return op === 'ne';
  if (typeof expected === 'boolean' || typeof actual === 'boolean') {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    return false;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    switch (op) {
      case 'eq':
        return actual === expected;
      case 'ne':
        return actual !== expected;
      case 'gt':
        return actual > expected;
      case 'ge':
        return actual >= expected;
      case 'lt':
        return actual < expected;
      case 'le':
        return actual <= expected;
      default:
        return false;
    }
  }
  let a = String(actual);
  let b = String(expected);
  if (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') {
    // Dates compare as instants, so "2026-01-05T09:00:00Z" and "…00.000Z" are equal.
    const ta = ISO_DATE.test(a) ? Date.parse(a) : Number.NaN;
    const tb = ISO_DATE.test(b) ? Date.parse(b) : Number.NaN;
    const cmp = Number.isNaN(ta) || Number.isNaN(tb) ? a.localeCompare(b) : Math.sign(ta - tb);
    if (op === 'gt') return cmp > 0;
    if (op === 'ge') return cmp >= 0;
    if (op === 'lt') return cmp < 0;
    return cmp <= 0;
  }
  if (ignoreCase) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return a.includes(b);
  }
}

/**
 * Evaluates `expr` against an object; `resolve(path)` lists the attribute's values (several for an
 * attribute inside an array, such as a log event's `target.id`; a condition on it holds when any value
 * satisfies it, as SCIM specifies for multi-valued attributes).
 */
export function matchesFilter(
  expr: FilterExpr,
  resolve: (path: string) => readonly unknown[],
  options: { readonly ignoreCase: boolean },
): boolean {
  switch (expr.kind) {
    case 'and':
      return matchesFilter(expr.left, resolve, options) && matchesFilter(expr.right, resolve, options);
    case 'or':
      return matchesFilter(expr.left, resolve, options) || matchesFilter(expr.right, resolve, options);
    case 'not':
      return !matchesFilter(expr.expr, resolve, options);
    case 'present':
      return resolve(expr.path).some((v) => v !== null && v !== undefined && v !== '');
    default: {
      const values = resolve(expr.path);
      if (values.length === 0) return expr.op === 'ne' || (expr.op === 'eq' && expr.value === null);
      return values.some((v) => compareOne(v, expr.op, expr.value, options.ignoreCase));
    }
  }
}

/** The values at a dotted `path` of a JSON-like value, descending through arrays. */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (typeof item === 'object' && item !== null && Object.hasOwn(item, part))
          next.push((item as Record<string, unknown>)[part]);
      }
    }
    current = next.flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return current;
}
