/**
 * The lab's view of every SET JSC's transmitter made (`GET /_lab/sets`) and of where each stream's delivery
 * stands (`streamDelivery`, part of `GET /_lab/state`): ARCHITECTURE principle 7, nothing lost silently.
 * Each SET is listed with its jti, stream, state (queued / held / in-flight / delivered / acked /
 * dead-lettered / dropped), the reason for a dead letter or a drop, every delivery attempt and its times —
 * dead letters in full, not as a count. The ledger keeps at most `cap` records (terminal ones forgotten
 * oldest first, counted in `forgotten`), and one answer lists at most `limit` of them, the newest.
 * No SET token and no stream configuration (it can hold the receiver's authorization_header) is shown.
 */
import type { SetRecord, SetState, Transmitter } from '../../harness/ssf/index.ts';
import { invalid } from './errors.ts';

const STATES: readonly SetState[] = [
  'queued',
  'held',
  'in-flight',
  'delivered',
  'acked',
  'dead-lettered',
  'dropped',
];

/** Most SETs one `GET /_lab/sets` lists unless `limit` says otherwise, and the most it may ask for. */
export const SETS_PAGE_DEFAULT = 1000;
export const SETS_PAGE_MAX = 10_000;

const iso = (ms: number): string => new Date(ms).toISOString();

function setView(r: SetRecord): Record<string, unknown> {
  return {
    jti: r.jti,
    streamId: r.streamId,
    eventType: r.eventType,
    state: r.state,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    ...(r.retryAt === undefined ? {} : { retryAt: iso(r.retryAt) }),
    attempts: r.attempts.map((a) => ({ ...a, at: iso(a.at) })),
  };
}

/** `GET /_lab/sets?state=&streamId=&limit=`: bad filters are a 400 naming the problem. */
export function listSets(transmitter: Transmitter, query: Record<string, string | undefined>): unknown {
  const { state, streamId, limit: rawLimit } = query;
  if (state !== undefined && !(STATES as readonly string[]).includes(state))
    throw invalid('INVALID_REQUEST', `"state" must be one of ${STATES.join(', ')}`);
  const limit = rawLimit === undefined ? SETS_PAGE_DEFAULT : Number(rawLimit);
  if (!/^\d{1,6}$/.test(rawLimit ?? '0') || !Number.isInteger(limit) || limit < 1 || limit > SETS_PAGE_MAX)
    throw invalid('INVALID_REQUEST', `"limit" must be an integer from 1 to ${SETS_PAGE_MAX}`);
  const matching = transmitter.records({
    ...(state === undefined ? {} : { state: state as SetState }),
    ...(streamId === undefined ? {} : { streamId }),
  });
  const ledger = transmitter.ledger;
  return {
    // What the ledger holds now, by state; totals also count SETs forgotten to stay within the cap.
    counts: ledger.counts(),
    totals: ledger.totals(),
    cap: ledger.cap,
    forgotten: ledger.forgotten,
    matching: matching.length,
    sets: matching.slice(-limit).map(setView),
  };
}

/** Where each stream's delivery stands: held, queued, and any SET stalled on a retry (Retry-After). */
export function streamDelivery(transmitter: Transmitter): unknown[] {
  return transmitter.streams().map((s) => ({
    streamId: s.config.stream_id,
    status: s.status,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    held: s.held,
    queued: s.queued,
    retrying: s.retrying.map((r) => ({ ...r, retryAt: iso(r.retryAt) })),
  }));
}
