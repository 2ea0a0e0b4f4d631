/**
 * Every ssf-receiver check against captured answers: one that makes it fail, one that makes it hold
 * (and a skip where the check can not apply). Pure: no servers.
 */
import { describe, expect, test } from 'vitest';
import { type Check, isSkip, type Verdict } from '../core/index.ts';
import {
  acceptHasEmptyBody,
  acceptsValidSets,
  BATTERY_CHECKS,
  type Delivery,
  errorHasContentLanguage,
  errorIsJson,
  type InvalidCaseResult,
  type InvalidSetsCapture,
  redeliveryAccepted,
} from './checks.ts';
import type { PushAnswer } from './push.ts';

const accepted: PushAnswer = { status: 202, contentType: null, contentLanguage: null, body: '' };
const ok200: PushAnswer = {
  status: 200,
  contentType: 'application/json',
  contentLanguage: null,
  body: '{"ok":true}',
  json: { ok: true },
};

function refusedWith(err: string, extra: Partial<PushAnswer> = {}): PushAnswer {
  const json = { err, description: 'no' };
  return {
    status: 400,
    contentType: 'application/json; charset=utf-8',
    contentLanguage: 'en',
    body: JSON.stringify(json),
    json,
    ...extra,
  };
}

const delivery = (answer: PushAnswer): Delivery => ({ eventType: 'urn:example:event', jti: 'j1', answer });

function holds<C>(check: Check<C>, captured: C): void {
  const verdict: Verdict = check.evaluate(captured);
  expect(isSkip(verdict) ? verdict : verdict.map((p) => p.message), check.id).toEqual([]);
}

function fails<C>(check: Check<C>, captured: C, message?: RegExp): void {
  const verdict = check.evaluate(captured);
  expect(isSkip(verdict), `${check.id} skipped`).toBe(false);
  const problems = verdict as readonly { message: string }[];
  expect(problems.length, check.id).toBeGreaterThan(0);
  if (message) expect(problems.map((p) => p.message).join('\n')).toMatch(message);
}

function skips<C>(check: Check<C>, captured: C): void {
  expect(isSkip(check.evaluate(captured)), check.id).toBe(true);
}

describe('valid SETs', () => {
  test('receiver-accepts-valid-sets-with-202', () => {
    holds(acceptsValidSets, { deliveries: [delivery(accepted)] });
    fails(acceptsValidSets, { deliveries: [delivery(accepted), delivery(ok200)] }, /HTTP 200/);
    fails(
      acceptsValidSets,
      {
        deliveries: [delivery({ ...accepted, status: 0, error: 'ECONNREFUSED' })],
      },
      /ECONNREFUSED/,
    );
    skips(acceptsValidSets, { deliveries: [] });
  });

  test('receiver-accept-has-empty-body', () => {
    holds(acceptHasEmptyBody, { deliveries: [delivery(accepted)] });
    fails(acceptHasEmptyBody, { deliveries: [delivery({ ...accepted, body: '{"status":"ok"}' })] });
    skips(acceptHasEmptyBody, { deliveries: [delivery(ok200)] });
  });
});

describe('the invalid-SET battery', () => {
  const expectedErr: Record<string, string> = {
    'bad-signature': 'authentication_failed',
    'unknown-kid': 'invalid_key',
    'wrong-issuer': 'invalid_issuer',
    'wrong-audience': 'invalid_audience',
    'missing-typ': 'invalid_request',
    'wrong-typ': 'invalid_request',
    'sub-present': 'invalid_request',
    'exp-present': 'invalid_request',
    'alg-none': 'invalid_request',
    oversized: 'invalid_request',
    'wrong-state': 'invalid_state',
  };
  const capture = (id: string, answer: PushAnswer | undefined, skipped?: string): InvalidSetsCapture => ({
    cases: [
      {
        id,
        expected: [expectedErr[id] ?? 'invalid_request'],
        ...(answer === undefined ? {} : { answer }),
        ...(skipped === undefined ? {} : { skipped }),
      },
    ],
  });

  test('every case has a check', () => {
    expect(BATTERY_CHECKS.map((c) => c.id.replace('receiver-refuses-', '')).sort()).toEqual(
      Object.keys(expectedErr).sort(),
    );
  });

  for (const check of BATTERY_CHECKS) {
    const id = check.id.replace('receiver-refuses-', '');
    test(check.id, () => {
      holds(check, capture(id, refusedWith(expectedErr[id] ?? '')));
      fails(check, capture(id, accepted), /accepted it/);
      fails(check, capture(id, ok200), /accepted it/);
      fails(check, capture(id, refusedWith('access_denied')), /"access_denied"; expected/);
      fails(
        check,
        capture(id, { ...refusedWith('x'), json: { error: 'invalid_request' } }),
        /names no "err"/,
      );
      fails(check, capture(id, { ...accepted, status: 500, body: 'boom' }), /RFC 8935 §2.3/);
      fails(check, capture(id, { ...accepted, status: 0, error: 'timeout' }), /did not answer/);
      skips(check, capture(id, undefined, 'not under this profile'));
      skips(check, { cases: [] });
    });
  }

  test('the oversized SET may also be refused with 413', () => {
    const oversized = BATTERY_CHECKS.find((c) => c.id === 'receiver-refuses-oversized');
    const badSignature = BATTERY_CHECKS.find((c) => c.id === 'receiver-refuses-bad-signature');
    if (!oversized || !badSignature) throw new Error('missing check');
    const tooLarge = { ...accepted, status: 413, body: 'Payload Too Large' };
    holds(oversized, capture('oversized', tooLarge));
    fails(badSignature, capture('bad-signature', tooLarge));
  });

  test('an unsigned SET may be refused as malformed or as unauthenticated', () => {
    const check = BATTERY_CHECKS.find((c) => c.id === 'receiver-refuses-alg-none');
    if (!check) throw new Error('missing check');
    const cases = (err: string): InvalidSetsCapture => ({
      cases: [
        { id: 'alg-none', expected: ['invalid_request', 'authentication_failed'], answer: refusedWith(err) },
      ],
    });
    holds(check, cases('authentication_failed'));
    holds(check, cases('invalid_request'));
    fails(check, cases('invalid_key'));
  });

  const refused = (answer: PushAnswer): InvalidSetsCapture => ({
    cases: [
      { id: 'wrong-typ', expected: ['invalid_request'], answer },
      { id: 'sub-present', expected: ['invalid_request'], answer: accepted },
    ] satisfies InvalidCaseResult[],
  });

  test('receiver-error-is-json-with-err', () => {
    holds(errorIsJson, refused(refusedWith('invalid_request')));
    fails(
      errorIsJson,
      refused(refusedWith('invalid_request', { contentType: 'text/plain' })),
      /Content-Type/,
    );
    fails(
      errorIsJson,
      refused({ status: 400, contentType: 'application/json', contentLanguage: 'en', body: 'bad' }),
      /not a JSON object/,
    );
    fails(errorIsJson, refused({ ...refusedWith('x'), json: { description: 'no err' } }), /no string "err"/);
    fails(
      errorIsJson,
      refused({ ...refusedWith('x'), json: { err: 'invalid_request', description: 7 } }),
      /description/,
    );
    skips(errorIsJson, refused(accepted));
  });

  test('receiver-error-has-content-language', () => {
    holds(errorHasContentLanguage, refused(refusedWith('invalid_request')));
    fails(
      errorHasContentLanguage,
      refused(refusedWith('invalid_request', { contentLanguage: null })),
      /wrong-typ/,
    );
    skips(errorHasContentLanguage, refused(ok200));
  });
});

describe('redelivery', () => {
  test('receiver-accepts-redelivered-set', () => {
    holds(redeliveryAccepted, { first: delivery(accepted), again: delivery(accepted) });
    fails(
      redeliveryAccepted,
      { first: delivery(accepted), again: delivery(refusedWith('invalid_request')) },
      /not 202/,
    );
    skips(redeliveryAccepted, { first: delivery(ok200), again: delivery(ok200) });
  });
});
