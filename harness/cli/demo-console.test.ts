/**
 * `ssf-lab demo --console`: the sign-in link printed first, the threat scenarios run against one lab
 * with its console beside it, both kept up until the stop signal, then closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { capturingIo, cli } from './cli.testing.ts';
import { main } from './main.ts';

const out = mkdtempSync(join(tmpdir(), 'ssf-lab-demo-console-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

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

test('demo --console prints the sign-in link, runs the threat scenarios and serves the console until stopped', async () => {
  const { io, stdout } = capturingIo();
  const controller = new AbortController();
  const done = main(['demo', '--console', '--out', out], { ...io, stopSignal: () => controller.signal });
  const deadline = Date.now() + 30_000;
  while (!stdout().includes('stay up at')) {
    if (Date.now() > deadline) throw new Error(`the demo did not finish its scenarios: ${stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const link = /^Console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(stdout())?.[1] ?? '';
  expect(link).not.toBe('');
  expect(stdout()).toContain('2 of 2 scenario(s) passed.');
  expect(stdout()).not.toContain('Seed configuration');
  const url = new URL(link);
  expect((await fetch(new URL('/api/fleet', url.origin))).status).toBe(401);
  const signIn = await fetch(link, { redirect: 'manual' });
  expect(signIn.status).toBe(303);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const streams = await fetch(new URL('/api/streams', url.origin), { headers: { cookie } });
  expect(
    ((await streams.json()) as { streams: { counts: { delivered?: number } }[] }).streams[0]?.counts
      .delivered,
  ).toBeGreaterThan(0);

  controller.abort('SIGINT');
  expect(await done).toBe(0);
  expect(await listening(Number(url.port))).toBe(false);
}, 45_000);

test('--console refuses --target and --transport; --console-port needs --console', async () => {
  const both = await cli(['demo', '--console', '--transport', 'loopback']);
  expect(both.code).toBe(2);
  expect(both.stderr).toContain('--console runs its own loopback lab');
  const port = await cli(['demo', '--console-port', '4500']);
  expect(port.code).toBe(2);
  expect(port.stderr).toContain('--console-port goes with --console');
});
