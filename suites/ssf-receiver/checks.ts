/**
 * The `ssf-receiver` checks: pure judgments of what a receiver answered to the pushes of each module.
 * They read RFC 8935 strictly whatever the profile — the profile only decides how SETs are shaped and
 * which faults are faults (Okta's contract has no rule against `sub` or `exp`, so those are not sent).
 */
import type { RequirementId } from '../../harness/protocol/index.ts';
import {
  type Check,
  defineCheck,
  expectThat,
  HOLDS,
  type Problem,
  problem,
  skip,
  type Verdict,
} from '../core/index.ts';
import { describeAnswer, errOf, mediaTypeOf, type PushAnswer } from './push.ts';

/** One push of a valid SET and its answer. */
export interface Delivery {
  readonly eventType: string;
  readonly jti: string;
  readonly answer: PushAnswer;
}

export interface ValidSetsCapture {
  readonly deliveries: readonly Delivery[];
}

/** One case of the invalid-SET battery: sent and answered, or not applicable. */
export interface InvalidCaseResult {
  readonly id: string;
  readonly expected: readonly string[];
  readonly answer?: PushAnswer;
  readonly skipped?: string;
}

export interface InvalidSetsCapture {
  /**
   * An unbroken SET pushed right before the battery, built like every case but with nothing wrong. A
   * receiver that refuses it refuses for some other reason (its key, its audience, its endpoint), so its
   * refusals of the broken ones prove nothing: the battery is then inconclusive, never passed.
   */
  readonly baseline: Delivery;
  readonly cases: readonly InvalidCaseResult[];
}

const accepted = (answer: PushAnswer): boolean => answer.status >= 200 && answer.status < 300;

/** Why the battery cannot be judged, when the receiver did not accept its baseline. */
function inconclusive(baseline: Delivery): Verdict | undefined {
  return accepted(baseline.answer)
    ? undefined
    : skip(
        `inconclusive: the receiver refused the battery's unbroken baseline SET (${describeAnswer(baseline.answer)}), so a refusal of a broken one shows nothing`,
      );
}

export const acceptsBaseline = defineCheck<InvalidSetsCapture>({
  id: 'receiver-accepts-the-battery-baseline',
  title:
    "The battery's baseline — a SET built like every invalid case, with nothing wrong — is accepted with 202 first.",
  requirement: 'RFC8935-2.2',
  evaluate({ baseline }) {
    return expectThat(
      accepted(baseline.answer),
      `the receiver answered the unbroken baseline SET ${describeAnswer(baseline.answer)}; every refusal in the battery is inconclusive until it accepts it`,
      { eventType: baseline.eventType, status: baseline.answer.status },
    );
  },
});

export interface RedeliveryCapture {
  readonly first: Delivery;
  readonly again: Delivery;
}

export const acceptsValidSets = defineCheck<ValidSetsCapture>({
  id: 'receiver-accepts-valid-sets-with-202',
  title: 'The receiver answers every valid SET with 202 Accepted.',
  requirement: 'RFC8935-2.2',
  evaluate({ deliveries }) {
    if (deliveries.length === 0) return skip('no event type to send');
    return deliveries
      .filter((d) => d.answer.status !== 202)
      .map((d) =>
        problem(`a valid ${d.eventType} SET was answered ${describeAnswer(d.answer)}, not 202`, {
          jti: d.jti,
          status: d.answer.status,
          body: d.answer.body,
        }),
      );
  },
});

export const acceptHasEmptyBody = defineCheck<ValidSetsCapture>({
  id: 'receiver-accept-has-empty-body',
  title: 'A 202 answer to a pushed SET has an empty body.',
  requirement: 'RFC8935-2.2',
  evaluate({ deliveries }) {
    const accepted = deliveries.filter((d) => d.answer.status === 202);
    if (accepted.length === 0) return skip('no SET was answered 202');
    return accepted
      .filter((d) => d.answer.body.trim() !== '')
      .map((d) =>
        problem(`the 202 answer to the ${d.eventType} SET has a body; RFC 8935 §2.2 says it is empty`, {
          body: d.answer.body,
        }),
      );
  },
});

/** How one battery case is judged: 400 with an expected `err` (413 too for the oversized SET). */
function refusal(result: InvalidCaseResult | undefined, also413: boolean): Verdict {
  if (result === undefined) return skip('the case was not sent');
  if (result.skipped !== undefined || result.answer === undefined) return skip(result.skipped ?? 'not sent');
  const { answer, expected } = result;
  const wanted = expected.map((e) => `"${e}"`).join(' or ');
  if (answer.status === 0) return [problem(`the receiver did not answer: ${answer.error ?? 'no response'}`)];
  if (also413 && answer.status === 413) return HOLDS;
  if (answer.status >= 200 && answer.status < 300)
    return [
      problem(
        `the receiver accepted it (${describeAnswer(answer)}); it should refuse it with 400 and ${wanted}`,
      ),
    ];
  if (answer.status !== 400)
    return [
      problem(`the receiver answered ${describeAnswer(answer)}; RFC 8935 §2.3 refuses a bad SET with 400`, {
        status: answer.status,
        body: answer.body,
      }),
    ];
  const err = errOf(answer);
  return expectThat(
    err !== undefined && expected.includes(err),
    err === undefined
      ? `the 400 answer names no "err"; expected ${wanted}`
      : `the 400 answer's "err" is "${err}"; expected ${wanted}`,
    { body: answer.body },
  );
}

function refuses(
  caseId: string,
  title: string,
  requirement: RequirementId,
  also413 = false,
): Check<InvalidSetsCapture> {
  return defineCheck<InvalidSetsCapture>({
    id: `receiver-refuses-${caseId}`,
    title,
    requirement,
    evaluate: ({ baseline, cases }) =>
      inconclusive(baseline) ??
      refusal(
        cases.find((c) => c.id === caseId),
        also413,
      ),
  });
}

export const BATTERY_CHECKS: readonly Check<InvalidSetsCapture>[] = [
  refuses(
    'bad-signature',
    'A SET whose signature does not verify is refused with 400 and "authentication_failed".',
    'RFC8935-2.3',
  ),
  refuses(
    'unknown-kid',
    'A SET signed with a key the JWKS does not hold is refused with 400 and "invalid_key".',
    'RFC8935-2.3',
  ),
  refuses(
    'wrong-issuer',
    'A SET from an issuer the receiver does not accept is refused with 400 and "invalid_issuer".',
    'RFC8935-2.3',
  ),
  refuses(
    'wrong-audience',
    'A SET for another audience is refused with 400 and "invalid_audience".',
    'RFC8935-2.3',
  ),
  refuses('missing-typ', 'A SET without "typ" is refused with 400 and "invalid_request".', 'RFC8935-2.3'),
  refuses(
    'wrong-typ',
    'A SET whose "typ" is not "secevent+jwt" is refused with 400 and "invalid_request".',
    'RFC8935-2.3',
  ),
  refuses(
    'sub-present',
    'A SET carrying "sub" is refused with 400 and "invalid_request".',
    'SSF-4.1.2-REFUSE',
  ),
  refuses(
    'exp-present',
    'A SET carrying "exp" is refused with 400 and "invalid_request".',
    'SSF-4.1.7-REFUSE',
  ),
  refuses('alg-none', 'An unsigned SET ("alg": "none") is refused with 400.', 'RFC8417-5.1'),
  refuses(
    'oversized',
    'A SET larger than 64 KiB is refused with 400 "invalid_request" or 413.',
    'LAB-SIZE-REFUSE',
    true,
  ),
  refuses(
    'wrong-state',
    'A Verification event whose "state" is not the one the receiver asked for is refused with 400 and "invalid_state".',
    'SSF-8.1.4.1-STATE',
  ),
];

/** The 400 answers of the battery (the ones RFC 8935 §2.3 shapes). */
function refusals(cases: readonly InvalidCaseResult[]): { id: string; answer: PushAnswer }[] {
  return cases.flatMap((c) => (c.answer?.status === 400 ? [{ id: c.id, answer: c.answer }] : []));
}

export const errorIsJson = defineCheck<InvalidSetsCapture>({
  id: 'receiver-error-is-json-with-err',
  title:
    'A 400 answer is "Content-Type: application/json" with an object naming "err" (and a string "description" if any).',
  requirement: 'RFC8935-2.3',
  evaluate({ cases }) {
    const answered = refusals(cases);
    if (answered.length === 0) return skip('no SET was answered 400');
    const problems: Problem[] = [];
    for (const { id, answer } of answered) {
      const type = mediaTypeOf(answer.contentType);
      if (type !== 'application/json')
        problems.push(problem(`the 400 answer to ${id} has Content-Type ${answer.contentType ?? '(none)'}`));
      const json = answer.json;
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        problems.push(problem(`the 400 answer to ${id} is not a JSON object`, { body: answer.body }));
        continue;
      }
      const body = json as Record<string, unknown>;
      if (typeof body.err !== 'string')
        problems.push(problem(`the 400 answer to ${id} has no string "err"`, { body: answer.body }));
      if (body.description !== undefined && typeof body.description !== 'string')
        problems.push(problem(`the 400 answer to ${id} has a "description" that is not a string`));
    }
    return problems;
  },
});

export const errorHasContentLanguage = defineCheck<InvalidSetsCapture>({
  id: 'receiver-error-has-content-language',
  title: 'A 400 answer carries a "Content-Language" header.',
  requirement: 'RFC8935-2.3',
  evaluate({ cases }) {
    const answered = refusals(cases);
    if (answered.length === 0) return skip('no SET was answered 400');
    const missing = answered.filter((a) => (a.answer.contentLanguage ?? '').trim() === '').map((a) => a.id);
    return expectThat(
      missing.length === 0,
      `the 400 answers to ${missing.join(', ')} have no Content-Language header`,
    );
  },
});

export const redeliveryAccepted = defineCheck<RedeliveryCapture>({
  id: 'receiver-accepts-redelivered-set',
  title: 'A SET pushed again (a "jti" already seen) is answered 202 again, never an error.',
  requirement: 'RFC8935-2.4',
  evaluate({ first, again }) {
    if (first.answer.status !== 202)
      return skip(`the first delivery was not accepted (${describeAnswer(first.answer)})`);
    return expectThat(
      again.answer.status === 202,
      `the same SET pushed again was answered ${describeAnswer(again.answer)}, not 202`,
      { jti: again.jti, body: again.answer.body },
    );
  },
});
