/**
 * A suite context for tests that grade a server on 127.0.0.1: real fetch (recorded), real time, and the
 * harness's own endpoints served on one fixed loopback port — chosen free up front, so a receiver can be
 * told the harness JWKS URL before the plan runs.
 */
import { createServer } from 'node:net';
import { Timeline } from '../../harness/records/index.ts';
import type { SuiteContext } from './context.ts';

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** The context runPlans takes, serving the harness's endpoints on `port`. */
export function loopbackContext(port: number): Omit<SuiteContext, 'intend' | 'defer' | 'progress'> {
  const timeline = new Timeline({ services: new Map() });
  return {
    fetch: timeline.recording(fetch, 'harness'),
    serve: async (_name, app) => {
      await app.listen({ host: '127.0.0.1', port });
      return { url: `http://127.0.0.1:${port}`, detach: () => app.close() };
    },
    timeline,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    signal: new AbortController().signal,
  };
}
