/**
 * The ssf-receiver plan's failing cases: what a misbehaving receiver answers to the pushes of each module,
 * and what it leaves behind at the harness transmitter when it manages its own stream. Every check of the
 * invalid-SET battery fails on the same wrong answers (accepted with 202 or 200, refused without an `err`
 * or with one no registry holds, a 500, no answer — and with another registered code where RFC 8935 §2.4
 * decides the code). Test data only: `checks.test.ts`, `stream-management.test.ts` and
 * harness/certify/every-check-fails read it.
 */

import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import type { Check } from '../core/index.ts';
import { INVALID_CASES } from './battery.ts';
import {
  ACCEPTABLE_CHECKS,
  acceptHasEmptyBody,
  acceptsBaseline,
  acceptsValidSets,
  BATTERY_CHECKS,
  type Delivery,
  errorCodeFitsTheFault,
  errorHasContentLanguage,
  errorIsJson,
  fetchesNoHeaderKeyUrl,
  type InvalidCaseResult,
  type InvalidSetsCapture,
  redeliveryAccepted,
  refusedSetsChangedNothing,
} from './checks.ts';
import type { PushAnswer } from './push.ts';
import {
  ALGORITHM_CHECKS,
  ALGORITHMS,
  acceptsRotatedKey,
  type KeyPush,
  refusesShortKey,
  refusesWithdrawnKey,
  type SigningKeysCapture,
} from './signing-keys.ts';
import {
  acceptsSolicitedVerification,
  acceptsUnsolicitedVerification,
  createsItsStream,
  deletesItsStream,
  type ManagementCall,
  refusesWrongState,
  requestsVerification,
  type StreamManagementCapture,
  type VerificationOutcome,
} from './stream-management.ts';

// ---- push answers -------------------------------------------------------------------------------------

export const ACCEPTED: PushAnswer = { status: 202, contentType: null, contentLanguage: null, body: '' };
export const OK_200: PushAnswer = {
  status: 200,
  contentType: 'application/json',
  contentLanguage: null,
  body: '{"ok":true}',
  json: { ok: true },
};

/** A 400 answer whose body is `json`. */
export function answered400(json: unknown, extra: Partial<PushAnswer> = {}): PushAnswer {
  return {
    status: 400,
    contentType: 'application/json; charset=utf-8',
    contentLanguage: 'en',
    body: JSON.stringify(json),
    json,
    ...extra,
  };
}

/** A refusal shaped as RFC 8935 §2.3 asks, naming `err`. */
export function refusedWith(err: string, extra: Partial<PushAnswer> = {}): PushAnswer {
  return answered400({ err, description: 'no' }, extra);
}

export const delivery = (answer: PushAnswer): Delivery => ({
  eventType: 'urn:example:event',
  jti: 'j1',
  answer,
});

// ---- the invalid-SET battery ---------------------------------------------------------------------------

/** What each case pushes and how it is judged. */
export function caseOf(caseId: string): Omit<InvalidCaseResult, 'answer' | 'skipped'> & { pushed: string } {
  const c = INVALID_CASES.find((x) => x.id === caseId);
  if (c === undefined) throw new TypeError(`no battery case ${caseId}`);
  return {
    id: c.id,
    pushed: c.pushed,
    expected: c.expected,
    codeDecided: c.codeDecided,
    ...('alsoRefusedWith' in c && c.alsoRefusedWith !== undefined
      ? { alsoRefusedWith: c.alsoRefusedWith }
      : {}),
  };
}

/** The `err` values a case may be refused with. */
export function expectedErr(caseId: string): readonly string[] {
  return caseOf(caseId).expected;
}

/** The battery's unbroken baseline, accepted: the battery's refusals then count. */
export const BASELINE: Delivery = { eventType: 'urn:example:event', jti: 'baseline-1', answer: ACCEPTED };

export function caseResult(caseId: string, answer: PushAnswer): InvalidCaseResult {
  const { pushed: _pushed, ...judged } = caseOf(caseId);
  return { ...judged, answer };
}

export const batteryCapture = (caseId: string, answer: PushAnswer): InvalidSetsCapture => ({
  baseline: BASELINE,
  cases: [caseResult(caseId, answer)],
});

/** A registered code none of `expected` is. */
function otherRegisteredCode(expected: readonly string[]): string {
  return (
    ['access_denied', 'invalid_issuer', 'invalid_request'].find((e) => !expected.includes(e)) ??
    'invalid_state'
  );
}

function batteryCases(check: Check<InvalidSetsCapture>): FailingCase[] {
  const id = check.id.replace(/^receiver-refuses-/, '');
  const c = caseOf(id);
  const fails = (answer: PushAnswer, why: string) => failsOn(check, batteryCapture(id, answer), why);
  const wanted = c.expected[0] ?? 'invalid_request';
  const wrong = otherRegisteredCode(c.expected);
  return [
    fails(ACCEPTED, `The receiver accepts ${c.pushed} with 202.`),
    fails(OK_200, `The receiver answers ${c.pushed} with 200 and a JSON body.`),
    fails(
      answered400({ error: wanted }),
      `The receiver refuses ${c.pushed} with 400 naming "error" instead of "err".`,
    ),
    fails(
      refusedWith('rejected'),
      `The receiver refuses ${c.pushed} with 400 and "err": "rejected", a code no registry holds.`,
    ),
    fails({ ...ACCEPTED, status: 500, body: 'boom' }, `The receiver answers ${c.pushed} with 500.`),
    fails(
      { ...ACCEPTED, status: 0, body: '', error: 'timeout' },
      `The receiver does not answer ${c.pushed} (timeout).`,
    ),
    ...(c.codeDecided
      ? [
          fails(
            refusedWith(wrong),
            `The receiver refuses ${c.pushed} with 400 but "err": "${wrong}", where RFC 8935 §2.4 defines "${wanted}".`,
          ),
        ]
      : []),
  ];
}

function battery(caseId: string): Check<InvalidSetsCapture> {
  const check = BATTERY_CHECKS.find((c) => c.id === `receiver-refuses-${caseId}`);
  if (check === undefined) throw new TypeError(`no battery check for ${caseId}`);
  return check;
}

/** Two 400 answers of the battery: the one under test for `wrong-typ`, and a SET wrongly accepted. */
export const refusals = (answer: PushAnswer): InvalidSetsCapture => ({
  baseline: BASELINE,
  cases: [caseResult('wrong-typ', answer), caseResult('sub-present', ACCEPTED)],
});

/** The long-form typ case answered `answer`, everything else as it should be. */
export const acceptableCapture = (answer: PushAnswer): InvalidSetsCapture => ({
  baseline: BASELINE,
  cases: [],
  acceptable: [{ id: 'long-form-typ', answer }],
});

// ---- signing keys --------------------------------------------------------------------------------------

const keyPush = (kid: string, answer: PushAnswer, afterFetch = true): KeyPush => ({
  kid,
  answer,
  afterFetch,
  attempts: 1,
});

/** A receiver that takes every algorithm, refuses the short key, follows a rotation and a withdrawal. */
export const WELL_KEYED: SigningKeysCapture = {
  baseline: { answer: ACCEPTED },
  algorithms: Object.fromEntries(ALGORITHMS.map(({ alg }) => [alg, keyPush(`k-${alg}`, ACCEPTED)])),
  shortKey: keyPush('k-short', refusedWith('invalid_key')),
  rotated: keyPush('k-rotated', ACCEPTED),
  withdrawn: keyPush('k-rotated', refusedWith('invalid_key')),
  waitedMs: 1000,
};

// ---- stream management ---------------------------------------------------------------------------------

export const PUSH = 'urn:ietf:rfc:8935';
export const POLL = 'urn:ietf:rfc:8936';

export const call = (operation: ManagementCall['operation'], status: number): ManagementCall => ({
  operation,
  method: 'POST',
  path: '/x',
  status,
  atMs: 1,
});

export const delivered = (jti: string, state?: string): VerificationOutcome => ({
  jti,
  ...(state === undefined ? {} : { state }),
  outcome: 'delivered',
  answers: [{ status: 202 }],
});

/** What the reference receiver leaves behind: create, verify (both events taken), delete. */
export const WELL_BEHAVED: StreamManagementCapture = {
  issuer: 'https://harness.example/ssf-transmitter',
  expected: ['create', 'verify', 'delete'],
  waitedMs: 800,
  calls: [call('metadata', 200), call('create', 201), call('verify', 204), call('delete', 204)],
  stream: {
    streamId: 's1',
    deliveryMethod: PUSH,
    endpointUrl: 'https://rx.example/push',
    eventsDelivered: [],
    deleted: true,
  },
  unsolicited: delivered('u1'),
  solicited: [delivered('v1', 'abc')],
  wrongState: {
    jti: 'w1',
    state: 'never-asked',
    outcome: 'dead-lettered',
    answers: [{ status: 400, err: 'invalid_state' }],
  },
};

/** The battery's baseline and one refused case, both with the jti the processed list is searched for. */
export const PROCESSED_BATTERY: InvalidSetsCapture = {
  baseline: BASELINE,
  cases: [{ ...caseResult('wrong-issuer', refusedWith('invalid_issuer')), jti: 'refused-1' }],
  processed: { jtis: ['baseline-1'] },
};

const { stream: _stream, unsolicited: _unsolicited, ...streamless } = WELL_BEHAVED;
/** The receiver read the metadata and created nothing. */
export const NO_STREAM: StreamManagementCapture = {
  ...streamless,
  calls: [call('metadata', 200)],
  solicited: [],
};

const onPoll: StreamManagementCapture = {
  ...WELL_BEHAVED,
  stream: {
    ...(WELL_BEHAVED.stream as NonNullable<StreamManagementCapture['stream']>),
    deliveryMethod: POLL,
  },
};

const verifyless: StreamManagementCapture = { ...WELL_BEHAVED, calls: [call('create', 201)], solicited: [] };

const kept: StreamManagementCapture = {
  ...WELL_BEHAVED,
  calls: WELL_BEHAVED.calls.filter((c) => c.operation !== 'delete'),
  stream: { ...(WELL_BEHAVED.stream as NonNullable<StreamManagementCapture['stream']>), deleted: false },
};

// ---- the table -----------------------------------------------------------------------------------------

export const FAILING_CASES: readonly FailingCase[] = [
  failsOn(
    acceptsValidSets,
    { deliveries: [delivery(ACCEPTED), delivery(OK_200)] },
    'The receiver answers a valid SET with 200 and a JSON body instead of 202.',
  ),
  failsOn(
    acceptsValidSets,
    { deliveries: [delivery({ ...ACCEPTED, status: 0, error: 'ECONNREFUSED' })] },
    'The receiver refuses the connection for a valid SET.',
  ),
  failsOn(
    acceptHasEmptyBody,
    { deliveries: [delivery({ ...ACCEPTED, body: '{"status":"ok"}' })] },
    'The 202 answer to a valid SET has the body {"status":"ok"}.',
  ),

  failsOn(
    acceptsBaseline,
    {
      baseline: { ...BASELINE, answer: refusedWith('invalid_audience') },
      cases: [{ id: 'sub-present', expected: ['invalid_request'], answer: refusedWith('invalid_request') }],
    },
    'The receiver refuses the unbroken baseline SET with 400 "invalid_audience": it refuses everything.',
  ),
  failsOn(
    acceptsBaseline,
    { baseline: { ...BASELINE, answer: { ...ACCEPTED, status: 0, error: 'ECONNREFUSED' } }, cases: [] },
    'The receiver does not answer the baseline SET at all.',
  ),
  ...BATTERY_CHECKS.flatMap(batteryCases),
  failsOn(
    battery('bad-signature'),
    batteryCapture('bad-signature', { ...ACCEPTED, status: 413, body: 'Payload Too Large' }),
    'The receiver refuses a SET whose signature does not verify with 413, an answer only an oversized SET may draw.',
  ),
  failsOn(
    battery('wrong-content-type'),
    batteryCapture('wrong-content-type', { ...ACCEPTED, status: 413, body: 'Payload Too Large' }),
    'The receiver refuses a SET sent as application/json with 413, as if it were too large.',
  ),
  failsOn(
    errorCodeFitsTheFault,
    batteryCapture('alg-none', refusedWith('access_denied')),
    'The receiver refuses an unsigned SET with "err": "access_denied", as if the transmitter were not allowed to send it.',
  ),
  failsOn(
    errorCodeFitsTheFault,
    {
      baseline: BASELINE,
      cases: [
        caseResult('bad-signature', refusedWith('invalid_request')),
        caseResult('wrong-issuer', refusedWith('invalid_issuer')),
      ],
    },
    'The receiver refuses a forged SET with "err": "invalid_request", as if it could not be parsed.',
  ),
  ...ACCEPTABLE_CHECKS.flatMap((check) => [
    failsOn(
      check,
      acceptableCapture(refusedWith('invalid_request')),
      'The receiver refuses a SET whose "typ" is "application/secevent+jwt" with 400 "invalid_request".',
    ),
    failsOn(
      check,
      acceptableCapture({ ...ACCEPTED, status: 0, error: 'timeout' }),
      'The receiver does not answer it.',
    ),
  ]),
  failsOn(
    fetchesNoHeaderKeyUrl,
    { baseline: BASELINE, cases: [], lureHits: { jku: 1, x5u: 0 } },
    'The receiver fetches the "jku" URL a forged SET names.',
  ),
  failsOn(
    fetchesNoHeaderKeyUrl,
    { baseline: BASELINE, cases: [], lureHits: { jku: 0, x5u: 2 } },
    'The receiver fetches the "x5u" URL a forged SET names, twice.',
  ),

  failsOn(
    errorIsJson,
    refusals(refusedWith('invalid_request', { contentType: 'text/plain' })),
    'A 400 answer carries a JSON body under Content-Type text/plain.',
  ),
  failsOn(
    errorIsJson,
    refusals({ status: 400, contentType: 'application/json', contentLanguage: 'en', body: 'bad' }),
    'A 400 answer claims application/json but its body is not JSON.',
  ),
  failsOn(
    errorIsJson,
    refusals(answered400({ description: 'no err' })),
    'A 400 answer is a JSON object without "err".',
  ),
  failsOn(
    errorIsJson,
    refusals(answered400({ err: 'invalid_request', description: 7 })),
    'A 400 answer has a "description" that is the number 7, not a string.',
  ),
  failsOn(
    errorIsJson,
    refusals(answered400({ err: 'invalid_request' })),
    'A 400 answer names "err" but has no "description".',
  ),
  failsOn(
    errorHasContentLanguage,
    refusals(refusedWith('invalid_request', { contentLanguage: null })),
    'A 400 answer carries no Content-Language header.',
  ),

  ...ALGORITHM_CHECKS.map((check) => {
    const alg = ALGORITHMS.find(
      (a) => check.id === `receiver-accepts-${a.alg.toLowerCase()}-signed-sets`,
    )?.alg;
    if (alg === undefined) throw new TypeError(`no algorithm for ${check.id}`);
    return failsOn(
      check,
      {
        ...WELL_KEYED,
        algorithms: { ...WELL_KEYED.algorithms, [alg]: keyPush(`k-${alg}`, refusedWith('invalid_request')) },
      },
      `The receiver fetches the JWKS holding an ${alg} key and still refuses a SET signed with it.`,
    );
  }),
  failsOn(
    refusesShortKey,
    { ...WELL_KEYED, shortKey: keyPush('k-short', ACCEPTED) },
    'The receiver accepts a SET signed with a published 1024-bit RSA key.',
  ),
  failsOn(
    refusesShortKey,
    { ...WELL_KEYED, shortKey: keyPush('k-short', { ...ACCEPTED, status: 500, body: 'boom' }) },
    'The receiver answers a SET signed with a 1024-bit RSA key with 500.',
  ),
  failsOn(
    acceptsRotatedKey,
    { ...WELL_KEYED, rotated: keyPush('k-rotated', refusedWith('invalid_key')) },
    'The receiver fetches the JWKS holding the new key and still refuses it with "invalid_key".',
  ),
  failsOn(
    acceptsRotatedKey,
    { ...WELL_KEYED, rotated: { ...keyPush('k-rotated', refusedWith('invalid_key'), false), attempts: 60 } },
    'The receiver never fetches the JWKS again, so it refuses the rotated key for the whole wait.',
  ),
  failsOn(
    refusesWithdrawnKey,
    { ...WELL_KEYED, withdrawn: keyPush('k-rotated', ACCEPTED) },
    'The receiver fetches the JWKS without the withdrawn key and still accepts a SET signed with it.',
  ),
  failsOn(
    redeliveryAccepted,
    { first: delivery(ACCEPTED), again: delivery(refusedWith('invalid_request')) },
    'The receiver refuses a SET pushed again with 400 "invalid_request".',
  ),
  failsOn(
    redeliveryAccepted,
    { first: delivery(ACCEPTED), again: delivery({ ...ACCEPTED, status: 409, body: 'duplicate jti' }) },
    'The receiver answers a SET pushed again with 409 Conflict, as a duplicate.',
  ),

  failsOn(createsItsStream, NO_STREAM, 'The receiver reads the metadata but never creates its stream.'),
  failsOn(
    createsItsStream,
    { ...NO_STREAM, calls: [] },
    'The receiver makes no request at all at the harness transmitter.',
  ),
  failsOn(
    createsItsStream,
    { ...NO_STREAM, calls: [call('create', 400)] },
    "The receiver's stream creation is refused with 400 (a malformed configuration).",
  ),
  failsOn(
    acceptsUnsolicitedVerification,
    {
      ...WELL_BEHAVED,
      unsolicited: {
        jti: 'u1',
        outcome: 'dead-lettered',
        reason: 'the receiver refused the SET: invalid_state',
        answers: [{ status: 400, err: 'invalid_state' }],
      },
    },
    'The receiver refuses the unsolicited Verification event with 400 "invalid_state", as if "state" were required.',
  ),
  failsOn(
    acceptsUnsolicitedVerification,
    { ...WELL_BEHAVED, unsolicited: { ...delivered('u1'), answers: [{ status: 200 }] } },
    'The receiver answers the unsolicited Verification event with 200, not 202.',
  ),
  failsOn(
    acceptsUnsolicitedVerification,
    {
      ...WELL_BEHAVED,
      unsolicited: { jti: 'u1', outcome: 'queued', answers: [{ status: 0, error: 'timeout' }] },
    },
    'The receiver never answers the push of the unsolicited Verification event.',
  ),
  failsOn(
    acceptsUnsolicitedVerification,
    { ...onPoll, unsolicited: { jti: 'u1', outcome: 'in-flight', answers: [] } },
    'On a poll stream, the receiver polls the unsolicited Verification event but never acknowledges it.',
  ),
  failsOn(
    requestsVerification,
    verifyless,
    'The receiver creates its stream but never requests a verification.',
  ),
  failsOn(
    requestsVerification,
    { ...verifyless, calls: [call('verify', 400)] },
    "The receiver's verification request is refused with 400.",
  ),
  failsOn(
    acceptsSolicitedVerification,
    {
      ...WELL_BEHAVED,
      solicited: [
        {
          jti: 'v1',
          state: 'abc',
          outcome: 'dead-lettered',
          answers: [{ status: 400, err: 'invalid_request' }],
        },
      ],
    },
    'The receiver refuses the Verification event it asked for, echoing its own "state", with 400.',
  ),
  failsOn(
    refusesWrongState,
    { ...WELL_BEHAVED, wrongState: delivered('w1', 'never-asked') },
    'The receiver accepts a Verification event whose "state" it never asked for with 202.',
  ),
  failsOn(
    refusesWrongState,
    {
      ...WELL_BEHAVED,
      wrongState: { jti: 'w1', outcome: 'dead-lettered', answers: [{ status: 400, err: 'invalid_request' }] },
    },
    'The receiver refuses a Verification event with a wrong "state" as "invalid_request", not "invalid_state".',
  ),
  failsOn(
    refusesWrongState,
    { ...onPoll, wrongState: { jti: 'w1', outcome: 'acked', answers: [] } },
    'The polling receiver acknowledges a Verification event whose "state" it never asked for.',
  ),
  failsOn(
    refusedSetsChangedNothing,
    { ...PROCESSED_BATTERY, processed: { jtis: ['baseline-1', 'refused-1'] } },
    'The receiver refuses a SET from the wrong issuer with 400 and lists it among the SETs it processed.',
  ),
  failsOn(deletesItsStream, kept, 'The receiver is expected to delete its stream and never does.'),
  failsOn(
    deletesItsStream,
    { ...kept, calls: [call('delete', 404)] },
    "The receiver's deletion is answered 404 and its stream stays.",
  ),
];
