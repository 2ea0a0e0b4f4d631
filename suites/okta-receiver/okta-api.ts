/**
 * The few Okta Management API calls the okta-receiver plan makes, as an admin tool would (`Authorization:
 * SSWS <token>`): find the user, read the User Risk API, read the System Log back, and register or delete
 * the harness's security events provider. Log events are kept as short summaries the checks can judge.
 */
import { BODY_CAPS, readBodyText } from '../../harness/kernel/index.ts';
import type { SuiteContext } from '../core/index.ts';

export interface OktaAccess {
  readonly url: string;
  readonly apiToken: string;
}

export interface OktaAnswer {
  readonly status: number;
  readonly json: unknown;
  readonly link: string | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function oktaCall(
  ctx: SuiteContext,
  okta: OktaAccess,
  path: string,
  init: { readonly method?: string; readonly json?: unknown } = {},
): Promise<OktaAnswer> {
  const url = path.startsWith('http') ? path : `${okta.url.replace(/\/+$/, '')}${path}`;
  const response = await ctx.fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      authorization: `SSWS ${okta.apiToken}`,
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    signal: ctx.signal,
  });
  let text: string;
  try {
    text = await readBodyText(response, BODY_CAPS.apiAnswer);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // Too large (cancelled past BODY_CAPS.apiAnswer, never buffered) or cut off: the step fails saying so.
    throw new Error(
      `${init.method ?? 'GET'} ${url}: Okta's answer could not be read: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, link: response.headers.get('link') };
}

/** Throws with Okta's error summary when the status is not the expected one. */
export function expectStatus(answer: OktaAnswer, what: string, ...ok: number[]): Json {
  if (!ok.includes(answer.status)) {
    const summary = isObject(answer.json) ? answer.json.errorSummary : undefined;
    throw new Error(
      `${what}: Okta answered HTTP ${answer.status}${typeof summary === 'string' ? ` (${summary})` : ''}`,
    );
  }
  return isObject(answer.json) ? answer.json : {};
}

/** What the checks keep of one System Log event. */
export interface LogSummary {
  readonly eventType: string;
  readonly published: string;
  readonly traceId: string | null;
  /** Target types and ids (`User:00u…`). */
  readonly targets: readonly string[];
  /** debugData.Jti, when Okta records the SET's jti. */
  readonly jti?: string;
  /** The debug data mentions the marker the harness put in its event (the SET's reason). */
  readonly marked?: true;
  /** `level` of the debugData `Risk` map (`{previousLevel=LOW, level=HIGH, …}`). */
  readonly riskLevel?: string;
  /** The PolicyAction target's action (`TERMINATE_ALL_SESSIONS`, `NULL`, …). */
  readonly policyAction?: string;
  /**
   * debugData.EndedSessionId of a `user.session.end`: which Okta session ended. A session id is a
   * credential (the `sid` cookie carries one): checks match it, and never print it.
   */
  readonly endedSessionId?: string;
  readonly outcome: string | null;
}

export function summarizeLogEvent(event: unknown, marker?: string): LogSummary | undefined {
  if (!isObject(event) || typeof event.eventType !== 'string') return undefined;
  const debug =
    isObject(event.debugContext) && isObject(event.debugContext.debugData)
      ? event.debugContext.debugData
      : {};
  const trace = debug.TraceId ?? debug.traceId;
  const targets = Array.isArray(event.target) ? event.target.filter(isObject) : [];
  const risk =
    typeof debug.Risk === 'string' ? /(?:^|[{,\s])level=([^,}]+)/.exec(debug.Risk)?.[1]?.trim() : undefined;
  const actionTarget = targets.find((t) => t.type === 'PolicyAction');
  const action =
    actionTarget && isObject(actionTarget.detailEntry) ? actionTarget.detailEntry.PolicyAction : undefined;
  const outcome =
    isObject(event.outcome) && typeof event.outcome.result === 'string' ? event.outcome.result : null;
  return {
    eventType: event.eventType,
    published: typeof event.published === 'string' ? event.published : '',
    traceId: typeof trace === 'string' ? trace : null,
    targets: targets.map((t) => `${String(t.type)}:${String(t.id)}`),
    ...(typeof debug.Jti === 'string' ? { jti: debug.Jti } : {}),
    ...(marker !== undefined && JSON.stringify(debug).includes(marker) ? { marked: true as const } : {}),
    ...(risk === undefined ? {} : { riskLevel: risk }),
    ...(typeof action === 'string' ? { policyAction: action } : {}),
    ...(typeof debug.EndedSessionId === 'string' ? { endedSessionId: debug.EndedSessionId } : {}),
    outcome,
  };
}

const MAX_PAGES = 10;

/**
 * The System Log from `since` until now, oldest first (a bounded query, following `rel="next"`); events
 * whose debug data mentions `marker` are flagged.
 */
export async function readLog(
  ctx: SuiteContext,
  okta: OktaAccess,
  since: number,
  marker?: string,
): Promise<LogSummary[]> {
  // A minute's margin: clocks differ, and under a virtual clock the lab's org stamps a burst of events a
  // millisecond apart, ahead of the clock.
  const until = new Date(ctx.now() + 60_000).toISOString();
  let path: string | undefined =
    `/api/v1/logs?since=${encodeURIComponent(new Date(since).toISOString())}&until=${encodeURIComponent(until)}&sortOrder=ASCENDING&limit=1000`;
  const out: LogSummary[] = [];
  for (let page = 0; page < MAX_PAGES && path !== undefined; page++) {
    const answer = await oktaCall(ctx, okta, path);
    expectStatus(answer, 'read the System Log', 200);
    const events = Array.isArray(answer.json) ? answer.json : [];
    for (const e of events) {
      const summary = summarizeLogEvent(e, marker);
      if (summary) out.push(summary);
    }
    path = events.length === 0 ? undefined : /<([^>]+)>;\s*rel="next"/.exec(answer.link ?? '')?.[1];
  }
  return out;
}
