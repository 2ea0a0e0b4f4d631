/**
 * `ssf-lab serve` in-process — `main(['serve', …], io)` with captured output and a stop signal the test
 * aborts — and once as the built bin, stopped with a real SIGTERM. Every credential in the manifest is
 * used over real loopback HTTP; every lab started here listens on 127.0.0.1 and is stopped by the test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { CREDENTIAL_ENV, SERVE_SETTING_ENV } from '../config/serve-env.ts';
import { LAB_CLIENT_AUDIENCE, type LabManifest } from '../lab/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { type Serving, serveInProcess } from './cli.testing.ts';
import type { CliIo } from './io.ts';
import { main } from './main.ts';
import { SERVE_HELP } from './serve-command.ts';

const BIN = fileURLToPath(new URL('../../dist/harness/cli/bin.js', import.meta.url));
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

const running: Serving[] = [];
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-serve-'));
});

afterEach(async () => {
  // A failed assertion must not leave a lab listening.
  for (const s of running.splice(0)) {
    s.stop();
    await s.done;
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `ssf-lab serve …args` in-process until `stop()`; stopped after each test. On plain http
 * (`SSF_LAB_HTTP=1`, unless `env` says otherwise): these tests are about everything but TLS, which
 * serve-tls.test.ts covers (the default).
 */
function serve(args: readonly string[], env: Record<string, string> = {}): Serving {
  const serving = serveInProcess(args, { SSF_LAB_HTTP: '1', ...env });
  running.push(serving);
  return serving;
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/** A BASE with BASE…BASE+5 free on 127.0.0.1 right now. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const held: Server[] = [];
    for (let i = 0; i < 6; i++) {
      const server = await listen(base + i);
      if (!server) break;
      held.push(server);
    }
    await Promise.all(held.map(closeServer));
    if (held.length === 6) return base;
  }
  throw new Error('no run of six free ports');
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

function portsOf(manifest: LabManifest): number[] {
  return [
    manifest.okta.url,
    manifest.jamfPro.url,
    manifest.jamfSecurityCloud.url,
    ...manifest.apps.map((a) => a.url),
  ].map(portOf);
}

const basic = (user: string, secret: string): string =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/** Uses every credential of the manifest over loopback HTTP, as a client outside the lab would. */
async function useEveryCredential(m: LabManifest): Promise<void> {
  const users = await fetch(`${m.okta.url}/api/v1/users?limit=2`, {
    headers: { authorization: `SSWS ${m.okta.apiToken}`, accept: 'application/json' },
  });
  expect(users.status).toBe(200);
  expect(((await users.json()) as unknown[]).length).toBeGreaterThan(0);

  const oauth = await fetch(`${m.jamfPro.url}/api/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: m.jamfPro.clientId,
      client_secret: m.jamfPro.clientSecret,
    }),
  });
  expect(oauth.status).toBe(200);
  const { access_token } = (await oauth.json()) as { access_token: string };
  const version = await fetch(`${m.jamfPro.url}/api/v1/jamf-pro-version`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  expect(version.status).toBe(200);
  await version.body?.cancel();
  const userToken = await fetch(`${m.jamfPro.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(m.jamfPro.username, m.jamfPro.password) },
  });
  expect(userToken.status).toBe(200);
  expect(await userToken.json()).toHaveProperty('token');

  const jsc = m.jamfSecurityCloud;
  const login = await fetch(`${jsc.url}/v1/login`, {
    method: 'POST',
    headers: { authorization: basic(jsc.appId, jsc.appSecret) },
  });
  expect(login.status).toBe(200);
  expect(await login.json()).toHaveProperty('token');
  const metadata = (await (await fetch(jsc.wellKnownUrl)).json()) as Record<string, string>;
  expect(metadata.issuer).toBe(jsc.issuer);
  const streams = metadata.configuration_endpoint ?? '';
  expect(streams.startsWith(`${jsc.issuer}/`)).toBe(true);
  const bearer = { authorization: `Bearer ${jsc.streamToken}` };
  const listed = await fetch(streams, { headers: bearer });
  expect(listed.status).toBe(200);
  expect(await listed.json()).toEqual([]); // the Okta org's stream belongs to another receiver
  const created = await fetch(streams, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ events_requested: [] }),
  });
  expect(created.status).toBe(201);
  expect(((await created.json()) as { aud: unknown }).aud).toBe(LAB_CLIENT_AUDIENCE);
  const refused = await fetch(streams, { headers: { authorization: 'Bearer not-the-token' } });
  expect(refused.status).toBe(401);
  await refused.body?.cancel();

  // The lab controls take the manifest's admin token, and nothing else.
  for (const app of m.apps) {
    const sessions = await fetch(`${app.url}/_lab/sessions`, {
      headers: { authorization: `Bearer ${m.lab?.adminToken}` },
    });
    expect(sessions.status, app.name).toBe(200);
    await sessions.body?.cancel();
    const without = await fetch(`${app.url}/_lab/sessions`);
    expect(without.status, app.name).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer realm="ssf-lab"');
    await without.body?.cancel();
  }
}

test('serve prints one manifest line whose every credential works, writes it 0600, and stops cleanly', async () => {
  const base = await freeBase();
  const file = join(dir, 'lab.json');
  writeFileSync(file, 'an older manifest\n', { mode: 0o644 });
  const s = serve(['--port', String(base), '--seed', '3', '--devices', '4', '--manifest', file]);
  const m = await s.manifest;

  expect(Object.keys(m)).toEqual(['okta', 'jamfPro', 'jamfSecurityCloud', 'apps', 'lab', 'console']);
  expect(m.lab?.adminToken).toMatch(/^[\w-]{43}$/);
  expect(Object.keys(m.okta)).toEqual(['url', 'apiToken', 'userPassword']);
  expect(Object.keys(m.jamfPro)).toEqual(['url', 'username', 'password', 'clientId', 'clientSecret']);
  expect(Object.keys(m.jamfSecurityCloud)).toEqual([
    'url',
    'issuer',
    'wellKnownUrl',
    'streamToken',
    'appId',
    'appSecret',
  ]);
  expect(m.apps.map((a) => Object.keys(a))).toEqual([
    ['name', 'kind', 'url'],
    ['name', 'kind', 'url'],
    ['name', 'kind', 'url'],
  ]);
  expect(portsOf(m)).toEqual([0, 1, 2, 3, 4, 5].map((i) => base + i));
  expect(m.okta.url).toBe(`http://127.0.0.1:${base}`);
  expect(m.apps.map((a) => a.name)).toEqual(['Salesforce', 'Google Workspace', 'Microsoft Office 365']);
  const { issuer, wellKnownUrl } = m.jamfSecurityCloud;
  expect(wellKnownUrl).toBe(
    `http://127.0.0.1:${base + 2}/.well-known/ssf-configuration${new URL(issuer).pathname}`,
  );

  // Exactly one line on stdout; the file holds the same line, private, replaced (no temporary left).
  expect(s.stdout()).toBe(`${JSON.stringify(m)}\n`);
  expect(readFileSync(file, 'utf8')).toBe(s.stdout());
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['lab.json']);

  await useEveryCredential(m);

  // stderr tells a person what happened, with the URLs and never a secret.
  const log = s.stderr();
  expect(log).toContain("configuring it as at the end of the seed's set-up");
  expect(log).toContain('okta: Entity Risk Policy rule');
  expect(log).toContain(`Okta                  http://127.0.0.1:${base}\n`);
  const secrets = [
    m.okta.apiToken,
    m.jamfPro.password,
    m.jamfPro.clientSecret,
    m.jamfSecurityCloud.streamToken,
    m.jamfSecurityCloud.appSecret,
    m.lab?.adminToken ?? 'no admin token',
  ];
  for (const secret of secrets) expect(log).not.toContain(secret);

  s.stop('SIGTERM');
  expect(await s.done).toBe(0);
  expect(s.stderr()).toMatch(/stopping the lab \(SIGTERM\)\nssf-lab serve: the lab is stopped\n$/);
  expect(s.stdout()).toBe(`${JSON.stringify(m)}\n`);
  for (const port of portsOf(m)) expect(await listening(port)).toBe(false);
});

test.each([
  [['--port', '0'], '--port must be an integer from 1 to 65527, not "0"'],
  [['--port', '65528'], '--port must be an integer from 1 to 65527, not "65528"'],
  [['--port', '80a'], '--port must be an integer from 1 to 65527, not "80a"'],
  [['--seed', '1.5'], '--seed must be an integer, not "1.5"'],
  [['--devices', '0'], '--devices must be an integer from 1 to 10000, not "0"'],
  [['--devices', '10001'], '--devices must be an integer from 1 to 10000, not "10001"'],
  [['--manifest='], '--manifest needs a FILE'],
  [['--devices'], "Option '--devices <value>' argument missing"],
  [['--frob'], "Unknown option '--frob'"],
  [['now'], 'serve takes no arguments, not "now"'],
  [
    ['--deviate', 'transmitter-typ-jwt', '--deviate', 'zzz'],
    'unknown deviation "zzz" (docs/self-test.md lists them all)',
  ],
  [
    ['--deviate', 'transmitter-typ-jwk'],
    'unknown deviation "transmitter-typ-jwk"; did you mean "transmitter-typ-jwt"? (docs/self-test.md lists them all)',
  ],
  [['--host', 'lab.example'], '--host must be an IP address or localhost, not "lab.example"'],
  [['--host='], '--host must be an IP address or localhost, not ""'],
  [
    ['--public-host', 'http://lab:4400'],
    '--public-host must be a host name or an IP address (no scheme, port or path), not "http://lab:4400"',
  ],
  [
    ['--public-host', 'lab:4400'],
    '--public-host must be a host name or an IP address (no scheme, port or path), not "lab:4400"',
  ],
])('serve %j exits 2 naming the option, before starting anything', async (args, message) => {
  const s = serve(args);
  expect(await s.done).toBe(2);
  expect(s.stdout()).toBe('');
  expect(s.stderr()).toBe(`ssf-lab: ${message}\n`);
});

const CREDENTIAL_RULE =
  'must be 16 to 256 characters from A-Z a-z 0-9 . _ ~ + / = - (its value is not shown)';

test.each([
  [{ SSF_LAB_PORT: '0' }, 'SSF_LAB_PORT must be an integer from 1 to 65527, not "0"'],
  [{ SSF_LAB_SEED: 'one' }, 'SSF_LAB_SEED must be an integer, not "one"'],
  [{ SSF_LAB_DEVICES: '10001' }, 'SSF_LAB_DEVICES must be an integer from 1 to 10000, not "10001"'],
  [{ SSF_LAB_HOST: 'lab.example' }, 'SSF_LAB_HOST must be an IP address or localhost, not "lab.example"'],
  [
    { SSF_LAB_PUBLIC_HOST: 'lab/x' },
    'SSF_LAB_PUBLIC_HOST must be a host name or an IP address (no scheme, port or path), not "lab/x"',
  ],
  [{ SSF_LAB_OKTA_API_TOKEN: 'too-short' }, `SSF_LAB_OKTA_API_TOKEN ${CREDENTIAL_RULE}`],
  [{ SSF_LAB_JAMF_PRO_PASSWORD: 'a password with spaces' }, `SSF_LAB_JAMF_PRO_PASSWORD ${CREDENTIAL_RULE}`],
  [
    { SSF_LAB_JAMF_PRO_CLIENT_SECRET: 'secret"quote"0123' },
    `SSF_LAB_JAMF_PRO_CLIENT_SECRET ${CREDENTIAL_RULE}`,
  ],
  [{ SSF_LAB_JSC_APP_SECRET: 'x'.repeat(300) }, `SSF_LAB_JSC_APP_SECRET ${CREDENTIAL_RULE}`],
  [
    { SSF_LAB_STREAM_TOKEN: '' },
    'SSF_LAB_STREAM_TOKEN must be 16 to 256 characters from A-Z a-z 0-9 . _ ~ + / = - (it is empty)',
  ],
])(
  'serve with %j exits 2 naming the variable, never a secret, before starting anything',
  async (env, message) => {
    const s = serve([], env);
    expect(await s.done).toBe(2);
    expect(s.stdout()).toBe('');
    expect(s.stderr()).toBe(`ssf-lab: ${message}\n`);
  },
);

test('an option wins over its variable', async () => {
  // The variable is not even read when its option is given: the error names the option.
  const s = serve(['--seed', '1.5'], { SSF_LAB_SEED: 'not read' });
  expect(await s.done).toBe(2);
  expect(s.stderr()).toBe('ssf-lab: --seed must be an integer, not "1.5"\n');
});

test('a --host that is no address of this machine exits 2 with one line', async () => {
  const s = serve(['--host', '192.0.2.1', '--devices', '2']);
  expect(await s.done).toBe(2);
  expect(s.stdout()).toBe('');
  expect(s.stderr().trimEnd().split('\n').at(-1)).toBe(
    'ssf-lab: cannot listen on 192.0.2.1: it is not an address of this machine (choose another --host)',
  );
});

test('configured by its environment: public host, fixed credentials, readiness 503 then 200', async () => {
  const base = await freeBase();
  const fixed = {
    SSF_LAB_OKTA_API_TOKEN: '00fixed-okta-token-for-ci-0123',
    SSF_LAB_JAMF_PRO_PASSWORD: 'fixed-jamf-pro-password-0123',
    SSF_LAB_JAMF_PRO_CLIENT_SECRET: 'fixed-jamf-pro-client-secret-0123',
    SSF_LAB_JSC_APP_SECRET: 'fixed-jsc-app-secret-0123',
    SSF_LAB_STREAM_TOKEN: 'fixed-stream-token-0123456789',
    SSF_LAB_ADMIN_TOKEN: 'fixed-lab-admin-token-0123456789',
  };
  const s = serve(['--seed', '2'], {
    ...fixed,
    SSF_LAB_PORT: String(base),
    SSF_LAB_HOST: '127.0.0.1',
    SSF_LAB_PUBLIC_HOST: 'localhost',
    SSF_LAB_SEED: 'the option wins',
    SSF_LAB_DEVICES: '3',
  });
  // While the seed's set-up runs, the lab listens and says it is not ready.
  while (!s.stderr().includes('okta: Jamf Trust OIDC app')) await new Promise((r) => setTimeout(r, 2));
  const early = await fetch(`http://127.0.0.1:${base + 4}/_lab/ready`);
  expect(early.status).toBe(503);
  expect(await early.json()).toEqual({ ready: false });
  const m = await s.manifest;
  for (let i = 0; i < 6; i++) {
    const ready = await fetch(`http://localhost:${base + i}/_lab/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  }

  expect(m.okta).toEqual({
    url: `http://localhost:${base}`,
    apiToken: fixed.SSF_LAB_OKTA_API_TOKEN,
    userPassword: expect.any(String),
  });
  expect(m.jamfPro).toMatchObject({
    url: `http://localhost:${base + 1}`,
    password: fixed.SSF_LAB_JAMF_PRO_PASSWORD,
    clientSecret: fixed.SSF_LAB_JAMF_PRO_CLIENT_SECRET,
  });
  expect(m.jamfSecurityCloud).toMatchObject({
    url: `http://localhost:${base + 2}`,
    appSecret: fixed.SSF_LAB_JSC_APP_SECRET,
    streamToken: fixed.SSF_LAB_STREAM_TOKEN,
  });
  expect(m.lab).toEqual({ adminToken: fixed.SSF_LAB_ADMIN_TOKEN });
  expect(m.jamfSecurityCloud.issuer.startsWith(`http://localhost:${base + 2}/sse/`)).toBe(true);
  expect(m.apps.map((a) => a.url)).toEqual([3, 4, 5].map((i) => `http://localhost:${base + i}`));
  await useEveryCredential(m);

  const log = s.stderr();
  expect(log).toContain(
    `starting the lab on 127.0.0.1 (seed 2, 3 devices, ports ${base}-${base + 5}, advertised as localhost, 6 credentials from the environment)`,
  );
  expect(log).toContain(`Okta                  http://localhost:${base}\n`);
  expect(log).toContain('Readiness: GET /_lab/ready on any port answers 200 now.');
  for (const secret of Object.values(fixed)) expect(log).not.toContain(secret);

  s.stop('SIGTERM');
  expect(await s.done).toBe(0);
  for (let i = 0; i < 6; i++) expect(await listening(base + i)).toBe(false);
});

test('--open-lab restores open controls, with a warning; it excludes a fixed admin token', async () => {
  const s = serve(['--open-lab', '--devices', '3']);
  const m = await s.manifest;
  expect(m.lab).toBeUndefined();
  const sessions = await fetch(`${m.okta.url}/_lab/sessions`);
  expect(sessions.status).toBe(200);
  await sessions.body?.cancel();
  expect(s.stderr()).toContain('WARNING: --open-lab: the /_lab/ controls answer without the lab admin token');
  expect(s.stderr()).toContain('The /_lab/ controls are OPEN (--open-lab)');
  s.stop('SIGTERM');
  expect(await s.done).toBe(0);

  const both = serve(['--open-lab'], { SSF_LAB_ADMIN_TOKEN: 'fixed-lab-admin-token-0123456789' });
  expect(await both.done).toBe(2);
  expect(both.stderr()).toBe(
    'ssf-lab: --open-lab and SSF_LAB_ADMIN_TOKEN exclude each other (open controls take no token)\n',
  );
});

test('a port in use exits 2 with one clear line, and nothing is left listening', async () => {
  const base = await freeBase();
  const taken = await listen(base + 3);
  if (!taken) throw new Error(`port ${base + 3} was taken meanwhile`);
  try {
    const s = serve(['--port', String(base), '--devices', '4']);
    expect(await s.done).toBe(2);
    expect(s.stdout()).toBe('');
    const lines = s.stderr().trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      `ssf-lab: port ${base + 3} on 127.0.0.1 is already in use; choose another --port (the lab listens on ${base} to ${base + 5})`,
    );
    expect(s.stderr()).not.toMatch(STACK_FRAME);
    for (const i of [0, 1, 2, 4, 5]) expect(await listening(base + i)).toBe(false);
  } finally {
    await closeServer(taken);
  }
});

test('a manifest that cannot be written exits 2 with one line before the lab starts', async () => {
  const base = await freeBase();
  const file = join(dir, 'missing-directory', 'lab.json');
  const s = serve(['--port', String(base), '--devices', '2', '--manifest', file]);
  expect(await s.done).toBe(2);
  expect(s.stdout()).toBe('');
  expect(s.stderr()).toBe(`ssf-lab: cannot write the manifest file "${file}": no such directory\n`);
  for (let i = 0; i < 6; i++) expect(await listening(base + i)).toBe(false);
});

test('a stop during the set-up closes the lab and exits 0 without a manifest', async () => {
  const base = await freeBase();
  const s = serve(['--port', String(base), '--devices', '2']);
  while (!s.stderr().includes('okta: Jamf Trust OIDC app')) await new Promise((r) => setTimeout(r, 5));
  s.stop('SIGINT');
  expect(await s.done).toBe(0);
  expect(s.stdout()).toBe('');
  expect(s.stderr()).toContain('stopping the lab (SIGINT)');
  for (let i = 0; i < 6; i++) expect(await listening(base + i)).toBe(false);
});

test('help serve, serve --help and the overview describe the command', async () => {
  const help = serve(['--help']);
  expect(await help.done).toBe(0);
  expect(help.stdout()).toBe(SERVE_HELP);
  let out = '';
  const io: CliIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    stdinIsTty: true,
    color: false,
  };
  expect(await main(['help', 'serve'], io)).toBe(0);
  expect(out).toBe(SERVE_HELP);
  out = '';
  expect(await main(['--help'], io)).toBe(0);
  expect(out).toMatch(/^ {2}serve +run the lab on 127\.0\.0\.1/m);
  expect(SERVE_HELP).toContain(
    'ssf-lab serve [--port BASE] [--host ADDR] [--public-host NAME] [--seed N] [--devices N]',
  );
  for (const variable of [...Object.values(SERVE_SETTING_ENV), ...Object.values(CREDENTIAL_ENV)])
    expect(SERVE_HELP).toContain(variable);
  expect(SERVE_HELP).toContain('GET /_lab/ready');
});

test.skipIf(!existsSync(BIN))('the built bin serves until SIGTERM, then exits 0 promptly', async () => {
  let child: ChildProcess | undefined;
  try {
    const spawned = spawn(process.execPath, [BIN, 'serve', '--devices', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    let stderr = '';
    spawned.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => spawned.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: spawned.stdout });
    const first = await Promise.race([
      new Promise<string>((resolve) => lines.once('line', resolve)),
      exited.then((code) => Promise.reject(new Error(`exited ${code} before the manifest: ${stderr}`))),
    ]);
    const m = JSON.parse(first) as LabManifest;
    // On https by default, trusting the CA the manifest names (and nothing else besides node's roots).
    expect(m.okta.url).toMatch(/^https:/);
    const users = await createHttpFetch({ ca: m.tls?.caCert ?? '' })(`${m.okta.url}/api/v1/users?limit=1`, {
      headers: { authorization: `SSWS ${m.okta.apiToken}` },
    });
    expect(users.status).toBe(200);
    await users.body?.cancel();

    const sent = Date.now();
    spawned.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(stderr).toContain('ssf-lab serve: the lab is stopped');
    for (const port of portsOf(m)) expect(await listening(port)).toBe(false);
    child = undefined;
  } finally {
    child?.kill('SIGKILL');
  }
});
