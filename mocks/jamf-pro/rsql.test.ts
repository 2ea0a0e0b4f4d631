/**
 * The RSQL module on its own: the grammar (operators, logic, grouping, quoting, wildcards), the
 * compiler's typing rules, and the errors a client gets for text that is not a filter.
 */
import { expect, test } from 'vitest';
import {
  compileRsql,
  parseRsql,
  RSQL_MAX_DEPTH,
  type RsqlField,
  RsqlFieldError,
  RsqlSyntaxError,
  rsqlSelectors,
} from './rsql.ts';

interface Row {
  id: number;
  name: string;
  email?: string;
  managed: boolean;
  seen?: string;
}

const ROWS: Row[] = [
  {
    id: 1,
    name: "Pat's MacBook Pro",
    email: 'pat@acme.example',
    managed: true,
    seen: '2026-01-01T10:00:00Z',
  },
  { id: 2, name: 'Sam iPhone', email: 'sam@acme.example', managed: false, seen: '2026-01-03T10:00:00Z' },
  { id: 3, name: 'Orchard', managed: true },
  { id: 10, name: 'a*b', email: 'x@y.example', managed: true, seen: '2025-12-31T23:59:59Z' },
];

const FIELDS = new Map<string, RsqlField<Row>>([
  ['id', { type: 'number', get: (r) => r.id }],
  ['general.name', { type: 'string', get: (r) => r.name }],
  ['email', { type: 'string', get: (r) => r.email }],
  ['managed', { type: 'boolean', get: (r) => r.managed }],
  ['seen', { type: 'date', get: (r) => r.seen }],
]);

function ids(filter: string): number[] {
  const node = parseRsql(filter);
  if (!node) return ROWS.map((r) => r.id);
  const test = compileRsql(node, FIELDS);
  return ROWS.filter(test).map((r) => r.id);
}

test('an empty or blank filter means no filtering', () => {
  expect(parseRsql('')).toBeUndefined();
  expect(parseRsql('   ')).toBeUndefined();
  expect(ids('')).toEqual([1, 2, 3, 10]);
});

test('equality on text is case-insensitive, with double or single quotes for values with spaces', () => {
  expect(ids('general.name=="orchard"')).toEqual([3]);
  expect(ids('general.name==ORCHARD')).toEqual([3]);
  expect(ids("general.name=='sam iphone'")).toEqual([2]);
  expect(ids('general.name!=Orchard')).toEqual([1, 2, 10]);
});

test('quoted values resolve backslash escapes, including an escaped quote', () => {
  expect(ids('general.name=="Pat\'s MacBook Pro"')).toEqual([1]);
  expect(ids("general.name=='Pat\\'s MacBook Pro'")).toEqual([1]);
});

test('an asterisk is a wildcard anywhere in the value, and an escaped one is literal', () => {
  expect(ids('general.name==*mac*')).toEqual([1]);
  expect(ids('general.name=="Sam*"')).toEqual([2]);
  expect(ids('general.name==*')).toEqual([1, 2, 3, 10]);
  expect(ids('general.name!=*i*')).toEqual([1, 3, 10]);
  expect(ids('general.name=="a\\*b"')).toEqual([10]);
  // Regex metacharacters in a value are literal, not a pattern.
  expect(ids('general.name=="Pat.s*"')).toEqual([]);
});

test('numeric comparisons use numbers, in both symbolic and FIQL spelling', () => {
  expect(ids('id>2')).toEqual([3, 10]);
  expect(ids('id=gt=2')).toEqual([3, 10]);
  expect(ids('id>=3')).toEqual([3, 10]);
  expect(ids('id=ge=3')).toEqual([3, 10]);
  expect(ids('id<3')).toEqual([1, 2]);
  expect(ids('id=lt=3')).toEqual([1, 2]);
  expect(ids('id<=2')).toEqual([1, 2]);
  expect(ids('id=le=2')).toEqual([1, 2]);
  // 10 > 9 numerically even though "10" < "9" as text.
  expect(ids('id>9')).toEqual([10]);
});

test('=in= and =out= take a parenthesised list, and a single value too', () => {
  expect(ids('id=in=(1,3)')).toEqual([1, 3]);
  expect(ids('id=out=(1,3)')).toEqual([2, 10]);
  expect(ids('general.name=in=("orchard", \'SAM IPHONE\')')).toEqual([2, 3]);
  expect(ids('id=in=2')).toEqual([2]);
  expect(ids('general.name=out=(*i*,orchard)')).toEqual([1, 10]);
});

test('and binds tighter than or; ; and , are the symbolic forms; parentheses regroup', () => {
  expect(ids('id==1,id==2;managed==true')).toEqual([1]);
  expect(ids('id==1 or id==2 and managed==true')).toEqual([1]);
  expect(ids('(id==1,id==2);managed==false')).toEqual([2]);
  expect(ids('(id==1 or id==2) and managed==false')).toEqual([2]);
  expect(ids('((id==3))')).toEqual([3]);
  expect(ids('id==1 AND managed==true')).toEqual([1]);
});

test('booleans accept true and false in any case and nothing else', () => {
  expect(ids('managed==false')).toEqual([2]);
  expect(ids('managed==TRUE')).toEqual([1, 3, 10]);
  expect(() => ids('managed==yes')).toThrow(RsqlFieldError);
  expect(() => ids('managed>true')).toThrow(/cannot be ordered/);
});

test('dates compare as instants, and a missing value never satisfies an ordering', () => {
  expect(ids('seen>2026-01-01T00:00:00Z')).toEqual([1, 2]);
  expect(ids('seen<"2026-01-01"')).toEqual([10]);
  expect(() => ids('seen>yesterday')).toThrow(/is a date/);
});

test('a missing text value equals the empty string', () => {
  expect(ids('email==""')).toEqual([3]);
  expect(ids('email!=""')).toEqual([1, 2, 10]);
});

test('an unknown field is reported by name before anything is filtered', () => {
  const node = parseRsql('id==1;general.serial==X');
  expect(rsqlSelectors(node)).toEqual(['id', 'general.serial']);
  try {
    compileRsql(node ?? { kind: 'and', children: [] }, FIELDS);
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(RsqlFieldError);
    expect((error as RsqlFieldError).selector).toBe('general.serial');
    expect((error as RsqlFieldError).reason).toBe('unknown-field');
  }
});

test('numbers must be numbers and wildcards only apply to text', () => {
  expect(() => ids('id==abc')).toThrow(/is a number/);
  expect(() => ids('id==1*')).toThrow(/wildcards/);
  expect(() => ids('id==""')).toThrow(/is a number/);
});

test.each([
  ['id', /expected an operator but the filter ended/],
  ['id==', /expected a value but the filter ended/],
  ['==1', /expected a field name/],
  ['id=~1', /expected an operator/],
  ['id=like=1', /unknown operator '=like='/],
  ['(id==1', /unclosed parenthesis at position 0/],
  ['id==1)', /unbalanced closing parenthesis/],
  ['id==(1,2)', /takes a single value/],
  ['id=in=(1,2', /unclosed argument list/],
  ['name=="abc', /unterminated quoted value/],
  ['id==1;', /expected a field name but the filter ended/],
  ['id==1 id==2', /unexpected character/],
  ['id==a b', /unexpected character 'b'/],
])('the malformed filter %s is a syntax error with a position', (filter, message) => {
  expect(() => parseRsql(filter)).toThrow(RsqlSyntaxError);
  expect(() => parseRsql(filter)).toThrow(message);
});

test('nesting and length are bounded so a hostile filter cannot exhaust the stack', () => {
  const deep = `${'('.repeat(RSQL_MAX_DEPTH + 1)}id==1${')'.repeat(RSQL_MAX_DEPTH + 1)}`;
  expect(() => parseRsql(deep)).toThrow(/nested deeper/);
  const ok = `${'('.repeat(RSQL_MAX_DEPTH)}id==1${')'.repeat(RSQL_MAX_DEPTH)}`;
  expect(parseRsql(ok)).toMatchObject({ kind: 'comparison', selector: 'id' });
  expect(() => parseRsql(`id==${'1'.repeat(9000)}`)).toThrow(/longer than/);
});

test('the parse tree keeps selectors, operators and the positions of comparisons', () => {
  expect(parseRsql('a==1;b=gt=2')).toEqual({
    kind: 'and',
    children: [
      {
        kind: 'comparison',
        selector: 'a',
        operator: '==',
        values: [{ text: '1', parts: ['1'] }],
        position: 0,
      },
      {
        kind: 'comparison',
        selector: 'b',
        operator: '>',
        values: [{ text: '2', parts: ['2'] }],
        position: 5,
      },
    ],
  });
});
