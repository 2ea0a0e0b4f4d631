/**
 * parseStrictJson: the same values as JSON.parse for valid JSON, plus every duplicate member with the
 * path of the object holding it, a nesting limit that holds before anything recurses, and results (never
 * exceptions) for malformed text.
 */
import { expect, test } from 'vitest';
import {
  DEFAULT_MAX_JSON_DEPTH,
  type DuplicateMember,
  isJsonObject,
  parseStrictJson,
} from './strict-json.ts';

/** The duplicates of a parse that must succeed. */
function duplicatesOf(text: string, maxDepth?: number): readonly DuplicateMember[] {
  const result = parseStrictJson(text, maxDepth);
  if (!result.ok) throw new Error(`expected ${text} to parse, got ${result.reason}: ${result.message}`);
  return result.duplicates;
}

function nested(open: string, close: string, levels: number): string {
  return open.repeat(levels) + close.repeat(levels);
}

test.each([
  ['an empty object', '{}'],
  ['an empty array', '[]'],
  ['a mixed object', '{"a":1,"b":[true,false,null],"c":{"d":"e","f":-1.5e3}}'],
  ['a nested array', '[1,[2,[3,[]]],{}]'],
  ['a string scalar', '"text"'],
  ['a number scalar', '42'],
  ['a negative exponent number', '-0.25E-2'],
  ['true', 'true'],
  ['null', 'null'],
  ['escaped unicode', '{"\\u00e9":"\\ud83d\\ude00\\n\\t\\/"}'],
  ['raw non-ASCII text', '{"naïve":"café ☕"}'],
])('%s parses to the same value as JSON.parse with no duplicates', (_name, text) => {
  const result = parseStrictJson(text);
  expect(result).toEqual({ ok: true, value: JSON.parse(text), duplicates: [] });
});

test('a duplicate top-level member is reported with an empty path and the value keeps the last one', () => {
  const result = parseStrictJson('{"a":1,"b":2,"a":3}');
  expect(result).toEqual({ ok: true, value: { a: 3, b: 2 }, duplicates: [{ path: [], name: 'a' }] });
});

test('a duplicate inside a nested object is reported with the member names leading to that object', () => {
  expect(duplicatesOf('{"x":{"y":{"a":1,"a":2},"z":0}}')).toEqual([{ path: ['x', 'y'], name: 'a' }]);
});

test('a duplicate inside an object in an array is reported with the numeric index in its path', () => {
  expect(duplicatesOf('{"list":[{"a":1},{"b":1,"b":2}]}')).toEqual([{ path: ['list', 1], name: 'b' }]);
  expect(duplicatesOf('[0,[{"k":1,"k":1}]]')).toEqual([{ path: [1, 0], name: 'k' }]);
  expect(duplicatesOf('[[],[[],[],{"q":[{"r":0,"r":1}]}]]')).toEqual([{ path: [1, 2, 'q', 0], name: 'r' }]);
});

test('a name spelled once plainly and once with a \\u escape is a duplicate of the decoded name', () => {
  expect(duplicatesOf('{"a":1,"\\u0061":2}')).toEqual([{ path: [], name: 'a' }]);
  expect(duplicatesOf('{"\\u0061":1,"a":2}')).toEqual([{ path: [], name: 'a' }]);
  expect(duplicatesOf('{"é":1,"\\u00e9":2}')).toEqual([{ path: [], name: 'é' }]);
  expect(duplicatesOf('{"events":1,"\\u0065vents":2}')).toEqual([{ path: [], name: 'events' }]);
});

test('path members spelled with escapes appear decoded in the path', () => {
  expect(duplicatesOf('{"\\u0078":{"a\\/b":{"c":1,"c":2}}}')).toEqual([{ path: ['x', 'a/b'], name: 'c' }]);
});

test('names containing escaped quotes and backslashes are compared by their decoded text', () => {
  // JSON text "a\\\"b" is the name a\"b (a, backslash, quote, b).
  expect(duplicatesOf('{"a\\\\\\"b":1,"a\\\\\\"b":2}')).toEqual([{ path: [], name: 'a\\"b' }]);
  expect(duplicatesOf('{"\\"":1,"\\"":2}')).toEqual([{ path: [], name: '"' }]);
  // A name ending in an escaped backslash: the quote after it closes the string.
  expect(duplicatesOf('{"a\\\\":1,"a\\\\":2}')).toEqual([{ path: [], name: 'a\\' }]);
  expect(duplicatesOf('{"a\\\\":1,"a":2}')).toEqual([]);
  expect(duplicatesOf('{"a\\"":1,"a":2}')).toEqual([]);
});

test('a member named __proto__ is reported as a duplicate and kept as an own property', () => {
  const result = parseStrictJson('{"__proto__":1,"__proto__":{"polluted":true}}');
  expect(result.ok && result.duplicates).toEqual([{ path: [], name: '__proto__' }]);
  expect(result.ok && Object.hasOwn(result.value as object, '__proto__')).toBe(true);
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
});

test('a name appearing three times in one object is reported twice', () => {
  expect(duplicatesOf('{"a":1,"a":2,"a":3}')).toEqual([
    { path: [], name: 'a' },
    { path: [], name: 'a' },
  ]);
});

test('duplicates in several objects are all reported, in document order', () => {
  expect(duplicatesOf('{"a":{"x":1,"x":2},"b":[{"y":1,"y":2}],"c":1,"c":2}')).toEqual([
    { path: ['a'], name: 'x' },
    { path: ['b', 0], name: 'y' },
    { path: [], name: 'c' },
  ]);
});

test('the same name in sibling objects is not a duplicate', () => {
  expect(duplicatesOf('[{"a":1},{"a":2},{"a":3}]')).toEqual([]);
  expect(duplicatesOf('{"x":{"a":1},"y":{"a":1},"z":[{"a":1},{"a":1}]}')).toEqual([]);
});

test('the same name at different depths is not a duplicate', () => {
  expect(duplicatesOf('{"a":{"a":{"a":[{"a":1}]}}}')).toEqual([]);
  expect(duplicatesOf('{"events":{"events":{}},"x":{"events":1}}')).toEqual([]);
});

test('a member name that only differs from another by case or by a trailing space is not a duplicate', () => {
  expect(duplicatesOf('{"a":1,"A":2,"a ":3}')).toEqual([]);
});

test('exactly the default maximum depth of arrays or objects parses and one level more is refused', () => {
  expect(DEFAULT_MAX_JSON_DEPTH).toBe(32);
  expect(parseStrictJson(nested('[', ']', 32)).ok).toBe(true);
  expect(parseStrictJson(`${'{"a":'.repeat(32)}1${'}'.repeat(32)}`).ok).toBe(true);
  expect(parseStrictJson(nested('[', ']', 33))).toEqual({
    ok: false,
    reason: 'depth',
    maxDepth: 32,
    message: 'JSON nests deeper than 32 levels',
  });
  expect(parseStrictJson(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`)).toMatchObject({
    ok: false,
    reason: 'depth',
  });
});

test('a custom maximum depth counts arrays and objects alike and scalars as depth zero', () => {
  const text = '{"a":[{"b":1}]}';
  expect(parseStrictJson(text, 3)).toEqual({ ok: true, value: JSON.parse(text), duplicates: [] });
  expect(parseStrictJson(text, 2)).toMatchObject({ ok: false, reason: 'depth', maxDepth: 2 });
  expect(parseStrictJson('"scalar"', 0)).toEqual({ ok: true, value: 'scalar', duplicates: [] });
  expect(parseStrictJson('[]', 0)).toMatchObject({ ok: false, reason: 'depth', maxDepth: 0 });
  expect(parseStrictJson('[]', 1).ok).toBe(true);
});

test('depth is the deepest branch, not the number of containers', () => {
  const wide = `[${Array.from({ length: 500 }, () => '[[1]]').join(',')}]`;
  expect(parseStrictJson(wide, 3).ok).toBe(true);
  expect(parseStrictJson(wide, 2)).toMatchObject({ ok: false, reason: 'depth' });
});

test('100000 opening brackets are refused as too deep quickly and without a stack overflow', () => {
  const started = performance.now();
  const unclosed = parseStrictJson('['.repeat(100_000));
  const balanced = parseStrictJson(nested('[', ']', 100_000));
  const objects = parseStrictJson(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
  expect(unclosed).toMatchObject({ ok: false, reason: 'depth', maxDepth: 32 });
  expect(balanced).toMatchObject({ ok: false, reason: 'depth', maxDepth: 32 });
  expect(objects).toMatchObject({ ok: false, reason: 'depth', maxDepth: 32 });
  expect(performance.now() - started).toBeLessThan(1000);
});

test('a maximum depth beyond what the stack allows still refuses 100000 levels as too deep instead of throwing', () => {
  let result: ReturnType<typeof parseStrictJson> | undefined;
  expect(() => {
    result = parseStrictJson(nested('[', ']', 100_000), 1_000_000);
  }).not.toThrow();
  expect(result).toMatchObject({ ok: false, reason: 'depth', maxDepth: 1_000_000 });
});

test.each([
  ['a member without a value', '{"a":}'],
  ['a trailing comma in an object', '{"a":1,}'],
  ['a trailing comma in an array', '[1,2,]'],
  ['a missing comma', '{"a":1 "b":2}'],
  ['a missing colon', '{"a" 1}'],
  ['an empty array element', '[1,,2]'],
  ['a truncated string value', '{"a":"unterminated'],
  ['a truncated member name', '{"unterminated'],
  ['a truncated string scalar', '"abc'],
  ['a string ending in an escaped quote', '{"a":"x\\"}'],
  ['a truncated object', '{"a":1,"a":2'],
  ['a truncated array', '[1,[2'],
  ['a lone closing brace', '}'],
  ['a lone closing bracket', ']'],
  ['an extra closing brace', '{"a":1}}'],
  ['trailing garbage', '{"a":1} x'],
  ['two documents', '{} {}'],
  ['empty text', ''],
  ['only whitespace', ' \n\t '],
  ['single-quoted names', "{'a':1}"],
  ['an unquoted name', '{a:1}'],
  ['a misspelled literal', 'nul'],
  ['an invalid escape in a value', '{"a":"\\x"}'],
  ['an invalid escape in a name', '{"\\q":1,"\\q":2}'],
  ['a raw control character in a string', '{"a":"line\nbreak"}'],
  ['a byte-order mark before the text', '\ufeff{}'],
  ['NaN', '{"a":NaN}'],
  ['a leading plus', '[+1]'],
  ['a non-breaking space as whitespace', '{\u00a0"a":1}'],
])('%s is a syntax error reported as a value, not thrown', (_name, text) => {
  let result: ReturnType<typeof parseStrictJson> | undefined;
  expect(() => {
    result = parseStrictJson(text);
  }).not.toThrow();
  expect(result).toMatchObject({ ok: false, reason: 'syntax' });
  expect(result?.ok === false && result.message.length > 0).toBe(true);
});

test('structural characters and escaped quotes inside strings do not confuse the scanner', () => {
  const text = '{"a":"{[,:]}","b":"\\"}","c":"\\\\","d":"\\\\\\"{\\"a\\":1,\\"a\\":2}","a":0}';
  expect(parseStrictJson(text)).toEqual({
    ok: true,
    value: JSON.parse(text),
    duplicates: [{ path: [], name: 'a' }],
  });
});

test('a duplicate spelled inside a string value is not reported', () => {
  const text = '{"x":"]]]]}}}}","y":{"x":"\\"{\\"a\\":1,\\"a\\":2}"},"z":"[{\\"b\\":1,\\"b\\":1}]"}';
  expect(parseStrictJson(text)).toEqual({ ok: true, value: JSON.parse(text), duplicates: [] });
});

test('brackets inside strings do not count towards the depth', () => {
  const text = `{"a":"${'['.repeat(1000)}","b":["${'{'.repeat(1000)}"]}`;
  expect(parseStrictJson(text, 2)).toEqual({ ok: true, value: JSON.parse(text), duplicates: [] });
});

test('member names containing structural characters are compared correctly', () => {
  expect(duplicatesOf('{"a,b":1,"a:b":2,"{a}":3,"a,b":4}')).toEqual([{ path: [], name: 'a,b' }]);
  expect(duplicatesOf('{"[0]":{"x":1,"x":2}}')).toEqual([{ path: ['[0]'], name: 'x' }]);
});

test('whitespace around every token is allowed and does not hide a duplicate', () => {
  const text = ' \t\n\r{ \n"a" \t: \r\n[ 1 , { "k" : 1 ,\n"k":2 } ] ,\n "a"\t:\t{ } } \n';
  expect(parseStrictJson(text)).toEqual({
    ok: true,
    value: JSON.parse(text),
    duplicates: [
      { path: ['a', 1], name: 'k' },
      { path: [], name: 'a' },
    ],
  });
});

test('an object with 30000 distinct members is scanned in linear time', () => {
  const members = Array.from({ length: 30_000 }, (_, i) => `"m${i}":${i}`);
  const started = performance.now();
  const result = parseStrictJson(`{${members.join(',')},"m29999":0}`);
  const elapsed = performance.now() - started;
  expect(result.ok && result.duplicates).toEqual([{ path: [], name: 'm29999' }]);
  expect(elapsed).toBeLessThan(1000);
});

test('isJsonObject accepts plain objects only', () => {
  expect(isJsonObject({})).toBe(true);
  expect(isJsonObject(JSON.parse('{"a":1}'))).toBe(true);
  expect(isJsonObject([])).toBe(false);
  expect(isJsonObject(null)).toBe(false);
  expect(isJsonObject('{}')).toBe(false);
  expect(isJsonObject(1)).toBe(false);
  expect(isJsonObject(undefined)).toBe(false);
});
