/**
 * The lab's stand-in for Okta Workflows: an endpoint a delegated flow can be registered at
 * (`PUT /_lab/workflows/{id} {"url": "/workflows/api/flo/{key}/invoke"}`) so that a RUN_WORKFLOW rule runs
 * without any server outside the lab, and a record of what it received.
 *
 * Real Okta Workflows is a host of its own (`{org}.workflows.okta.com`, whose invoke URLs end in
 * `/api/flo/{flowKey}/invoke`). The lab hosts the stand-in on the org's origin under `/workflows`, so it is
 * there in every lab, on both transports, with no new origin, port or manifest entry. Its path is outside
 * `/_lab/` on purpose: the org calls it with no credentials (the lab admin token guards `/_lab/`), and the
 * lab's faults act on it (`PUT /_lab/faults/okta {"path": "/workflows/", "status": 500}` makes the flow
 * answer 500, which is how a scenario shows a failed run). What it received is read at
 * `GET /_lab/workflows/invocations` (lab admin token).
 *
 * The bodies are the org's own (user id, login, email, the risk change): no secret is in them, so they are
 * kept as received — at most STAND_IN_BODY_MAX bytes each, the last STAND_IN_INVOCATION_CAP of them.
 */
import type { OktaContext } from '../core/context.ts';
import { malformedBody, OktaError, validationFailed } from '../core/errors.ts';
import { arrayOf, INSTANT, object, oktaRoute, pathParams, STRING } from '../core/route-schemas.ts';

/** Where the stand-in answers; a flow's URL is `${org}${WORKFLOWS_STAND_IN_PATH}/{flowKey}/invoke`. */
export const WORKFLOWS_STAND_IN_PATH = '/workflows/api/flo';
/** Invocations kept for `/_lab/workflows/invocations` (oldest dropped first). */
export const STAND_IN_INVOCATION_CAP = 100;
/** The largest body the stand-in keeps (the org's bodies are about 1 KiB). */
export const STAND_IN_BODY_MAX = 16 * 1024;

export interface StandInInvocation {
  readonly seq: number;
  readonly at: string;
  readonly flowKey: string;
  /** `userContext.oktaUserId` of the body, where the org puts the user a delegated flow runs for. */
  readonly oktaUserId: string | null;
  readonly body: Record<string, unknown>;
}

export class WorkflowsStandIn {
  readonly #now: () => number;
  readonly #invocations: StandInInvocation[] = [];
  #seq = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  receive(flowKey: string, body: Record<string, unknown>): StandInInvocation {
    this.#seq += 1;
    const context = body.userContext;
    const userId =
      typeof context === 'object' && context !== null
        ? (context as Record<string, unknown>).oktaUserId
        : undefined;
    const invocation: StandInInvocation = {
      seq: this.#seq,
      at: new Date(this.#now()).toISOString(),
      flowKey,
      oktaUserId: typeof userId === 'string' ? userId : null,
      body,
    };
    this.#invocations.push(invocation);
    if (this.#invocations.length > STAND_IN_INVOCATION_CAP) this.#invocations.shift();
    return invocation;
  }

  /** Every invocation received (`total`) and the last ones kept, oldest first. */
  view(): { total: number; kept: number; invocations: readonly StandInInvocation[] } {
    return { total: this.#seq, kept: this.#invocations.length, invocations: [...this.#invocations] };
  }
}

function flowKeyOf(params: unknown): string {
  const raw = String((params as Record<string, string>).flowKey ?? '');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw))
    throw validationFailed(
      'flowKey',
      `flowKey: 1 to 64 letters, digits, "-" or "_", not ${JSON.stringify(raw.slice(0, 70))}`,
    );
  return raw;
}

/** The body the stand-in keeps: a JSON object of at most STAND_IN_BODY_MAX bytes. */
function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody();
  if (Buffer.byteLength(JSON.stringify(body)) > STAND_IN_BODY_MAX)
    throw new OktaError(413, 'E0000001', 'Api validation failed: body', [
      `body: the Workflows stand-in keeps bodies of at most ${STAND_IN_BODY_MAX} bytes`,
    ]);
  return body as Record<string, unknown>;
}

const INVOCATION = object(
  {
    seq: { type: 'integer' },
    at: INSTANT,
    flowKey: STRING,
    oktaUserId: { type: ['string', 'null'] },
    body: { type: 'object' },
  },
  ['seq', 'at', 'flowKey', 'oktaUserId', 'body'],
);

/** The stand-in's endpoint and its lab route. */
export function workflowsStandInRoutes(ctx: OktaContext, standIn: WorkflowsStandIn): void {
  const { router } = ctx;
  router.route(
    {
      operationId: 'lab: Workflows stand-in, invoke a flow',
      method: 'POST',
      path: `${WORKFLOWS_STAND_IN_PATH}/{flowKey}/invoke`,
      spec: 'none',
      schema: oktaRoute({
        params: pathParams('flowKey'),
        body: { type: 'object' },
        response: { 200: object({ seq: { type: 'integer' }, flowKey: STRING }, ['seq', 'flowKey']) },
      }),
      // The handler's own checks word the refusal (E0000003 for a body that is not an object).
      refusals: {
        check: (request) => {
          flowKeyOf(request.params);
          bodyOf(request.body);
        },
      },
    },
    async (request) => {
      const flowKey = flowKeyOf(request.params);
      const invocation = standIn.receive(flowKey, bodyOf(request.body));
      // What a Workflows API endpoint card answers by default: 200 and a JSON object.
      return { seq: invocation.seq, flowKey };
    },
  );
  router.route(
    {
      operationId: 'lab: Workflows stand-in, list invocations',
      method: 'GET',
      path: '/_lab/workflows/invocations',
      spec: 'none',
      schema: oktaRoute({
        response: {
          200: object(
            { total: { type: 'integer' }, kept: { type: 'integer' }, invocations: arrayOf(INVOCATION) },
            ['total', 'kept', 'invocations'],
          ),
        },
      }),
    },
    async () => standIn.view(),
  );
}
