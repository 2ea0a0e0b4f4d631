/**
 * Every ssf-receiver check against captured answers: each of the plan's failing cases
 * (failing-cases.testing.ts) makes its check fail, saying what is wrong; a well-behaved answer makes it
 * hold, and a skip where the check can not apply. Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../../harness/protocol/index.ts';
import { describeFailingCases } from '../core/failing.testing.ts';
import { type Check, isSkip, type Verdict } from '../core/index.ts';
import { INVALID_CASES } from './battery.ts';
import {
  ACCEPTABLE_CHECKS,
  acceptHasEmptyBody,
  acceptsBaseline,
  acceptsValidSets,
  BATTERY_CHECKS,
  errorCodeFitsTheFault,
  errorHasContentLanguage,
  errorIsJson,
  fetchesNoHeaderKeyUrl,
  type InvalidSetsCapture,
  redeliveryAccepted,
  refusedSetsChangedNothing,
} from './checks.ts';
import {
  ACCEPTED,
  acceptableCapture,
  BASELINE,
  batteryCapture,
  caseOf,
  caseResult,
  delivery,
  FAILING_CASES,
  OK_200,
  PROCESSED_BATTERY,
  refusals,
  refusedWith,
  WELL_KEYED,
} from './failing-cases.testing.ts';
import { ssfReceiverPlan } from './index.ts';
import type { PushAnswer } from './push.ts';
import {
  acceptsRotatedKey,
  refusesShortKey,
  refusesWithdrawnKey,
  SIGNING_KEY_CHECKS,
} from './signing-keys.ts';

function holds<C>(check: Check<C>, captured: C): void {
  const verdict: Verdict = check.evaluate(captured);
  expect(isSkip(verdict) ? verdict : verdict.map((p) => p.message), check.id).toEqual([]);
}

function skips<C>(check: Check<C>, captured: C): void {
  expect(isSkip(check.evaluate(captured)), check.id).toBe(true);
}

function checkNamed<C = InvalidSetsCapture>(
  id: string,
  among: readonly Check<C>[] = BATTERY_CHECKS as never,
): Check<C> {
  const check = among.find((c) => c.id === id);
  if (check === undefined) throw new Error(`no check ${id}`);
  return check;
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
  test("every case has a check, in the battery's order, and at least 40 of them", () => {
    expect(BATTERY_CHECKS.map((c) => c.id.replace('receiver-refuses-', ''))).toEqual(
      INVALID_CASES.map((c) => c.id),
    );
    expect(BATTERY_CHECKS.length).toBeGreaterThanOrEqual(40);
  });

  for (const check of BATTERY_CHECKS) {
    const id = check.id.replace('receiver-refuses-', '');
    test(check.id, () => {
      const c = caseOf(id);
      for (const err of c.expected) holds(check, batteryCapture(id, refusedWith(err)));
      for (const status of c.alsoRefusedWith ?? []) holds(check, batteryCapture(id, { ...ACCEPTED, status }));
      // Where RFC 8935 leaves the code open, another registered code is the warning check's business.
      if (!c.codeDecided) holds(check, batteryCapture(id, refusedWith('access_denied')));
      for (const said of saidBy(check, /accepts .* with 202|answers .* with 200/))
        expect(said).toMatch(/accepted it/);
      for (const said of saidBy(check, /"rejected"/)) expect(said).toMatch(/not a registered/);
      for (const said of saidBy(check, /instead of "err"/)) expect(said).toMatch(/names no "err"/);
      for (const said of saidBy(check, /with 500/)) expect(said).toMatch(/RFC 8935 §2.3/);
      for (const said of saidBy(check, /does not answer/)) expect(said).toMatch(/did not answer/);
      if (c.codeDecided)
        for (const said of saidBy(check, /where RFC 8935 §2.4 defines/)) expect(said).toMatch(/defines/);
      skips(check, {
        baseline: BASELINE,
        cases: [{ id, expected: c.expected, skipped: 'not under this profile' }],
      } satisfies InvalidSetsCapture);
      skips(check, { baseline: BASELINE, cases: [] });
    });
  }

  test('the oversized SET may also be refused with 413, and a mislabelled body with 415', () => {
    const oversized = checkNamed('receiver-refuses-oversized');
    holds(oversized, batteryCapture('oversized', { ...ACCEPTED, status: 413, body: 'Payload Too Large' }));
    holds(
      checkNamed('receiver-refuses-wrong-content-type'),
      batteryCapture('wrong-content-type', { ...ACCEPTED, status: 415 }),
    );
    for (const said of saidBy(checkNamed('receiver-refuses-bad-signature'), /with 413/))
      expect(said).toMatch(/HTTP 413/);
  });

  test('the codes RFC 8935 §2.4 decides are required; where it leaves a choice every fitting code holds', () => {
    holds(
      checkNamed('receiver-refuses-wrong-issuer'),
      batteryCapture('wrong-issuer', refusedWith('invalid_issuer')),
    );
    expect(
      checkNamed('receiver-refuses-wrong-issuer').evaluate(
        batteryCapture('wrong-issuer', refusedWith('invalid_request')),
      ),
    ).toHaveLength(1);
    for (const err of ['authentication_failed', 'invalid_key'])
      holds(checkNamed('receiver-refuses-bad-signature'), batteryCapture('bad-signature', refusedWith(err)));
    for (const err of ['invalid_request', 'authentication_failed', 'invalid_key'])
      holds(checkNamed('receiver-refuses-alg-none'), batteryCapture('alg-none', refusedWith(err)));
  });

  test('receiver-error-code-fits-the-fault', () => {
    holds(errorCodeFitsTheFault, batteryCapture('bad-signature', refusedWith('invalid_key')));
    // A decided code is the case's own check's business, an unregistered one too.
    holds(errorCodeFitsTheFault, {
      baseline: BASELINE,
      cases: [
        caseResult('bad-signature', refusedWith('rejected')),
        caseResult('wrong-issuer', refusedWith('access_denied')),
      ],
    });
    for (const said of saidBy(errorCodeFitsTheFault, /"access_denied"/))
      expect(said).toMatch(/alg-none was refused with "access_denied"/);
    skips(errorCodeFitsTheFault, batteryCapture('wrong-issuer', refusedWith('invalid_issuer')));
    expect(REQUIREMENTS[errorCodeFitsTheFault.requirement].level).toBe('warning');
  });

  test('receiver-accepts-long-form-typ', () => {
    const [check] = ACCEPTABLE_CHECKS;
    if (check === undefined) throw new Error('no acceptable check');
    holds(check, acceptableCapture(ACCEPTED));
    for (const said of saidBy(check, /"application\/secevent\+jwt" with 400/))
      expect(said).toMatch(/refused it/);
    skips(check, { baseline: BASELINE, cases: [], acceptable: [{ id: 'long-form-typ', skipped: 'okta' }] });
    expect(
      isSkip(
        check.evaluate({
          ...acceptableCapture(ACCEPTED),
          baseline: { ...BASELINE, answer: refusedWith('invalid_request') },
        }),
      ),
    ).toBe(true);
  });

  test('receiver-fetches-no-key-url-from-the-header', () => {
    holds(fetchesNoHeaderKeyUrl, { baseline: BASELINE, cases: [], lureHits: { jku: 0, x5u: 0 } });
    for (const said of saidBy(fetchesNoHeaderKeyUrl, /"jku" URL/))
      expect(said).toMatch(/"jku" URL of a SET 1 time/);
    skips(fetchesNoHeaderKeyUrl, { baseline: BASELINE, cases: [] });
  });

  test('receiver-error-is-json-with-err', () => {
    holds(errorIsJson, refusals(refusedWith('invalid_request')));
    for (const said of saidBy(errorIsJson, /text\/plain/)) expect(said).toMatch(/Content-Type/);
    for (const said of saidBy(errorIsJson, /body is not JSON/)) expect(said).toMatch(/not a JSON object/);
    for (const said of saidBy(errorIsJson, /without "err"/)) expect(said).toMatch(/no string "err"/);
    for (const said of saidBy(errorIsJson, /number 7/)) expect(said).toMatch(/not a string/);
    for (const said of saidBy(errorIsJson, /no "description"/))
      expect(said).toMatch(/RFC 8935 §2.3 lists it/);
    skips(errorIsJson, refusals(ACCEPTED));
  });

  test('receiver-error-has-content-language', () => {
    holds(errorHasContentLanguage, refusals(refusedWith('invalid_request')));
    for (const said of saidBy(errorHasContentLanguage, /no Content-Language/))
      expect(said).toMatch(/wrong-typ/);
    skips(errorHasContentLanguage, refusals(OK_200));
  });
});

describe('signing keys', () => {
  test('every check holds for a receiver that follows the JWKS', () => {
    for (const check of SIGNING_KEY_CHECKS) holds(check, WELL_KEYED);
  });

  test('a receiver that refuses the harness key leaves every check inconclusive', () => {
    const refusing = { ...WELL_KEYED, baseline: { answer: refusedWith('invalid_key') } };
    for (const check of SIGNING_KEY_CHECKS) {
      const verdict = check.evaluate(refusing);
      expect(isSkip(verdict) && verdict.inconclusive, check.id).toBe(true);
    }
  });

  test('a refusal before the receiver fetched the changed JWKS shows nothing', () => {
    const notYet = (answer: PushAnswer) => ({ kid: 'k', answer, afterFetch: false, attempts: 3 });
    const short = refusesShortKey.evaluate({ ...WELL_KEYED, shortKey: notYet(refusedWith('invalid_key')) });
    expect(isSkip(short) && short.inconclusive).toBe(true);
    const withdrawn = refusesWithdrawnKey.evaluate({ ...WELL_KEYED, withdrawn: notYet(ACCEPTED) });
    expect(isSkip(withdrawn) && withdrawn.inconclusive).toBe(true);
    const algorithm = checkNamed('receiver-accepts-ps256-signed-sets', SIGNING_KEY_CHECKS).evaluate({
      ...WELL_KEYED,
      algorithms: { ...WELL_KEYED.algorithms, PS256: notYet(refusedWith('invalid_key')) },
    });
    expect(isSkip(algorithm) && algorithm.inconclusive).toBe(true);
    for (const said of saidBy(acceptsRotatedKey, /never fetches/))
      expect(said).toMatch(/never fetched the JWKS again/);
  });

  test('the withdrawal is not judged when the rotated key was never accepted', () => {
    skips(refusesWithdrawnKey, {
      ...WELL_KEYED,
      rotated: { ...WELL_KEYED.rotated, answer: refusedWith('invalid_key') },
    });
  });

  test('levels follow RFC 7518 and RFC 8037: RS256 and ES256 are warnings, PS256 and EdDSA notes, a short key a failure', () => {
    const level = (id: string) => REQUIREMENTS[checkNamed(id, SIGNING_KEY_CHECKS).requirement].level;
    expect(level('receiver-accepts-rs256-signed-sets')).toBe('warning');
    expect(level('receiver-accepts-es256-signed-sets')).toBe('warning');
    expect(level('receiver-accepts-ps256-signed-sets')).toBe('info');
    expect(level('receiver-accepts-eddsa-signed-sets')).toBe('info');
    expect(level('receiver-refuses-short-rsa-key')).toBe('failure');
  });
});

describe('refused SETs change nothing', () => {
  test('receiver-refused-sets-changed-nothing', () => {
    holds(refusedSetsChangedNothing, PROCESSED_BATTERY);
    for (const said of saidBy(refusedSetsChangedNothing, /lists it among/))
      expect(said).toMatch(/wrong-issuer \(jti refused-1\) and processed it all the same/);
    // Without a list, with one that cannot be read, or one without the accepted baseline: nothing to judge.
    const { processed: _processed, ...unlisted } = PROCESSED_BATTERY;
    expect(refusedSetsChangedNothing.evaluate(unlisted)).toEqual({
      skip: expect.stringMatching(/no processedSets configured/),
    });
    for (const processed of [{ error: 'GET x answered HTTP 401' }, { jtis: ['someone-else'] }])
      expect(refusedSetsChangedNothing.evaluate({ ...PROCESSED_BATTERY, processed })).toMatchObject({
        inconclusive: true,
      });
    // A refused case without a readable jti cannot be looked for.
    const jtiless = {
      ...PROCESSED_BATTERY,
      cases: [caseResult('wrong-issuer', refusedWith('invalid_issuer'))],
    };
    skips(refusedSetsChangedNothing, jtiless);
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
    BATTERY_CHECKS.map((c) => caseResult(c.id.replace('receiver-refuses-', ''), answer));

  test('a receiver that refuses everything gets no pass from the battery: the baseline fails, the rest is inconclusive', () => {
    const refuseAll = refusedWith('invalid_request');
    const capture: InvalidSetsCapture = {
      baseline: { ...BASELINE, answer: refuseAll },
      cases: everyCase(refuseAll),
      acceptable: [{ id: 'long-form-typ', answer: refuseAll }],
    };
    expect(acceptsBaseline.evaluate(capture)).not.toEqual([]);
    for (const check of [...BATTERY_CHECKS, errorCodeFitsTheFault, ...ACCEPTABLE_CHECKS]) {
      const verdict = check.evaluate(capture);
      expect(isSkip(verdict) && verdict.inconclusive, check.id).toBe(true);
      expect(isSkip(verdict) ? verdict.skip : verdict, check.id).toMatch(
        /^the receiver refused the battery's unbroken baseline/,
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
