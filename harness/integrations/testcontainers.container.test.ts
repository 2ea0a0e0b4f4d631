/**
 * The container, end to end (`npm run test:container`; not part of `npm test`, which needs no Docker):
 * the repository's Dockerfile is built here — on a base image holding this machine's Node.js and with the
 * package packed and installed from npm's cache (container-image.testing.ts), as nothing can be pulled —
 * then `SsfLabContainer` starts it:
 *
 * - with host networking, and from this host `ssf-lab certify --target FILE --plan ssf-transmitter`
 *   grades the containerised lab's Jamf Security Cloud transmitter, whose stream token the test fixed
 *   through the environment (so the target file names a variable it already knows);
 * - with ports published one to one on a Docker network of its own, where the manifest's URLs must be
 *   the ones the host reaches;
 *
 * and the README's testcontainers example runs as written, from the packed package installed into a
 * project of its own with testcontainers and vitest;
 *
 * and each container must stop cleanly — `ssf-lab serve` exits 0 on SIGTERM, promptly, even with the
 * seed's chain in flight.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Network, type StartedNetwork } from 'testcontainers';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { transmitterOptions } from '../certify/lab-targets/set-up.ts';
import { fileExamples, pack, runIn } from '../distribution/packed.testing.ts';
import {
  buildImage,
  dockerAvailable,
  localNodeBaseImage,
  localPackageImage,
} from './container-image.testing.ts';
import { SsfLabContainer, type SsfLabCredentials, type StartedSsfLabContainer } from './testcontainers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist/harness/cli/bin.js');
const run = promisify(execFile);

/** A registry-pulled base image to use instead of one made from this machine's Node (e.g. node:22-slim). */
const BASE_IMAGE = process.env.SSF_LAB_TEST_BASE_IMAGE;
const IMAGE = 'ssf-lab:container-test';

const CREDENTIALS: SsfLabCredentials = {
  oktaApiToken: '00container-test-okta-token',
  jamfProPassword: 'container-test-jamf-pro-password',
  jamfProClientSecret: 'container-test-jamf-pro-client-secret',
  jscAppSecret: 'container-test-jsc-app-secret',
  streamToken: 'container-test-stream-token-0123',
};

const timings: Record<string, number> = {};
async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await step();
  } finally {
    timings[name] = Math.round(performance.now() - start);
  }
}

const started: StartedSsfLabContainer[] = [];
let network: StartedNetwork | undefined;
let dir = '';

beforeAll(async () => {
  if (!(await dockerAvailable())) throw new Error('npm run test:container needs a running Docker engine');
  dir = mkdtempSync(join(tmpdir(), 'ssf-lab-container-'));
  const base = await timed('base image', () =>
    BASE_IMAGE ? Promise.resolve(BASE_IMAGE) : localNodeBaseImage(),
  );
  const pkg = await timed('package image', () => localPackageImage(ROOT, 'ssf-lab-test-package:latest'));
  await timed('lab image', () => buildImage(ROOT, IMAGE, { BASE_IMAGE: base, SSF_LAB_PACKAGE: pkg }));
}, 600_000);

afterAll(async () => {
  // Whatever happened, nothing is left running.
  for (const lab of started.splice(0)) await lab.stop().catch(() => undefined);
  await network?.stop().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`container test timings (ms): ${JSON.stringify(timings)}\n`);
});

/** Stops a lab, keeping the container long enough to read how its process ended, then removes it. */
async function stopCleanly(lab: StartedSsfLabContainer): Promise<{ exitCode: string; ms: number }> {
  started.splice(started.indexOf(lab), 1);
  const start = performance.now();
  await lab.stop({ remove: false });
  const ms = Math.round(performance.now() - start);
  const { stdout } = await run('docker', ['inspect', '--format', '{{.State.ExitCode}}', lab.getId()]);
  await run('docker', ['rm', '--volumes', lab.getId()]);
  return { exitCode: stdout.trim(), ms };
}

test('host networking: the containerised JSC transmitter passes ssf-transmitter, graded from the host', async () => {
  const lab = await timed('start (host network)', () =>
    new SsfLabContainer(IMAGE)
      .withNetworkMode('host')
      .withSeed(3)
      .withDevices(8)
      .withCredentials(CREDENTIALS)
      .start(),
  );
  started.push(lab);
  const { jamfSecurityCloud: jsc, okta } = lab.manifest;
  // https by default: the CA comes in the manifest, and the target file below names it as a file.
  expect(okta.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(lab.caCert).toContain('-----BEGIN CERTIFICATE-----');
  const caFile = join(dir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCert ?? '');
  expect(okta.apiToken).toBe(CREDENTIALS.oktaApiToken);
  expect(jsc.streamToken).toBe(CREDENTIALS.streamToken);
  expect(jsc.issuer.startsWith(`${jsc.url}/sse/`)).toBe(true);

  const target = join(dir, 'ssf-lab.target.json');
  const plan = { ...transmitterOptions(jsc), token: { env: 'SSF_LAB_STREAM_TOKEN' } };
  writeFileSync(
    target,
    `${JSON.stringify({ name: 'ssf-lab in a container', tls: { caFile }, plans: { 'ssf-transmitter': plan } }, null, 2)}\n`,
  );
  // The file names the token; the environment holds it — the value the container was given.
  expect(readFileSync(target, 'utf8')).not.toContain(CREDENTIALS.streamToken);
  const out = join(dir, 'certify');
  const certified = await timed('certify ssf-transmitter', () =>
    run(process.execPath, [BIN, 'certify', '--target', target, '--plan', 'ssf-transmitter', '--out', out], {
      env: { ...process.env, SSF_LAB_STREAM_TOKEN: CREDENTIALS.streamToken ?? '' },
    }).then(
      (done) => ({ code: 0, stderr: done.stderr }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    ),
  );
  expect(certified.code, certified.stderr).toBe(0);
  const record = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8')) as {
    passed: boolean;
    plans: { name: string }[];
  };
  expect(record.passed).toBe(true);
  expect(record.plans.map((p) => p.name)).toEqual(['ssf-transmitter']);
  expect(certified.stderr).not.toContain(CREDENTIALS.streamToken);

  // Stopped while the seed's chain runs (a Mac goes High: JSC → Okta → Universal Logout to the apps),
  // the lab still closes at once and exits 0.
  // The lab's controls take the manifest's admin token.
  const admin = { authorization: `Bearer ${lab.manifest.lab?.adminToken ?? ''}` };
  const state = (await (await lab.fetch(`${jsc.url}/_lab/state`, { headers: admin })).json()) as {
    devices: { udid: string; osType: string; uem?: { email?: string } }[];
  };
  const mac = state.devices.find((d) => d.osType === 'MAC_OS' && d.uem?.email);
  const threat = await lab.fetch(`${jsc.url}/_lab/threats`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ device: mac?.udid, category: 'Malware' }),
  });
  expect(threat.status).toBe(201);
  await threat.body?.cancel();
  await new Promise((resolve) => setTimeout(resolve, 30));

  const stopped = await stopCleanly(lab);
  expect(stopped.exitCode).toBe('0');
  expect(stopped.ms).toBeLessThan(5000);
  timings['stop (host network)'] = stopped.ms;
}, 300_000);

test('ports published one to one on a Docker network: the manifest holds the URLs the host reaches', async () => {
  network = await new Network().start();
  const lab = await timed('start (published ports)', () =>
    new SsfLabContainer(IMAGE)
      .withNetwork(network as StartedNetwork)
      .withDevices(4)
      .start(),
  );
  started.push(lab);
  const { jamfSecurityCloud: jsc, okta } = lab.manifest;
  const port = Number(new URL(okta.url).port);
  expect(lab.getMappedPort(port)).toBe(port);
  expect(okta.url).toBe(`https://127.0.0.1:${port}`);
  // The metadata the container serves advertises the same URLs, and its stream API takes the token.
  const metadata = (await (await lab.fetch(jsc.wellKnownUrl)).json()) as Record<string, string>;
  // A client that does not trust the lab's CA is refused: no plain-http fallback.
  await expect(globalThis.fetch(jsc.wellKnownUrl)).rejects.toThrow();
  expect(metadata.issuer).toBe(jsc.issuer);
  const streams = await lab.fetch(metadata.configuration_endpoint ?? '', {
    headers: { authorization: `Bearer ${jsc.streamToken}` },
  });
  expect(streams.status).toBe(200);
  await streams.body?.cancel();

  const stopped = await stopCleanly(lab);
  expect(stopped.exitCode).toBe('0');
  timings['stop (published ports)'] = stopped.ms;
  await network.stop();
  network = undefined;
}, 300_000);

test("a credential the lab refuses: start() fails with the lab's own line, which names the variable only", async () => {
  const bad = 'bad value!';
  const error = await new SsfLabContainer(IMAGE)
    .withNetworkMode('host')
    .withCredentials({ jscAppSecret: bad })
    .start()
    .then(
      (lab) => {
        started.push(lab);
        return undefined;
      },
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain('the lab did not start — it said: ssf-lab: SSF_LAB_JSC_APP_SECRET must be');
  expect(message).not.toContain(bad);
}, 120_000);

test("the README's testcontainers example runs as written, from the installed package", async () => {
  // The README builds the image as ssf-lab:latest; this one is the same Dockerfile's.
  await run('docker', ['tag', IMAGE, 'ssf-lab:latest']);
  const example = fileExamples(readFileSync(join(ROOT, 'README.md'), 'utf8')).get('lab.container.test.ts');
  expect(example).toBeDefined();
  const project = join(dir, 'readme-project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "private": true, "type": "module" }\n');
  const version = (name: string): string =>
    (
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  const installed = await timed('readme project install', async () =>
    runIn(project, 'npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      await pack(),
      `testcontainers@${version('testcontainers')}`,
      `vitest@${version('vitest')}`,
    ]),
  );
  expect(installed.code, installed.stderr).toBe(0);
  writeFileSync(join(project, 'lab.container.test.ts'), example ?? '');
  const ran = await timed('readme example', () =>
    runIn(project, process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      timeout: 240_000,
    }),
  );
  expect(ran.stdout + ran.stderr).toMatch(/1 passed/);
  expect(ran.code, ran.stdout + ran.stderr).toBe(0);
}, 300_000);
