/**
 * The lab-wide controls, answered under `/_lab/` on every service's origin (in-process) and port
 * (loopback, `ssf-lab serve`), so a client that holds only the manifest can drive the lab as the scenario
 * runner does:
 *
 * - `GET /_lab/faults` — which services are down (or answering an error) for the lab's own callers;
 * - `PUT /_lab/faults/{service}` `{ "path"?, "status"?, "retryAfterSeconds"? }` — take one down;
 * - `DELETE /_lab/faults/{service}` — bring it back;
 * - `GET /_lab/timeline?cursor=N&limit=M` — the exchanges between the services (redacted, SETs decoded),
 *   in the order they completed, from a cursor: `{ exchanges, cursor, missed, realNowMs }`;
 * - `GET /_lab/deviations` — every rule a service can be told to break, and which are on:
 *   `{ active: [name…], known: { name: { service, description } } }`;
 * - `PUT /_lab/deviations/{name}` — switch one on; `DELETE /_lab/deviations/{name}` — off again
 *   (docs/self-test.md: the checks each one makes fail);
 * - `GET /_lab/record` — the run record of the lab so far (a certification record, `ssf-lab report --from`
 *   renders it), where whoever started the lab gave it a way to make one (`ssf-lab serve` does); else 404.
 *
 * They belong to the lab, not to any vendor's API: a service's own `/_lab/` routes describe that service,
 * these describe the lab. Faults act on the services' calls to each other (what a receiver outage means),
 * never on a client outside the lab, and never on these controls.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type Deviations, HarnessError } from '../kernel/index.ts';
import type { Timeline } from '../records/index.ts';
import { useRouteSchemas } from '../ssf/index.ts';
import { deviationService } from './deviations.ts';
import type { Fault, Faults } from './faults.ts';
import { MAX_TIMELINE_LIMIT, refusalMessage, LAB_CONTROL_SCHEMAS as S } from './lab-control-schemas.ts';

/** The paths these controls answer; everything else on an origin is the service's own. */
export function isLabControl(path: string): boolean {
  return (
    path === '/_lab/faults' ||
    path.startsWith('/_lab/faults/') ||
    path === '/_lab/timeline' ||
    path === '/_lab/deviations' ||
    path.startsWith('/_lab/deviations/') ||
    path === '/_lab/record'
  );
}

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = MAX_TIMELINE_LIMIT;

function problem(status: number, message: string): { status: number; body: { error: string } } {
  return { status, body: { error: message } };
}

function faultFrom(body: unknown): Fault | string {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  const unknownKey = Object.keys(b).find((k) => !['path', 'status', 'retryAfterSeconds'].includes(k));
  if (unknownKey !== undefined)
    return `unknown member "${unknownKey}" (a fault has path, status and retryAfterSeconds)`;
  if (b.path !== undefined && (typeof b.path !== 'string' || !b.path.startsWith('/')))
    return '"path" must be a path starting with /';
  if (
    b.status !== undefined &&
    (!Number.isInteger(b.status) || (b.status as number) < 400 || (b.status as number) > 599)
  )
    return '"status" must be an HTTP error status (400-599)';
  if (
    b.retryAfterSeconds !== undefined &&
    (!Number.isInteger(b.retryAfterSeconds) || (b.retryAfterSeconds as number) < 0)
  )
    return '"retryAfterSeconds" must be a non-negative integer';
  return {
    ...(b.path === undefined ? {} : { pathPrefix: b.path as string }),
    ...(b.status === undefined ? {} : { status: b.status as number }),
    ...(b.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: b.retryAfterSeconds as number }),
  };
}

/** The faults as the controls show them (`path`, the name a client sends, rather than `pathPrefix`). */
function faultsView(faults: Faults): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(faults.active()).map(([service, f]) => [
      service,
      {
        ...(f.pathPrefix === undefined ? {} : { path: f.pathPrefix }),
        ...(f.status === undefined ? {} : { status: f.status }),
        ...(f.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: f.retryAfterSeconds }),
      },
    ]),
  );
}

/** The controls as a fastify app (never listening itself: the lab hands it requests for its paths). */
export async function buildLabControls(parts: {
  readonly faults: Faults;
  readonly timeline: Timeline;
  readonly deviations: Deviations;
  /**
   * Makes the lab's run record so far (`GET /_lab/record`); undefined until there is one to make (serve
   * gives it once the lab is configured). The lab cannot make it itself: the record is read through the
   * manifest and the vendors' APIs, by the runner, which sits above the lab.
   */
  readonly record?: () => (() => Promise<unknown>) | undefined;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // Every control declares its schemas (lab-control-schemas.ts).
  useRouteSchemas(app);
  const { faults, timeline, deviations } = parts;
  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const refused = refusalMessage(error as FastifyError);
    const answer =
      refused !== undefined
        ? problem(400, refused)
        : status >= 400 && status < 500
          ? problem(
              status,
              error instanceof SyntaxError || !(error instanceof Error)
                ? 'the body is not valid JSON'
                : error.message,
            )
          : problem(500, 'the lab could not answer');
    void reply.code(answer.status).send(answer.body);
  });

  app.get('/_lab/faults', { schema: S.readFaults }, async () => ({ faults: faultsView(faults) }));
  app.put('/_lab/faults/:service', { schema: S.takeDown }, async (request, reply) => {
    const { service } = request.params as { service: string };
    const fault = faultFrom(request.body);
    if (typeof fault === 'string') return reply.code(400).send(problem(400, fault).body);
    try {
      faults.down(service, fault);
    } catch (error) {
      if (error instanceof HarnessError) return reply.code(404).send(problem(404, error.message).body);
      throw error;
    }
    return { faults: faultsView(faults) };
  });
  app.delete('/_lab/faults/:service', { schema: S.bringUp }, async (request, reply) => {
    const { service } = request.params as { service: string };
    try {
      faults.up(service);
    } catch (error) {
      if (error instanceof HarnessError) return reply.code(404).send(problem(404, error.message).body);
      throw error;
    }
    return reply.code(204).send();
  });
  const deviationsView = (): Record<string, unknown> => ({
    active: deviations.active(),
    known: Object.fromEntries(
      Object.entries(deviations.known()).map(([name, description]) => [
        name,
        { service: deviationService(name), description },
      ]),
    ),
  });
  app.get('/_lab/deviations', { schema: S.readDeviations }, async () => deviationsView());
  for (const [method, on] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/_lab/deviations/:name',
      schema: on ? S.switchOn : S.switchOff,
      handler: async (request, reply) => {
        const { name } = request.params as { name: string };
        try {
          if (on) deviations.enable(name);
          else deviations.disable(name);
        } catch (error) {
          if (error instanceof HarnessError) return reply.code(404).send(problem(404, error.message).body);
          throw error;
        }
        return { active: deviations.active() };
      },
    });
  }
  app.get('/_lab/timeline', { schema: S.timeline }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const cursor = q.cursor === undefined ? 0 : Number(q.cursor);
    const limit = q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit);
    if (!Number.isSafeInteger(cursor) || cursor < 0)
      return reply.code(400).send(problem(400, 'cursor must be a non-negative integer').body);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return reply.code(400).send(problem(400, `limit must be an integer from 1 to ${MAX_LIMIT}`).body);
    const page = timeline.completedSince(cursor, limit);
    return { ...page, realNowMs: timeline.realNowMs() };
  });
  app.get('/_lab/record', { schema: S.record }, async (_request, reply) => {
    if (parts.record === undefined)
      return reply
        .code(404)
        .send(
          problem(404, 'this lab keeps no run record (ssf-lab serve does; a scenario run writes its own)')
            .body,
        );
    const make = parts.record();
    if (make === undefined)
      return reply
        .code(503)
        .send(problem(503, 'the lab is still being set up; ask again once it is ready').body);
    return make();
  });
  await app.ready();
  return app;
}
