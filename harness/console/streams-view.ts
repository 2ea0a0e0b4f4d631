/**
 * The Streams page's data: every SSF stream at Jamf Security Cloud's transmitter — the console's own
 * (the seed's stream to Okta) and those receivers made through the SSF management API — with its status,
 * delivery, events, subjects and where each of its SETs stands (queued, held, in flight, delivered,
 * acked, dead-lettered, dropped), read from JSC's lab controls; whether Okta's receiver is down (the
 * lab's faults); and the actions: a stream's status, the receiver down and up.
 */
import { ConsoleError, type LabClient } from './lab-client.ts';

export interface StreamRow {
  readonly streamId: string;
  /** `console` (JSC's admin configured it) or `receiver` (made through the SSF management API). */
  readonly madeBy: 'console' | 'receiver';
  readonly status: string;
  readonly reason?: string;
  readonly audience: string;
  readonly delivery: string;
  readonly endpoint: string;
  readonly events: readonly string[];
  readonly format: string;
  readonly subjects: string;
  readonly counts: Readonly<Record<string, number>>;
  /** SETs waiting for their next push, in words (Retry-After, backoff). */
  readonly retrying: readonly string[];
}

export interface StreamsView {
  readonly streams: readonly StreamRow[];
  /** Okta's receiver as the lab's faults have it: `up`, or the fault in words. */
  readonly receiver: { readonly service: 'okta'; readonly down: boolean; readonly fault: string };
}

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function streamsView(client: LabClient): Promise<StreamsView> {
  const jsc = client.manifest.jamfSecurityCloud.url;
  const [state, subjects, faults] = await Promise.all([
    client.ok(`${jsc}/_lab/state`),
    client.ok(`${jsc}/_lab/ssf-default-subjects`),
    client.ok(`${jsc}/_lab/faults`),
  ]);
  const configured = new Map(arr(obj(state).streams).map((s) => [str(obj(s).streamId), obj(s)]));
  const delivery = arr(obj(state).streamDelivery).map(obj);
  const streams = await Promise.all(
    delivery.map(async (d): Promise<StreamRow> => {
      const streamId = str(d.streamId);
      const sets = obj(await client.ok(`${jsc}/_lab/sets?streamId=${encodeURIComponent(streamId)}&limit=1`));
      const mine = configured.get(streamId);
      return {
        streamId,
        madeBy: mine === undefined ? 'receiver' : 'console',
        status: str(d.status),
        ...(typeof d.reason === 'string' ? { reason: d.reason } : {}),
        audience: str(mine?.audience),
        delivery: mine === undefined ? '' : 'push (RFC 8935)',
        endpoint: str(mine?.endpointUrl),
        events: arr(mine?.events).map(str),
        format: str(mine?.format),
        subjects: `default_subjects ${str(obj(subjects).defaultSubjects) || 'ALL'}`,
        counts: Object.fromEntries(
          Object.entries(obj(sets.counts)).map(([k, v]) => [k, typeof v === 'number' ? v : 0]),
        ),
        retrying: arr(d.retrying).map((r) => str(obj(r).waiting)),
      };
    }),
  );
  const okta = obj(obj(obj(faults).faults).okta);
  const down = Object.keys(obj(obj(faults).faults)).includes('okta');
  return {
    streams,
    receiver: {
      service: 'okta',
      down,
      fault: down ? (typeof okta.status === 'number' ? `answering ${okta.status}` : 'down') : 'up',
    },
  };
}

const STATUSES = ['enabled', 'paused', 'disabled'];

export async function setStreamStatus(client: LabClient, streamId: string, body: unknown): Promise<unknown> {
  const status = obj(body).status;
  if (typeof status !== 'string' || !STATUSES.includes(status))
    throw new ConsoleError(400, `the body must be {"status": ${STATUSES.map((s) => `"${s}"`).join('|')}}`);
  if (!/^[\w.-]{1,200}$/.test(streamId)) throw new ConsoleError(400, 'not a stream id');
  return client.ok(
    `${client.manifest.jamfSecurityCloud.url}/_lab/ssf-streams/${encodeURIComponent(streamId)}/status`,
    { method: 'PUT', json: { status, reason: 'changed from the lab console' } },
  );
}

/** Okta's receiver down (every call to Okta from the lab's services fails) or up again. */
export async function setReceiver(client: LabClient, body: unknown): Promise<void> {
  const up = obj(body).up;
  if (typeof up !== 'boolean') throw new ConsoleError(400, 'the body must be {"up": true|false}');
  const url = `${client.manifest.jamfSecurityCloud.url}/_lab/faults/okta`;
  if (up) await client.ok(url, { method: 'DELETE' });
  // Down for the push path only (503 with Retry-After), so the transmitter's retries are what one sees.
  else
    await client.ok(url, {
      method: 'PUT',
      json: { path: '/security/api/v1/security-events', status: 503, retryAfterSeconds: 2 },
    });
}
