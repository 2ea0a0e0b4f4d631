/**
 * Delegated flows, what an entity risk rule's `RUN_WORKFLOW` action runs (`{"action": "RUN_WORKFLOW",
 * "workflow": {"id": <integer>}}`). They live in Okta Workflows, outside the org's published API, so the lab
 * registers each one — its id and the URL that stands for it — at `PUT /_lab/workflows/{workflowId}`, and
 * running one is a `POST` of JSON to that URL through the org's `fetch`. The body follows the inputs of
 * Okta's "Delegated Flow" event card — the Okta user id in `userContext`, and `context.caller` for the Okta
 * product that called it — with the risk change in the caller object (../README.md, "Delegated flows"). A 2xx
 * answer is a run; anything else, a timeout or a network error is a failure with its reason. No retries.
 */
import { BODY_CAPS, discardBody } from '../../../harness/kernel/index.ts';
import { isObject } from '../apps/app-settings.ts';
import type { OktaContext } from '../core/context.ts';
import { notFound, validationFailed } from '../core/errors.ts';
import type { OktaOrg } from '../core/org.ts';
import { queryOf } from '../core/pagination.ts';
import {
  arrayOf,
  INSTANT,
  NO_CONTENT,
  object,
  oktaRoute,
  pathParams,
  queryParams,
  STRING,
} from '../core/route-schemas.ts';
import type { RiskChange } from './itp-hub.ts';

export const DEFAULT_WORKFLOW_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 60_000;
/** Runs kept for `/_lab/workflows/runs` (oldest dropped first). */
export const WORKFLOW_RUN_CAP = 1000;
const MAX_FLOWS = 1000;

export interface DelegatedFlow {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly registeredAt: number;
}

export interface WorkflowRun {
  readonly seq: number;
  readonly at: string;
  readonly traceId: string;
  readonly userId: string;
  readonly workflowId: number;
  readonly status: number | null;
  readonly outcome: 'SUCCESS' | 'FAILURE';
  readonly reason: string | null;
}

export interface FlowCaller {
  readonly policy: { readonly id: string; readonly name: string };
  readonly rule: { readonly id: string; readonly name: string };
  readonly user: {
    readonly id: string;
    readonly login: string;
    readonly email: string;
    readonly displayName: string;
  };
  readonly change: RiskChange;
}

export class Workflows {
  readonly #org: OktaOrg;
  readonly #flows = new Map<number, DelegatedFlow>();
  readonly #runs: WorkflowRun[] = [];
  #seq = 0;

  constructor(org: OktaOrg) {
    this.#org = org;
  }

  register(id: number, body: unknown): DelegatedFlow {
    if (!isObject(body)) throw validationFailed('body', 'body: must be {"url": …, "name"?: …}');
    const causes: string[] = [];
    let url: URL | undefined;
    try {
      // A path (`/workflows/api/flo/…/invoke`, the lab's Workflows stand-in) is on the org's own origin,
      // so a scenario names the stand-in the same way whichever transport or port the lab has.
      url =
        typeof body.url !== 'string'
          ? undefined
          : body.url.startsWith('/') && !body.url.startsWith('//')
            ? new URL(body.url, this.#org.url)
            : new URL(body.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      causes.push('url: the delegated flow URL must be an absolute http(s) URL or a path on the org');
    const name = body.name ?? `Delegated flow ${id}`;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
      causes.push('name: 1 to 255 characters');
    const timeout = body.timeoutMs ?? DEFAULT_WORKFLOW_TIMEOUT_MS;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS)
      causes.push(`timeoutMs: an integer from 1 to ${MAX_TIMEOUT_MS}`);
    if (!this.#flows.has(id) && this.#flows.size >= MAX_FLOWS)
      causes.push(`id: the lab keeps at most ${MAX_FLOWS} delegated flows`);
    const [first] = causes;
    if (first !== undefined) throw validationFailed(first.split(':')[0] ?? 'body', ...causes);
    const flow: DelegatedFlow = {
      id,
      name: name as string,
      url: String(body.url).startsWith('/') ? String(url) : String(body.url),
      timeoutMs: timeout as number,
      registeredAt: this.#org.now(),
    };
    this.#flows.set(id, flow);
    return flow;
  }

  flow(id: number): DelegatedFlow | undefined {
    return this.#flows.get(id);
  }

  flows(): readonly DelegatedFlow[] {
    return [...this.#flows.values()].sort((a, b) => a.id - b.id);
  }

  remove(id: number): boolean {
    return this.#flows.delete(id);
  }

  /** Runs the flow; never throws, the outcome is in the run. */
  async run(workflowId: number, caller: FlowCaller): Promise<WorkflowRun> {
    const org = this.#org;
    const record = (status: number | null, reason: string | null): WorkflowRun => {
      this.#seq += 1;
      const run: WorkflowRun = {
        seq: this.#seq,
        at: new Date(org.now()).toISOString(),
        traceId: caller.change.traceId,
        userId: caller.user.id,
        workflowId,
        status,
        outcome: reason === null ? 'SUCCESS' : 'FAILURE',
        reason,
      };
      this.#runs.push(run);
      if (this.#runs.length > WORKFLOW_RUN_CAP) this.#runs.shift();
      return run;
    };
    const flow = this.#flows.get(workflowId);
    if (!flow)
      return record(
        null,
        `no delegated flow ${workflowId} is registered (PUT /_lab/workflows/${workflowId})`,
      );
    const { change } = caller;
    try {
      const response = await org.fetch(flow.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          userContext: { oktaUserId: caller.user.id },
          context: {
            caller: {
              type: 'ENTITY_RISK_POLICY',
              policy: caller.policy,
              rule: caller.rule,
              user: caller.user,
              risk: {
                level: change.current,
                previousLevel: change.previous,
                detection: change.detection,
                ...(change.reason === undefined ? {} : { reason: change.reason }),
                ...(change.provider === undefined
                  ? {}
                  : {
                      provider: {
                        id: change.provider.id,
                        name: change.provider.name,
                        issuer: change.provider.issuer,
                      },
                    }),
              },
              traceId: change.traceId,
              detectedAt: new Date(change.at).toISOString(),
            },
          },
        }),
        redirect: 'manual',
        signal: AbortSignal.timeout(flow.timeoutMs),
      });
      // Only the status matters; a body past BODY_CAPS.logoutAnswer is cancelled unread.
      await discardBody(response, BODY_CAPS.logoutAnswer);
      if (response.status >= 200 && response.status < 300) return record(response.status, null);
      return record(response.status, `the delegated flow answered HTTP ${response.status}`);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError')
        return record(null, `no answer within ${flow.timeoutMs} ms`);
      const message = error instanceof Error ? error.message : String(error);
      return record(null, `network error: ${message}`.slice(0, 300));
    }
  }

  runs(filter: { traceId?: string; workflowId?: number } = {}): readonly WorkflowRun[] {
    return this.#runs.filter(
      (r) =>
        (filter.traceId === undefined || r.traceId === filter.traceId) &&
        (filter.workflowId === undefined || r.workflowId === filter.workflowId),
    );
  }
}

const flowView = (flow: DelegatedFlow): Record<string, unknown> => ({
  id: flow.id,
  name: flow.name,
  url: flow.url,
  timeoutMs: flow.timeoutMs,
  registeredAt: new Date(flow.registeredAt).toISOString(),
});

function workflowIdOf(params: unknown): number {
  const raw = String((params as Record<string, string>).workflowId ?? '');
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id < 1)
    throw validationFailed(
      'workflowId',
      `workflowId: a delegated flow id is a positive integer, not ${JSON.stringify(raw)}`,
    );
  return id;
}

const FLOW = object(
  {
    id: { type: 'integer' },
    name: STRING,
    url: { type: 'string', format: 'uri' },
    timeoutMs: { type: 'integer' },
    registeredAt: INSTANT,
  },
  ['id', 'name', 'url', 'timeoutMs', 'registeredAt'],
);
/** A delegated flow's id: a positive integer (the handler words the refusal). */
const FLOW_PARAMS = pathParams('workflowId');

/** Lab routes: register, read and remove delegated flows; list their runs. */
export function workflowRoutes(ctx: OktaContext, flows: Workflows): void {
  const { router } = ctx;
  router.route(
    {
      operationId: 'lab: list delegated flows',
      method: 'GET',
      path: '/_lab/workflows',
      spec: 'none',
      schema: oktaRoute({ response: { 200: arrayOf(FLOW) } }),
    },
    async () => flows.flows().map(flowView),
  );
  router.route(
    {
      operationId: 'lab: list delegated flow runs',
      method: 'GET',
      path: '/_lab/workflows/runs',
      spec: 'none',
      schema: oktaRoute({
        querystring: queryParams('traceId'),
        response: {
          200: arrayOf(
            object(
              {
                seq: { type: 'integer' },
                at: INSTANT,
                traceId: STRING,
                userId: STRING,
                workflowId: { type: 'integer' },
                status: { type: ['integer', 'null'] },
                outcome: { enum: ['SUCCESS', 'FAILURE'] },
                reason: { type: ['string', 'null'] },
              },
              ['seq', 'at', 'traceId', 'userId', 'workflowId', 'status', 'outcome', 'reason'],
            ),
          ),
        },
      }),
    },
    async (request) => {
      const query = queryOf(request);
      const traceId = query.get('traceId');
      return flows.runs(traceId === null ? {} : { traceId });
    },
  );
  router.route(
    {
      operationId: 'lab: register a delegated flow',
      method: 'PUT',
      path: '/_lab/workflows/{workflowId}',
      spec: 'none',
      schema: oktaRoute({
        params: FLOW_PARAMS,
        body: object({ url: STRING, name: STRING, timeoutMs: { type: 'integer' } }),
        response: { 200: FLOW },
      }),
    },
    async (request) => flowView(flows.register(workflowIdOf(request.params), request.body)),
  );
  router.route(
    {
      operationId: 'lab: get a delegated flow',
      method: 'GET',
      path: '/_lab/workflows/{workflowId}',
      spec: 'none',
      schema: oktaRoute({ params: FLOW_PARAMS, response: { 200: FLOW } }),
    },
    async (request) => {
      const id = workflowIdOf(request.params);
      const flow = flows.flow(id);
      if (!flow) throw notFound(String(id), 'Flow');
      return flowView(flow);
    },
  );
  router.route(
    {
      operationId: 'lab: remove a delegated flow',
      method: 'DELETE',
      path: '/_lab/workflows/{workflowId}',
      spec: 'none',
      schema: oktaRoute({ params: FLOW_PARAMS, response: { 204: NO_CONTENT } }),
    },
    async (request, reply) => {
      const id = workflowIdOf(request.params);
      if (!flows.remove(id)) throw notFound(String(id), 'Flow');
      return reply.code(204).send();
    },
  );
}
