/** The inactivity module's conforming capture and its failing cases (its SET checks' included). */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { type InactivityCapture, inactivityChecks } from './inactivity.ts';
import { STREAM_UPDATED_SET, setCheckCases } from './set-checks.cases.testing.ts';

export const good: InactivityCapture = {
  streamId: 's1',
  inactivityTimeoutSeconds: 2,
  statusAfter: 'paused',
  updates: [
    { status: 'paused', reason: 'receiver inactive', subId: { format: 'opaque', id: 's1' }, atMs: 2010 },
  ],
  sets: [],
};

const fails = casesFor(inactivityChecks);

export const INACTIVITY_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-own-status-change-sends-stream-updated',
    { ...good, updates: [] },
    'The transmitter pauses the inactive stream without sending a Stream Updated event.',
    /the stream became "paused" but no Stream Updated event with that status arrived/,
  ),
  fails(
    'transmitter-own-status-change-sends-stream-updated',
    { ...good, statusAfter: 'disabled' },
    'The transmitter disables the inactive stream but its Stream Updated event says "paused".',
    /the stream became "disabled" but no Stream Updated event with that status arrived/,
  ),
  fails(
    'transmitter-stream-updated-names-the-stream',
    {
      ...good,
      updates: [{ status: 'paused', subId: { format: 'email', email: 'a@b.example' }, atMs: 2000 }],
    },
    'The Stream Updated event names a user (an email sub_id) instead of the stream.',
    /names another subject than the stream/,
  ),
  ...(await setCheckCases(inactivityChecks, good, STREAM_UPDATED_SET)),
];
