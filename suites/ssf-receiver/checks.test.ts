/**
 * Every ssf-receiver check against captured answers: each of the plan's failing cases
 * (failing-cases.testing.ts) makes its check fail, saying what is wrong; a well-behaved answer makes it
 * hold, and a skip where the check can not apply. Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { describeFailingCases } from '../core/failing.testing.ts';
import { type Check, isSkip, type Verdict } from '../core/index.ts';
import {
  acceptHasEmptyBody,
  acceptsBaseline,
  acceptsValidSets,
  BATTERY_CHECKS,
  errorHasContentLanguage,
  errorIsJson,
  type InvalidSetsCapture,
  redeliveryAccepted,
} from './checks.ts';
import {
  ACCEPTED,
  BASELINE,
  batteryCapture,
  delivery,
  expectedErr,
  FAILING_CASES,
  OK_200,
  refusals,
  refusedWith,
} from './failing-cases.testing.ts';
import { ssfReceiverPlan } from './index.ts';
import type { PushAnswer } from './push.ts';

function holds<C>(check: Check<C>, captured: C): void {
  const verdict: Verdict = check.evaluate(captured);
  expect(isSkip(verdict) ? verdict : verdict.map((p) => p.message), check.id).toEqual([]);
}

function skips<C>(check: Check<C>, captured: C): void {
  expect(isSkip(check.evaluate(captured)), check.id).toBe(true);
}

/** The messages of the cases of `check` whose `why` matches (at least one), joined per case. */
function saidBy(check: Check<unknown>, why: RegExp): string[] {
  const found = FAILING_CASES.filter((c) => c.check.id === check.id && why.test(c.why));
  expect(found.length, `no failing case of ${check.id} says ${why}`).toBeGreaterThan(0);
  return found.map((c) => {
    const verdict = c.check.evaluate(c.captured) as Verdict;
    return isSkip(verdict) ? `skip: ${verdict.skip}` : verdict.map((p) => p.message).join('\n');
  });
}

describeFailingCases(ssfReceiverPlan.modules, FAILING_CASES);

describe('valid SETs', () => {
  test('receiver-accepts-valid-sets-with-202', () => {
    holds(acceptsValidSets, { deliveries: [delivery(ACCEPTED)] });
    for (const said of saidBy(acceptsValidSets, /200 and a JSON body/)) expect(said).toMatch(/HTTP 200/);
    for (const said of saidBy(acceptsValidSets, /refuses the connection/))
      expect(said).toMatch(/ECONNREFUSED/);
    skips(acceptsValidSets, { deliveries: [] });
  });

  test('receiver-accept-has-empty-body', () => {
    holds(acceptHasEmptyBody, { deliveries: [delivery(ACCEPTED)] });
    for (const said of saidBy(acceptHasEmptyBody, /has the body/)) expect(said).toMatch(/has a body/);
    skips(acceptHasEmptyBody, { deliveries: [delivery(OK_200)] });
  });
});

describe('the invalid-SET battery', () => {
  test('every case has a check', () => {
    expect(BATTERY_CHECKS.map((c) => c.id.replace('receiver-refuses-', ''))).toEqual([
      'bad-signature',
      'unknown-kid',
      'wrong-issuer',
      'wrong-audience',
      'missing-typ',
      'wrong-typ',
      'sub-present',
      'exp-present',
      'alg-none',
      'oversized',
      'wrong-state',
    ]);
  });

  for (const check of BATTERY_CHECKS) {
    const id = check.id.replace('receiver-refuses-', '');
    test(check.id, () => {
      holds(check, batteryCapture(id, refusedWith(expectedErr(id)[0] ?? '')));
      for (const said of saidBy(check, /accepts .* with 202|answers .* with 200/))
        expect(said).toMatch(/accepted it/);
      for (const said of saidBy(check, /"access_denied"/)) expect(said).toMatch(/"access_denied"; expected/);
      for (const said of saidBy(check, /instead of "err"/)) expect(said).toMatch(/names no "err"/);
      for (const said of saidBy(check, /with 500/)) expect(said).toMatch(/RFC 8935 §2.3/);
      for (const said of saidBy(check, /does not answer/)) expect(said).toMatch(/did not answer/);
      skips(check, {
        baseline: BASELINE,
        cases: [{ id, expected: expectedErr(id), skipped: 'not under this profile' }],
      } satisfies InvalidSetsCapture);
      skips(check, { baseline: BASELINE, cases: [] });
    });
  }

  test('the oversized SET may also be refused with 413', () => {
    const oversized = BATTERY_CHECKS.find((c) => c.id === 'receiver-refuses-oversized');
    const badSignature = BATTERY_CHECKS.find((c) => c.id === 'receiver-refuses-bad-signature');
    if (!oversized || !badSignature) throw new Error('missing check');
    holds(oversized, batteryCapture('oversized', { ...ACCEPTED, status: 413, body: 'Payload Too Large' }));
    for (const said of saidBy(badSignature, /with 413/)) expect(said).toMatch(/HTTP 413/);
  });

  test('an unsigned SET may be refused as malformed or as unauthenticated', () => {
    const check = BATTERY_CHECKS.find((c) => c.id === 'receiver-refuses-alg-none');
    if (!check) throw new Error('missing check');
    holds(check, batteryCapture('alg-none', refusedWith('authentication_failed')));
    holds(check, batteryCapture('alg-none', refusedWith('invalid_request')));
    for (const said of saidBy(check, /"invalid_key"/)) expect(said).toMatch(/"invalid_key"; expected/);
  });

  test('receiver-error-is-json-with-err', () => {
    holds(errorIsJson, refusals(refusedWith('invalid_request')));
    for (const said of saidBy(errorIsJson, /text\/plain/)) expect(said).toMatch(/Content-Type/);
    for (const said of saidBy(errorIsJson, /body is not JSON/)) expect(said).toMatch(/not a JSON object/);
    for (const said of saidBy(errorIsJson, /without "err"/)) expect(said).toMatch(/no string "err"/);
    for (const said of saidBy(errorIsJson, /"description"/)) expect(said).toMatch(/description/);
    skips(errorIsJson, refusals(ACCEPTED));
  });

  test('receiver-error-has-content-language', () => {
    holds(errorHasContentLanguage, refusals(refusedWith('invalid_request')));
    for (const said of saidBy(errorHasContentLanguage, /no Content-Language/))
      expect(said).toMatch(/wrong-typ/);
    skips(errorHasContentLanguage, refusals(OK_200));
  });
});

describe('redelivery', () => {
  test('receiver-accepts-redelivered-set', () => {
    holds(redeliveryAccepted, { first: delivery(ACCEPTED), again: delivery(ACCEPTED) });
    for (const said of saidBy(redeliveryAccepted, /pushed again/)) expect(said).toMatch(/not 202/);
    skips(redeliveryAccepted, { first: delivery(OK_200), again: delivery(OK_200) });
  });
});

describe('the battery is judged only once the receiver accepts its unbroken baseline', () => {
  const everyCase = (answer: PushAnswer): InvalidSetsCapture['cases'] =>
    BATTERY_CHECKS.map((c) => {
      const id = c.id.replace('receiver-refuses-', '');
      return { id, expected: expectedErr(id), answer };
    });

  test('a receiver that refuses everything gets no pass from the battery: the baseline fails, the rest is inconclusive', () => {
    const refuseAll = refusedWith('invalid_request');
    const capture: InvalidSetsCapture = {
      baseline: { ...BASELINE, answer: refuseAll },
      cases: everyCase(refuseAll),
    };
    expect(acceptsBaseline.evaluate(capture)).not.toEqual([]);
    for (const check of BATTERY_CHECKS) {
      const verdict = check.evaluate(capture);
      expect(isSkip(verdict) ? verdict.skip : verdict, check.id).toMatch(
        /^inconclusive: the receiver refused/,
      );
    }
  });

  test('a receiver that accepts everything passes the baseline and fails every battery check', () => {
    const capture: InvalidSetsCapture = { baseline: BASELINE, cases: everyCase(ACCEPTED) };
    expect(acceptsBaseline.evaluate(capture)).toEqual([]);
    for (const check of BATTERY_CHECKS) {
      const verdict = check.evaluate(capture);
      expect(isSkip(verdict), check.id).toBe(false);
      expect((verdict as readonly unknown[]).length, check.id).toBeGreaterThan(0);
    }
  });
});
