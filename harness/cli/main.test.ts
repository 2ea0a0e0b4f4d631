/**
 * The `ssf-lab` command in-process: `main(argv, io)` with captured output, a fixed clock and files in a
 * temporary directory. Every run asserts the exit code and what reached stdout and stderr.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixedClock } from '../kernel/index.ts';
import type { ProfileName } from '../protocol/index.ts';
import {
  EVENT_URIS,
  exampleEvent,
  generateSigningKey,
  publicJwks,
  REQUIREMENTS,
  type RequirementId,
} from '../protocol/index.ts';
import { STATE, STREAM_ID } from '../protocol/validator/corpus.testing.ts';
import type { CliIo } from './io.ts';
import { main } from './main.ts';

const NOW = 1767225600;
/** A line of a V8 stack trace, e.g. "    at main (file:///…/main.ts:12:3)". */
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;
const CLOCK = fixedClock(NOW * 1000);
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunOptions {
  /** Bytes on stdin; without it stdin is a TTY. */
  readonly stdin?: string | Buffer;
}

let dir = '';
let keyFile = '';
let privateD = '';
let jwksFile = '';
let impostorJwksFile = '';
let server: Server | undefined;
let baseUrl = '';

/** Runs `ssf-lab argv` in-process. No run may crash, and judging output never carries the private key. */
async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => Buffer.from(options.stdin ?? ''),
    stdinIsTty: options.stdin === undefined,
    color: false,
    clock: CLOCK,
  };
  const code = await main(argv, io);
  expect(stderr).not.toContain('internal error');
  expect(stderr).not.toMatch(STACK_FRAME);
  if (argv[0] === 'set' && ['lint', 'verify', 'decode'].includes(argv[1] ?? '')) {
    expect(stdout + stderr).not.toContain(privateD);
  }
  return { code, stdout, stderr };
}

function parseObject(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/** The claims of a compact JWS, read without any checks. */
function claimsOf(token: string): Record<string, unknown> {
  return parseObject(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

function headerOf(token: string): Record<string, unknown> {
  return parseObject(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

function checkIds(json: string): string[] {
  const findings = parseObject(json).findings as readonly { check: string }[];
  return findings.map((f) => f.check);
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const SAMPLES: Readonly<Record<ProfileName, { uri: string; shape: 'ssf' | 'okta' }>> = {
  okta: { uri: EVENT_URIS.oktaDeviceRiskChange, shape: 'okta' },
  ssf: { uri: EVENT_URIS.sessionRevoked, shape: 'ssf' },
  'caep-interop': { uri: EVENT_URIS.sessionRevoked, shape: 'ssf' },
};

function example(profile: ProfileName): { uri: string; payload: string; subject: string } {
  const { uri, shape } = SAMPLES[profile];
  const event = exampleEvent(uri, shape);
  if (!event) throw new TypeError(`no ${shape} example for ${uri}`);
  return { uri, payload: JSON.stringify(event.payload), subject: JSON.stringify(event.subject) };
}

function signArgs(profile: ProfileName, overrides: { payload?: string; key?: string } = {}): string[] {
  const e = example(profile);
  return [
    'set',
    'sign',
    '--profile',
    profile,
    '--key',
    overrides.key ?? keyFile,
    '--event',
    e.uri,
    '--payload',
    overrides.payload ?? e.payload,
    '--subject',
    e.subject,
  ];
}

/** A valid SET for the profile, signed by the test key through `set sign`. */
async function signed(profile: ProfileName, extra: readonly string[] = []): Promise<string> {
  const result = await run([...signArgs(profile), ...extra]);
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

/** An Okta SET whose device-risk-change level is upper case, which the okta profile rejects. */
async function invalidOktaSet(): Promise<string> {
  const payload = {
    ...exampleEvent(EVENT_URIS.oktaDeviceRiskChange, 'okta')?.payload,
    current_level: 'HIGH',
  };
  const result = await run([...signArgs('okta', { payload: JSON.stringify(payload) }), '--allow-invalid']);
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-cli-'));
  const [own, impostor] = await Promise.all([
    generateSigningKey('RS256', { kid: 'cli-key-1' }),
    generateSigningKey('RS256', { kid: 'cli-key-1' }),
  ]);
  privateD = String(own.privateJwk.d);
  keyFile = file('key.json', JSON.stringify(own.privateJwk));
  jwksFile = file('jwks.json', JSON.stringify(publicJwks(own.key)));
  impostorJwksFile = file('impostor-jwks.json', JSON.stringify(publicJwks(impostor.key)));
  const jwksBody = JSON.stringify(publicJwks(own.key));
  server = createServer((request, response) => {
    if (request.url === '/jwks') {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(jwksBody);
    } else {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><html><body>Sign in</body></html>');
    }
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const listening = server;
  if (listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------
// Help, version and usage errors

test('--help prints the command overview on stdout and exits 0', async () => {
  const r = await run(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Usage: ssf-lab <command>');
  expect(r.stdout).toContain('set decode|lint|verify|sign');
  expect(r.stderr).toBe('');
});

test('help set prints the set usage and exits 0', async () => {
  const r = await run(['help', 'set']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('ssf-lab set lint');
  expect(r.stdout).toContain('--profile NAME');
});

test('help keys prints the keys usage and exits 0', async () => {
  const r = await run(['help', 'keys']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('ssf-lab keys generate');
  expect(r.stdout).toContain('ssf-lab keys jwks FILE');
});

test('--version prints the version from package.json', async () => {
  const r = await run(['--version']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${VERSION}\n`);
});

test('no arguments is a usage error with the help on stderr', async () => {
  const r = await run([]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('Usage: ssf-lab <command>');
});

test('an unknown command is a usage error that names it', async () => {
  const r = await run(['frobnicate']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('unknown command "frobnicate"');
});

test('set without a subcommand is a usage error with the set usage on stderr', async () => {
  const r = await run(['set']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('ssf-lab set lint');
});

test('set with an unknown subcommand is a usage error that names it', async () => {
  const r = await run(['set', 'frobnicate']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('"set frobnicate"');
});

test('keys without a subcommand is a usage error with the keys usage on stderr', async () => {
  const r = await run(['keys']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('ssf-lab keys generate');
});

test('an unknown option is a usage error that names the option without a stack trace', async () => {
  const r = await run(['set', 'lint', '--frob']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('--frob');
  expect(r.stderr).not.toContain('    at ');
});

// ---------------------------------------------------------------------------------------------------
// keys generate | jwks

test('keys generate --out writes a private JWK with mode 0600 and prints its public JWKS without "d"', async () => {
  const out = join(dir, 'generated-rsa.json');
  const r = await run(['keys', 'generate', '--out', out]);
  expect(r.code).toBe(0);
  expect(statSync(out).mode & 0o777).toBe(0o600);
  const privateJwk = parseObject(readFileSync(out, 'utf8'));
  expect(privateJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  expect(typeof privateJwk.d).toBe('string');
  const jwks = parseObject(r.stdout) as { keys: Record<string, unknown>[] };
  expect(jwks.keys).toHaveLength(1);
  expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: privateJwk.kid, alg: 'RS256', use: 'sig' });
  expect(jwks.keys[0]).not.toHaveProperty('d');
  expect(r.stdout).not.toContain(String(privateJwk.d));
  expect(r.stderr).toContain(`private key written to ${out}`);
});

test('keys generate --out refuses to overwrite an existing file', async () => {
  const out = file('existing.json', 'keep me');
  const r = await run(['keys', 'generate', '--alg', 'ES256', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('exists; not overwriting a key');
  expect(readFileSync(out, 'utf8')).toBe('keep me');
});

test('keys generate --out into a missing directory is a usage error naming the file', async () => {
  const out = join(dir, 'no-such-dir', 'key.json');
  const r = await run(['keys', 'generate', '--alg', 'ES256', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`cannot write "${out}"`);
});

test('keys generate without --out prints a private JWK on stdout and a warning on stderr', async () => {
  const r = await run(['keys', 'generate', '--alg', 'ES256', '--kid', 'printed-1']);
  expect(r.code).toBe(0);
  const jwk = parseObject(r.stdout);
  expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'printed-1', alg: 'ES256' });
  expect(typeof jwk.d).toBe('string');
  expect(r.stderr).toContain('PRIVATE key');
});

test('keys generate --alg ES256 makes a P-256 key whose SETs verify against its keys jwks output', async () => {
  const out = join(dir, 'generated-es256.json');
  const generated = await run(['keys', 'generate', '--alg', 'ES256', '--out', out]);
  expect(generated.code).toBe(0);
  expect(parseObject(generated.stdout)).toMatchObject({ keys: [{ kty: 'EC', crv: 'P-256', alg: 'ES256' }] });
  const published = await run(['keys', 'jwks', out]);
  expect(published.code).toBe(0);
  expect(parseObject(published.stdout)).toEqual(parseObject(generated.stdout));
  const jwks = file('es256-jwks.json', published.stdout);
  const sign = await run(signArgs('ssf', { key: out }));
  expect(sign.code).toBe(0);
  expect(headerOf(sign.stdout.trim())).toMatchObject({ alg: 'ES256', typ: 'secevent+jwt' });
  const verify = await run(['set', 'verify', '--jwks', jwks, '--json'], { stdin: sign.stdout });
  expect(verify.code).toBe(0);
});

test('keys generate --alg EdDSA makes an Ed25519 key whose SETs verify against its public JWKS', async () => {
  const out = join(dir, 'generated-ed25519.json');
  const generated = await run(['keys', 'generate', '--alg', 'EdDSA', '--out', out]);
  expect(generated.code).toBe(0);
  expect(parseObject(generated.stdout)).toMatchObject({
    keys: [{ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' }],
  });
  const jwks = file('ed25519-jwks.json', generated.stdout);
  const sign = await run(signArgs('okta', { key: out }));
  expect(sign.code).toBe(0);
  expect(headerOf(sign.stdout.trim())).toMatchObject({ alg: 'EdDSA' });
  const verify = await run(['set', 'verify', '--profile', 'okta', '--jwks', jwks], { stdin: sign.stdout });
  expect(verify.code).toBe(0);
  expect(verify.stdout).toContain('signature valid');
});

test('keys generate --alg HS256 is a usage error naming the algorithm', async () => {
  const r = await run(['keys', 'generate', '--alg', 'HS256']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('--alg HS256 is not one of RS256, PS256, ES256, EdDSA');
});

test('keys jwks prints the public JWKS of a private JWK file', async () => {
  const r = await run(['keys', 'jwks', keyFile]);
  expect(r.code).toBe(0);
  expect(parseObject(r.stdout)).toEqual(parseObject(readFileSync(jwksFile, 'utf8')));
  expect(r.stdout).not.toContain(privateD);
});

test('keys jwks on a public-only JWK is a usage error saying the private part is missing', async () => {
  const publicOnly = file(
    'public-only.json',
    JSON.stringify((parseObject(readFileSync(jwksFile, 'utf8')) as { keys: unknown[] }).keys[0]),
  );
  const r = await run(['keys', 'jwks', publicOnly]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('no private part ("d")');
});

test('keys jwks without a FILE is a usage error', async () => {
  const r = await run(['keys', 'jwks']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('keys jwks takes one private JWK FILE');
});

// ---------------------------------------------------------------------------------------------------
// set sign

test('set sign --profile okta places the subject inside the event and no sub_id', async () => {
  const claims = claimsOf(await signed('okta'));
  const event = (claims.events as Record<string, Record<string, unknown>>)[EVENT_URIS.oktaDeviceRiskChange];
  expect(event?.subject).toEqual(exampleEvent(EVENT_URIS.oktaDeviceRiskChange, 'okta')?.subject);
  expect(claims).not.toHaveProperty('sub_id');
  expect(claims.iat).toBe(NOW);
});

test('set sign --profile ssf places the subject in the top-level sub_id', async () => {
  const claims = claimsOf(await signed('ssf'));
  expect(claims.sub_id).toEqual(exampleEvent(EVENT_URIS.sessionRevoked, 'ssf')?.subject);
  const event = (claims.events as Record<string, Record<string, unknown>>)[EVENT_URIS.sessionRevoked];
  expect(event).not.toHaveProperty('subject');
});

for (const profile of ['okta', 'ssf', 'caep-interop'] as const) {
  test(`a SET signed with --profile ${profile} passes set lint --profile ${profile} --jwks with no findings`, async () => {
    const token = await signed(profile);
    const r = await run(['set', 'lint', '--profile', profile, '--json', '--jwks', jwksFile], {
      stdin: token,
    });
    expect(r.code).toBe(0);
    const output = parseObject(r.stdout);
    expect(Object.keys(output).sort()).toEqual(['findings', 'header', 'payload']);
    expect(output.findings).toEqual([]);
    expect(output.payload).toEqual(claimsOf(token));
    expect(output.header).toEqual({ alg: 'RS256', typ: 'secevent+jwt', kid: 'cli-key-1' });
  });
}

test('set sign reads --payload from @FILE', async () => {
  const payloadFile = file(
    'payload.json',
    JSON.stringify({ ...exampleEvent(EVENT_URIS.sessionRevoked)?.payload, ext: 'from-file' }),
  );
  const r = await run([...signArgs('ssf', { payload: `@${payloadFile}` })]);
  expect(r.code).toBe(0);
  const event = (claimsOf(r.stdout.trim()).events as Record<string, Record<string, unknown>>)[
    EVENT_URIS.sessionRevoked
  ];
  expect(event?.ext).toBe('from-file');
});

test('set sign with invalid JSON in --payload is a usage error naming --payload', async () => {
  const r = await run(signArgs('ssf', { payload: '{"reason":' }));
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('--payload is not valid JSON');
});

test('set sign with a --payload that is not an object is a usage error naming --payload', async () => {
  const r = await run(signArgs('ssf', { payload: '[1]' }));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--payload must be a JSON object');
});

test('set sign with a missing --payload @FILE is a usage error naming the file', async () => {
  const r = await run(signArgs('ssf', { payload: `@${join(dir, 'absent.json')}` }));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('no such file');
});

test('set sign without --key is a usage error naming --key', async () => {
  const args = signArgs('ssf');
  args.splice(args.indexOf('--key'), 2);
  const r = await run(args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('--key is required');
});

test('set sign without --event is a usage error naming --event', async () => {
  const args = signArgs('ssf');
  args.splice(args.indexOf('--event'), 2);
  const r = await run(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--event is required');
});

test('set sign with a public-only key file is a usage error', async () => {
  const r = await run(signArgs('ssf', { key: jwksFile }));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('not a JWK object');
});

test('set sign refuses a SET that fails the profile: exit 1, nothing on stdout, findings on stderr', async () => {
  const payload = {
    ...exampleEvent(EVENT_URIS.oktaDeviceRiskChange, 'okta')?.payload,
    current_level: 'HIGH',
  };
  const r = await run(signArgs('okta', { payload: JSON.stringify(payload) }));
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('would not pass the okta profile');
  expect(r.stderr).toContain('event-payload-matches-event-schema');
  expect(r.stderr).toMatch(/\d+ failure\(s\), \d+ warning\(s\), \d+ info\n$/);
});

test('set sign --allow-invalid prints a SET that fails the profile and still reports its findings', async () => {
  const payload = {
    ...exampleEvent(EVENT_URIS.oktaDeviceRiskChange, 'okta')?.payload,
    current_level: 'HIGH',
  };
  const r = await run([...signArgs('okta', { payload: JSON.stringify(payload) }), '--allow-invalid']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  expect(r.stderr).toContain('event-payload-matches-event-schema');
});

test('set sign under the ssf profile without --txn stamps a fresh txn, so the SET lints clean', async () => {
  const e = example('ssf');
  const r = await run([
    'set',
    'sign',
    '--key',
    keyFile,
    '--event',
    e.uri,
    '--payload',
    e.payload,
    '--subject',
    e.subject,
  ]);
  expect(r.code).toBe(0);
  expect(claimsOf(r.stdout.trim()).txn).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.stderr).toBe('');
});

test('set sign under the okta profile adds no txn (Okta does not use it)', async () => {
  const token = await signed('okta');
  expect(claimsOf(token)).not.toHaveProperty('txn');
});

test('set sign stamps --iat, --jti, --txn, --iss and --aud into the claims', async () => {
  const token = await signed('okta', [
    '--iat',
    '1767225600',
    '--jti',
    'j-1',
    '--txn',
    't-1',
    '--iss',
    'https://issuer.example',
    '--aud',
    'https://aud.example',
  ]);
  expect(claimsOf(token)).toMatchObject({
    iat: 1767225600,
    jti: 'j-1',
    txn: 't-1',
    iss: 'https://issuer.example',
    aud: 'https://aud.example',
  });
});

test('set sign with a non-numeric --iat is a usage error naming --iat', async () => {
  const r = await run([...signArgs('ssf'), '--iat', 'yesterday']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--iat must be seconds since the epoch');
});

// ---------------------------------------------------------------------------------------------------
// set lint: inputs

test('set lint --profile okta --json reads a valid Okta SET from stdin and exits 0', async () => {
  const token = await signed('okta');
  const r = await run(['set', 'lint', '--profile', 'okta', '--json'], { stdin: `${token}\n` });
  expect(r.code).toBe(0);
  const output = parseObject(r.stdout);
  expect(Object.keys(output).sort()).toEqual(['findings', 'header', 'payload']);
  expect(output.payload).toEqual(claimsOf(token));
  expect(output.findings).toEqual([]);
  expect(r.stderr).toBe('');
});

test('set lint reads the token from a FILE argument', async () => {
  const tokenFile = file('okta.jwt', `${await signed('okta')}\n`);
  const r = await run(['set', 'lint', '--profile', 'okta', '--json', tokenFile]);
  expect(r.code).toBe(0);
  expect(checkIds(r.stdout)).toEqual([]);
});

test('set lint of an invalid SET exits 1 and lists the failing check ids', async () => {
  const r = await run(['set', 'lint', '--profile', 'okta', '--json'], { stdin: await invalidOktaSet() });
  expect(r.code).toBe(1);
  const output = parseObject(r.stdout);
  expect(output.findings).toContainEqual(
    expect.objectContaining({ check: 'event-payload-matches-event-schema', level: 'failure' }),
  );
});

test('set lint of garbage exits 1 with token-is-compact-jws and null header and payload', async () => {
  const r = await run(['set', 'lint', '--json'], { stdin: 'this is not a token' });
  expect(r.code).toBe(1);
  const output = parseObject(r.stdout);
  expect(output.header).toBeNull();
  expect(output.payload).toBeNull();
  expect(checkIds(r.stdout)).toContain('token-is-compact-jws');
});

test('set lint with no FILE on a TTY is a usage error explaining how to pass the token', async () => {
  const r = await run(['set', 'lint', '--profile', 'okta']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('no token given');
});

test('set lint - with only whitespace on stdin is a usage error saying the input is empty', async () => {
  const r = await run(['set', 'lint', '-'], { stdin: '  \n' });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('the input on stdin is empty');
});

test('set lint of a missing file is a usage error saying there is no such file', async () => {
  const missing = join(dir, 'missing.jwt');
  const r = await run(['set', 'lint', missing]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`cannot read token file "${missing}": no such file`);
});

test('set lint of a directory is a usage error saying it is a directory', async () => {
  const sub = join(dir, 'a-directory');
  mkdirSync(sub, { recursive: true });
  const r = await run(['set', 'lint', sub]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('it is a directory');
});

test('set lint of an empty file is a usage error saying the file is empty', async () => {
  const empty = file('empty.jwt', '\n');
  const r = await run(['set', 'lint', empty]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`the file "${empty}" is empty`);
});

test('set lint of a 2 MB token exits 1 with token-size-is-within-limit', async () => {
  const big = file('big.jwt', 'a'.repeat(2 * 1024 * 1024));
  const r = await run(['set', 'lint', '--json', big]);
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('token-size-is-within-limit');
});

test('set lint with two FILE arguments is a usage error', async () => {
  const r = await run(['set', 'lint', 'a.jwt', 'b.jwt']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('expected one FILE, got 2');
});

test('set lint --profile nope is a usage error listing the profile names', async () => {
  const r = await run(['set', 'lint', '--profile', 'nope'], { stdin: 'x' });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('unknown profile "nope"; use one of: ssf, caep-interop, okta');
});

test('set lint --state with --unsolicited is a usage error', async () => {
  const r = await run(['set', 'lint', '--state', 'x', '--unsolicited'], { stdin: 'x' });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--state and --unsolicited contradict each other');
});

test('set lint with a non-numeric --now is a usage error naming --now', async () => {
  const r = await run(['set', 'lint', '--now', 'soon'], { stdin: await signed('ssf') });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--now must be seconds since the epoch');
});

// ---------------------------------------------------------------------------------------------------
// set verify and --jwks

test('set verify without --jwks is a usage error', async () => {
  const r = await run(['set', 'verify'], { stdin: await signed('ssf') });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('set verify needs --jwks');
});

test('set verify against the JWKS of another key with the same kid exits 1 with signature-is-valid', async () => {
  const r = await run(['set', 'verify', '--json', '--jwks', impostorJwksFile], {
    stdin: await signed('ssf'),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('signature-is-valid');
});

test('set verify against a JWKS without the signing kid exits 1 with signing-key-is-published', async () => {
  const other = await run([
    'keys',
    'generate',
    '--alg',
    'ES256',
    '--kid',
    'other-1',
    '--out',
    join(dir, 'other.json'),
  ]);
  const otherJwks = file('other-jwks.json', other.stdout);
  const r = await run(['set', 'verify', '--json', '--jwks', otherJwks], { stdin: await signed('ssf') });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('signing-key-is-published');
});

test('set verify against the right JWKS file exits 0 and reports a valid signature', async () => {
  const r = await run(['set', 'verify', '--jwks', jwksFile], { stdin: await signed('ssf') });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('profile ssf · signature valid');
  expect(r.stdout).toMatch(/no findings\n$/);
});

test('set verify fetches --jwks from an http URL and exits 0', async () => {
  const r = await run(['set', 'verify', '--json', '--jwks', `${baseUrl}/jwks`], {
    stdin: await signed('ssf'),
  });
  expect(r.code).toBe(0);
  expect(checkIds(r.stdout)).toEqual([]);
});

test('set verify with a JWKS URL that answers HTML exits 1 with jwks-is-valid-jwk-set', async () => {
  const r = await run(['set', 'verify', '--json', '--jwks', `${baseUrl}/login`], {
    stdin: await signed('ssf'),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('jwks-is-valid-jwk-set');
});

test('set verify with a JWKS URL that refuses connections exits 1 with jwks-is-retrievable', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const r = await run(['set', 'verify', '--json', '--jwks', `http://127.0.0.1:${port}/jwks`], {
    stdin: await signed('ssf'),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('jwks-is-retrievable');
});

test('set verify with a JWKS file that is not JSON is a usage error naming the file', async () => {
  const notJson = file('not-json-jwks.json', '<html></html>');
  const r = await run(['set', 'verify', '--jwks', notJson], { stdin: await signed('ssf') });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`JWKS file "${notJson}" is not valid JSON`);
});

test('set verify with a private JWK as --jwks is a usage error, not a key leak', async () => {
  const r = await run(['set', 'verify', '--jwks', keyFile], { stdin: await signed('ssf') });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`JWKS file "${keyFile}"`);
});

// ---------------------------------------------------------------------------------------------------
// Expectations: --iss, --aud, --stream-id, --state, --unsolicited, --now

test('set lint --iss with another issuer exits 1 with iss-matches-expected-issuer', async () => {
  const r = await run(['set', 'lint', '--json', '--iss', 'https://elsewhere.example'], {
    stdin: await signed('ssf'),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('iss-matches-expected-issuer');
});

test('set lint --iss and --aud matching the SET exit 0', async () => {
  const token = await signed('ssf', ['--iss', 'https://issuer.example', '--aud', 'https://aud.example']);
  const r = await run(
    ['set', 'lint', '--json', '--iss', 'https://issuer.example', '--aud', 'https://aud.example'],
    {
      stdin: token,
    },
  );
  expect(r.code).toBe(0);
  expect(checkIds(r.stdout)).toEqual([]);
});

test('set lint --aud with another audience exits 1 with aud-includes-expected-audience', async () => {
  const r = await run(['set', 'lint', '--json', '--aud', 'https://other.example'], {
    stdin: await signed('ssf'),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('aud-includes-expected-audience');
});

test('set lint --now far in the past makes iat look future: iat-is-not-in-future, a warning (no SET spec makes it a MUST)', async () => {
  const r = await run(['set', 'lint', '--json', '--now', '1000000000'], { stdin: await signed('ssf') });
  expect(r.code).toBe(0);
  expect(checkIds(r.stdout)).toContain('iat-is-not-in-future');
  expect(r.stdout).toContain('LAB-IAT-NOT-FUTURE');
});

test('set lint --now equal to the signing time accepts the SET', async () => {
  const r = await run(['set', 'lint', '--json', '--now', String(NOW)], { stdin: await signed('ssf') });
  expect(r.code).toBe(0);
});

async function verificationSet(state: string | undefined): Promise<string> {
  const r = await run([
    'set',
    'sign',
    '--key',
    keyFile,
    '--event',
    EVENT_URIS.verification,
    '--payload',
    JSON.stringify(state === undefined ? {} : { state }),
    '--subject',
    JSON.stringify({ format: 'opaque', id: STREAM_ID }),
    '--txn',
    'txn-verification',
  ]);
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

test('set lint --stream-id and --state matching a verification event exit 0', async () => {
  const r = await run(['set', 'lint', '--json', '--stream-id', STREAM_ID, '--state', STATE], {
    stdin: await verificationSet(STATE),
  });
  expect(r.code).toBe(0);
  expect(checkIds(r.stdout)).toEqual([]);
});

test('set lint --stream-id naming another stream exits 1 with control-event-subject-is-stream', async () => {
  const r = await run(['set', 'lint', '--json', '--stream-id', 'another-stream'], {
    stdin: await verificationSet(STATE),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('control-event-subject-is-stream');
});

test('set lint --state with another state exits 1 with verification-state-matches-expected', async () => {
  const r = await run(['set', 'lint', '--json', '--state', 'other-state'], {
    stdin: await verificationSet(STATE),
  });
  expect(r.code).toBe(1);
  expect(checkIds(r.stdout)).toContain('verification-state-matches-expected');
});

test('set lint --unsolicited fails a verification event that carries a state and accepts one without', async () => {
  const withState = await run(['set', 'lint', '--json', '--unsolicited'], {
    stdin: await verificationSet(STATE),
  });
  expect(withState.code).toBe(1);
  expect(checkIds(withState.stdout)).toContain('verification-state-matches-expected');
  const without = await run(['set', 'lint', '--json', '--unsolicited'], {
    stdin: await verificationSet(undefined),
  });
  expect(without.code).toBe(0);
});

// ---------------------------------------------------------------------------------------------------
// set decode

test('set decode --json prints header and payload of a SET that fails a profile and exits 0', async () => {
  const token = await invalidOktaSet();
  const r = await run(['set', 'decode', '--json'], { stdin: token });
  expect(r.code).toBe(0);
  const output = parseObject(r.stdout);
  expect(output.header).toEqual(headerOf(token));
  expect(output.payload).toEqual(claimsOf(token));
  expect(output.findings).toEqual([]);
});

test('set decode without --json prints the header and the claims', async () => {
  const r = await run(['set', 'decode'], { stdin: await signed('okta') });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('header  {');
  expect(r.stdout).toContain('"typ": "secevent+jwt"');
  expect(r.stdout).toContain(`claims  {`);
  expect(r.stdout).toContain(EVENT_URIS.oktaDeviceRiskChange);
});

test('set decode of garbage exits 1 with token-is-compact-jws', async () => {
  const r = await run(['set', 'decode', '--json'], { stdin: 'garbage' });
  expect(r.code).toBe(1);
  const output = parseObject(r.stdout);
  expect(output.header).toBeNull();
  expect(checkIds(r.stdout)).toContain('token-is-compact-jws');
});

// ---------------------------------------------------------------------------------------------------
// Human-readable output and secrets

test('human output of an invalid SET shows the check id, requirement id and spec URL and ends with a count', async () => {
  const token = await invalidOktaSet();
  const r = await run(['set', 'lint', '--profile', 'okta'], { stdin: token });
  expect(r.code).toBe(1);
  const json = await run(['set', 'lint', '--profile', 'okta', '--json'], { stdin: token });
  const findings = parseObject(json.stdout).findings as readonly {
    check: string;
    requirement: RequirementId;
  }[];
  expect(findings.map((f) => f.check)).toContain('event-payload-matches-event-schema');
  expect(r.stdout).toContain('profile okta · signature not-checked (no --jwks given)');
  for (const f of findings) {
    expect(r.stdout).toContain(`${f.check}  ${f.requirement}`);
    expect(r.stdout).toContain(REQUIREMENTS[f.requirement].url);
  }
  expect(r.stdout).toContain('✗ failure  event-payload-matches-event-schema');
  expect(r.stdout).not.toContain('\u001b[');
  expect(r.stdout).toMatch(/\n\d+ failure\(s\), \d+ warning\(s\), \d+ info\n$/);
});

test('set lint, verify and decode never print the private key material', async () => {
  const token = await signed('ssf');
  const outputs = await Promise.all([
    run(['set', 'lint', '--jwks', jwksFile], { stdin: token }),
    run(['set', 'verify', '--json', '--jwks', jwksFile], { stdin: token }),
    run(['set', 'decode'], { stdin: token }),
    run(['set', 'verify', '--jwks', keyFile], { stdin: token }),
  ]);
  expect(privateD.length).toBeGreaterThan(100);
  for (const r of outputs) expect(r.stdout + r.stderr).not.toContain(privateD);
});
