/**
 * The limits on every socket a loopback lab listens on, against real stalled clients on 127.0.0.1:
 * 700 of them — half sent headers, or headers announcing a 1,000,000-byte body that never comes — held
 * against the six services leave every service answering at once and the process's RSS within 50 MB;
 * with short limits set through `listenLimits`, the server itself closes each kind of stalled socket, an
 * idle keep-alive connection, and a connection past the cap. Every lab here is stopped by the test.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HarnessError } from '../kernel/index.ts';
import { LISTEN_LIMITS, listenLimits } from './listen-limits.ts';
import { type Lab, startLab } from './start-lab.ts';

const MiB = 1024 * 1024;

type Stall = 'silent' | 'half-headers' | 'stalled-body' | 'keep-alive-idle';

const OPENINGS: Readonly<Record<Stall, string>> = {
  silent: '',
  // A request line and one header, never the blank line that ends them.
  'half-headers': 'POST /no-such-path HTTP/1.1\r\nhost: 127.0.0.1\r\n',
  // Complete headers announcing a body of 1,000,000 bytes, then 10 of them. On every service an unknown
  // path waits for the whole body before its 404 (a route that refuses at once would not stall).
  'stalled-body':
    'POST /no-such-path HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n{"profile"',
  // A whole request on a keep-alive connection, then nothing.
  'keep-alive-idle': 'GET /no-such-path HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n\r\n',
};

interface Stalled {
  readonly socket: Socket;
  /** Resolves once the socket is closed, with what the server sent and when (ms after opening). */
  readonly closed: Promise<{ received: string; afterMs: number }>;
}

/** A client that connects, sends `kind`'s opening, and then stalls; resolves once its bytes are written. */
function stall(port: number, kind: Stall): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    // A reset by the server is a close too.
    socket.on('error', () => undefined);
    const closed = new Promise<{ received: string; afterMs: number }>((done) =>
      socket.once('close', () => done({ received, afterMs: Date.now() - opened })),
    );
    socket.once('connect', () => {
      const opening = OPENINGS[kind];
      if (opening === '') resolve({ socket, closed });
      else socket.write(opening, () => resolve({ socket, closed }));
    });
    socket.once('error', reject);
  });
}

function portsOf(lab: Lab): number[] {
  return [lab.urls.okta, lab.urls.jamfPro, lab.urls.jamfSecurityCloud, ...Object.values(lab.urls.apps)].map(
    (url) => Number(new URL(url).port),
  );
}

/** A plain request to every service: each must answer (an unknown path: 404) within `ms`. */
async function everyServiceAnswers(lab: Lab, ms: number): Promise<number[]> {
  return Promise.all(
    portsOf(lab).map(async (port) => {
      const answer = await fetch(`http://127.0.0.1:${port}/no-such-path`, {
        signal: AbortSignal.timeout(ms),
      });
      await answer.body?.cancel();
      return answer.status;
    }),
  );
}

function connections(lab: Lab): Promise<number> {
  const servers = [lab.okta.app, lab.jamfPro, lab.jsc.app, ...Object.values(lab.apps).map((a) => a.app)];
  return Promise.all(
    servers.map(
      (app) =>
        new Promise<number>((resolve, reject) =>
          app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
        ),
    ),
  ).then((counts) => counts.reduce((a, b) => a + b, 0));
}

test('the defaults: headers 10 s, request 30 s, keep-alive 5 s, 1024 connections per listener', () => {
  expect(LISTEN_LIMITS).toEqual({
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 1024,
  });
  expect(listenLimits({ headersTimeoutMs: 100 })).toEqual({ ...LISTEN_LIMITS, headersTimeoutMs: 100 });
});

test.each([
  [{ maxConnections: 0 }, 'listen limit maxConnections must be a positive integer, not 0'],
  [{ keepAliveTimeoutMs: 1.5 }, 'listen limit keepAliveTimeoutMs must be a positive integer, not 1.5'],
  [{ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 }, 'must not exceed requestTimeoutMs (1000)'],
])('listenLimits(%j) is refused', (overrides, message) => {
  expect(() => listenLimits(overrides)).toThrow(HarnessError);
  expect(() => listenLimits(overrides)).toThrow(message);
});

test('listenLimits applies to the loopback transport only', async () => {
  await expect(startLab({ listenLimits: { maxConnections: 5 } })).rejects.toThrow(
    'listenLimits applies to the loopback transport only',
  );
});

describe('700 stalled clients against a loopback lab with the default limits', () => {
  let lab: Lab;
  const stalled: Stalled[] = [];

  beforeAll(async () => {
    lab = await startLab({ transport: 'loopback', devices: 2 });
  });

  afterAll(async () => {
    for (const s of stalled) s.socket.destroy();
    await lab?.close();
  });

  test('every service still answers at once, RSS grows by < 50 MB, and stopping drops them all', async () => {
    // Warm up first (each service's first answer compiles its routes), then measure.
    expect(await everyServiceAnswers(lab, 5_000)).toEqual(portsOf(lab).map(() => 404));
    const before = process.memoryUsage().rss;
    const held = await connections(lab);

    const ports = portsOf(lab);
    const opened = await Promise.all(
      Array.from({ length: 700 }, (_, i) =>
        stall(ports[i % ports.length] as number, i % 2 === 0 ? 'half-headers' : 'stalled-body'),
      ),
    );
    stalled.push(...opened);
    // The server holds every one of them (the stall is real), and none has been answered.
    await expect.poll(() => connections(lab), { timeout: 5_000 }).toBeGreaterThanOrEqual(held + 700);

    const asked = Date.now();
    expect(await everyServiceAnswers(lab, 2_000)).toEqual(ports.map(() => 404));
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * MiB);

    // The stop destroys every held connection, half-sent requests included, without waiting for them.
    const stopping = Date.now();
    await lab.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    const outcomes = await Promise.all(opened.map((s) => s.closed));
    expect(outcomes.every((o) => o.received === '')).toBe(true);
  });
});

describe('short limits set through listenLimits', () => {
  let lab: Lab;
  const limits = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 6 };

  beforeAll(async () => {
    lab = await startLab({ transport: 'loopback', devices: 2, listenLimits: limits });
  });

  afterAll(async () => {
    await lab?.close();
  });

  test('the server closes each kind of stalled socket once its deadline passes, with a 408', async () => {
    const ports = portsOf(lab);
    const kinds = ['silent', 'half-headers', 'stalled-body'] as const;
    const opened = await Promise.all(
      ports.flatMap((port) => kinds.map(async (kind) => ({ kind, ...(await stall(port, kind)) }))),
    );
    for (const { kind, closed } of opened) {
      const { received, afterMs } = await closed;
      expect({ kind, status: received.split('\r\n')[0] }).toEqual({
        kind,
        status: 'HTTP/1.1 408 Request Timeout',
      });
      // Cut within its deadline plus Node's check interval (a quarter of the headers deadline) and slack.
      expect(afterMs).toBeGreaterThanOrEqual(kind === 'stalled-body' ? limits.requestTimeoutMs - 50 : 250);
      expect(afterMs).toBeLessThan(3_000);
    }
    expect(await everyServiceAnswers(lab, 2_000)).toEqual(ports.map(() => 404));
  });

  test('an idle keep-alive connection is closed after its answer', async () => {
    const idle = await stall(Number(new URL(lab.urls.okta).port), 'keep-alive-idle');
    const { received, afterMs } = await idle.closed;
    expect(received.startsWith('HTTP/1.1 404')).toBe(true);
    // Node closes it a little after keepAliveTimeout (it adds a margin for clients' own timers).
    expect(afterMs).toBeLessThan(3_000);
  });

  test('past the connection cap a new connection is closed as it arrives, and the service recovers', async () => {
    const port = Number(new URL(lab.urls.jamfPro).port);
    const full = await Promise.all(
      Array.from({ length: limits.maxConnections }, () => stall(port, 'silent')),
    );
    await expect
      .poll(
        () =>
          new Promise<number>((resolve) => lab.jamfPro.server.getConnections((_e, count) => resolve(count))),
        { timeout: 2_000 },
      )
      .toBe(limits.maxConnections);
    const extra = await stall(port, 'silent');
    const refused = await extra.closed;
    // Closed by the cap, before any deadline and with nothing sent.
    expect(refused.received).toBe('');
    expect(refused.afterMs).toBeLessThan(limits.headersTimeoutMs);
    // The held ones time out (408), and then the service answers again.
    for (const s of full) expect((await s.closed).received.startsWith('HTTP/1.1 408')).toBe(true);
    const answer = await fetch(`${lab.urls.jamfPro}/no-such-path`, { signal: AbortSignal.timeout(2_000) });
    expect(answer.status).toBe(404);
    await answer.body?.cancel();
  });
});
