import { expect, test } from 'vitest';
import type { RunRecord } from '../harness/protocol/index.ts';
import { failingRun, passingRun, withHostileStrings } from './fixtures.testing.ts';
import { renderMarkdownSummary } from './markdown.ts';

/** Pipes that split a table row (not backslash-escaped). */
const cellPipes = (line: string): number => line.match(/(?<!\\)\|/g)?.length ?? 0;

test('a table of the runs, then what failed in each failed run', () => {
  const md = renderMarkdownSummary([passingRun(), failingRun()]);
  expect(md).toBe(`## ssf-lab: 2 runs, 1 passed, 1 failed

| Scenario | Transport | Result | Duration | Failed expectations |
| --- | --- | --- | ---: | --- |
| macOS device threat → Universal Logout | in-process | ✅ passed | 612 ms | — |
| Office 365 ends every session on Universal Logout | loopback | ❌ failed | 1.34 s | **Office 365 ended every session of pat.lee@acme.example**: Office 365 answered 204 but revoked only the refresh tokens (outcome refresh-tokens-revoked); 2 sessions are still active. Office 365 supports Universal Logout partially. |

### ❌ Office 365 ends every session on Universal Logout (loopback)

- **Office 365 ended every session of pat.lee@acme.example** (expectation 2, app-sessions): Office 365 answered 204 but revoked only the refresh tokens (outcome refresh-tokens-revoked); 2 sessions are still active. Office 365 supports Universal Logout partially.
  - expected {"sessions":"revoked","refreshTokens":"revoked"}; actual {"sessions":"active","refreshTokens":"revoked","activeSessions":2}
`);
});

test('a run that failed in a step says which step', () => {
  const base = passingRun();
  const broken: RunRecord = {
    ...base,
    passed: false,
    steps: [
      {
        index: 3,
        kind: 'wait',
        title: 'Okta is idle',
        startedMs: 0,
        durationMs: 10_000,
        ok: false,
        error: 'timed out after 10 s',
      },
    ],
  };
  const md = renderMarkdownSummary([broken]);
  expect(md).toContain('| ❌ failed | 612 ms | step 3 (wait) failed: timed out after 10 s |');
  expect(md).toContain('- step 3 (wait) failed: Okta is idle: timed out after 10 s');
});

test('Markdown-significant characters from the system under test are escaped', () => {
  const hostile = '| x | `code` <img src=x onerror=alert(1)> [link](javascript:alert(2)) *b* $m$\nnext';
  const md = renderMarkdownSummary([
    withHostileStrings(failingRun(), hostile),
    withHostileStrings(passingRun(), hostile),
  ]);
  const table = md.split('\n').filter((l) => l.startsWith('| '));
  expect(table).toHaveLength(4);
  for (const row of table) expect(cellPipes(row)).toBe(6);
  expect(md.replaceAll('<br>', '')).not.toContain('<');
  expect(md).not.toMatch(/(?<!\\)`/);
  expect(md).not.toMatch(/(?<!\\)\[link(?<!\\)\]/);
  expect(md).not.toMatch(/(?<!\\)\$m/);
  expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  // One line per list item: a newline in a value does not start a new block.
  expect(md).not.toMatch(/^next/m);
});
