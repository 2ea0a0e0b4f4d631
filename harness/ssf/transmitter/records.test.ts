/**
 * The SET ledger stays bounded without forgetting anything still in play.
 */
import { expect, test } from 'vitest';
import { SetLedger, type SetRecord, type SetState } from './records.ts';

const record = (jti: string, state: SetState): SetRecord => ({
  jti,
  streamId: 's',
  eventType: 'e',
  createdAt: 0,
  token: 't',
  state,
  attempts: [],
  updatedAt: 0,
});

test('past its cap the ledger forgets the oldest finished SETs, never the pending ones', () => {
  const ledger = new SetLedger(3);
  ledger.add(record('1', 'queued'));
  ledger.add(record('2', 'delivered'));
  ledger.add(record('3', 'held'));
  ledger.add(record('4', 'acked'));
  expect(ledger.list().map((r) => r.jti)).toEqual(['1', '3', '4']);
  ledger.add(record('5', 'in-flight'));
  expect(ledger.list().map((r) => r.jti)).toEqual(['1', '3', '5']);
  expect(ledger.counts()).toMatchObject({ queued: 1, held: 1, 'in-flight': 1 });
});

test('transitions record the state, the time and the reason, and the ledger filters by them', () => {
  const ledger = new SetLedger();
  const r = record('1', 'queued');
  ledger.add(r);
  ledger.transition(r, 'dropped', 42, 'stream disabled');
  expect(r).toMatchObject({ state: 'dropped', updatedAt: 42, reason: 'stream disabled' });
  expect(ledger.list({ state: 'dropped' })).toEqual([r]);
  expect(ledger.list({ streamId: 'other' })).toEqual([]);
});

test('totals keep counting SETs that were evicted from the ledger', () => {
  const ledger = new SetLedger(1);
  const a = record('a', 'queued');
  ledger.add(a);
  ledger.transition(a, 'delivered', 1);
  ledger.add(record('b', 'queued'));
  expect(ledger.list().map((r) => r.jti)).toEqual(['b']);
  expect(ledger.counts()).toMatchObject({ delivered: 0, queued: 1 });
  expect(ledger.totals()).toMatchObject({ delivered: 1, queued: 1 });
});
