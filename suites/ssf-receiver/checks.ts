/**
 * The `ssf-receiver` checks: pure judgments of what a receiver answered to the pushes of each module.
 * They read RFC 8935 strictly whatever the profile — the profile only decides how SETs are shaped and
 * which faults are faults (Okta's contract has no rule against `sub` or `exp`, so those are not sent).
 *
 * The battery. A refusal is 400 with an RFC 8935 §2.3 body naming a registered `err` (the MUST). Which
 * code is graded by the case's own check only where RFC 8935 §2.4's definitions single one out (battery.ts
 * says which); elsewhere a registered code outside those that fit is a warning of its own check
 * (receiver-error-code-fits-the-fault). None of it counts until the receiver has accepted the battery's
 * unbroken baseline: before that a refusal proves nothing, and the checks are inconclusive.
 */
import { PUSH_ERROR_CODES } from '../../harness/protocol/index.ts';
import {
  type Check,
  defineCheck,
  expectThat,
  HOLDS,
  inconclusive,
  type Problem,
  problem,
  skip,
  type Verdict,
} from '../core/index.ts';
import { ACCEPTABLE_CASES, type AcceptableCase, INVALID_CASES, type InvalidCase } from './battery.ts';
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
  /** The codes whose RFC 8935 §2.4 definition fits (battery.ts). */
  readonly expected: readonly string[];
  /** Whether the definitions single `expected` out, so another code fails the case's own check. */
  readonly codeDecided?: boolean;
  /** Statuses that refuse it as well as 400. */
  readonly alsoRefusedWith?: readonly number[];
  readonly answer?: PushAnswer;
  readonly skipped?: string;
  /** The pushed SET's `jti`, when it has a readable one: what to look for among the SETs processed. */
  readonly jti?: string;
}

/** A SET spelt unusually that the receiver must accept all the same: sent and answered, or not applicable. */
export interface AcceptableCaseResult {
  readonly id: string;
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
  readonly acceptable?: readonly AcceptableCaseResult[];
  /**
   * When the harness serves the JWKS it also serves the URLs the `jku` and `x5u` cases name, and counts the
   * requests made to them; without that nobody can tell whether the receiver followed them.
   */
  readonly lureHits?: Readonly<Record<'jku' | 'x5u', number>>;
  /**
   * The receiver's list of the SETs it processed (`processedSets`), read after the battery: the jtis, or
   * why the list could not be read. Absent when the receiver exposes none.
   */
  readonly processed?: { readonly jtis: readonly string[] } | { readonly error: string };
}

const accepted = (answer: PushAnswer): boolean => answer.status >= 200 && answer.status < 300;
const REGISTERED: ReadonlySet<string> = new Set(PUSH_ERROR_CODES);
const quoted = (codes: readonly string[]): string => codes.map((e) => `"${e}"`).join(' or ');

/** Why the battery cannot be judged, when the receiver did not accept its baseline. */
function unjudgeable(baseline: Delivery): Verdict | undefined {
  return accepted(baseline.answer)
    ? undefined
    : inconclusive(
        `the receiver refused the battery's unbroken baseline SET (${describeAnswer(baseline.answer)}), so its answer to a broken one shows nothing`,
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

/**
 * How one refusal is judged: 400 with a registered `err` (or one of the case's other statuses), and, when
 * the definitions decide the code, that code.
 */
export function judgeRefusal(result: InvalidCaseResult | undefined): Verdict {
  if (result === undefined) return skip('the case was not sent');
  if (result.skipped !== undefined || result.answer === undefined) return skip(result.skipped ?? 'not sent');
  const { answer, expected } = result;
  const wanted = quoted(expected);
  if (answer.status === 0) return [problem(`the receiver did not answer: ${answer.error ?? 'no response'}`)];
  if (result.alsoRefusedWith?.includes(answer.status)) return HOLDS;
  if (accepted(answer))
    return [
      problem(
        `the receiver accepted it (${describeAnswer(answer)}); it must refuse it with 400 (${wanted} fits)`,
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
  if (err === undefined)
    return [
      problem(`the 400 answer names no "err"; RFC 8935 §2.3 requires one (${wanted} fits)`, {
        body: answer.body,
      }),
    ];
  if (!REGISTERED.has(err))
    return [
      problem(
        `the 400 answer's "err" is "${err}", which is not a registered Security Event Token Error Code (${wanted} fits)`,
        { body: answer.body },
      ),
    ];
  return expectThat(
    result.codeDecided !== true || expected.includes(err),
    `the 400 answer's "err" is "${err}"; RFC 8935 §2.4 defines ${wanted} for this fault`,
    { body: answer.body },
  );
}

const capitalized = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The sentence a case's check asserts. */
function refusalTitle(
  c: Pick<InvalidCase, 'pushed' | 'expected' | 'codeDecided' | 'alsoRefusedWith'>,
): string {
  const statuses = c.alsoRefusedWith?.length ? `400 (or ${c.alsoRefusedWith.join(', ')})` : '400';
  const code = c.codeDecided ? quoted(c.expected) : 'a registered "err"';
  return `${capitalized(c.pushed)} is refused with ${statuses} and ${code}.`;
}

function refuses(
  c: Pick<InvalidCase, 'id' | 'pushed' | 'expected' | 'codeDecided' | 'alsoRefusedWith' | 'requirement'>,
): Check<InvalidSetsCapture> {
  return defineCheck<InvalidSetsCapture>({
    id: `receiver-refuses-${c.id}`,
    title: refusalTitle(c),
    requirement: c.requirement,
    evaluate: ({ baseline, cases }) =>
      unjudgeable(baseline) ?? judgeRefusal(cases.find((r) => r.id === c.id)),
  });
}

/** One check per battery case, `receiver-refuses-<case>`, in the battery's order. */
export const BATTERY_CHECKS: readonly Check<InvalidSetsCapture>[] = INVALID_CASES.map(refuses);

/**
 * A refusal is only worth its 400 if nothing happened: a receiver that acts on a SET before it has judged it
 * (or despite the judgment) answers correctly and still processes the forgery. Where the receiver lists what
 * it processed, every refused case's jti must be absent from that list — and the baseline's present, or the
 * list does not show what the receiver processes.
 */
export const refusedSetsChangedNothing = defineCheck<InvalidSetsCapture>({
  id: 'receiver-refused-sets-changed-nothing',
  title: 'No SET of the battery the receiver refused is among the SETs it lists as processed.',
  requirement: 'LAB-REFUSED-NO-EFFECT',
  evaluate({ baseline, cases, processed }) {
    const judged = unjudgeable(baseline);
    if (judged !== undefined) return judged;
    if (processed === undefined)
      return skip('the receiver exposes no list of the SETs it processed (no processedSets configured)');
    if ('error' in processed)
      return inconclusive(`the receiver's list of processed SETs could not be read: ${processed.error}`);
    const listed = new Set(processed.jtis);
    if (!listed.has(baseline.jti))
      return inconclusive(
        `the baseline SET ${baseline.jti}, which the receiver accepted, is not in its list of processed SETs, so the list does not show what it processes`,
      );
    const refused = cases.filter(
      (c): c is InvalidCaseResult & { jti: string; answer: PushAnswer } =>
        c.answer !== undefined && !accepted(c.answer) && c.answer.status !== 0 && c.jti !== undefined,
    );
    if (refused.length === 0) return skip('no refused case carried a jti to look for');
    return refused
      .filter((c) => listed.has(c.jti))
      .map((c) =>
        problem(
          `the receiver answered ${describeAnswer(c.answer)} to ${c.id} (jti ${c.jti}) and processed it all the same`,
          { case: c.id, jti: c.jti },
        ),
      );
  },
});

export const errorCodeFitsTheFault = defineCheck<InvalidSetsCapture>({
  id: 'receiver-error-code-fits-the-fault',
  title:
    'Where RFC 8935 assigns no code to a fault, a refusal still names one whose §2.4 definition fits it (a bad signature: "authentication_failed" or "invalid_key").',
  requirement: 'RFC8935-2.4-CODE',
  evaluate({ baseline, cases }) {
    const judged = unjudgeable(baseline);
    if (judged !== undefined) return judged;
    const open = cases.filter((c) => c.codeDecided !== true && c.answer?.status === 400);
    if (open.length === 0) return skip('no case whose code RFC 8935 leaves open was refused with 400');
    const problems: Problem[] = [];
    for (const c of open) {
      const err = c.answer === undefined ? undefined : errOf(c.answer);
      // An err that is missing or unregistered already fails the case's own check.
      if (err === undefined || !REGISTERED.has(err) || c.expected.includes(err)) continue;
      problems.push(
        problem(
          `${c.id} was refused with "${err}"; the code whose definition fits is ${quoted(c.expected)}`,
          {
            case: c.id,
            err,
          },
        ),
      );
    }
    return problems;
  },
});

function acceptsVariant(c: AcceptableCase): Check<InvalidSetsCapture> {
  return defineCheck<InvalidSetsCapture>({
    id: `receiver-accepts-${c.id}`,
    title: `${capitalized(c.pushed)} is accepted like any other valid SET.`,
    requirement: c.requirement,
    evaluate({ baseline, acceptable = [] }) {
      const judged = unjudgeable(baseline);
      if (judged !== undefined) return judged;
      const result = acceptable.find((a) => a.id === c.id);
      if (result === undefined) return skip('the case was not sent');
      if (result.skipped !== undefined || result.answer === undefined)
        return skip(result.skipped ?? 'not sent');
      return expectThat(
        accepted(result.answer),
        `the receiver refused it (${describeAnswer(result.answer)}) though it accepted the same SET spelt the usual way`,
        { status: result.answer.status, body: result.answer.body },
      );
    },
  });
}

/** Positive controls beside the baseline: SETs the receiver must take though they are spelt unusually. */
export const ACCEPTABLE_CHECKS: readonly Check<InvalidSetsCapture>[] = ACCEPTABLE_CASES.map(acceptsVariant);

export const fetchesNoHeaderKeyUrl = defineCheck<InvalidSetsCapture>({
  id: 'receiver-fetches-no-key-url-from-the-header',
  title:
    'The receiver does not fetch the "jku" or "x5u" URL a SET names: its keys come from the configured JWKS.',
  requirement: 'RFC8725-3.10',
  evaluate({ lureHits }) {
    if (lureHits === undefined)
      return skip('the harness serves no JWKS (no jwksPath), so it has no URL of its own to see fetched');
    return (['jku', 'x5u'] as const)
      .filter((header) => lureHits[header] > 0)
      .map((header) =>
        problem(
          `the receiver fetched the "${header}" URL of a SET ${lureHits[header]} time(s): a SET can make it request any URL (server-side request forgery)`,
          { header, requests: lureHits[header] },
        ),
      );
  },
});

/** The 400 answers of the battery (the ones RFC 8935 §2.3 shapes). */
function refusals(cases: readonly InvalidCaseResult[]): { id: string; answer: PushAnswer }[] {
  return cases.flatMap((c) => (c.answer?.status === 400 ? [{ id: c.id, answer: c.answer }] : []));
}

export const errorIsJson = defineCheck<InvalidSetsCapture>({
  id: 'receiver-error-is-json-with-err',
  // RFC 8935 §2.3: the body "MUST be a UTF-8 encoded JSON object containing the following name/value
  // pairs": err and description — neither is marked optional (see harness/protocol/push-error.ts).
  title:
    'A 400 answer is "Content-Type: application/json" with an object naming a string "err" and a string "description".',
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
      if (typeof body.description !== 'string')
        problems.push(
          problem(
            body.description === undefined
              ? `the 400 answer to ${id} has no "description"; RFC 8935 §2.3 lists it beside "err"`
              : `the 400 answer to ${id} has a "description" that is not a string`,
            { body: answer.body },
          ),
        );
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
