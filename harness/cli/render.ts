/**
 * Human-readable rendering of a validation result for the terminal.
 */
import { countByLevel, type Finding, REQUIREMENTS } from '../protocol/index.ts';

const STYLE = {
  failure: ['\u001b[31m', '✗ failure'],
  warning: ['\u001b[33m', '! warning'],
  info: ['\u001b[36m', 'i info   '],
} as const;
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

export function renderFindings(findings: readonly Finding[], color: boolean): string {
  const lines: string[] = [];
  for (const f of findings) {
    const [code, label] = STYLE[f.level];
    const head = `${color ? code : ''}${label}${color ? RESET : ''}  ${f.check}  ${f.requirement}${f.path ? `  ${f.path}` : ''}`;
    lines.push(
      head,
      `    ${f.message}`,
      `    ${color ? DIM : ''}${REQUIREMENTS[f.requirement].url}${color ? RESET : ''}`,
    );
  }
  const c = countByLevel(findings);
  lines.push(
    findings.length === 0
      ? 'no findings'
      : `${c.failure} failure(s), ${c.warning} warning(s), ${c.info} info`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
