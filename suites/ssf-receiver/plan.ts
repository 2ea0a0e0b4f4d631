/**
 * The `ssf-receiver` plan: the harness is the transmitter and grades a receiver's push endpoint — one
 * valid SET per event type (202, empty), the invalid-SET battery the OIDF suite never sends (an unbroken
 * baseline first; then each case refused with 400, JSON, Content-Language and a fitting `err`), redelivery
 * of a SET already accepted (202 again), the keys it trusts as the harness changes its JWKS, and — for a
 * receiver that manages its own stream — the OIDF receiver plan's stream and verification steps.
 */
import { BODY_CAPS, readBodyText } from '../../harness/kernel/index.ts';
import { decodeSet } from '../../harness/protocol/index.ts';
import { defineModule, definePlan, SkipModule, type SuiteContext } from '../core/index.ts';
import { ACCEPTABLE_CASES, type CaseContext, INVALID_CASES } from './battery.ts';
import {
  ACCEPTABLE_CHECKS,
  type AcceptableCaseResult,
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
  type RedeliveryCapture,
  redeliveryAccepted,
  refusedSetsChangedNothing,
  type ValidSetsCapture,
} from './checks.ts';
import {
  eventsOf,
  type ProcessedSetsOptions,
  profileOf,
  SSF_RECEIVER_OPTIONS_SCHEMA,
  type SsfReceiverOptions,
} from './options.ts';
import { pushSet } from './push.ts';
import { prepareServing } from './serving.ts';
import type { SetFactory } from './sets.ts';
import { runSigningKeys, SIGNING_KEY_CHECKS, type SigningKeysCapture } from './signing-keys.ts';
import { streamManagement } from './stream-management.ts';

export { prepareServing } from './serving.ts';

/** Pushing SETs changes the receiver's state (what it processes); a dry run pushes nothing. */
export function intendPushes(ctx: SuiteContext, pushEndpoint: string, what: string): void {
  if (!ctx.intend(`push ${what} to ${pushEndpoint}`)) throw new SkipModule(`dry run: would push ${what}`);
}

export async function prepare(ctx: SuiteContext, options: SsfReceiverOptions): Promise<SetFactory> {
  return (await prepareServing(ctx, options)).factory;
}

/** Pushes a valid SET of `eventType` and keeps its jti with the answer. */
export async function deliver(
  ctx: SuiteContext,
  options: SsfReceiverOptions,
  factory: SetFactory,
  eventType: string,
): Promise<Delivery & { readonly token: string }> {
  const claims = factory.claims(eventType);
  const token = await factory.sign(claims);
  const answer = await pushSet(ctx, options, token);
  return { eventType, jti: String(claims.jti), answer, token };
}

const validSets = defineModule<SsfReceiverOptions, ValidSetsCapture>({
  id: 'valid-sets',
  title: 'One valid SET per event type',
  async run(ctx, options) {
    intendPushes(ctx, options.pushEndpoint, 'one valid SET per event type');
    const factory = await prepare(ctx, options);
    const deliveries: Delivery[] = [];
    for (const eventType of eventsOf(options)) {
      ctx.progress(`push a valid ${eventType}`);
      const { token: _token, ...delivery } = await deliver(ctx, options, factory, eventType);
      deliveries.push(delivery);
    }
    return { deliveries };
  },
  checks: [acceptsValidSets, acceptHasEmptyBody],
});

/** The `jti` of a compact SET, if its payload reads as JSON with a string one (broken cases often do not). */
function jtiOf(token: string): string | undefined {
  const jti = decodeSet(token).payload?.jti;
  return typeof jti === 'string' ? jti : undefined;
}

/** The receiver's list of processed SETs, or why it could not be read (never thrown: the check says so). */
async function readProcessed(
  ctx: SuiteContext,
  list: ProcessedSetsOptions,
): Promise<NonNullable<InvalidSetsCapture['processed']>> {
  ctx.progress(`read the SETs the receiver processed from ${list.url}`);
  try {
    const response = await ctx.fetch(list.url, {
      headers: {
        accept: 'application/json',
        ...(list.authorization === undefined ? {} : { authorization: list.authorization }),
      },
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { error: `GET ${list.url} answered HTTP ${response.status}` };
    }
    // Refused past BODY_CAPS.apiAnswer (the catch below says so) rather than buffered.
    const text = await readBodyText(response, BODY_CAPS.apiAnswer);
    const jtis = (JSON.parse(text) as { jtis?: unknown } | null)?.jtis;
    if (!Array.isArray(jtis) || !jtis.every((j) => typeof j === 'string'))
      return { error: `GET ${list.url} did not answer {"jtis": [strings]}` };
    return { jtis };
  } catch (error) {
    return { error: `GET ${list.url} failed: ${(error as Error).message}` };
  }
}

const notUnder = (profile: string, elsewhere: string | undefined): string =>
  `not a fault under the ${profile} profile: ${elsewhere ?? ''}`;

const invalidSets = defineModule<SsfReceiverOptions, InvalidSetsCapture>({
  id: 'invalid-sets',
  title: 'The invalid-SET battery',
  async run(ctx, options) {
    intendPushes(ctx, options.pushEndpoint, 'invalid SETs');
    const { factory, served } = await prepareServing(ctx, options);
    const profile = profileOf(options);
    const eventType = eventsOf(options)[0];
    if (eventType === undefined) throw new SkipModule('no event type to build SETs from');
    const caseContext: CaseContext = served === undefined ? {} : { lure: served.base };
    // First the baseline: the same SET with nothing broken. Only if it is accepted do refusals mean anything.
    ctx.progress(`push the battery's baseline: a valid ${eventType}`);
    const { token: _baseline, ...baseline } = await deliver(ctx, options, factory, eventType);
    const cases: InvalidCaseResult[] = [];
    for (const c of INVALID_CASES) {
      const judged = {
        id: c.id,
        expected: c.expected,
        codeDecided: c.codeDecided,
        ...(c.alsoRefusedWith === undefined ? {} : { alsoRefusedWith: c.alsoRefusedWith }),
      };
      if (c.profiles !== undefined && !c.profiles.includes(profile)) {
        cases.push({ ...judged, skipped: notUnder(profile, c.elsewhere) });
        continue;
      }
      ctx.progress(`push an invalid SET: ${c.id}`);
      const token = await c.make(factory, eventType, caseContext);
      const jti = typeof token === 'string' ? jtiOf(token) : undefined;
      cases.push({
        ...judged,
        answer: await pushSet(ctx, options, token),
        ...(jti === undefined ? {} : { jti }),
      });
    }
    const acceptable: AcceptableCaseResult[] = [];
    for (const c of ACCEPTABLE_CASES) {
      if (c.profiles !== undefined && !c.profiles.includes(profile)) {
        acceptable.push({ id: c.id, skipped: notUnder(profile, c.elsewhere) });
        continue;
      }
      ctx.progress(`push a SET it must accept: ${c.id}`);
      acceptable.push({ id: c.id, answer: await pushSet(ctx, options, await c.make(factory, eventType)) });
    }
    const processed = options.processedSets && (await readProcessed(ctx, options.processedSets));
    return {
      baseline,
      cases,
      acceptable,
      ...(served === undefined ? {} : { lureHits: served.lureHits() }),
      ...(processed === undefined ? {} : { processed }),
    };
  },
  checks: [
    acceptsBaseline,
    ...BATTERY_CHECKS,
    errorCodeFitsTheFault,
    ...ACCEPTABLE_CHECKS,
    fetchesNoHeaderKeyUrl,
    errorIsJson,
    errorHasContentLanguage,
    refusedSetsChangedNothing,
  ],
});

const redelivery = defineModule<SsfReceiverOptions, RedeliveryCapture>({
  id: 'redelivery',
  title: 'The same SET pushed twice',
  async run(ctx, options) {
    intendPushes(ctx, options.pushEndpoint, 'one valid SET twice');
    const factory = await prepare(ctx, options);
    const eventType = eventsOf(options)[0];
    if (eventType === undefined) throw new SkipModule('no event type to send');
    const { token, ...first } = await deliver(ctx, options, factory, eventType);
    ctx.progress(`push ${first.jti} again`);
    const again: Delivery = { ...first, answer: await pushSet(ctx, options, token) };
    return { first, again };
  },
  checks: [redeliveryAccepted],
});

/**
 * Last of the push modules: it leaves the receiver having cached a JWKS the next module's serving replaces,
 * and it may wait for the receiver to refetch.
 */
const signingKeys = defineModule<SsfReceiverOptions, SigningKeysCapture>({
  id: 'signing-keys',
  title: 'Algorithms, a rotated key and a withdrawn one',
  async run(ctx, options) {
    intendPushes(ctx, options.pushEndpoint, 'SETs signed with keys the harness publishes and withdraws');
    const eventType = eventsOf(options)[0];
    if (eventType === undefined) throw new SkipModule('no event type to send');
    return runSigningKeys(ctx, options, eventType);
  },
  checks: SIGNING_KEY_CHECKS,
});

export const ssfReceiverPlan = definePlan<SsfReceiverOptions>({
  name: 'ssf-receiver',
  title: 'SSF receiver (RFC 8935 push)',
  role: 'The harness is an SSF transmitter pushing valid and invalid SETs to the receiver, and serving it a management API.',
  optionsSchema: SSF_RECEIVER_OPTIONS_SCHEMA,
  modules: [validSets, invalidSets, redelivery, signingKeys, streamManagement],
});
