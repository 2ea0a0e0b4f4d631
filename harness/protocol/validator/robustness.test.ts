/**
 * The validator never throws on bad input. Seeded pseudo-random inputs (printable text, raw bytes,
 * base64url triples) and mutations of one genuinely signed SET go through validateSet under every
 * profile, lintSet and decodeSet: each must return findings, every garbled token must fail, and no
 * token but the original may verify. Hand-picked hostile payloads follow.
 */
import { beforeAll, expect, test } from 'vitest';
import { EVENT_URIS } from '../event-types.ts';
import type { Finding } from '../findings.ts';
import { signSet } from '../set/build.ts';
import { jwksFromObject, type KeySource } from '../set/jwks.ts';
import { generateSigningKey, publicJwks, type SigningKey } from '../set/keys.ts';
import { base64url, signRaw } from '../set/raw.ts';
import { validClaims } from './corpus.testing.ts';
import { PROFILE_NAMES, type ProfileName } from './profiles.ts';
import { decodeSet, lintSet, type SetValidationResult, validateSet } from './validate-set.ts';

// ---- deterministic randomness --------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Random {
  /** An integer in [0, n). */
  int(n: number): number;
  /** One character of `alphabet`. */
  char(alphabet: string): string;
  /** A string of `length` characters from `alphabet`. */
  text(alphabet: string, length: number): string;
}

function seeded(seed: number): Random {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const char = (alphabet: string): string => alphabet.charAt(int(alphabet.length));
  return { int, char, text: (alphabet, length) => Array.from({ length }, () => char(alphabet)).join('') };
}

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Characters a mutation inserts: mostly base64url, plus the separator and a few that break the alphabet. */
const MUTATION_CHARS = `${BASE64URL}${BASE64URL}..=+/ %"{}\u00e9\u0000`;

interface FuzzInput {
  readonly kind: string;
  readonly token: string;
}

function randomPrintable(seed: number, count: number): FuzzInput[] {
  const r = seeded(seed);
  return Array.from({ length: count }, () => ({ kind: 'printable', token: r.text(PRINTABLE, r.int(160)) }));
}

function randomBytes(seed: number, count: number): FuzzInput[] {
  const r = seeded(seed);
  return Array.from({ length: count }, () => ({
    kind: 'bytes',
    token: Array.from({ length: r.int(160) }, () => String.fromCharCode(r.int(256))).join(''),
  }));
}

/** `a.b.c` of random base64url; a third of them start with a real header so key lookup and verification run. */
function randomTriples(seed: number, count: number, header: string): FuzzInput[] {
  const r = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const first = i % 3 === 0 ? header : r.text(BASE64URL, r.int(120));
    return {
      kind: 'triple',
      token: `${first}.${r.text(BASE64URL, r.int(400))}.${r.text(BASE64URL, r.int(400))}`,
    };
  });
}

/** Random single-character flips, insertions and deletions anywhere in the token. */
function randomMutations(seed: number, count: number, token: string): FuzzInput[] {
  const r = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const at = r.int(token.length);
    const c = r.char(MUTATION_CHARS);
    switch (i % 3) {
      case 0:
        return { kind: 'flip', token: `${token.slice(0, at)}${c}${token.slice(at + 1)}` };
      case 1:
        return { kind: 'insert', token: `${token.slice(0, at)}${c}${token.slice(at)}` };
      default:
        return { kind: 'delete', token: `${token.slice(0, at)}${token.slice(at + 1)}` };
    }
  });
}

function segmentSwaps(token: string): FuzzInput[] {
  const [h = '', p = '', s = ''] = token.split('.');
  const orders = [
    [h, s, p],
    [p, h, s],
    [p, s, h],
    [s, h, p],
    [s, p, h],
    [h, h, s],
    [p, p, s],
    [h, p, h],
    [h, p, p],
  ];
  return [
    ...orders.map((parts) => ({ kind: 'swap', token: parts.join('.') })),
    { kind: 'swap', token: `${h}.${p}` },
    { kind: 'swap', token: `${h}.${p}.${s}.${s}` },
    { kind: 'swap', token: `${h}.${p}.${s}.${h}.${p}` },
  ];
}

function truncations(token: string): FuzzInput[] {
  return Array.from({ length: token.length }, (_, i) => ({ kind: 'truncate', token: token.slice(0, i) }));
}

/** Mutations confined to the signature segment: header and payload stay byte-identical. */
function signatureMutations(seed: number, token: string, otherSignature: string): FuzzInput[] {
  const r = seeded(seed);
  const cut = token.lastIndexOf('.') + 1;
  const input = token.slice(0, cut);
  const sig = token.slice(cut);
  const out: FuzzInput[] = [];
  const add = (kind: string, s: string): void => {
    out.push({ kind, token: `${input}${s}` });
  };
  for (let i = 0; i < sig.length; i++) {
    let c = r.char(BASE64URL);
    while (c === sig[i]) c = r.char(BASE64URL);
    add('signature flip', `${sig.slice(0, i)}${c}${sig.slice(i + 1)}`);
  }
  // Every other spelling of the last character, including those that differ only in its unused low bits.
  for (const c of BASE64URL) if (c !== sig.at(-1)) add('signature last character', `${sig.slice(0, -1)}${c}`);
  for (let i = 0; i < sig.length; i += 4) add('signature delete', `${sig.slice(0, i)}${sig.slice(i + 1)}`);
  for (let i = 0; i < 40; i++) {
    const at = r.int(sig.length + 1);
    add('signature insert', `${sig.slice(0, at)}${r.char(BASE64URL)}${sig.slice(at)}`);
  }
  add('signature empty', '');
  add('signature doubled', `${sig}${sig}`);
  add('signature reversed', [...sig].reverse().join(''));
  add('signature padded', `${sig}==`);
  add('signature of another SET', otherSignature);
  add('signature zeroed', 'A'.repeat(sig.length));
  return out;
}

// ---- fixtures ----------------------------------------------------------------------------------------

let key: SigningKey;
let keys: KeySource;
let original: string;
let otherSignature: string;
let headerSegment: string;

beforeAll(async () => {
  key = (await generateSigningKey('RS256', { kid: 'rsa-1' })).key;
  keys = jwksFromObject(publicJwks(key));
  original = await signSet(validClaims(EVENT_URIS.sessionRevoked, 'ssf'), key);
  const other = await signSet({ ...validClaims(EVENT_URIS.sessionRevoked, 'ssf'), jti: 'another' }, key);
  otherSignature = other.slice(other.lastIndexOf('.') + 1);
  headerSegment = original.slice(0, original.indexOf('.'));
});

function hasFailure(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === 'failure');
}

/** Header and payload segments equal to the original's, signature segment different. */
function isSignatureMutation(token: string): boolean {
  const cut = original.lastIndexOf('.') + 1;
  return token !== original && token.startsWith(original.slice(0, cut)) && !token.slice(cut).includes('.');
}

interface Tally {
  readonly problems: string[];
  inputs: number;
  verified: number;
  rejectedSignatures: number;
}

function describeInput(input: FuzzInput): string {
  return `${input.kind} ${JSON.stringify(input.token.length > 80 ? `${input.token.slice(0, 80)}…` : input.token)}`;
}

/** Runs every entry point on `input` and records each broken promise of robustness. */
async function exercise(input: FuzzInput, tally: Tally): Promise<void> {
  const { token } = input;
  const where = describeInput(input);
  tally.inputs += 1;
  for (const profile of PROFILE_NAMES) {
    let result: SetValidationResult;
    try {
      result = await validateSet(token, { profile, keys });
    } catch (error) {
      tally.problems.push(`${where} [${profile}]: validateSet rejected: ${String(error)}`);
      continue;
    }
    if (!Array.isArray(result.findings)) {
      tally.problems.push(`${where} [${profile}]: findings is not an array`);
      continue;
    }
    const failed = hasFailure(result.findings);
    if (result.signature === 'valid') tally.verified += 1;
    if (result.signature === 'invalid') tally.rejectedSignatures += 1;
    if (token !== original) {
      if (!failed && result.signature !== 'valid') {
        tally.problems.push(`${where} [${profile}]: no failure and no valid signature`);
      }
      if (result.signature === 'valid')
        tally.problems.push(`${where} [${profile}]: a garbled token verified`);
    }
    if (isSignatureMutation(token) && (!failed || result.signature === 'valid')) {
      tally.problems.push(`${where} [${profile}]: a changed signature was not caught`);
    }
    try {
      const linted = lintSet(token, { profile });
      if (!Array.isArray(linted.findings))
        tally.problems.push(`${where} [${profile}]: lintSet findings not an array`);
    } catch (error) {
      tally.problems.push(`${where} [${profile}]: lintSet threw: ${String(error)}`);
    }
  }
  try {
    const decoded = decodeSet(token);
    if (!Array.isArray(decoded.findings)) tally.problems.push(`${where}: decodeSet findings not an array`);
  } catch (error) {
    tally.problems.push(`${where}: decodeSet threw: ${String(error)}`);
  }
}

async function run(inputs: readonly FuzzInput[]): Promise<Tally> {
  const tally: Tally = { problems: [], inputs: 0, verified: 0, rejectedSignatures: 0 };
  for (const input of inputs) await exercise(input, tally);
  return tally;
}

/** Inputs counted across the fuzz tests, to check the total at the end. */
let fuzzed = 0;

// ---- fuzzing ------------------------------------------------------------------------------------------

test('the unmutated base token verifies under every profile and passes the ssf profile with no finding', async () => {
  for (const profile of PROFILE_NAMES) {
    expect((await validateSet(original, { profile, keys })).signature).toBe('valid');
  }
  expect((await validateSet(original, { profile: 'ssf', keys })).findings).toEqual([]);
  expect(isSignatureMutation(original)).toBe(false);
});

test('the generators are deterministic: the same seed gives the same inputs', () => {
  expect(randomPrintable(7, 50)).toEqual(randomPrintable(7, 50));
  expect(randomBytes(7, 50)).toEqual(randomBytes(7, 50));
  expect(randomMutations(7, 50, original)).toEqual(randomMutations(7, 50, original));
  expect(randomPrintable(7, 50)).not.toEqual(randomPrintable(8, 50));
  const r = seeded(1);
  expect([r.int(1000), r.int(1000), r.int(1000)]).toEqual([627, 2, 527]);
});

test('600 random printable strings never make an entry point throw and each fails validation', async () => {
  const tally = await run(randomPrintable(0x5e7_0001, 600));
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBe(600);
  expect(tally.verified).toBe(0);
});

test('600 random byte strings never make an entry point throw and each fails validation', async () => {
  const tally = await run(randomBytes(0x5e7_0002, 600));
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBe(600);
  expect(tally.verified).toBe(0);
});

test('600 random base64url triples never make an entry point throw and each fails validation', async () => {
  const tally = await run(randomTriples(0x5e7_0003, 600, headerSegment));
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBe(600);
  expect(tally.verified).toBe(0);
  // The triples with a real header reach key lookup and signature verification.
  expect(tally.rejectedSignatures).toBeGreaterThan(0);
});

test('900 random flips, insertions and deletions of a signed SET are each caught without throwing', async () => {
  const inputs = randomMutations(0x5e7_0004, 900, original).filter((i) => i.token !== original);
  const tally = await run(inputs);
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBeGreaterThan(880);
  expect(tally.verified).toBe(0);
  expect(tally.rejectedSignatures).toBeGreaterThan(0);
});

test('swapped, repeated, missing and extra segments of a signed SET are each caught without throwing', async () => {
  const tally = await run(segmentSwaps(original));
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBe(12);
  expect(tally.verified).toBe(0);
});

test('the signed SET truncated at every position is caught each time without throwing', async () => {
  const tally = await run(truncations(original));
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBe(original.length);
  expect(tally.verified).toBe(0);
});

test('every mutation of the signature segment yields a failure and never a valid signature', async () => {
  const inputs = signatureMutations(0x5e7_0005, original, otherSignature);
  expect(inputs.every((i) => isSignatureMutation(i.token))).toBe(true);
  const tally = await run(inputs);
  fuzzed += tally.inputs;
  expect(tally.problems).toEqual([]);
  expect(tally.inputs).toBeGreaterThan(500);
  expect(tally.verified).toBe(0);
});

test('a signature spelled with non-zero pad bits is refused as non-canonical base64url', async () => {
  const cut = original.lastIndexOf('.') + 1;
  const sig = original.slice(cut);
  const bytes = Buffer.from(sig, 'base64url');
  const twins = [...BASE64URL].filter((c) => {
    const spelled = `${sig.slice(0, -1)}${c}`;
    return spelled !== sig && Buffer.from(spelled, 'base64url').equals(bytes);
  });
  // An RSA-2048 signature is 256 bytes: its last character carries 2 bits, so 15 other spellings decode alike.
  expect(twins).toHaveLength(15);
  for (const c of twins) {
    const result = await validateSet(`${original.slice(0, -1)}${c}`, { profile: 'ssf', keys });
    expect(result.signature).not.toBe('valid');
    expect(result.findings).toContainEqual(
      expect.objectContaining({ check: 'token-is-compact-jws', level: 'failure', path: '/signature' }),
    );
  }
});

test('the fuzz corpus held at least 3000 inputs in total', () => {
  expect(fuzzed).toBeGreaterThanOrEqual(3000);
});

// ---- hand-picked hostile input ------------------------------------------------------------------------

const HEADER = JSON.stringify({ alg: 'RS256', typ: 'secevent+jwt', kid: 'rsa-1' });

function baseClaims(): Record<string, unknown> {
  return validClaims(EVENT_URIS.sessionRevoked, 'ssf');
}

/** The base claims with `name` set to raw JSON text (for values JSON.stringify cannot produce). */
function claimsWithRaw(name: string, raw: string): string {
  const { [name]: _dropped, ...rest } = baseClaims();
  return `{${JSON.stringify(name)}:${raw},${JSON.stringify(rest).slice(1)}`;
}

function failingChecks(result: SetValidationResult | undefined): string[] {
  return (result?.findings ?? []).filter((f) => f.level === 'failure').map((f) => f.check);
}

async function validateEverywhere(token: string): Promise<Record<string, SetValidationResult>> {
  const results: Record<string, SetValidationResult> = {};
  for (const profile of PROFILE_NAMES) {
    results[profile] = await validateSet(token, { profile, keys });
    expect(() => lintSet(token, { profile })).not.toThrow();
  }
  expect(() => decodeSet(token)).not.toThrow();
  return results;
}

const hostile: readonly { name: string; header?: string; payload: () => string; check: string }[] = [
  {
    name: 'a header that is null',
    header: 'null',
    payload: () => JSON.stringify(baseClaims()),
    check: 'header-is-json-object',
  },
  {
    name: 'a header that is an array',
    header: '[]',
    payload: () => JSON.stringify(baseClaims()),
    check: 'header-is-json-object',
  },
  { name: 'a payload that is an empty array', payload: () => '[]', check: 'payload-is-json-object' },
  { name: 'a payload that is null', payload: () => 'null', check: 'payload-is-json-object' },
  { name: 'a payload that is a string', payload: () => '"events"', check: 'payload-is-json-object' },
  {
    name: 'a payload of only {"events":null}',
    payload: () => '{"events":null}',
    check: 'events-is-non-empty-object',
  },
  {
    name: 'a payload of only {"events":{"https://x":null}}',
    payload: () => '{"events":{"https://x":null}}',
    check: 'event-payload-is-json-object',
  },
  {
    name: 'a payload of only a complex sub_id whose user is null',
    payload: () => '{"sub_id":{"format":"complex","user":null}}',
    check: 'subject-identifier-is-valid',
  },
  {
    name: 'a payload of only an aliases sub_id whose identifiers is "x"',
    payload: () => '{"sub_id":{"format":"aliases","identifiers":"x"}}',
    check: 'subject-identifier-is-valid',
  },
  {
    name: '"events": null',
    payload: () => claimsWithRaw('events', 'null'),
    check: 'events-is-non-empty-object',
  },
  { name: '"events": []', payload: () => claimsWithRaw('events', '[]'), check: 'events-is-non-empty-object' },
  {
    name: '"events": "x"',
    payload: () => claimsWithRaw('events', '"x"'),
    check: 'events-is-non-empty-object',
  },
  {
    name: 'an event whose payload is null',
    payload: () => claimsWithRaw('events', '{"https://x":null}'),
    check: 'event-payload-is-json-object',
  },
  {
    name: 'an event whose payload is an array',
    payload: () => claimsWithRaw('events', `{${JSON.stringify(EVENT_URIS.sessionRevoked)}:[1,2]}`),
    check: 'event-payload-is-json-object',
  },
  {
    name: 'a complex subject whose user is null',
    payload: () => claimsWithRaw('sub_id', '{"format":"complex","user":null}'),
    check: 'subject-identifier-is-valid',
  },
  {
    name: 'an aliases subject whose identifiers is a string',
    payload: () => claimsWithRaw('sub_id', '{"format":"aliases","identifiers":"x"}'),
    check: 'subject-identifier-is-valid',
  },
  {
    name: 'an aliases subject whose identifiers hold null',
    payload: () => claimsWithRaw('sub_id', '{"format":"aliases","identifiers":[null,{"format":null}]}'),
    check: 'subject-identifier-is-valid',
  },
  {
    name: 'a sub_id that is null',
    payload: () => claimsWithRaw('sub_id', 'null'),
    check: 'subject-identifier-is-valid',
  },
  {
    name: 'a sub_id that is a number',
    payload: () => claimsWithRaw('sub_id', '7'),
    check: 'subject-identifier-is-valid',
  },
  { name: '"iat": 1e400', payload: () => claimsWithRaw('iat', '1e400'), check: 'claims-have-iat' },
  { name: '"iat": -1e400', payload: () => claimsWithRaw('iat', '-1e400'), check: 'claims-have-iat' },
  { name: '"toe": 1e400', payload: () => claimsWithRaw('toe', '1e400'), check: 'toe-is-numeric-date' },
  { name: '"iat": a string', payload: () => claimsWithRaw('iat', '"1767225595"'), check: 'claims-have-iat' },
  { name: '"iss": null', payload: () => claimsWithRaw('iss', 'null'), check: 'claims-have-iss' },
  {
    name: '"aud": [null]',
    payload: () => claimsWithRaw('aud', '[null]'),
    check: 'aud-is-string-or-string-array',
  },
  { name: '"txn": {}', payload: () => claimsWithRaw('txn', '{}'), check: 'txn-is-string' },
];

test.each(hostile)('$name resolves under every profile with a $check failure under ssf', async (entry) => {
  const token = await signRaw(entry.header ?? HEADER, entry.payload(), key);
  const results = await validateEverywhere(token);
  for (const profile of PROFILE_NAMES) {
    expect(hasFailure(results[profile]?.findings ?? [])).toBe(true);
  }
  expect(failingChecks(results.ssf)).toContain(entry.check);
});

test('numbers beyond double range in an event payload are judged without throwing', async () => {
  const events = `{${JSON.stringify(EVENT_URIS.sessionRevoked)}:{"event_timestamp":1e400,"initiating_entity":-1e400}}`;
  const results = await validateEverywhere(await signRaw(HEADER, claimsWithRaw('events', events), key));
  expect(results.ssf?.signature).toBe('valid');
  expect(failingChecks(results.ssf)).toContain('event-payload-matches-event-schema');
});

test('a __proto__ member anywhere in a token pollutes no prototype', async () => {
  const proto = '{"polluted":1,"alg":"none","toString":null}';
  const tokens = [
    await signRaw(HEADER, `{"__proto__":${proto}}`, key),
    await signRaw(HEADER, claimsWithRaw('__proto__', proto), key),
    await signRaw(`{"__proto__":${proto},${HEADER.slice(1)}`, JSON.stringify(baseClaims()), key),
    await signRaw(
      HEADER,
      claimsWithRaw('sub_id', `{"format":"email","email":"a@b.example","__proto__":${proto}}`),
      key,
    ),
    await signRaw(
      HEADER,
      claimsWithRaw(
        'events',
        `{"__proto__":${proto},${JSON.stringify(EVENT_URIS.sessionRevoked)}:{"__proto__":${proto}}}`,
      ),
      key,
    ),
  ];
  const results = [];
  for (const token of tokens) results.push(await validateEverywhere(token));
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(typeof Object.prototype.toString).toBe('function');
  for (const byProfile of results) {
    for (const result of Object.values(byProfile)) {
      if (result.payload) expect(Object.getPrototypeOf(result.payload)).toBe(Object.prototype);
      if (result.header) expect(Object.getPrototypeOf(result.header)).toBe(Object.prototype);
    }
  }
  // A payload of nothing but __proto__ lacks every required claim; the header's __proto__ does not hide "alg".
  expect(failingChecks(results[0]?.ssf)).toContain('claims-have-events');
  expect(results[2]?.ssf?.signature).toBe('valid');
});

/** Appends `extra` characters to every string in a JSON value (keys untouched). */
function lengthen(value: unknown, extra: string): unknown {
  if (typeof value === 'string') return `${value}${extra}`;
  if (Array.isArray(value)) return value.map((v) => lengthen(v, extra));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lengthen(v, extra)]));
  }
  return value;
}

function expectShortFindings(result: SetValidationResult | undefined): void {
  for (const finding of result?.findings ?? []) {
    expect(finding.message.length).toBeLessThan(1000);
    expect(JSON.stringify(finding.evidence ?? null).length).toBeLessThan(1000);
  }
}

test.each(['iss', 'jti', 'aud', 'txn', 'sub_id', 'events'])(
  'a 10000-character tail on every string of "%s" is judged without throwing and without echoing it',
  async (claim) => {
    const claims = baseClaims();
    claims[claim] = lengthen(claims[claim], 'z'.repeat(10_000));
    const results = await validateEverywhere(await signRaw(HEADER, JSON.stringify(claims), key));
    for (const profile of PROFILE_NAMES) {
      expect(results[profile]?.signature).toBe('valid');
      expectShortFindings(results[profile]);
    }
  },
);

const LONG = 'y'.repeat(20_000);
const longHeaderFields: readonly {
  name: string;
  header: () => string;
  payload: () => string;
  checks: Record<ProfileName, string>;
}[] = [
  {
    name: 'event type',
    header: () => HEADER,
    payload: () => JSON.stringify({ ...baseClaims(), events: { [`https://schemas.example/${LONG}`]: {} } }),
    checks: {
      ssf: 'event-type-is-catalogued',
      'caep-interop': 'event-type-is-catalogued',
      okta: 'event-type-is-accepted-by-okta',
    },
  },
  {
    name: 'kid',
    header: () => JSON.stringify({ alg: 'RS256', typ: 'secevent+jwt', kid: LONG }),
    payload: () => JSON.stringify(baseClaims()),
    checks: {
      ssf: 'signing-key-is-published',
      'caep-interop': 'signing-key-is-published',
      okta: 'signing-key-is-published',
    },
  },
  {
    name: 'typ',
    header: () => JSON.stringify({ alg: 'RS256', typ: LONG, kid: 'rsa-1' }),
    payload: () => JSON.stringify(baseClaims()),
    checks: {
      ssf: 'header-typ-is-secevent-jwt',
      'caep-interop': 'header-typ-is-secevent-jwt',
      okta: 'header-typ-is-secevent-jwt',
    },
  },
  {
    name: 'alg',
    header: () => JSON.stringify({ alg: LONG, typ: 'secevent+jwt', kid: 'rsa-1' }),
    payload: () => JSON.stringify(baseClaims()),
    checks: { ssf: 'signature-is-valid', 'caep-interop': 'signature-is-valid', okta: 'signature-is-valid' },
  },
];

test.each(longHeaderFields)(
  'a 20000-character $name is reported under every profile without echoing it',
  async ({ header, payload, checks }) => {
    const results = await validateEverywhere(await signRaw(header(), payload(), key));
    for (const profile of PROFILE_NAMES) {
      expect(results[profile]?.findings.map((f) => f.check)).toContain(checks[profile]);
      expectShortFindings(results[profile]);
    }
  },
);

test('long strings in every claim at once stay judged, and a token over the size limit is refused whole', async () => {
  const claims = lengthen(baseClaims(), 'w'.repeat(3000));
  const within = await validateEverywhere(await signRaw(HEADER, JSON.stringify(claims), key));
  expect(within.ssf?.signature).toBe('valid');
  expectShortFindings(within.ssf);

  const huge = lengthen(baseClaims(), 'v'.repeat(12_000));
  const over = await validateEverywhere(await signRaw(HEADER, JSON.stringify(huge), key));
  for (const profile of PROFILE_NAMES) {
    expect(over[profile]?.findings.map((f) => f.check)).toEqual(['token-size-is-within-limit']);
    expect(over[profile]?.signature).toBe('not-checked');
  }
});

test('a megabyte token and deeply nested segments are refused without throwing', async () => {
  const deep = base64url('['.repeat(20_000));
  const inputs = [
    'a'.repeat(1_000_000),
    '.'.repeat(100_000),
    `${deep}.${deep}.${deep}`,
    `${headerSegment}.${base64url(`{"events":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`)}.AAAA`,
  ];
  for (const token of inputs) {
    const results = await validateEverywhere(token);
    for (const profile of PROFILE_NAMES) expect(hasFailure(results[profile]?.findings ?? [])).toBe(true);
  }
  const withHighLimit = await validateSet(`${headerSegment}.${deep}.AAAA`, { keys, maxJsonDepth: 1_000_000 });
  expect(withHighLimit.findings.map((f) => f.check)).toContain('json-nesting-is-within-limit');
});

test('a token that is not a string at all is reported, not thrown on', async () => {
  for (const value of [null, undefined, 42, {}, ['a', 'b', 'c']]) {
    const result = await validateSet(value as unknown as string, { keys });
    expect(result.findings.map((f) => f.check)).toContain('token-is-compact-jws');
    expect(() => decodeSet(value as unknown as string)).not.toThrow();
  }
});

test('a key source that throws yields a jwks-is-retrievable finding, not a rejection', async () => {
  const { key } = await generateSigningKey('RS256', { kid: 'k' });
  const token = await signSet({ iss: 'https://tx.example', jti: 'j', iat: 1, events: {} }, key);
  const throwing: KeySource = {
    description: 'a broken key source',
    keysFor: () => Promise.reject(new Error('disk on fire')),
  };
  const result = await validateSet(token, { keys: throwing });
  expect(result.signature).toBe('invalid');
  expect(result.findings.find((f) => f.check === 'jwks-is-retrievable')?.message).toMatch(/disk on fire/);
});
