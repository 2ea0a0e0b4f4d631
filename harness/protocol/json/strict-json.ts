/**
 * JSON parsing for untrusted token segments. `JSON.parse` silently keeps the last of duplicate member
 * names and recurses without a depth limit, so before parsing we scan the text once: the scan reports
 * every duplicate member (with the path of the object holding it) and stops at the nesting limit, so a
 * hostile token can neither hide a second "events" member nor exhaust the stack.
 */

export interface DuplicateMember {
  /** Path (member names and array indexes) of the object that holds the duplicate. */
  readonly path: readonly (string | number)[];
  readonly name: string;
}

export type StrictJsonResult =
  | { readonly ok: true; readonly value: unknown; readonly duplicates: readonly DuplicateMember[] }
  | { readonly ok: false; readonly reason: 'syntax'; readonly message: string }
  | { readonly ok: false; readonly reason: 'depth'; readonly message: string; readonly maxDepth: number };

class DepthExceeded extends Error {}
class ScanStopped extends Error {}

/** Objects with more members than this track names in a Set; smaller ones search an array (faster). */
const SMALL_OBJECT = 8;

/** Scans `text` for duplicate member names and excessive nesting without building values. */
function scan(text: string, maxDepth: number): DuplicateMember[] {
  const duplicates: DuplicateMember[] = [];
  // The path to the current value; copied only when a duplicate is found.
  const path: (string | number)[] = [];
  let i = 0;
  const n = text.length;

  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  /** Moves past a string starting at its opening quote; returns the index of its closing quote. */
  const skipString = (): number => {
    const start = i + 1;
    let j = start;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) throw new ScanStopped();
      let backslashes = 0;
      for (let k = q - 1; k >= start && text.charCodeAt(k) === 0x5c; k--) backslashes++;
      if (backslashes % 2 === 0) {
        i = q + 1;
        return q;
      }
      j = q + 1;
    }
  };
  const skipScalar = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
        break;
      i++;
    }
  };

  const value = (depth: number): void => {
    skipWs();
    const c = text.charCodeAt(i);
    if (c === 0x7b) object(depth + 1);
    else if (c === 0x5b) array(depth + 1);
    else if (c === 0x22) skipString();
    else skipScalar();
  };

  const object = (depth: number): void => {
    if (depth > maxDepth) throw new DepthExceeded();
    i++; // {
    skipWs();
    if (text.charCodeAt(i) === 0x7d) {
      i++;
      return;
    }
    let names: string[] | Set<string> = [];
    for (;;) {
      skipWs();
      if (text.charCodeAt(i) !== 0x22) throw new ScanStopped();
      const open = i;
      const close = skipString();
      const raw = text.slice(open + 1, close);
      // Escapes can spell one name two ways ("a" and "\u0061"); compare decoded names.
      const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const seen = Array.isArray(names) ? names.includes(name) : names.has(name);
      if (seen) duplicates.push({ path: [...path], name });
      else if (Array.isArray(names)) {
        names.push(name);
        if (names.length > SMALL_OBJECT) names = new Set(names);
      } else names.add(name);
      skipWs();
      if (text.charCodeAt(i) !== 0x3a) throw new ScanStopped();
      i++;
      path.push(name);
      value(depth);
      path.pop();
      skipWs();
      const next = text.charCodeAt(i);
      i++;
      if (next === 0x2c) continue;
      if (next === 0x7d) return;
      throw new ScanStopped();
    }
  };

  const array = (depth: number): void => {
    if (depth > maxDepth) throw new DepthExceeded();
    i++; // [
    skipWs();
    if (text.charCodeAt(i) === 0x5d) {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      path.push(index);
      value(depth);
      path.pop();
      skipWs();
      const next = text.charCodeAt(i);
      i++;
      if (next === 0x2c) continue;
      if (next === 0x5d) return;
      throw new ScanStopped();
    }
  };

  try {
    value(0);
  } catch (error) {
    if (error instanceof DepthExceeded) throw error;
    // Malformed input: JSON.parse reports it with a proper message.
    if (!(error instanceof ScanStopped) && !(error instanceof SyntaxError)) throw error;
  }
  return duplicates;
}

export const DEFAULT_MAX_JSON_DEPTH = 32;

/** Parses untrusted JSON text, reporting duplicate members and refusing excessive nesting. */
export function parseStrictJson(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): StrictJsonResult {
  let duplicates: DuplicateMember[];
  try {
    duplicates = scan(text, maxDepth);
  } catch (error) {
    if (error instanceof DepthExceeded) {
      return { ok: false, reason: 'depth', maxDepth, message: `JSON nests deeper than ${maxDepth} levels` };
    }
    // A limit set beyond what the stack allows: the scan ran out of stack first, so the text is too deep.
    if (error instanceof RangeError) {
      return {
        ok: false,
        reason: 'depth',
        maxDepth,
        message: 'JSON nests too deeply to scan (deeper than the stack allows)',
      };
    }
    throw error;
  }
  try {
    return { ok: true, value: JSON.parse(text), duplicates };
  } catch (error) {
    return { ok: false, reason: 'syntax', message: (error as Error).message };
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
