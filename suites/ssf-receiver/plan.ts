/**
 * The `ssf-receiver` plan: the harness is the transmitter and grades a receiver's push endpoint — one
 * valid SET per event type (202, empty), the invalid-SET battery the OIDF suite never sends (400, JSON,
 * Content-Language, the matching `err`), redelivery of a SET already accepted (202 again), and — for a
 * receiver that manages its own stream — the OIDF receiver plan's stream and verification steps.
 */
import Fastify from 'fastify';
import { defineModule, definePlan, SkipModule, type SuiteContext } from '../core/index.ts';
import {
  acceptHasEmptyBody,
  acceptsBaseline,
  acceptsValidSets,
  BATTERY_CHECKS,
  type Delivery,
  errorHasContentLanguage,
  errorIsJson,
  type InvalidCaseResult,
  type InvalidSetsCapture,
  type RedeliveryCapture,
  redeliveryAccepted,
  type ValidSetsCapture,
} from './checks.ts';
import { eventsOf, profileOf, SSF_RECEIVER_OPTIONS_SCHEMA, type SsfReceiverOptions } from './options.ts';
import { pushSet } from './push.ts';
import { INVALID_CASES, jwksOf, type SetFactory, setFactory } from './sets.ts';
import { streamManagement } from './stream-management.ts';

/**
 * The factory for a module's SETs; when the harness hosts the JWKS (`jwksPath`) it is served for the
 * module's duration and taken away after, and its URL is returned.
 */
export async function prepareServing(
  ctx: SuiteContext,
  options: SsfReceiverOptions,
): Promise<{ readonly factory: SetFactory; readonly jwksUrl?: string }> {
  const factory = await setFactory(options, () => ctx.now());
  if (options.jwksPath === undefined) return { factory };
  const app = Fastify();
  const jwks = jwksOf(factory);
  app.get(options.jwksPath, async (_request, reply) => reply.header('cache-control', 'no-store').send(jwks));
  const served = await ctx.serve('ssf-receiver-keys', app);
  ctx.defer('stop serving the harness JWKS', () => served.detach());
  const jwksUrl = `${served.url}${options.jwksPath}`;
  ctx.progress(`serving the harness JWKS at ${jwksUrl}`);
  return { factory, jwksUrl };
}

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

const invalidSets = defineModule<SsfReceiverOptions, InvalidSetsCapture>({
  id: 'invalid-sets',
  title: 'The invalid-SET battery',
  async run(ctx, options) {
    intendPushes(ctx, options.pushEndpoint, 'invalid SETs');
    const factory = await prepare(ctx, options);
    const profile = profileOf(options);
    const eventType = eventsOf(options)[0];
    if (eventType === undefined) throw new SkipModule('no event type to build SETs from');
    // First the baseline: the same SET with nothing broken. Only if it is accepted do refusals mean anything.
    ctx.progress(`push the battery's baseline: a valid ${eventType}`);
    const { token: _baseline, ...baseline } = await deliver(ctx, options, factory, eventType);
    const cases: InvalidCaseResult[] = [];
    for (const c of INVALID_CASES) {
      if (c.profiles !== undefined && !c.profiles.includes(profile)) {
        cases.push({
          id: c.id,
          expected: c.expected,
          skipped: `not a fault under the ${profile} profile: ${c.elsewhere ?? ''}`,
        });
        continue;
      }
      ctx.progress(`push an invalid SET: ${c.id}`);
      const answer = await pushSet(ctx, options, await c.make(factory, eventType));
      cases.push({ id: c.id, expected: c.expected, answer });
    }
    // SSF-8.1.4.1: only a receiver that asked for a verification with a state can tell a wrong one.
    cases.push({
      id: 'wrong-state',
      expected: ['invalid_state'],
      skipped: options.streamManagement
        ? 'the battery is pushed outside the stream the receiver manages, so no state of its own is at stake'
        : 'the receiver asked for no verification state (no streamManagement configured)',
    });
    return { baseline, cases };
  },
  checks: [acceptsBaseline, ...BATTERY_CHECKS, errorIsJson, errorHasContentLanguage],
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

export const ssfReceiverPlan = definePlan<SsfReceiverOptions>({
  name: 'ssf-receiver',
  title: 'SSF receiver (RFC 8935 push)',
  role: 'The harness is an SSF transmitter pushing valid and invalid SETs to the receiver, and serving it a management API.',
  optionsSchema: SSF_RECEIVER_OPTIONS_SCHEMA,
  modules: [validSets, invalidSets, redelivery, streamManagement],
});
