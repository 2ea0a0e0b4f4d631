/**
 * The load plan (`ssf-lab load`): one module that sets the receiver up as its plan would (the harness
 * JWKS served, the provider registered at Okta when asked), signs every SET up front, sends them with
 * autocannon at the target file's rate or concurrency, and reads the receiver's processed list back to
 * tell whether each SET had its effect. Its checks grade the run against the file's objectives.
 */
import { BODY_CAPS, readBodyText } from '../../harness/kernel/index.ts';
import { defineModule, definePlan, SkipModule, type SuiteContext } from '../core/index.ts';
import { prepareOktaReceiver, transmitterOptions } from '../okta-receiver/index.ts';
import { type ProcessedSetsOptions, prepareServing, type SsfReceiverOptions } from '../ssf-receiver/index.ts';
import { type EffectsCapture, LOAD_CHECKS, type LoadCapture } from './checks.ts';
import { type LoadSamples, runLoad } from './load-engine.ts';
import { summarize } from './load-stats.ts';
import {
  LOAD_DEFAULT_CONNECTIONS,
  LOAD_DEFAULT_TIMEOUT_MS,
  type LoadRunOptions,
  setsToSign,
} from './options.ts';
import { buildSetPool, type SetPool } from './set-pool.ts';

/** A processed list of a long run is large (Okta's receipts are ~300 bytes a SET): read up to this much. */
const PROCESSED_LIST_CAP = 16 * BODY_CAPS.apiAnswer;
/** The longest wait for acknowledged SETs to show up in the processed list (receivers may queue). */
const SETTLE_MS = 5000;
const SETTLE_POLL_MS = 250;

/**
 * The jtis a processed list holds: `{"jtis": [...]}`, or an array of objects with a `jti` — where such an
 * object has an `outcome` (mock Okta's receipts), only `accepted` and `processed` ones count.
 */
export function processedJtis(value: unknown): Set<string> | undefined {
  if (Array.isArray(value)) {
    const jtis = new Set<string>();
    for (const entry of value) {
      if (typeof entry !== 'object' || entry === null) return undefined;
      const { jti, outcome } = entry as { jti?: unknown; outcome?: unknown };
      if (typeof jti !== 'string') continue;
      if (outcome === undefined || outcome === 'accepted' || outcome === 'processed') jtis.add(jti);
    }
    return jtis;
  }
  const jtis = (value as { jtis?: unknown } | null)?.jtis;
  if (Array.isArray(jtis) && jtis.every((j) => typeof j === 'string')) return new Set(jtis as string[]);
  return undefined;
}

async function readList(ctx: SuiteContext, list: ProcessedSetsOptions): Promise<Set<string> | string> {
  try {
    const response = await ctx.fetch(list.url, {
      headers: {
        accept: 'application/json',
        ...(list.authorization === undefined ? {} : { authorization: list.authorization }),
      },
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(30_000)]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return `GET ${list.url} answered HTTP ${response.status}`;
    }
    const jtis = processedJtis(JSON.parse(await readBodyText(response, PROCESSED_LIST_CAP)));
    return jtis ?? `GET ${list.url} did not answer {"jtis": [strings]} or an array of objects with "jti"`;
  } catch (error) {
    return `GET ${list.url} failed: ${(error as Error).message}`;
  }
}

/** Compares the list with what the run sent, waiting (up to SETTLE_MS) for acknowledged SETs to appear. */
async function readEffects(
  ctx: SuiteContext,
  list: ProcessedSetsOptions,
  pool: SetPool,
  samples: LoadSamples,
): Promise<EffectsCapture | { error: string }> {
  ctx.progress(`read the SETs the receiver processed from ${list.url}`);
  const deadline = ctx.now() + SETTLE_MS;
  let before = Number.POSITIVE_INFINITY;
  for (;;) {
    const jtis = await readList(ctx, list);
    if (typeof jtis === 'string') return { error: jtis };
    const lost: string[] = [];
    const forged: string[] = [];
    let lostCount = 0;
    let forgedCount = 0;
    for (let i = 0; i < samples.sent; i++) {
      const jti = pool.jtis[i] as string;
      if (pool.valid[i] && samples.outcomes[i]?.status === 202 && !jtis.has(jti)) {
        lostCount++;
        if (lost.length < 20) lost.push(jti);
      }
      if (!pool.valid[i] && jtis.has(jti)) {
        forgedCount++;
        if (forged.length < 20) forged.push(jti);
      }
    }
    // Done when nothing is missing, when a poll brought nothing new (a queue would be draining), or at the
    // deadline.
    if (lostCount === 0 || lostCount >= before || ctx.now() >= deadline)
      return { listed: jtis.size, lost, lostCount, forged, forgedCount };
    before = lostCount;
    await ctx.sleep(SETTLE_POLL_MS);
  }
}

async function prepareReceiver(ctx: SuiteContext, options: LoadRunOptions): Promise<SsfReceiverOptions> {
  if (options.plan === 'okta-receiver') {
    await prepareOktaReceiver(ctx, options.receiver);
    return transmitterOptions(options.receiver);
  }
  await prepareServing(ctx, options.receiver);
  return options.receiver;
}

export const receiverLoad = defineModule<LoadRunOptions, LoadCapture>({
  id: 'receiver-push-load',
  title: "A receiver's push endpoint under load",
  async run(ctx, options) {
    const { load } = options;
    const count = setsToSign(load);
    const url = options.receiver.pushEndpoint;
    if (!ctx.intend(`push up to ${count} SETs to ${url}`)) throw new SkipModule('dry run: no SET is pushed');
    // Any answer proves the endpoint is there (a GET changes nothing at a push endpoint, which answers it
    // 404 or 405); a receiver nobody answers for is reported as unreachable, its checks not run.
    const probe = await ctx.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(load.timeoutMs ?? LOAD_DEFAULT_TIMEOUT_MS)]),
    });
    await probe.body?.cancel();
    const receiver = await prepareReceiver(ctx, options);
    ctx.progress(`signing ${count} SETs`);
    const pool = await buildSetPool(receiver, count, load.invalidShare ?? 0);
    const pace =
      load.rate === undefined
        ? `${load.connections ?? LOAD_DEFAULT_CONNECTIONS} connections, as fast as answered`
        : `${load.rate}/s`;
    ctx.progress(`pushing ${count} SETs to ${url} (${pace})`);
    const samples = await runLoad(pool, {
      url,
      ...(receiver.authorization === undefined ? {} : { authorization: receiver.authorization }),
      connections: load.connections ?? LOAD_DEFAULT_CONNECTIONS,
      ...(load.rate === undefined ? {} : { rate: load.rate }),
      ...(load.duration === undefined ? {} : { duration: load.duration }),
      timeoutMs: load.timeoutMs ?? LOAD_DEFAULT_TIMEOUT_MS,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      signal: ctx.signal,
    });
    const stats = summarize(pool, samples);
    const list =
      load.processedSets ?? (options.plan === 'ssf-receiver' ? options.receiver.processedSets : undefined);
    const effects = list === undefined ? undefined : await readEffects(ctx, list, pool, samples);
    return { load, stats, signingMs: pool.signingMs, ...(effects === undefined ? {} : { effects }) };
  },
  checks: LOAD_CHECKS,
});

export const loadPlan = definePlan<LoadRunOptions>({
  name: 'load',
  title: 'Load and latency of an SSF receiver',
  role: "ssf-lab plays the transmitter and pushes valid (and, if asked, forged) SETs at the receiver's push endpoint at the target file's rate or concurrency.",
  // The target file's `load` section is validated with the file (harness/config/load-settings.ts).
  optionsSchema: { type: 'object' },
  modules: [receiverLoad],
});
