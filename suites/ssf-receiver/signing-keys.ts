/**
 * The `signing-keys` module: what a receiver does with the transmitter's keys as the harness changes the
 * JWKS it serves. It publishes one key per algorithm the profile allows and an RSA key too short to use,
 * then a rotated key, then withdraws that key again — and after each change pushes SETs signed with the
 * keys concerned. A receiver caches a JWKS and refetches it when it must, so each answer is only judged once
 * the receiver has fetched the JWKS that holds (or no longer holds) the key: the harness counts the fetches,
 * and pushes again (`keyRotationWaitMs`) until one is seen. It needs a JWKS the harness serves (`jwksPath`);
 * a receiver given a fixed JWKS is skipped.
 */
import type { ProfileName, SigningAlgorithm, SigningKey } from '../../harness/protocol/index.ts';
import {
  type Check,
  defineCheck,
  expectThat,
  inconclusive,
  problem,
  SkipModule,
  type SuiteContext,
  skip,
  type Verdict,
} from '../core/index.ts';
import { judgeRefusal } from './checks.ts';
import { harnessSideKey, SHORT_RSA_BITS, shortRsaKey } from './keys.ts';
import { profileOf, type SsfReceiverOptions } from './options.ts';
import { describeAnswer, type PushAnswer, pushSet } from './push.ts';
import { prepareServing, type ServedJwks } from './serving.ts';
import type { SetFactory } from './sets.ts';

/** The algorithms ssf-lab signs with, each with the requirement that rates a receiver's support for it. */
export const ALGORITHMS: readonly {
  readonly alg: SigningAlgorithm;
  readonly requirement: 'RFC7518-3.1-RS256' | 'RFC7518-3.1-PS256' | 'RFC7518-3.1-ES256' | 'RFC8037-3.1';
}[] = [
  { alg: 'RS256', requirement: 'RFC7518-3.1-RS256' },
  { alg: 'PS256', requirement: 'RFC7518-3.1-PS256' },
  { alg: 'ES256', requirement: 'RFC7518-3.1-ES256' },
  { alg: 'EdDSA', requirement: 'RFC8037-3.1' },
];

/** Default of `keyRotationWaitMs`: longer than the 30 s many receivers wait between two JWKS fetches. */
export const DEFAULT_KEY_ROTATION_WAIT_MS = 60_000;
/** How long the harness waits between two pushes while it waits for the receiver to fetch the JWKS. */
const RETRY_INTERVAL_MS = 1_000;

/** A push signed with one key, and whether the receiver had fetched the changed JWKS when it answered. */
export interface KeyPush {
  readonly kid: string;
  readonly answer?: PushAnswer;
  /** Why it was not sent (the profile does not allow the algorithm). */
  readonly skipped?: string;
  /** The receiver fetched the JWKS after the harness changed it, before this answer. */
  readonly afterFetch: boolean;
  readonly attempts: number;
}

export interface SigningKeysCapture {
  /** A SET signed with the harness key before anything changes: if refused, nothing here means anything. */
  readonly baseline: { readonly answer: PushAnswer };
  readonly algorithms: Readonly<Partial<Record<SigningAlgorithm, KeyPush>>>;
  readonly shortKey: KeyPush;
  readonly rotated: KeyPush;
  readonly withdrawn: KeyPush;
  readonly waitedMs: number;
}

const accepted = (answer: PushAnswer): boolean => answer.status >= 200 && answer.status < 300;

function unjudgeable(c: SigningKeysCapture): Verdict | undefined {
  return accepted(c.baseline.answer)
    ? undefined
    : inconclusive(
        `the receiver refused a valid SET signed with the harness key (${describeAnswer(c.baseline.answer)}), so its answers to the other keys show nothing`,
      );
}

const neverFetched = (c: SigningKeysCapture, what: string): Verdict =>
  inconclusive(
    `the receiver did not fetch the JWKS within ${c.waitedMs} ms after ${what}, so its answer shows nothing`,
  );

function acceptsAlgorithm(
  alg: SigningAlgorithm,
  requirement: (typeof ALGORITHMS)[number]['requirement'],
): Check<SigningKeysCapture> {
  return defineCheck<SigningKeysCapture>({
    id: `receiver-accepts-${alg.toLowerCase()}-signed-sets`,
    title: `A SET signed with ${alg} by a key the JWKS publishes is accepted.`,
    requirement,
    evaluate(c) {
      const judged = unjudgeable(c);
      if (judged !== undefined) return judged;
      const push = c.algorithms[alg];
      if (push === undefined || push.answer === undefined) return skip(push?.skipped ?? 'not sent');
      if (accepted(push.answer)) return [];
      if (!push.afterFetch) return neverFetched(c, `the ${alg} key was published`);
      return [
        problem(
          `a valid SET signed with ${alg} (kid ${push.kid}) was answered ${describeAnswer(push.answer)}`,
        ),
      ];
    },
  });
}

export const ALGORITHM_CHECKS: readonly Check<SigningKeysCapture>[] = ALGORITHMS.map(({ alg, requirement }) =>
  acceptsAlgorithm(alg, requirement),
);

export const refusesShortKey = defineCheck<SigningKeysCapture>({
  id: 'receiver-refuses-short-rsa-key',
  title: `A SET signed with a published RSA key of ${SHORT_RSA_BITS} bits is refused with 400 and a registered "err".`,
  requirement: 'RFC7518-3.3',
  evaluate(c) {
    const judged = unjudgeable(c);
    if (judged !== undefined) return judged;
    const { shortKey } = c;
    if (shortKey.answer === undefined) return skip(shortKey.skipped ?? 'not sent');
    // A refusal before the receiver fetched the JWKS may only mean "unknown kid".
    if (!accepted(shortKey.answer) && shortKey.answer.status !== 0 && !shortKey.afterFetch)
      return neverFetched(c, 'the short key was published');
    return judgeRefusal({
      id: 'short-rsa-key',
      expected: ['invalid_key', 'authentication_failed'],
      answer: shortKey.answer,
    });
  },
});

export const acceptsRotatedKey = defineCheck<SigningKeysCapture>({
  id: 'receiver-accepts-a-rotated-key',
  title:
    'A SET signed with a key newly added to the JWKS (a new "kid") is accepted once the receiver refetches the JWKS.',
  requirement: 'LAB-KEY-ROTATION',
  evaluate(c) {
    const judged = unjudgeable(c);
    if (judged !== undefined) return judged;
    const { rotated } = c;
    if (rotated.answer === undefined) return skip(rotated.skipped ?? 'not sent');
    return expectThat(
      accepted(rotated.answer),
      rotated.afterFetch
        ? `the receiver fetched the JWKS holding the new key ${rotated.kid} and still answered ${describeAnswer(rotated.answer)}`
        : `the receiver never fetched the JWKS again within ${c.waitedMs} ms (${rotated.attempts} pushes), so it refused the new key ${rotated.kid}: ${describeAnswer(rotated.answer)}`,
      { kid: rotated.kid, attempts: rotated.attempts },
    );
  },
});

export const refusesWithdrawnKey = defineCheck<SigningKeysCapture>({
  id: 'receiver-refuses-a-withdrawn-key',
  title:
    'A SET signed with a key withdrawn from the JWKS is refused once the receiver has refetched the JWKS.',
  requirement: 'LAB-KEY-WITHDRAWAL',
  evaluate(c) {
    const judged = unjudgeable(c);
    if (judged !== undefined) return judged;
    const { rotated, withdrawn } = c;
    if (rotated.answer === undefined || !accepted(rotated.answer))
      return skip('the receiver never accepted the key, so withdrawing it shows nothing');
    if (withdrawn.answer === undefined) return skip(withdrawn.skipped ?? 'not sent');
    if (accepted(withdrawn.answer) && !withdrawn.afterFetch) return neverFetched(c, 'the key was withdrawn');
    return expectThat(
      !accepted(withdrawn.answer),
      `the receiver fetched the JWKS without key ${withdrawn.kid} and still accepted a SET signed with it (${describeAnswer(withdrawn.answer)})`,
      { kid: withdrawn.kid },
    );
  },
});

export const SIGNING_KEY_CHECKS: readonly Check<SigningKeysCapture>[] = [
  ...ALGORITHM_CHECKS,
  refusesShortKey,
  acceptsRotatedKey,
  refusesWithdrawnKey,
];

/** Why a profile does not let an algorithm be judged, if it does not. */
function algorithmUnjudged(profile: ProfileName, alg: SigningAlgorithm): string | undefined {
  return profile === 'caep-interop' && alg !== 'RS256'
    ? `the interop profile allows RS256 only (CAEP-IOP-2.6), so ${alg} is not expected to be accepted`
    : undefined;
}

interface Pusher {
  readonly ctx: SuiteContext;
  readonly options: SsfReceiverOptions;
  readonly factory: SetFactory;
  readonly served: ServedJwks;
  readonly eventType: string;
  readonly waitMs: number;
}

/** Pushes a valid SET signed with `key`, under its own kid. */
function pushWith(p: Pusher, key: SigningKey): Promise<PushAnswer> {
  return p.factory
    .sign(p.factory.claims(p.eventType), { kid: key.kid }, key)
    .then((token) => pushSet(p.ctx, p.options, token));
}

/**
 * Pushes SETs signed with `key` until one is accepted or the receiver is seen to fetch the JWKS changed
 * when it had been fetched `since` times, or the wait is over: the last answer is the one judged.
 */
async function pushUntilFetched(p: Pusher, key: SigningKey, since: number): Promise<KeyPush> {
  const deadline = p.ctx.now() + p.waitMs;
  for (let attempts = 1; ; attempts++) {
    const answer = await pushWith(p, key);
    const afterFetch = p.served.jwksFetches() > since;
    if (accepted(answer) || afterFetch || answer.status === 0 || p.ctx.now() >= deadline)
      return { kid: key.kid, answer, afterFetch, attempts };
    await p.ctx.sleep(RETRY_INTERVAL_MS);
  }
}

/** Runs the module's three steps against a JWKS the harness serves. */
export async function runSigningKeys(
  ctx: SuiteContext,
  options: SsfReceiverOptions,
  eventType: string,
): Promise<SigningKeysCapture> {
  const { factory, served } = await prepareServing(ctx, options);
  if (served === undefined)
    throw new SkipModule(
      'the receiver trusts a JWKS the harness does not serve (no jwksPath), so no key can be added or withdrawn during the run',
    );
  const profile = profileOf(options);
  const p: Pusher = {
    ctx,
    options,
    factory,
    served,
    eventType,
    waitMs: options.keyRotationWaitMs ?? DEFAULT_KEY_ROTATION_WAIT_MS,
  };
  const base = factory.key;
  const algorithmKeys = await Promise.all(ALGORITHMS.map(({ alg }) => harnessSideKey(alg, 'algorithm')));
  const short = await shortRsaKey();
  const rotatedKey = await harnessSideKey(base.alg, 'rotated');
  const probe = await harnessSideKey(base.alg, 'probe');

  // Step 1: the keys of every algorithm and the short one, published beside the harness key.
  const first = [base, ...algorithmKeys, short];
  served.publish(first);
  let since = served.jwksFetches();
  ctx.progress('push a SET signed with the harness key, then one per algorithm and one with a short RSA key');
  const baseline = { answer: await pushWith(p, base) };
  const algorithms: Partial<Record<SigningAlgorithm, KeyPush>> = {};
  for (const [i, { alg }] of ALGORITHMS.entries()) {
    const key = algorithmKeys[i] as SigningKey;
    const unjudged = algorithmUnjudged(profile, alg);
    algorithms[alg] = unjudged
      ? { kid: key.kid, skipped: unjudged, afterFetch: false, attempts: 0 }
      : await pushUntilFetched(p, key, since);
  }
  const shortKey = await pushUntilFetched(p, short, since);

  // Step 2: a rotated key is published, then used.
  served.publish([...first, rotatedKey]);
  since = served.jwksFetches();
  ctx.progress(`publish a new key ${rotatedKey.kid} and push a SET signed with it`);
  const rotated = await pushUntilFetched(p, rotatedKey, since);

  // Step 3: the rotated key is withdrawn. A SET under an unpublished kid makes the receiver refetch; once
  // it has, a SET signed with the withdrawn key is pushed.
  served.publish(first);
  since = served.jwksFetches();
  ctx.progress(
    `withdraw key ${rotatedKey.kid} and push a SET signed with it once the receiver refetched the JWKS`,
  );
  let withdrawn: KeyPush;
  if (rotated.answer === undefined || !accepted(rotated.answer)) {
    withdrawn = {
      kid: rotatedKey.kid,
      skipped: 'the rotated key was never accepted',
      afterFetch: false,
      attempts: 0,
    };
  } else {
    const probed = await pushUntilFetched(p, probe, since);
    const answer = await pushWith(p, rotatedKey);
    withdrawn = {
      kid: rotatedKey.kid,
      answer,
      afterFetch: served.jwksFetches() > since,
      attempts: probed.attempts + 1,
    };
  }
  return { baseline, algorithms, shortKey, rotated, withdrawn, waitedMs: p.waitMs };
}
