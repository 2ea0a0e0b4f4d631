/**
 * End-to-end latency (issue 6): a threat injected in Jamf Security Cloud → every app logged out, over 200
 * runs, in-process and on loopback. Targets (issue 17 item 1): in-process p50 ≤ 10× and p99 ≤ 20× the
 * baseline, and no slower than loopback in the same run — the in-process transport should cost no more
 * than serialising a request and handing it to inject(). One lab per transport,
 * configured as the seed does; each run raises a High threat on a Mac, waits for the three Universal
 * Logout calls to complete, then resolves the threat and lets the lab settle before the next run (so
 * every run starts from the same state). The baseline, measured in the same run, is one SET signed and
 * verified with raw jose — the cryptographic floor of the chain's first hop.
 */
import { CompactSign, compactVerify, importJWK } from 'jose';
import { configureSeed, type Lab, type LabTransport, startLab } from '../lab/index.ts';
import { EVENT_URIS, generateSigningKey } from '../protocol/index.ts';
import { LAB_APPS } from '../records/index.ts';
import { median, type Row } from './measure.ts';

const RUNS = 200;
const APPS: ReadonlySet<string> = new Set(LAB_APPS);

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function settle(lab: Lab): Promise<void> {
  await lab.jsc.tenant.idle();
  const idle = await lab.fetch(`${lab.urls.okta}/_lab/entity-risk/idle?timeoutMs=10000`);
  if (idle.status !== 204) throw new Error('Okta did not settle');
}

/**
 * What watches the lab while the runs go (the console bench opens a console and a simulated page): set
 * up once the lab is configured, given the Mac's user; closed before the lab.
 */
export type LabWatcher = (lab: Lab, email: string) => Promise<() => Promise<void>>;

export async function latencies(
  transport: LabTransport,
  runs = RUNS,
  watcher?: LabWatcher,
): Promise<number[]> {
  const lab = await startLab({ transport, seed: 9, devices: 6, intercept: false });
  let unwatch: (() => Promise<void>) | undefined;
  try {
    await configureSeed(lab);
    const mac = lab.jsc.tenant.devices().find((d) => d.osType === 'MAC_OS' && d.user?.email);
    if (!mac) throw new Error('the bench fleet has no activated Mac');
    unwatch = await watcher?.(lab, mac.user?.email ?? '');
    const post = (path: string, init: RequestInit) => lab.fetch(`${lab.urls.jamfSecurityCloud}${path}`, init);
    const out: number[] = [];
    for (let run = 0; run < runs + 10; run++) {
      let done = 0;
      let finished = 0;
      const allOut = new Promise<void>((resolve) => {
        const stop = lab.timeline.subscribe((x) => {
          if (x.from === 'okta' && APPS.has(x.to)) {
            done += 1;
            if (done === APPS.size) {
              finished = performance.now();
              stop();
              resolve();
            }
          }
        });
      });
      const started = performance.now();
      const threat = await post('/_lab/threats', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ device: mac.udid, category: 'Malware' }),
      });
      const { id } = (await threat.json()) as { id: string };
      await Promise.race([
        allOut,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`run ${run}: the apps were not all logged out within 10 s`)),
            10_000,
          ),
        ),
      ]);
      if (run >= 10) out.push(finished - started); // the first runs warm the JWKS caches and the JIT
      await post(`/_lab/threats/${id}`, { method: 'DELETE' });
      await settle(lab);
      lab.timeline.clear();
    }
    return out;
  } finally {
    await unwatch?.();
    await lab.close();
  }
}

export async function baselineMs(): Promise<number> {
  const { key } = await generateSigningKey('RS256', { kid: 'bench' });
  const payload = new TextEncoder().encode(
    JSON.stringify({
      iss: 'https://jsc.lab',
      aud: 'https://acme.okta.lab',
      events: { [EVENT_URIS.oktaDeviceRiskChange]: {} },
    }),
  );
  const publicKey = await importJWK(key.publicJwk, 'RS256');
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const token = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt' })
      .sign(key.privateKey);
    await compactVerify(token, publicKey);
    times.push(performance.now() - start);
  }
  return median(times.slice(20));
}

/** Issue 17 item 1: the in-process transport's targets, against the baseline and loopback of the same run. */
const P50_TARGET = 10;
const P99_TARGET = 20;

export async function endToEndBench(): Promise<Row[]> {
  const base = await baselineMs();
  const figures = new Map<LabTransport, { p50: number; p99: number }>();
  for (const transport of ['in-process', 'loopback'] as const) {
    const values = await latencies(transport);
    figures.set(transport, { p50: percentile(values, 50), p99: percentile(values, 99) });
  }
  const inProcess = figures.get('in-process') ?? { p50: 0, p99: 0 };
  const loopback = figures.get('loopback') ?? { p50: 0, p99: 0 };
  const rows: Row[] = [];
  for (const [transport, { p50, p99 }] of figures) {
    const targets = transport === 'in-process';
    rows.push(
      {
        measure: `threat → all apps logged out, p50 of ${RUNS} (${transport})`,
        value: `${p50.toFixed(1)} ms`,
        ratio: `${(p50 / base).toFixed(1)}× one raw RS256 sign+verify (${base.toFixed(2)} ms)`,
        ...(targets ? { target: `≤ ${P50_TARGET}×`, ok: p50 <= P50_TARGET * base } : {}),
      },
      {
        measure: `threat → all apps logged out, p99 of ${RUNS} (${transport})`,
        value: `${p99.toFixed(1)} ms`,
        ratio: `${(p99 / base).toFixed(1)}× one raw RS256 sign+verify`,
        ...(targets ? { target: `≤ ${P99_TARGET}×`, ok: p99 <= P99_TARGET * base } : {}),
      },
    );
  }
  for (const [label, a, b] of [
    ['p50', inProcess.p50, loopback.p50],
    ['p99', inProcess.p99, loopback.p99],
  ] as const)
    rows.push({
      measure: `threat → all apps logged out, ${label}: in-process against loopback (same run)`,
      value: `${a.toFixed(1)} ms vs ${b.toFixed(1)} ms`,
      ratio: `${(a / b).toFixed(2)}× loopback`,
      target: '≤ 1× loopback',
      ok: a <= b,
    });
  return rows;
}
