/**
 * `ssf-lab serve` on https, its default (issue 15's "Done when": `curl --cacert <ca> <wellKnownUrl>`
 * works; the lab's SETs pass `--profile ssf`): in-process, with the CA file it writes beside the
 * manifest. A client trusting only that CA (node, and curl when the machine has it) reaches the SSF
 * metadata; one that does not is refused; `--http` keeps plain http; a given CA is used or refused.
 * (The lab's SETs under the `ssf` profile: harness/certify/loopback-tls-sets.test.ts.) Every lab
 * listens on 127.0.0.1 and is stopped here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCertificateAuthority, type LabManifest } from '../lab/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { type Serving, serveInProcess } from './cli.testing.ts';

const curl = spawnSync('curl', ['--version']).status === 0;

/** Runs curl without blocking the event loop (the lab answering it runs in this process). */
function runCurl(
  args: readonly string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
let dir = '';
let serving: Serving | undefined;
let manifest: LabManifest;
const manifestFile = (): string => join(dir, 'lab.json');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-serve-tls-'));
  serving = serveInProcess(['--devices', '4', '--seed', '2', '--manifest', manifestFile()]);
  manifest = await serving.manifest;
}, 30_000);

afterAll(async () => {
  serving?.stop();
  await serving?.done;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('serves https by default, writes the CA beside the manifest (644, no key) and names it there', () => {
  const caFile = join(dir, 'lab.ca.pem');
  expect(manifest.tls?.caFile).toBe(caFile);
  for (const url of [
    manifest.okta.url,
    manifest.jamfSecurityCloud.issuer,
    manifest.jamfSecurityCloud.wellKnownUrl,
  ])
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
  const pem = readFileSync(caFile, 'utf8');
  expect(pem).toBe(manifest.tls?.caCert);
  expect(pem).not.toContain('PRIVATE KEY');
  expect(statSync(caFile).mode & 0o777).toBe(0o644);
  // It says how to trust the CA, and never prints a key.
  const stderr = serving?.stderr() ?? '';
  expect(stderr).toContain(`curl --cacert ${caFile} ${manifest.jamfSecurityCloud.wellKnownUrl}`);
  expect(stderr).toContain(`NODE_EXTRA_CA_CERTS=${caFile}`);
  expect(stderr).not.toContain('PRIVATE KEY');
});

test('a client trusting only the CA file reaches the well-known URL; one that does not is refused', async () => {
  const trusting = createHttpFetch({ ca: readFileSync(manifest.tls?.caFile ?? '', 'utf8') });
  const answer = await trusting(manifest.jamfSecurityCloud.wellKnownUrl);
  expect(answer.status).toBe(200);
  const metadata = (await answer.json()) as { issuer: string; jwks_uri: string };
  expect(metadata.issuer).toBe(manifest.jamfSecurityCloud.issuer);
  expect(metadata.jwks_uri).toMatch(/^https:/);
  // node's fetch with its bundled roots only, and a client trusting another CA: refused, no downgrade.
  await expect(globalThis.fetch(manifest.jamfSecurityCloud.wellKnownUrl)).rejects.toThrow();
  const stranger = createHttpFetch({ ca: createCertificateAuthority().certPem });
  await expect(stranger(manifest.jamfSecurityCloud.wellKnownUrl)).rejects.toMatchObject({
    cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' },
  });
});

test.skipIf(!curl)(
  'curl --cacert <ca> <wellKnownUrl> works, and curl without it fails (skipped: no curl)',
  async () => {
    const url = manifest.jamfSecurityCloud.wellKnownUrl;
    const ok = await runCurl([
      '-sS',
      '--fail',
      '--max-time',
      '10',
      '--cacert',
      manifest.tls?.caFile ?? '',
      url,
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as { issuer: string }).issuer).toBe(manifest.jamfSecurityCloud.issuer);
    // An empty CA bundle: curl trusts nothing, so it must refuse the lab's certificate (exit 60 or 77).
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, '');
    const refused = await runCurl(['-sS', '--max-time', '10', '--cacert', empty, '--capath', dir, url]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/certificate/i);
  },
);

/** Runs serve to its manifest (or its exit), then stops it; what it printed and left behind. */
async function serveOnce(
  args: readonly string[],
  env: Record<string, string> = {},
  whileServing: (m: LabManifest) => Promise<void> | void = () => undefined,
): Promise<{ code: number; manifest: LabManifest | undefined; stderr: string }> {
  const s = serveInProcess(['--devices', '2', ...args], env);
  const manifest = await s.manifest.catch(() => undefined);
  if (manifest !== undefined) await whileServing(manifest);
  s.stop();
  return { code: await s.done, manifest, stderr: s.stderr() };
}

test('--http (or SSF_LAB_HTTP=1) keeps plain http: no CA, no tls in the manifest', async () => {
  for (const [args, env] of [
    [['--http'], {}],
    [[], { SSF_LAB_HTTP: '1' }],
  ] as const) {
    const { code, manifest: m } = await serveOnce(args, env, async (served) => {
      const ready = await globalThis.fetch(`${served.okta.url}/_lab/ready`);
      expect(ready.status).toBe(200);
    });
    expect(code).toBe(0);
    expect(m?.okta.url).toMatch(/^http:\/\//);
    expect(m?.jamfSecurityCloud.issuer).toMatch(/^http:\/\//);
    expect(m?.tls).toBeUndefined();
  }
});

test('without --manifest the CA goes to a temporary directory, removed when serve stops', async () => {
  let caFile = '';
  const { code } = await serveOnce([], {}, (m) => {
    caFile = m.tls?.caFile ?? '';
    expect(readFileSync(caFile, 'utf8')).toBe(m.tls?.caCert);
  });
  expect(code).toBe(0);
  expect(caFile).toMatch(/ssf-lab-ca-[^/]+\/ca\.pem$/);
  expect(() => statSync(caFile)).toThrow();
});

test('a given CA (files, or the PEM in SSF_LAB_CA_CERT/SSF_LAB_CA_KEY) signs the certificates', async () => {
  const ca = createCertificateAuthority();
  const key = ca.key.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(join(dir, 'given.pem'), ca.certPem);
  writeFileSync(join(dir, 'given.key'), key, { mode: 0o600 });
  const reach = async (m: LabManifest): Promise<void> => {
    expect(m.tls?.caCert).toBe(ca.certPem);
    const answer = await createHttpFetch({ ca: ca.certPem })(m.jamfSecurityCloud.wellKnownUrl);
    expect(answer.status).toBe(200);
    await answer.body?.cancel();
  };
  const byFile = await serveOnce(
    ['--ca-cert', join(dir, 'given.pem'), '--ca-key', join(dir, 'given.key')],
    {},
    reach,
  );
  expect(byFile.code).toBe(0);
  expect(byFile.stderr).toContain('https, with the given CA');
  const byEnv = await serveOnce([], { SSF_LAB_CA_CERT: ca.certPem, SSF_LAB_CA_KEY: key }, reach);
  expect(byEnv.code).toBe(0);
  expect(byEnv.stderr).not.toContain('PRIVATE KEY');
});

test('a CA that cannot be used exits 2 with one line, never quoting the key', async () => {
  const ca = createCertificateAuthority();
  const otherKey = createCertificateAuthority().key.export({ type: 'pkcs8', format: 'pem' }) as string;
  const cases: [readonly string[], Record<string, string>, RegExp][] = [
    [['--ca-cert', 'x.pem'], {}, /--ca-cert needs its pair/],
    [['--http', '--ca-cert', 'x.pem', '--ca-key', 'x.key'], {}, /--http and --ca-cert exclude each other/],
    [[], { SSF_LAB_HTTP: 'maybe' }, /SSF_LAB_HTTP must be 1 or 0/],
    [['--ca-cert', join(dir, 'missing.pem'), '--ca-key', join(dir, 'missing.key')], {}, /no such file/],
    [[], { SSF_LAB_CA_CERT: ca.certPem, SSF_LAB_CA_KEY: otherKey }, /the CA key does not belong/],
  ];
  for (const [args, env, message] of cases) {
    const { code, manifest: m, stderr } = await serveOnce(args, env);
    expect(code).toBe(2);
    expect(m).toBeUndefined();
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('PRIVATE KEY');
    expect(stderr).not.toMatch(/^\s+at /m);
  }
});
