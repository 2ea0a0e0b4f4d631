/**
 * Issue 16: the console adds no more than 100 ms to the end-to-end time of a threat while it is open.
 * The same loopback lab and runs as the end-to-end bench (a threat injected → every app logged out), once
 * with nothing watching and once with the console started and a page open on it as the browser's script
 * keeps one: the timeline's server-sent events followed, and — as the page does — a read of the view on
 * screen (Okta's, for the Mac's user: the heaviest) 250 ms after each hop and every 3 s. The baseline is
 * the same runs without the console, measured in the same process; the target is on the difference.
 */
import { startConsole } from '../console/index.ts';
import { labManifest } from '../lab/index.ts';
import { baselineMs, type LabWatcher, latencies, percentile } from './end-to-end.ts';
import type { Row } from './measure.ts';

const RUNS = 100;

/** A console with one page open on the Okta view, as page-script.ts drives it. */
const openConsole: LabWatcher = async (lab, email) => {
  const konsole = await startConsole({ lab, manifest: labManifest(lab) });
  const token = new URL(konsole.signInUrl).searchParams.get('token') ?? '';
  const headers = { authorization: `Bearer ${token}` };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let reads = 0;
  const readView = async (): Promise<void> => {
    const r = await fetch(`${konsole.url}/api/okta?user=${encodeURIComponent(email)}`, {
      headers,
      signal: controller.signal,
    }).catch(() => undefined);
    await r?.arrayBuffer().catch(() => undefined);
    reads += 1;
  };
  const soon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void readView(), 250);
  };
  const events = await fetch(`${konsole.url}/api/timeline`, { headers, signal: controller.signal });
  const following = (async () => {
    const reader = events.body?.getReader();
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (chunk === undefined || chunk.done) return;
      soon();
    }
  })();
  const every = setInterval(() => void readView(), 3000);
  return async () => {
    clearInterval(every);
    clearTimeout(timer);
    controller.abort();
    await following;
    await konsole.close();
    if (reads === 0) throw new Error('the simulated page never read the console');
  };
};

export async function consoleOverheadBench(): Promise<Row[]> {
  const base = await baselineMs();
  // Interleaved, so a drift of the machine falls on both.
  const without: number[] = [];
  const withConsole: number[] = [];
  for (let round = 0; round < 2; round++) {
    without.push(...(await latencies('loopback', RUNS / 2)));
    withConsole.push(...(await latencies('loopback', RUNS / 2, openConsole)));
  }
  const rows: Row[] = [];
  for (const p of [50, 99]) {
    const a = percentile(without, p);
    const b = percentile(withConsole, p);
    rows.push({
      measure: `threat → all apps logged out, p${p} of ${RUNS} on loopback: console open vs none`,
      value: `${b.toFixed(1)} ms vs ${a.toFixed(1)} ms (+${(b - a).toFixed(1)} ms)`,
      ratio: `${(b / a).toFixed(2)}× without; ${(b / base).toFixed(1)}× one raw RS256 sign+verify`,
      target: '≤ +100 ms',
      ok: b - a <= 100,
    });
  }
  return rows;
}
