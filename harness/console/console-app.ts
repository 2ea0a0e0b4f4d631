/**
 * The console as a fastify app (it never listens itself: start-console.ts does): the page, its style
 * and script, and a small JSON API over the lab — each route one read or one action through the lab's
 * public APIs and `/_lab/` controls (lab-client.ts), plus the timeline as server-sent events.
 *
 * Every route but the sign-in link asks for the lab admin token (console-auth.ts): 401 without it. A
 * change (POST, PUT, DELETE) also needs the header `x-ssf-lab-console: 1`, which no other site's page
 * can send without the browser asking first (and the console never says yes): with the SameSite=Strict
 * cookie, no other page can act through a signed-in browser. Bad input is a 400 with `{error}`; a lab
 * that fails to answer is a 502; nothing answers with a stack trace, and nothing is logged.
 *
 *   GET  /?token=…                 sign in: 303 to / with the session cookie (401 for a wrong token)
 *   GET  /, /console.css, /console.js
 *   GET  /api/fleet?q=             devices (fleet-view.ts)
 *   POST /api/threats              {device, category, severity?} → 201 the threat
 *   DELETE /api/threats/{id}       → 204
 *   GET  /api/streams              streams and Okta's receiver (streams-view.ts)
 *   PUT  /api/streams/{id}/status  {status: enabled|paused|disabled}
 *   PUT  /api/receiver             {up: boolean}
 *   GET  /api/okta?user=<login>    the user's risk, policy, System Log chain, apps (okta-view.ts)
 *   GET  /api/timeline             text/event-stream of hops (timeline-feed.ts)
 *   GET  /api/sets/{seq}           the SET of one exchange, judged
 *   GET  /api/record               the lab's run record so far (`GET /_lab/record`), as a download
 *   GET  /api/runs                 the scenarios one can start, and the runs so far (runs.ts)
 *   POST /api/runs                 {scenario} → 202 the run, going on
 *   GET  /api/runs/{id}/report     its HTML report;  GET /api/runs/{id}/record: its record, as a download
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Timeline } from '../records/index.ts';
import type { ConsoleAuth } from './console-auth.ts';
import { fleetView, raiseThreat, resolveThreat } from './fleet-view.ts';
import { ConsoleError, type LabClient } from './lab-client.ts';
import { oktaView } from './okta-view.ts';
import { CONSOLE_CSS } from './page-css.ts';
import { CONSOLE_HTML, SIGN_IN_HTML } from './page-html.ts';
import { CONSOLE_SCRIPT } from './page-script.ts';
import type { ConsoleRuns } from './runs.ts';
import { setReceiver, setStreamStatus, streamsView } from './streams-view.ts';
import { judgeSet, TimelineFeed } from './timeline-feed.ts';

/** How long one read of the fleet serves the pages asking for it. */
const FLEET_FRESH_MS = 1_000;

/** The header a change must carry (see above). */
export const CHANGE_HEADER = 'x-ssf-lab-console';

/** Nothing but the console's own files and API: no inline script, no other origin, no framing. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ConsoleAppParts {
  readonly auth: ConsoleAuth;
  readonly client: LabClient;
  readonly timeline: Timeline;
  /** The Runs page's scenarios and runs (none: the page says so). */
  readonly runs?: ConsoleRuns;
}

export interface ConsoleApp {
  readonly app: FastifyInstance;
  readonly feed: TimelineFeed;
}

function problem(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error });
}

export async function buildConsoleApp(parts: ConsoleAppParts): Promise<ConsoleApp> {
  const { auth, client, timeline } = parts;
  // Bodies are a few fields at most; no logger: a request line could carry the sign-in token.
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  const feed = new TimelineFeed(timeline);

  app.addHook('onRequest', async (request, reply) => {
    void reply.headers({
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
    });
    const path = request.url.split('?')[0] ?? '/';
    const query = request.query as Record<string, unknown>;
    // The sign-in link is the one way in without a session; its route checks the token itself.
    if (path === '/' && request.method === 'GET' && query.token !== undefined) return;
    if (!auth.allows(request.headers)) {
      void reply.header('www-authenticate', 'Bearer realm="ssf-lab console"');
      if (path.startsWith('/api/'))
        return problem(reply, 401, 'sign in first: the lab admin token is needed');
      return reply.code(401).type('text/html; charset=utf-8').send(SIGN_IN_HTML);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers[CHANGE_HEADER] !== '1')
      return problem(reply, 403, `a change needs the header ${CHANGE_HEADER}: 1`);
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ConsoleError) return problem(reply, error.status, error.message);
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return problem(
        reply,
        status,
        error instanceof SyntaxError || (error as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? 'the body is not valid JSON'
          : String((error as Error).message),
      );
    return problem(reply, 500, 'the console could not answer');
  });
  app.setNotFoundHandler((_request, reply) => problem(reply, 404, 'no such page'));

  app.get('/', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    if (token !== undefined) {
      if (typeof token !== 'string' || !auth.isToken(token))
        return reply.code(401).type('text/html; charset=utf-8').send(SIGN_IN_HTML);
      return reply.code(303).header('set-cookie', auth.signIn()).header('location', '/').send();
    }
    return reply.type('text/html; charset=utf-8').send(CONSOLE_HTML);
  });
  app.get('/console.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(CONSOLE_CSS));
  app.get('/console.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(CONSOLE_SCRIPT),
  );

  // A large fleet is a hundred pages of JSC and Jamf Pro: pages open at once share one read, and a read
  // serves for a second, so an open console stays light on the lab; a change to the fleet forgets it.
  let fleetRead: { q: string; at: number; view: Promise<unknown> } | undefined;
  app.get('/api/fleet', async (request) => {
    const q = (request.query as Record<string, unknown>).q;
    if (q !== undefined && (typeof q !== 'string' || q.length > 200))
      throw new ConsoleError(400, 'q must be text of at most 200 characters');
    const query = typeof q === 'string' ? q : '';
    if (fleetRead === undefined || fleetRead.q !== query || Date.now() - fleetRead.at > FLEET_FRESH_MS) {
      const view = fleetView(client, query);
      fleetRead = { q: query, at: Date.now(), view };
      // A failed read is not kept.
      view.catch(() => {
        if (fleetRead?.view === view) fleetRead = undefined;
      });
    }
    return fleetRead.view;
  });
  app.post('/api/threats', async (request, reply) => {
    fleetRead = undefined;
    return reply.code(201).send(await raiseThreat(client, request.body));
  });
  app.delete('/api/threats/:id', async (request, reply) => {
    fleetRead = undefined;
    await resolveThreat(client, (request.params as { id: string }).id);
    return reply.code(204).send();
  });
  app.get('/api/streams', async () => streamsView(client));
  app.put('/api/streams/:id/status', async (request) =>
    setStreamStatus(client, (request.params as { id: string }).id, request.body),
  );
  app.put('/api/receiver', async (request, reply) => {
    await setReceiver(client, request.body);
    return reply.code(204).send();
  });
  app.get('/api/okta', async (request) => {
    const user = (request.query as Record<string, unknown>).user;
    return oktaView(client, typeof user === 'string' ? user.trim() : '');
  });
  app.get('/api/timeline', async (_request, reply) => {
    reply.hijack();
    if (!feed.follow(reply.raw)) {
      reply.raw.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5' });
      reply.raw.end(JSON.stringify({ error: 'too many pages follow the timeline; close one' }));
    }
  });
  app.get('/api/sets/:seq', async (request) => {
    const seq = Number((request.params as { seq: string }).seq);
    if (!Number.isSafeInteger(seq) || seq < 1)
      throw new ConsoleError(400, 'an exchange number is a positive integer');
    return judgeSet(timeline, client, seq);
  });
  app.get('/api/record', async (_request, reply) => {
    const answer = await client.call(`${client.manifest.okta.url}/_lab/record`);
    if (answer.status !== 200)
      throw new ConsoleError(
        answer.status === 404 ? 404 : 503,
        'this lab keeps no run record yet (ssf-lab serve does, once it is ready)',
      );
    return reply
      .header('content-disposition', 'attachment; filename="ssf-lab-record.json"')
      .type('application/json; charset=utf-8')
      .send(answer.body);
  });
  const runs = parts.runs;
  const runId = (params: unknown): number => {
    const id = Number((params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id < 1)
      throw new ConsoleError(400, 'a run number is a positive integer');
    return id;
  };
  const noRuns = (): never => {
    throw new ConsoleError(404, 'this console runs no scenarios');
  };
  app.get('/api/runs', async () => ({ scenarios: runs?.scenarios() ?? [], runs: runs?.list() ?? [] }));
  app.post('/api/runs', async (request, reply) =>
    reply.code(202).send(await (runs ?? noRuns()).start(request.body)),
  );
  app.get('/api/runs/:id/report', async (request, reply) => {
    const html = (runs ?? noRuns()).report(runId(request.params));
    // The report is a document of its own: its inline style, nothing else, never framed.
    return reply
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
      )
      .type('text/html; charset=utf-8')
      .send(html);
  });
  app.get('/api/runs/:id/record', async (request, reply) => {
    const id = runId(request.params);
    const json = (runs ?? noRuns()).recordJson(id);
    return reply
      .header('content-disposition', `attachment; filename="ssf-lab-run-${id}.json"`)
      .type('application/json; charset=utf-8')
      .send(json);
  });
  await app.ready();
  return { app, feed };
}
