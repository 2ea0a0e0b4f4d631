/**
 * The first SIGTERM stops a real `ssf-lab serve` (the built bin, a child process on 127.0.0.1) within
 * 5 s with exit 0, although a client is stalled mid-body on one of its ports, its transmitter has a
 * push in flight to a receiver that never answers, and Okta is fetching a JWKS from that same blackhole: the push is recorded as dropped (lab-stopped) and
 * counted on stderr, and nothing is left pending for the bin's last-resort exit to cut. `npm test` builds dist/ before vitest runs; without a build this is skipped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { type LabManifest, LISTEN_LIMITS } from '../lab/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { SERVE_HELP, STOP_DEADLINE_MS } from './serve-command.ts';

const BIN = fileURLToPath(new URL('../../dist/harness/cli/bin.js', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP server that takes every connection and never answers: what it was sent, and when each closed. */
async function blackhole(): Promise<{ url: string; received: () => string; allClosed: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const closed: Promise<void>[] = [];
  let received = '';
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    allClosed: async () => {
      await Promise.all(closed);
    },
  };
}

/** `ssf-lab serve` as a child process, up to its manifest. */
async function serve(): Promise<{
  child: ChildProcess;
  manifest: LabManifest;
  stderr: () => string;
  exited: Promise<number | null>;
}> {
  const child = spawn(process.execPath, [BIN, 'serve', '--devices', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (!child.stdout) throw new Error('no stdout');
  const first = await Promise.race([
    new Promise<string>((resolve) =>
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve),
    ),
    exited.then((code) => Promise.reject(new Error(`exited ${code} before the manifest: ${stderr}`))),
  ]);
  const manifest = JSON.parse(first) as LabManifest;
  // serve is on https by default: this client trusts the CA its manifest names, and nothing less.
  labFetch = createHttpFetch({ ca: manifest.tls?.caCert ?? '' });
  return { child, manifest, stderr: () => stderr, exited };
}

/** Reaches the served lab (set by serve()). */
let labFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

async function json(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await labFetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await answer.text();
  return { status: answer.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

test.skipIf(!existsSync(BIN))(
  'the first SIGTERM ends serve within 5 s, exit 0, with a stalled client and a push in flight to a blackhole',
  async () => {
    const receiver = await blackhole();
    const { child, manifest, stderr, exited } = await serve();
    const jsc = manifest.jamfSecurityCloud;

    // A push stream to the blackhole, as the manifest's own receiver, and a verification SET pushed on it.
    const metadata = (await (await labFetch(jsc.wellKnownUrl)).json()) as Record<string, string>;
    const stream = await json(String(metadata.configuration_endpoint), jsc.streamToken, {
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: `${receiver.url}/events` },
    });
    expect(stream.status).toBe(201);
    const verify = await json(String(metadata.verification_endpoint), jsc.streamToken, {
      stream_id: stream.body.stream_id,
    });
    expect(verify.status).toBe(204);
    // The push is in flight: the blackhole has its request and will never answer.
    await expect.poll(() => receiver.received(), { timeout: 5_000 }).toContain('POST /events');

    // An outbound call of Okta's in flight to the blackhole: registering a security events provider makes
    // Okta fetch its JWKS before it answers (the transmitter aborts its own pushes; this call only the
    // lab's stop can abort).
    const registering = labFetch(`${manifest.okta.url}/api/v1/security-events-providers`, {
      method: 'POST',
      headers: { authorization: `SSWS ${manifest.okta.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Blackhole provider',
        type: 'Jamf',
        settings: { issuer: 'https://blackhole.example', jwks_url: `${receiver.url}/jwks` },
      }),
    }).catch(() => undefined);
    await expect.poll(() => receiver.received(), { timeout: 5_000 }).toContain('GET /jwks');

    // A client stalled mid-body on Okta's port (over TLS): headers announcing 1,000,000 bytes, then 10.
    const stalled = tlsConnect({
      host: '127.0.0.1',
      port: Number(new URL(manifest.okta.url).port),
      ca: manifest.tls?.caCert ?? '',
    });
    stalled.on('error', () => undefined);
    const stalledClosed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    await new Promise((resolve) => stalled.once('secureConnect', resolve));
    await new Promise<void>((resolve) =>
      stalled.write(
        'POST /no-such-path HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n{"profile"',
        () => resolve(),
      ),
    );

    const sent = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(5_000);

    const log = stderr();
    expect(log).toContain('ssf-lab serve: stopping the lab (SIGTERM)');
    expect(log).toMatch(
      /ssf-lab serve: 1 SET the transmitter still held .* recorded as dropped \(lab-stopped\)\n/,
    );
    expect(log).toMatch(/ssf-lab serve: the lab is stopped\n$/);
    // It stopped in time, with nothing pending: neither the deadline nor the bin's last resort acted.
    expect(log).not.toContain('ending anyway');
    expect(log).not.toContain('still pending');
    // The stalled client's connection and the push to the blackhole are gone (the abort above is what
    // let the process end by itself: a socket still open would have held it until the bin's last resort).
    await stalledClosed;
    await receiver.allClosed();
    await registering;
  },
  15_000,
);

test('serve --help states the limits, the stop and its deadline, and the exit codes of both signals', () => {
  const help = SERVE_HELP.replace(/\s+/g, ' ');
  expect(LISTEN_LIMITS).toMatchObject({
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
  });
  expect(help).toContain('takes over 10 s to send its request headers or 30 s to send a whole request (408');
  expect(help).toContain('a keep-alive connection idle for 5 s, and holds at most 1024 connections');
  expect(STOP_DEADLINE_MS).toBe(3_000);
  expect(help).toContain('records the SETs the transmitter still held as dropped (reason lab-stopped');
  expect(help).toContain(
    'after 3 s serve ends anyway, with a note on stderr. Either way the exit code is 0.',
  );
  expect(help).toContain('a second one ends it at once (exit 130 after Ctrl-C, 143 after SIGTERM)');
});
