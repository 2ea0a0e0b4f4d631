/**
 * Issue 13's "one refused stream create is counted as four failures": the `ssf-transmitter` plan against
 * the lab, with every stream create made with the receiver's own token refused (403). The refusal fails
 * the check that judges the create, once; what needed the stream is blocked by that check — in the
 * streams module and in each module that could not create a stream of its own — and the token checks are
 * still graded, on the create call itself.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runPlans } from '../../suites/core/index.ts';
import { type SsfTransmitterOptions, ssfTransmitterPlan } from '../../suites/ssf-transmitter/index.ts';
import { configureSeed, type Lab, labManifest, startLab } from '../lab/index.ts';
import { type CertificationRecord, checksOf, outcomeOf } from '../records/index.ts';
import { labContext } from './engine.ts';
import { ssfTransmitterLabOptions } from './lab-targets/ssf-transmitter.ts';

let lab: Lab;
let record: CertificationRecord;

beforeAll(async () => {
  lab = await startLab({ transport: 'in-process', seed: 1, devices: 8, intercept: false });
  await configureSeed(lab);
  const options: SsfTransmitterOptions = await ssfTransmitterLabOptions(lab, labManifest(lab));
  const issuer = new URL(options.issuer);
  const metadata = (await (
    await lab.fetch(`${issuer.origin}/.well-known/ssf-configuration${issuer.pathname}`)
  ).json()) as { configuration_endpoint: string };
  const create = new URL(metadata.configuration_endpoint);
  const context = labContext(lab, new AbortController().signal);
  // A transmitter that refuses this receiver's streams: a create with its own token answers 403.
  const refusing: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const authorization = new Headers(init?.headers).get('authorization');
    if (
      (init?.method ?? 'GET') === 'POST' &&
      url.origin === create.origin &&
      url.pathname === create.pathname &&
      authorization === `Bearer ${options.token}`
    )
      return Response.json({ err: 'access_denied', description: 'no streams for you' }, { status: 403 });
    return context.fetch(input, init);
  };
  // Only the modules that need a stream of their own (the events module's hook and the inactivity
  // account are beside the point here).
  const plan = {
    ...ssfTransmitterPlan,
    modules: ssfTransmitterPlan.modules.filter((m) =>
      ['metadata', 'streams', 'errors', 'status', 'subjects', 'verification-push', 'retry'].includes(m.id),
    ),
  };
  record = await runPlans([{ plan, options }], {
    target: { name: 'the lab, refusing creates', kind: 'lab' },
    toolVersion: '0',
    context: { ...context, fetch: refusing },
  });
});

afterAll(async () => {
  await lab?.close();
});

test('one refused create is one failure; the checks that needed its stream are blocked by it', () => {
  const checks = checksOf(record);
  expect(checks.filter((c) => outcomeOf(c) === 'failed').map((c) => c.id)).toEqual([
    'transmitter-create-answers-201',
  ]);
  const byModule = (id: string) => checks.filter((c) => c.module === id);
  for (const c of byModule('streams').slice(1))
    expect([outcomeOf(c), c.blockedBy], c.id).toEqual(['blocked', 'transmitter-create-answers-201']);
  for (const module of ['status', 'subjects', 'verification-push', 'retry'])
    for (const c of byModule(module))
      expect([outcomeOf(c), c.blockedBy], `${module}: ${c.id}`).toEqual([
        'blocked',
        'transmitter-create-answers-201',
      ]);
  expect(record.passed).toBe(false);
});

test('without a stream the token refusals are graded on the create call; a refused broken create proves nothing', () => {
  const outcome = (id: string) => {
    const c = checksOf(record).find((x) => x.id === id);
    return c === undefined ? 'missing' : outcomeOf(c);
  };
  expect(outcome('transmitter-refuses-requests-without-a-token')).toBe('passed');
  expect(outcome('transmitter-refuses-requests-with-a-wrong-token')).toBe('passed');
  expect(outcome('transmitter-create-with-a-broken-body-is-400')).toBe('inconclusive');
  expect(outcome('transmitter-update-with-a-broken-body-is-400')).toBe('blocked');
});
