import { expect, test } from 'vitest';
import { satisfiesNode } from './node-range.testing.ts';

test('the engines ranges npm packages use, read as npm reads them', () => {
  const cases: [string, string, boolean][] = [
    ['>=20.19', '20.19.0', true],
    ['>=20.19', '20.18.9', false],
    ['>=22', '20.19.0', false],
    ['^20.19.0 || ^22.13.0 || ^23.5.0 || >=24.0.0', '20.19.0', true],
    ['^20.19.0 || ^22.13.0 || >=24.0.0', '22.12.0', false],
    ['>=23.5.0 || ^22.13.0 || ^20.17.0', '20.19.0', true],
    ['>= 10.x', '20.19.0', true],
    ['6.* || 8.* || >= 10.*', '20.19.0', true],
    ['6.* || 8.*', '20.19.0', false],
    ['>=14 <22', '22.0.0', false],
    ['>=14 <22', '20.19.0', true],
    ['^20.0.0 || ^22.0.0 || >=24.0.0', '23.1.0', false],
    ['>= 22.22', '20.19.0', false],
    ['*', '20.19.0', true],
    ['~20.19.0', '20.20.0', false],
    ['20', '20.19.0', true],
  ];
  for (const [range, version, expected] of cases) expect(satisfiesNode(range, version), range).toBe(expected);
  expect(satisfiesNode('node >= 20', '20.19.0')).toBeUndefined();
});
