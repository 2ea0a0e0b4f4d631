/**
 * The Okta page's data for one user, as an Okta admin sees it: the user's entity risk and its history
 * (the Risk tab), the Entity Risk Policy rule that matched each signal and its action, the System Log
 * events of each signal grouped by TraceId with the seed's seven steps named, and each downstream app's
 * sessions for the user and the Universal Logout it received — full, or partial (refresh tokens only).
 * Okta's Management API with the manifest's SSWS token, Okta's and the apps' lab controls for what no
 * public API shows.
 */
import { LOG_STEPS } from '../runner/index.ts';
import { ConsoleError, type LabClient } from './lab-client.ts';

export interface OktaView {
  readonly user: { readonly id: string; readonly login: string; readonly name: string };
  readonly risk: { readonly level: string; readonly reason: string };
  readonly history: readonly {
    readonly at: string;
    readonly kind: string;
    readonly previous: string;
    readonly current: string;
    readonly reason: string;
    readonly source: string;
    readonly traceId: string;
  }[];
  /** The newest signals first, each with its policy outcome and System Log chain. */
  readonly signals: readonly {
    readonly traceId: string;
    readonly at: string;
    readonly rule: string;
    readonly action: string;
    readonly chain: readonly {
      readonly published: string;
      readonly eventType: string;
      readonly step: string;
      readonly outcome: string;
    }[];
  }[];
  readonly apps: readonly {
    readonly name: string;
    readonly kind: string;
    readonly partial: boolean;
    readonly sessions: Readonly<Record<string, number>>;
    readonly logouts: readonly { readonly at: string; readonly status: number; readonly scope: string }[];
  }[];
}

/** Signals (TraceIds) whose chains one page shows. */
const SIGNALS = 5;

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function sourceOf(source: Record<string, unknown>): string {
  const type = str(source.type);
  return str(source.name) === '' ? type : `${type}: ${str(source.name)}`;
}

export async function oktaView(client: LabClient, login: string): Promise<OktaView> {
  if (login === '' || login.length > 200) throw new ConsoleError(400, 'give a user: ?user=<login>');
  const okta = client.manifest.okta.url;
  const headers = client.oktaHeaders();
  const userAnswer = await client.call(`${okta}/api/v1/users/${encodeURIComponent(login)}`, { headers });
  if (userAnswer.status === 404) throw new ConsoleError(404, 'Okta has no such user');
  if (userAnswer.status !== 200)
    throw new ConsoleError(502, `Okta answered ${userAnswer.status} for the user`);
  const user = obj(userAnswer.body);
  const id = str(user.id);
  const profile = obj(user.profile);
  const [risk, detections, evaluations, logouts] = await Promise.all([
    client.ok(`${okta}/api/v1/users/${id}/risk`, { headers }),
    client.ok(`${okta}/_lab/users/${id}/risk-detections`),
    client.ok(`${okta}/_lab/entity-risk/evaluations?userId=${id}`),
    client.ok(`${okta}/_lab/universal-logout?userId=${id}`),
  ]);
  const history = arr(obj(detections).detections).map((d) => {
    const e = obj(d);
    return {
      at: str(e.at),
      kind: str(e.kind),
      previous: str(e.previous),
      current: str(e.current),
      reason: str(e.reason),
      source: sourceOf(obj(e.source)),
      traceId: str(e.traceId),
    };
  });
  const byTrace = new Map(arr(evaluations).map((e) => [str(obj(e).traceId), obj(e)]));
  const traces = [...new Set(history.map((h) => h.traceId).filter((t) => t !== ''))]
    .reverse()
    .slice(0, SIGNALS);
  const signals = await Promise.all(
    traces.map(async (traceId) => {
      const filter = encodeURIComponent(`debugContext.debugData.TraceId eq "${traceId}"`);
      const events = arr(
        await client.ok(
          `${okta}/api/v1/logs?filter=${filter}&since=2000-01-01T00:00:00Z&sortOrder=ASCENDING&limit=100`,
          { headers },
        ),
      ).map(obj);
      const evaluation = byTrace.get(traceId);
      const rule = obj(evaluation?.rule);
      return {
        traceId,
        at: str(evaluation?.at) || str(events[0]?.published),
        rule: str(rule.name),
        action: str(evaluation?.action),
        chain: events.map((e) => ({
          published: str(e.published),
          eventType: str(e.eventType),
          step: LOG_STEPS[str(e.eventType)] ?? str(e.displayMessage),
          outcome: str(obj(e.outcome).result),
        })),
      };
    }),
  );
  const attempts = arr(logouts).map(obj);
  const apps = await Promise.all(
    client.manifest.apps.map(async (app) => {
      const [sessions, state] = await Promise.all([
        client.ok(`${app.url}/_lab/sessions?email=${encodeURIComponent(str(profile.email) || login)}`),
        client.ok(`${app.url}/_lab/state`),
      ]);
      const counts: Record<string, number> = {};
      for (const s of arr(obj(sessions).sessions)) {
        const state = str(obj(s).state);
        counts[state] = (counts[state] ?? 0) + 1;
      }
      const clientId = str(obj(state).clientId);
      const partial = obj(state).partial === true;
      return {
        name: app.name,
        kind: app.kind,
        partial,
        sessions: counts,
        logouts: attempts
          .filter((a) => str(a.appId) === clientId || str(a.appLabel) === app.name)
          .map((a) => ({
            at: str(a.at),
            status: typeof a.status === 'number' ? a.status : 0,
            // Okta's own account of what it asked for: an app with partial support revokes refresh tokens only.
            scope: a.partialSupport === true ? 'partial' : 'full',
          })),
      };
    }),
  );
  return {
    user: {
      id,
      login: str(profile.login),
      name: str(profile.displayName) || `${str(profile.firstName)} ${str(profile.lastName)}`,
    },
    risk: { level: str(obj(risk).riskLevel) || 'NONE', reason: str(obj(risk).reason) },
    history,
    signals,
    apps,
  };
}
