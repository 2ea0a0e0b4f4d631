/**
 * Whether a Node.js version satisfies a package's `engines.node` range — the forms npm packages use
 * (`>=20`, `^20.19.0 || >=22.12`, `>= 10.x`, `6.* || 8.* || >= 10.*`, `>=14 <22`), without a dependency
 * on a semver library. A form it does not know is reported, never guessed.
 */

type Version = readonly [number, number, number];

function parseVersion(text: string): { version: Version; wild: number } | undefined {
  const m = /^v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/.exec(text.trim());
  if (m === null) return undefined;
  const parts = [m[1], m[2], m[3]];
  // How many parts are given before the first wildcard or gap: `20` and `20.x` → 1, `20.19` → 2.
  let wild = 0;
  while (wild < 3 && parts[wild] !== undefined && parts[wild] !== 'x' && parts[wild] !== '*') wild++;
  const nums = parts.map((p, i) => (i < wild ? Number(p) : 0));
  return { version: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], wild };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** The version just past a partial one: `20` → 21.0.0, `20.19` → 20.20.0. */
function bump(v: Version, given: number): Version {
  if (given <= 1) return [v[0] + 1, 0, 0];
  if (given === 2) return [v[0], v[1] + 1, 0];
  return [v[0], v[1], v[2] + 1];
}

function comparator(op: string, text: string, version: Version): boolean | undefined {
  const parsed = parseVersion(text);
  if (parsed === undefined) return undefined;
  const { version: v, wild } = parsed;
  if (wild === 0) return true; // `*`, `x`
  switch (op) {
    case '>=':
      return compare(version, v) >= 0;
    case '>':
      return wild < 3 ? compare(version, bump(v, wild)) >= 0 : compare(version, v) > 0;
    case '<':
      return compare(version, v) < 0;
    case '<=':
      return wild < 3 ? compare(version, bump(v, wild)) < 0 : compare(version, v) <= 0;
    case '^': {
      const upper: Version = v[0] > 0 ? [v[0] + 1, 0, 0] : v[1] > 0 ? [0, v[1] + 1, 0] : bump(v, wild);
      return compare(version, v) >= 0 && compare(version, upper) < 0;
    }
    case '~':
      return compare(version, v) >= 0 && compare(version, bump(v, Math.min(wild, 2))) < 0;
    case '':
    case '=':
      return wild === 3
        ? compare(version, v) === 0
        : compare(version, v) >= 0 && compare(version, bump(v, wild)) < 0;
    default:
      return undefined;
  }
}

/** true or false; undefined when the range has a form this does not read. */
export function satisfiesNode(range: string, versionText: string): boolean | undefined {
  const version = parseVersion(versionText)?.version;
  if (version === undefined) throw new TypeError(`not a version: ${versionText}`);
  let any = false;
  for (const alternative of range.split('||')) {
    const tokens = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (tokens.length === 0) return true;
    let all = true;
    for (const token of tokens) {
      const m = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(token);
      const result = comparator(m?.[1] ?? '', m?.[2] ?? '', version);
      if (result === undefined) return undefined;
      all &&= result;
    }
    any ||= all;
  }
  return any;
}
