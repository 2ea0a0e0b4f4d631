/**
 * A fleet at scale (issue 15): `ssf-lab serve --devices N` run as a user runs it, in a process of its own,
 * at 1,000 and 10,000 devices. Ready time is from the spawn to the manifest line on stdout (the lab
 * started, configured as at the end of the seed's set-up, every device activated and its user signed in);
 * RSS is the serve process's own, read from /proc when the manifest arrives. The 1,000-device run is the
 * baseline measured in the same run: ten times the devices must cost no more than ten times the time.
 * stderr lines are counted too — the per-device part prints one line, whatever the fleet's size. Run it
 * without SSF_LAB_… variables (serve reads them: a fixed port, another seed or --http change the figures).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from './measure.ts';

/** How long one serve may take to be ready before the bench gives up on it. */
const READY_DEADLINE_MS = 120_000;

interface ServeRun {
  readonly devices: number;
  readonly readyMs: number;
  readonly rssMb: number;
  readonly stderrLines: number;
}

/** The resident set of `pid` in MB (Linux /proc), or NaN where there is none. */
async function rssOf(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Starts `serve --devices N`, waits for its manifest, reads its RSS, stops it (SIGINT) and waits for its exit. */
async function serveOnce(devices: number): Promise<ServeRun> {
  const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'bin.js');
  const start = performance.now();
  // The child inherits the environment: SSF_LAB_… variables set there change what is measured.
  const child = spawn(process.execPath, [bin, 'serve', '--devices', String(devices)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`serve --devices ${devices} not ready within ${READY_DEADLINE_MS / 1000} s`)),
        READY_DEADLINE_MS,
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(performance.now() - start);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `serve --devices ${devices} ended (${code}) before it was ready:\n${stderr.slice(-2000)}`,
          ),
        );
      });
    });
    const rssMb = await rssOf(child.pid ?? 0);
    const readyLines = stderr.split('\n').findIndex((line) => line.includes('the lab is ready'));
    return { devices, readyMs, rssMb, stderrLines: readyLines };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

export async function fleetScaleBench(): Promise<Row[]> {
  const small = await serveOnce(1_000);
  const large = await serveOnce(10_000);
  const ratio = large.readyMs / small.readyMs;
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return [
    {
      measure: 'serve --devices 10,000: ready (manifest printed) vs 1,000 devices (baseline)',
      value: `${seconds(large.readyMs)} vs ${seconds(small.readyMs)}`,
      ratio: `${ratio.toFixed(1)}×`,
      target: '≤ 10× (no worse than linear)',
      ok: ratio <= 10,
    },
    {
      measure: 'serve --devices 10,000: ready',
      value: seconds(large.readyMs),
      target: '≤ 10 s',
      ok: large.readyMs <= 10_000,
    },
    {
      measure: `serve --devices 10,000: RSS when ready (1,000 devices: ${small.rssMb.toFixed(0)} MB)`,
      value: Number.isNaN(large.rssMb) ? 'not measurable here (no /proc)' : `${large.rssMb.toFixed(0)} MB`,
      target: '≤ 300 MB',
      ...(Number.isNaN(large.rssMb) ? {} : { ok: large.rssMb <= 300 }),
    },
    {
      measure: 'serve: stderr lines before "ready", 10,000 vs 1,000 devices',
      value: `${large.stderrLines} vs ${small.stderrLines}`,
      target: 'equal (one progress line for the devices)',
      ok: large.stderrLines === small.stderrLines,
    },
  ];
}
