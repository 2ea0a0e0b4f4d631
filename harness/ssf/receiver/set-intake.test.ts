/**
 * SetIntake: what the Receiver answers for each SET (accepted, duplicate, discarded, rejected with the
 * RFC 8935 error code), that a SET is processed once and only after the answer, and that the handler can
 * never change the answer. Real keys, real signed SETs, virtual time.
 */
import { beforeAll, expect, test } from 'vitest';
import { fixedClock, VirtualScheduler } from '../../kernel/index.ts';
import { EVENT_URIS, type KeySource, type PushErrorCode, signRaw } from '../../protocol/index.ts';
import {
  AUD,
  ISS,
  makeReceiverKeys,
  type ReceiverTestKeys,
  STREAM_ID,
  sessionRevokedSet,
  verificationSet,
} from './receiver.testing.ts';
import { ReplayGuard } from './replay-guard.ts';
import {
  DEFAULT_REFUSE_ALSO,
  IntakeFullError,
  type IntakeResult,
  IntakeUnavailableError,
  type ReceivedSet,
  SetIntake,
  type SetIntakeOptions,
} from './set-intake.ts';
import { VerificationStates } from './verification-states.ts';

let keys: ReceiverTestKeys;
beforeAll(async () => {
  keys = await makeReceiverKeys();
});

function intakeFor(scheduler: VirtualScheduler, options: Partial<SetIntakeOptions> = {}) {
  const received: ReceivedSet[] = [];
  const intake = new SetIntake({
    profile: 'ssf',
    keys: keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler,
    onSet: (set) => {
      received.push(set);
    },
    ...options,
  });
  return { intake, received };
}

function rejection(result: IntakeResult): { err: PushErrorCode; checks: string[] } {
  if (result.status !== 'rejected') throw new Error(`expected a rejection, got ${result.status}`);
  return { err: result.err, checks: result.findings.map((f) => f.check) };
}

test('a valid SET is accepted, logged and handed to onSet once, after accept has returned', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'j-1' });
  const result = await intake.accept(token, 'push');
  expect(result.status).toBe('accepted');
  // RFC 8935 §2: processing is asynchronous, so when the answer is known the handler has not run yet.
  expect(received).toHaveLength(0);
  await intake.idle();
  expect(received).toHaveLength(1);
  const set = received[0];
  expect(set?.jti).toBe('j-1');
  expect(set?.via).toBe('push');
  expect(set?.receivedAt).toBe(scheduler.now());
  expect(set?.eventTypes).toEqual([EVENT_URIS.sessionRevoked]);
  expect(set?.claims.iss).toBe(ISS);
  expect(set?.header.kid).toBe('tx-1');
  expect(set?.streamId).toBeUndefined();
  expect(intake.processed.map((s) => s.jti)).toEqual(['j-1']);
  expect(intake.stats).toEqual({ accepted: 1, duplicates: 0, rejected: 0, discarded: 0, handlerErrors: 0 });
});

test('a repeated jti is a duplicate: same answer class, no second side effect', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'j-dup' });
  expect((await intake.accept(token, 'push')).status).toBe('accepted');
  expect(await intake.accept(token, 'poll')).toEqual({ status: 'duplicate', jti: 'j-dup' });
  await intake.idle();
  expect(received).toHaveLength(1);
  expect(intake.processed).toHaveLength(1);
  expect(intake.stats.duplicates).toBe(1);
});

test('two concurrent deliveries of one SET are accepted once', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'j-race' });
  const results = await Promise.all([intake.accept(token, 'push'), intake.accept(token, 'push')]);
  expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate']);
  await intake.idle();
  expect(received).toHaveLength(1);
});

const REJECTIONS: readonly [string, PushErrorCode, string, (s: VirtualScheduler) => Promise<string>][] = [
  [
    'a signature that does not verify',
    'authentication_failed',
    'signature-is-valid',
    (s) => sessionRevokedSet(keys, s, { key: keys.impostor }),
  ],
  [
    'a kid the JWKS does not hold',
    'invalid_key',
    'signing-key-is-published',
    (s) => sessionRevokedSet(keys, s, { key: keys.unpublished }),
  ],
  [
    'another issuer',
    'invalid_issuer',
    'iss-matches-expected-issuer',
    (s) => sessionRevokedSet(keys, s, { iss: 'https://transmitter.example.com/tenant-2' }),
  ],
  [
    'another audience',
    'invalid_audience',
    'aud-includes-expected-audience',
    (s) => sessionRevokedSet(keys, s, { aud: 'https://someone-else.example.com' }),
  ],
  ['a body that is not a JWS', 'invalid_request', 'token-is-compact-jws', async () => 'not-a-set'],
];

test.each(REJECTIONS)('%s is rejected with %s', async (_what, err, check, build) => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const result = await intake.accept(await build(scheduler), 'push');
  const r = rejection(result);
  expect(r.err).toBe(err);
  expect(r.checks).toContain(check);
  if (result.status === 'rejected') expect(result.description).toContain(check);
  await intake.idle();
  expect(received).toHaveLength(0);
  expect(intake.stats.rejected).toBe(1);
});

test('a verification event whose state the receiver did not ask for is rejected with invalid_state', async () => {
  const scheduler = new VirtualScheduler();
  const verification = new VerificationStates();
  verification.expect(STREAM_ID, 'asked-for');
  const { intake } = intakeFor(scheduler, { verification });
  const result = await intake.accept(await verificationSet(keys, scheduler, { state: 'forged' }), 'push');
  const r = rejection(result);
  expect(r.err).toBe('invalid_state');
  expect(r.checks).toEqual(['verification-state-matches-expected']);
  if (result.status === 'rejected') {
    expect(result.findings[0]?.requirement).toBe('SSF-8.1.4.2-STATE');
    expect(result.description).toContain('forged');
  }
  // The expected state is still outstanding.
  expect(verification.outstanding(STREAM_ID)).toEqual(['asked-for']);
});

test('a verification event echoing the requested state is accepted and names its stream', async () => {
  const scheduler = new VirtualScheduler();
  const verification = new VerificationStates();
  verification.expect(STREAM_ID, 'asked-for');
  const { intake } = intakeFor(scheduler, { verification });
  const result = await intake.accept(await verificationSet(keys, scheduler, { state: 'asked-for' }), 'poll');
  expect(result.status).toBe('accepted');
  if (result.status === 'accepted') expect(result.set.streamId).toBe(STREAM_ID);
  expect(verification.outstanding(STREAM_ID)).toEqual([]);
});

test('an unsolicited verification event without state is accepted', async () => {
  const scheduler = new VirtualScheduler();
  const verification = new VerificationStates();
  verification.expect(STREAM_ID, 'asked-for');
  const { intake } = intakeFor(scheduler, { verification });
  const result = await intake.accept(await verificationSet(keys, scheduler), 'push');
  expect(result.status).toBe('accepted');
});

test('a redelivered verification event is a duplicate, not invalid_state, though its state was consumed', async () => {
  const scheduler = new VirtualScheduler();
  const verification = new VerificationStates();
  verification.expect(STREAM_ID, 'once');
  const { intake } = intakeFor(scheduler, { verification });
  const token = await verificationSet(keys, scheduler, { state: 'once', jti: 'v-1' });
  expect((await intake.accept(token, 'push')).status).toBe('accepted');
  expect(await intake.accept(token, 'push')).toEqual({ status: 'duplicate', jti: 'v-1' });
  // A new event (fresh jti) replaying the consumed state is a mismatch.
  const replay = await verificationSet(keys, scheduler, { state: 'once', jti: 'v-2' });
  expect(rejection(await intake.accept(replay, 'push')).err).toBe('invalid_state');
});

test('a control event naming another stream than the one served is rejected', async () => {
  const scheduler = new VirtualScheduler();
  const { intake } = intakeFor(scheduler, { expectedStreamId: STREAM_ID });
  const token = await verificationSet(keys, scheduler, { streamId: 'someone-elses-stream' });
  const r = rejection(await intake.accept(token, 'push'));
  expect(r.err).toBe('invalid_request');
  expect(r.checks).toContain('control-event-subject-is-stream');
});

test('a rejected SET is not remembered: its corrected redelivery with the same jti is accepted', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const broken = await sessionRevokedSet(keys, scheduler, { jti: 'j-fix', aud: 'https://wrong.example.com' });
  expect(rejection(await intake.accept(broken, 'push')).err).toBe('invalid_audience');
  const fixed = await sessionRevokedSet(keys, scheduler, { jti: 'j-fix' });
  expect((await intake.accept(fixed, 'push')).status).toBe('accepted');
  await intake.idle();
  expect(received.map((s) => s.jti)).toEqual(['j-fix']);
});

const complexSubject = {
  format: 'complex',
  user: { format: 'email', email: 'pat.doe@acme.example' },
  x_vendor_zone: { format: 'opaque', id: 'zone-9' },
};

test('an event whose subject has a critical member the receiver cannot process is discarded, not rejected', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler, { criticalSubjectMembers: ['user', 'x_vendor_zone'] });
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'j-crit', subject: complexSubject });
  const result = await intake.accept(token, 'push');
  expect(result.status).toBe('discarded');
  if (result.status === 'discarded') {
    expect(result.jti).toBe('j-crit');
    expect(result.reason).toContain('x_vendor_zone');
    expect(result.reason).toContain('SSF-3.6');
  }
  // A repeat is recognised, and nothing was processed.
  expect((await intake.accept(token, 'push')).status).toBe('duplicate');
  await intake.idle();
  expect(received).toHaveLength(0);
  expect(intake.stats.discarded).toBe(1);
});

test('a critical member the receiver understands, or a non-critical unknown member, does not discard', async () => {
  const scheduler = new VirtualScheduler();
  const understood = intakeFor(scheduler, {
    criticalSubjectMembers: ['x_vendor_zone'],
    understoodSubjectMembers: ['user', 'x_vendor_zone'],
  });
  const notCritical = intakeFor(scheduler, { criticalSubjectMembers: ['user', 'device'] });
  const token = await sessionRevokedSet(keys, scheduler, { subject: complexSubject });
  expect((await understood.intake.accept(token, 'push')).status).toBe('accepted');
  expect((await notCritical.intake.accept(token, 'push')).status).toBe('accepted');
});

test('an onSet that throws or rejects changes no answer and is counted', async () => {
  const scheduler = new VirtualScheduler();
  let calls = 0;
  const intake = new SetIntake({
    profile: 'ssf',
    keys: keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler,
    onSet: (set) => {
      calls += 1;
      if (set.jti === 'throws') throw new Error('handler bug');
      return Promise.reject(new Error('async handler bug'));
    },
  });
  const first = await intake.accept(await sessionRevokedSet(keys, scheduler, { jti: 'throws' }), 'push');
  const second = await intake.accept(await sessionRevokedSet(keys, scheduler, { jti: 'rejects' }), 'push');
  await intake.idle();
  expect([first.status, second.status]).toEqual(['accepted', 'accepted']);
  expect(calls).toBe(2);
  expect(intake.stats).toMatchObject({ accepted: 2, handlerErrors: 2 });
  // The intake keeps working after handler failures.
  expect((await intake.accept(await sessionRevokedSet(keys, scheduler), 'push')).status).toBe('accepted');
});

test('the processed log keeps only the newest maxProcessedLog SETs', async () => {
  const scheduler = new VirtualScheduler();
  const { intake } = intakeFor(scheduler, { maxProcessedLog: 2 });
  for (const jti of ['a', 'b', 'c']) {
    await intake.accept(await sessionRevokedSet(keys, scheduler, { jti }), 'push');
  }
  expect(intake.processed.map((s) => s.jti)).toEqual(['b', 'c']);
  // The log wraps around and still reads oldest first.
  for (const jti of ['d', 'e', 'f']) {
    await intake.accept(await sessionRevokedSet(keys, scheduler, { jti }), 'push');
  }
  expect(intake.processed.map((s) => s.jti)).toEqual(['e', 'f']);
  expect(intake.stats.accepted).toBe(6);
});

test('a full replay store refuses new SETs (retryable) rather than forget: an old repeat is still a duplicate', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler, { replayWindow: { capacity: 2 } });
  const a = await sessionRevokedSet(keys, scheduler, { jti: 'a' });
  await intake.accept(a, 'push');
  await intake.accept(await sessionRevokedSet(keys, scheduler, { jti: 'b' }), 'push');
  const c = await sessionRevokedSet(keys, scheduler, { jti: 'c' });
  const refused = await intake.accept(c, 'push').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(IntakeFullError);
  expect((refused as IntakeFullError).retryAfterSeconds).toBeGreaterThan(0);
  expect((await intake.accept(a, 'push')).status).toBe('duplicate');
  await intake.idle();
  expect(received.map((r) => r.jti)).toEqual(['a', 'b']);
});

test('a SET whose iat is more than 24 h old is refused invalid_request naming iat; so is its replay', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'old' });
  expect((await intake.accept(token, 'push')).status).toBe('accepted');
  await scheduler.advance(86_401_000);
  const result = await intake.accept(token, 'push');
  expect(result).toMatchObject({ status: 'rejected', err: 'invalid_request' });
  expect(result.status === 'rejected' && result.description).toMatch(
    /"iat" is 86401 s in the past, outside this Receiver's acceptance window.*RFC 8935 defines no error code/,
  );
  await intake.idle();
  expect(received).toHaveLength(1);
});

test('a SET whose iat is beyond the future skew is refused, even under a profile that only warns of it', async () => {
  const scheduler = new VirtualScheduler();
  const { intake } = intakeFor(scheduler, { refuseAlso: [] });
  const ahead = new VirtualScheduler(scheduler.now() + 301_000);
  const token = await sessionRevokedSet(keys, ahead, { jti: 'ahead' });
  const result = await intake.accept(token, 'push');
  expect(result.status === 'rejected' && result.description).toMatch(/"iat" is 301 s in the future/);
});

test('the window is configurable', async () => {
  const scheduler = new VirtualScheduler();
  const { intake } = intakeFor(scheduler, { replayWindow: { maxAgeSeconds: 60 } });
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'w' });
  await scheduler.advance(61_000);
  expect((await intake.accept(token, 'push')).status).toBe('rejected');
});

test('intakes sharing one replay store share its memory: a SET accepted by one is a duplicate at the other', async () => {
  const scheduler = new VirtualScheduler();
  const replay = new ReplayGuard({ now: () => scheduler.now() });
  const first = intakeFor(scheduler, { replay }).intake;
  const second = intakeFor(scheduler, { replay }).intake;
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'shared' });
  expect((await first.accept(token, 'push')).status).toBe('accepted');
  expect((await second.accept(token, 'push')).status).toBe('duplicate');
});

const unreachableJwks: KeySource = {
  description: 'https://transmitter.example.com/jwks.json',
  keysFor: async () => ({
    ok: false,
    problem: 'unavailable',
    message: 'GET … did not answer within 5000 ms',
  }),
};

test('unreachable transmitter keys make accept throw IntakeUnavailableError, and nothing is remembered', async () => {
  const scheduler = new VirtualScheduler();
  const { intake } = intakeFor(scheduler, { keys: unreachableJwks });
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'j-later' });
  await expect(intake.accept(token, 'push')).rejects.toThrow(IntakeUnavailableError);
  await expect(intake.accept(token, 'push')).rejects.toThrow(/did not answer within 5000 ms/);
  expect(intake.stats).toEqual({ accepted: 0, duplicates: 0, rejected: 0, discarded: 0, handlerErrors: 0 });
  // Once the keys are back, the same SET is accepted (it was not remembered as seen).
  const recovered = intakeFor(scheduler);
  expect((await recovered.intake.accept(token, 'push')).status).toBe('accepted');
});

test('a key source that throws makes accept throw IntakeUnavailableError carrying the cause', async () => {
  const scheduler = new VirtualScheduler();
  const cause = new Error('key store offline');
  const { intake } = intakeFor(scheduler, {
    keys: { description: 'store', keysFor: () => Promise.reject(cause) },
  });
  const error = await intake
    .accept(await sessionRevokedSet(keys, scheduler), 'push')
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IntakeUnavailableError);
  expect((error as Error).cause).toBe(cause);
});

test('a SET that is invalid on its own is rejected even while the keys are unreachable', async () => {
  const scheduler = new VirtualScheduler();
  const { intake } = intakeFor(scheduler, { keys: unreachableJwks });
  const token = await sessionRevokedSet(keys, scheduler, { iss: 'https://impostor.example.com' });
  expect(rejection(await intake.accept(token, 'push')).err).toBe('invalid_issuer');
});

test('an unknown profile name is refused when the intake is built', () => {
  expect(
    () =>
      new SetIntake({
        profile: 'nope' as 'ssf',
        keys: keys.source,
        expectedIssuer: ISS,
        expectedAudience: AUD,
      }),
  ).toThrow(/unknown profile/);
});

test('by default a SET is also refused for an "iat" far in the future or a subject format nobody agreed; refuseAlso: [] takes both', async () => {
  const now = Date.UTC(2026, 0, 1);
  const future = await sessionRevokedSet(keys, fixedClock(now + 3_600_000), { jti: 'j-future' });
  const unknownFormat = await sessionRevokedSet(keys, fixedClock(now), {
    jti: 'j-format',
    subject: { format: 'ssf-lab-unknown-format', id: 'x-1' },
  });
  const strict = new SetIntake({
    profile: 'ssf',
    keys: keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler: fixedClock(now),
  });
  // Both are warnings of the validator (LAB-IAT-NOT-FUTURE, SSF-3.4): the refusal is this Receiver's policy.
  expect(rejection(await strict.accept(future, 'push'))).toEqual({
    err: 'invalid_request',
    checks: ['iat-is-not-in-future'],
  });
  expect(rejection(await strict.accept(unknownFormat, 'push'))).toEqual({
    err: 'invalid_request',
    checks: ['subject-format-is-registered'],
  });
  const lenient = new SetIntake({
    profile: 'ssf',
    keys: keys.source,
    expectedIssuer: ISS,
    expectedAudience: AUD,
    scheduler: fixedClock(now),
    refuseAlso: [],
    // The replay store's own window (5 min ahead by default) would refuse the hour-ahead SET too.
    replayWindow: { maxFutureSeconds: 7200 },
  });
  expect((await lenient.accept(future, 'push')).status).toBe('accepted');
  expect((await lenient.accept(unknownFormat, 'push')).status).toBe('accepted');
  expect(DEFAULT_REFUSE_ALSO).toEqual([
    'claims-have-aud',
    'iat-is-not-in-future',
    'subject-format-is-registered',
  ]);
});

test('a kid that is an object or an array, or a header that is not JSON, is invalid_request — even beside a wrong aud', async () => {
  const scheduler = new VirtualScheduler();
  const { intake, received } = intakeFor(scheduler);
  const token = await sessionRevokedSet(keys, scheduler, { jti: 'hdr', aud: 'https://someone-else.example' });
  const [, payload, signature] = token.split('.');
  const claims = Buffer.from(payload ?? '', 'base64url').toString();
  for (const kid of [{ kid: 'tx-1' }, ['tx-1']]) {
    const signed = await signRaw(
      JSON.stringify({ alg: 'ES256', typ: 'secevent+jwt', kid }),
      claims,
      keys.transmitter,
    );
    const result = rejection(await intake.accept(signed, 'push'));
    expect(result.err).toBe('invalid_request');
    expect(result.checks).toContain('header-kid-is-string');
  }
  for (const header of [
    '!!!',
    Buffer.from('not json').toString('base64url'),
    Buffer.from('[1]').toString('base64url'),
  ])
    expect(rejection(await intake.accept(`${header}.${payload}.${signature}`, 'push')).err).toBe(
      'invalid_request',
    );
  await intake.idle();
  expect(received).toHaveLength(0);
});
