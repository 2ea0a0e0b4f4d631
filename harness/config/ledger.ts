/**
 * The ledger file: a JSON array of findings a user has decided to tolerate, or skips they expect, each
 * with the check (or the module) it concerns and why — `[{ "check"|"module": "…", "reason": "…",
 * "expect"?: "failure"|"skip", "plan"?, "requirement"?, "message"? }]` (`message`: a substring of the
 * finding's message, or of the skip's reason). The suites' core applies it; this
 * reads it, refusing anything it could not apply as written (a misspelt member would silently widen an
 * entry, a second identical entry could never match), with the file, line:column and the entry named.
 */
import { HarnessError } from '../kernel/index.ts';
import { isJsonObject, isRequirementId } from '../protocol/index.ts';
import type { LedgerEntry } from '../records/index.ts';
import { fieldName, type JsonPath, parseJsonFile, positionOf, readSmallFile, TargetError } from './target.ts';

/** One ledger entry as read: the records' LedgerEntry, which suites/core applies. */
export type LedgerFileEntry = LedgerEntry;

const OPTIONAL = ['plan', 'module', 'requirement', 'message'] as const;
const MEMBERS = new Set<string>(['check', 'reason', 'expect', ...OPTIONAL]);

/** Validates a ledger file's text. */
export function parseLedger(text: string, file: string): LedgerFileEntry[] {
  const fail = (path: JsonPath, message: string): never => {
    throw new TargetError(
      file,
      path.length === 0 ? undefined : fieldName(path),
      message,
      positionOf(text, path),
    );
  };
  const value = parseJsonFile(text, file);
  if (!Array.isArray(value))
    fail([], 'a ledger is a JSON array of entries like { "check": "…", "reason": "…" }');
  const entries: LedgerFileEntry[] = [];
  const seen = new Map<string, number>();
  for (const [i, entry] of (value as unknown[]).entries()) {
    if (!isJsonObject(entry)) fail([i], 'must be an object with "check" and "reason"');
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e))
      if (!MEMBERS.has(key)) fail([i, key], `is not a ledger member (known: ${[...MEMBERS].join(', ')})`);
    // An entry names a check, or a module instead (it then applies to each of the module's checks).
    if (e.check === undefined && e.module === undefined)
      fail([i, 'check'], 'is required (or "module", for an entry about each check of a module)');
    if (e.check !== undefined && (typeof e.check !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)+$/.test(e.check)))
      fail([i, 'check'], 'must be a check id (kebab-case)');
    if (e.expect !== undefined && e.expect !== 'failure' && e.expect !== 'skip')
      fail(
        [i, 'expect'],
        'must be "failure" (a tolerated failure, the default) or "skip" (an expected skip)',
      );
    const what = e.expect === 'skip' ? 'this skip is expected' : 'this finding is tolerated';
    if (typeof e.reason !== 'string' || e.reason.trim() === '')
      fail(
        [i, 'reason'],
        e.reason === undefined
          ? `is required: say why ${what}`
          : `must be a non-empty sentence saying why ${what}`,
      );
    for (const key of OPTIONAL) {
      if (e[key] !== undefined && (typeof e[key] !== 'string' || e[key] === ''))
        fail([i, key], 'must be a non-empty string');
    }
    if (typeof e.requirement === 'string' && !isRequirementId(e.requirement))
      fail([i, 'requirement'], `"${e.requirement}" is not a requirement id (see docs/requirements.md)`);
    const out = Object.fromEntries(
      ['check', 'reason', 'expect', ...OPTIONAL].filter((k) => e[k] !== undefined).map((k) => [k, e[k]]),
    ) as unknown as LedgerFileEntry;
    const key = JSON.stringify(['check', ...OPTIONAL].map((k) => e[k] ?? null).concat(e.expect ?? 'failure'));
    const first = seen.get(key);
    if (first !== undefined)
      fail([i], `matches the same findings as entry [${first}]; the second could never match — remove it`);
    seen.set(key, i);
    entries.push(out);
  }
  return entries;
}

/** Reads and validates a ledger file. */
export async function loadLedger(file: string): Promise<LedgerFileEntry[]> {
  try {
    return parseLedger(await readSmallFile(file, 'ledger file'), file);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError('ERR_INPUT_INVALID', `ledger file "${file}": ${(error as Error).message}`);
  }
}
