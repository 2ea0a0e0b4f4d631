/**
 * `npm run bench`: the performance targets of the issues, each measured as a ratio against a baseline
 * taken in the same run (machines are noisy; absolute figures are printed for context only). Exits 1 when
 * a target is missed. Benchmarks are not tests: `npm test` never times anything.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certifyLabBench } from './certify-lab.ts';
import { consoleOverheadBench } from './console-overhead.ts';
import { endToEndBench } from './end-to-end.ts';
import { fleetScaleBench } from './fleet-scale.ts';
import { printTable, type Row } from './measure.ts';
import { setValidationBench } from './set-validation.ts';
import { pushDeliveryBench, receiverLoadBench } from './ssf-delivery.ts';
import { uemSyncBench } from './uem-sync.ts';

/**
 * Runs a measuring script in a process of its own — so the RSS it reports is its own, not the rest of the
 * benchmark's — and returns the JSON it prints on stdout.
 */
function measureInChild<T>(name: string, args: readonly string[]): Promise<T> {
  const script = join(dirname(fileURLToPath(import.meta.url)), `${name}.js`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${name} exited with ${code}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function receiverMemory(count: number): Promise<Row[]> {
  const r = await measureInChild<{
    count: number;
    accepted: number;
    rssPeakMb: number;
    processedLog: number;
  }>('receiver-memory', [String(count)]);
  return [
    {
      measure: `receiver RSS after ${r.count.toLocaleString('en')} SETs (replay store: all remembered; log cap 10,000)`,
      value: `${r.rssPeakMb.toFixed(0)} MB`,
      target: '≤ 300 MB',
      ok: r.rssPeakMb <= 300 && r.accepted === r.count,
    },
  ];
}

/** Issue 14: 1,000,000 SETs through the replay guard, then a replay of the first (replay-memory.ts). */
async function replayGuard(count: number): Promise<Row[]> {
  const r = await measureInChild<{
    count: number;
    sample: number;
    remembered: number;
    intakePerSec: number;
    guardPerSec: number;
    replay: string;
    replayHandled: number;
    oneMore: string;
    rssPeakMb: number;
  }>('replay-memory', [String(count)]);
  const n = r.count.toLocaleString('en');
  return [
    {
      measure: `replay guard: per-SET cost vs full intake (${r.sample.toLocaleString('en')} signed SETs, baseline)`,
      value: `${Math.round(r.guardPerSec).toLocaleString('en')}/s vs ${Math.round(r.intakePerSec).toLocaleString('en')}/s`,
      ratio: `${(r.guardPerSec / r.intakePerSec).toFixed(0)}×`,
      target: '≥ 20× (guard ≤ 5% of intake)',
      ok: r.guardPerSec / r.intakePerSec >= 20,
    },
    {
      measure: `receiver RSS after ${n} SETs in the replay guard (all remembered)`,
      value: `${r.rssPeakMb.toFixed(0)} MB`,
      target: '≤ 300 MB',
      ok: r.rssPeakMb <= 300 && r.remembered === r.count,
    },
    {
      measure: `replay of the first SET after ${n} others`,
      value: `${r.replay}, handled ${r.replayHandled}×; one more new SET: ${r.oneMore}`,
      target: 'duplicate, 0×; refused-full',
      ok: r.replay === 'duplicate' && r.replayHandled === 0 && r.oneMore === 'refused-full',
    },
  ];
}

const all: [string, () => Promise<Row[]>][] = [
  ['SET validation (issue 2)', setValidationBench],
  ['SSF push delivery (issue 3)', pushDeliveryBench],
  ['SSF receiver under load (issue 3)', receiverLoadBench],
  ['SSF receiver memory (issue 3)', () => receiverMemory(100_000)],
  ['SSF replay guard (issue 14)', () => replayGuard(1_000_000)],
  ['UEM Connect sync (issue 4)', uemSyncBench],
  ['End-to-end latency (issue 6)', endToEndBench],
  ['Certification run against the lab (issues 7, 17)', certifyLabBench],
  ['Fleet at scale: serve --devices (issue 15)', fleetScaleBench],
  ['Console open during a threat (issue 16)', consoleOverheadBench],
];

// `npm run bench -- uem` runs only the sections whose title contains a word given.
const only = process.argv.slice(2).map((a) => a.toLowerCase());
const sections = only.length === 0 ? all : all.filter(([t]) => only.some((w) => t.toLowerCase().includes(w)));
if (sections.length === 0) {
  console.error(`no benchmark matches ${only.join(', ')}; sections: ${all.map(([t]) => t).join('; ')}`);
  process.exit(2);
}
const rows: Row[] = [];
const sectionRows: { section: string; rows: Row[] }[] = [];
const startedAt = new Date().toISOString();
for (const [title, bench] of sections) {
  process.stderr.write(`running: ${title}…\n`);
  const got = await bench();
  rows.push(...got);
  sectionRows.push({ section: title, rows: got });
}
printTable(rows);
// The same figures for machines: runs compare by measure name (ratios are the figures that travel).
const benchFile = resolve('reports/out/bench.json');
await mkdir(dirname(benchFile), { recursive: true });
await writeFile(
  benchFile,
  `${JSON.stringify(
    {
      startedAt,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: availableParallelism(),
      sections: sectionRows,
      missed: rows.filter((r) => r.ok === false).map((r) => r.measure),
    },
    null,
    2,
  )}\n`,
);
console.log(`\nbench.json: ${benchFile}`);
const missed = rows.filter((r) => r.ok === false);
console.log(
  missed.length === 0 ? '\nall targets met' : `\nmissed: ${missed.map((r) => r.measure).join('; ')}`,
);
process.exitCode = missed.length === 0 ? 0 : 1;
