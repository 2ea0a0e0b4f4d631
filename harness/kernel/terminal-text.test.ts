import { expect, test } from 'vitest';
import { terminalSafe } from './terminal-text.ts';

test('plain text, newlines and tabs pass untouched', () => {
  expect(terminalSafe('a scenario\n\twith a tab — and unicode ✓')).toBe(
    'a scenario\n\twith a tab — and unicode ✓',
  );
});

test("ssf-lab's own colours pass; other escape sequences are shown, not obeyed", () => {
  expect(terminalSafe('\u001b[31m✗ failed\u001b[0m')).toBe('\u001b[31m✗ failed\u001b[0m');
  // Clear screen, cursor home, window title (OSC), a hidden-text SGR, a bell, a carriage return, C1 CSI.
  const hostile = 'x\u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b[8msecret\rover\u009b31m';
  const out = terminalSafe(hostile);
  const controls = [...out].filter((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
  expect(controls).toEqual([]);
  expect(out).toBe('x\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07\\x1b[8msecret\\x0dover\\x9b31m');
});
