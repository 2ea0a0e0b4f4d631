/**
 * Limits on every socket the lab listens on — the six services of a loopback lab, the harness endpoints
 * it attaches (the reference receiver, a plan's JWKS), the endpoints `ssf-lab certify` serves — and how
 * such a listener is closed at once.
 *
 * Without them one client could hold a service for ever: Node waits 60 s for headers and has no body
 * deadline under fastify (its `requestTimeout` is 0), keeps an idle keep-alive socket 72 s, checks those
 * deadlines only every 30 s, and accepts connections until the process runs out of file descriptors —
 * so a few hundred half-sent requests locked every service out, and one stalled body held a stop.
 */
import type { Server } from 'node:http';
import { HarnessError } from '../kernel/index.ts';

export interface ListenLimits {
  /** From a request's first byte (or a connection's opening) to the end of its headers. */
  readonly headersTimeoutMs: number;
  /** From a request's first byte to the end of its body. A finished request may take as long as it needs to answer (long polls). */
  readonly requestTimeoutMs: number;
  /** How long a keep-alive connection may sit idle between two requests. */
  readonly keepAliveTimeoutMs: number;
  /** Connections one listener holds at once; past it a new connection is closed as it arrives. */
  readonly maxConnections: number;
}

/**
 * The defaults, each far beyond what a real client needs — an SSF push, a JWKS fetch, a browser — and
 * far below what lets stalled clients pile up: a stalled socket is destroyed (after a 408 when nothing
 * was answered yet) once its deadline passes, within one check interval (below). 1024 connections per
 * service keeps the whole lab (six services) under a common 8192 file-descriptor limit.
 */
export const LISTEN_LIMITS: ListenLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
});

/** `LISTEN_LIMITS` with `overrides`, checked: every value a positive integer, headers due no later than the body. */
export function listenLimits(overrides: Partial<ListenLimits> = {}): ListenLimits {
  const limits = { ...LISTEN_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits))
    if (!Number.isSafeInteger(value) || value < 1)
      throw new HarnessError(
        'ERR_USAGE',
        `listen limit ${name} must be a positive integer, not ${JSON.stringify(value)}`,
      );
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new HarnessError(
      'ERR_USAGE',
      `listen limit headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`,
    );
  return limits;
}

/**
 * How often Node looks for requests past their headers or request deadline: a quarter of the shorter
 * one, at most once a second (Node's own default is every 30 s, which would triple a 10 s deadline).
 */
function checkIntervalMs(limits: ListenLimits): number {
  return Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)));
}

/**
 * Applies `limits` to `server`; call it before the server listens. The mocks build their own fastify
 * apps (and may not import the lab), so the limits are set on each app's node server here rather than as
 * fastify options — they are the same settings (`requestTimeout`, `keepAliveTimeout`) underneath.
 */
export function limitListener(server: Server, limits: ListenLimits = LISTEN_LIMITS): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node reads the check interval when the server starts listening (it is otherwise only a
  // createServer option, which fastify does not pass through): set before listen(), it takes effect.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    checkIntervalMs(limits);
}

/**
 * Makes `server` stop accepting connections and destroys every one it holds — idle, busy, or a request
 * still half sent — at once. fastify's close waits for busy connections, so one client stalling its body
 * would otherwise hold a stop until its deadline; call this first, then close the app as usual (its close
 * of the server then only waits for the sockets being destroyed).
 */
export function stopListening(server: Server): void {
  if (!server.listening) return;
  // Not listening first, so no connection can arrive after the sweep.
  server.close();
  server.closeAllConnections();
}
