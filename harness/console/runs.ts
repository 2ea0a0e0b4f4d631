/**
 * The Runs page: a scenario started from the console runs against the lab the console shows — as
 * `ssf-lab run FILE --target MANIFEST` runs it against a served lab: through the manifest, the vendors'
 * APIs and the `/_lab/` controls — narrated line by line as it goes, and judged into a certification
 * record the page opens as the HTML report or downloads as JSON. One run at a time (two scenarios raising
 * threats on one lab at once would judge each other's traffic); the last RUNS_KEPT runs are kept.
 */
import { renderCertificationHtml, serializeCertificationRecord } from '../../reports/index.ts';
import type { LabManifest } from '../lab/index.ts';
import type { CertificationRecord } from '../records/index.ts';
import {
  loadScenario,
  manifestTarget,
  narrator,
  runScenarioModule,
  type Scenario,
  scenarioRecord,
} from '../runner/index.ts';
import { ConsoleError } from './lab-client.ts';

/** Runs kept (their narration and record); the oldest finished one goes first. */
export const RUNS_KEPT = 20;
/** Narration lines kept per run: a scenario tells a few dozen. */
const LINES_KEPT = 2_000;

export interface RunView {
  readonly id: number;
  readonly scenario: string;
  readonly title: string;
  readonly state: 'running' | 'passed' | 'failed' | 'error';
  readonly startedAt: string;
  readonly durationMs: number | undefined;
  readonly checks: { readonly passed: number; readonly total: number } | undefined;
  readonly error: string | undefined;
  readonly lines: readonly string[];
}

interface Run {
  id: number;
  scenario: string;
  title: string;
  state: RunView['state'];
  startedAt: string;
  started: number;
  durationMs?: number;
  error?: string;
  lines: string[];
  record?: CertificationRecord;
}

export interface ScenarioFile {
  /** What the page shows and sends back: the file's name (`02-macos-threat-logout.yaml`). */
  readonly name: string;
  readonly file: string;
}

export class ConsoleRuns {
  readonly #scenarios: ReadonlyMap<string, string>;
  readonly #manifest: LabManifest;
  readonly #fetch: typeof fetch;
  readonly #runs: Run[] = [];
  #next = 1;

  constructor(scenarios: readonly ScenarioFile[], manifest: LabManifest, fetchImpl: typeof fetch) {
    this.#scenarios = new Map(scenarios.map((s) => [s.name, s.file]));
    this.#manifest = manifest;
    this.#fetch = fetchImpl;
  }

  scenarios(): string[] {
    return [...this.#scenarios.keys()];
  }

  list(): RunView[] {
    return [...this.#runs].reverse().map(view);
  }

  /** Starts `name`; the run goes on after this answers. */
  async start(body: unknown): Promise<RunView> {
    const name =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>).scenario : undefined;
    const file = typeof name === 'string' ? this.#scenarios.get(name) : undefined;
    if (typeof name !== 'string' || file === undefined)
      throw new ConsoleError(
        400,
        `"scenario" must be one of ${this.scenarios().join(', ') || '(none here)'}`,
      );
    if (this.#runs.some((r) => r.state === 'running'))
      throw new ConsoleError(
        409,
        'a scenario is running: one at a time, so that each is judged on its own traffic',
      );
    let scenario: Scenario;
    try {
      scenario = await loadScenario(file);
    } catch (error) {
      throw new ConsoleError(500, `the scenario ${name} could not be loaded: ${(error as Error).message}`);
    }
    const run: Run = {
      id: this.#next++,
      scenario: name,
      title: scenario.name,
      state: 'running',
      startedAt: new Date().toISOString(),
      started: performance.now(),
      lines: [],
    };
    this.#runs.push(run);
    while (this.#runs.length > RUNS_KEPT) this.#runs.shift();
    void this.#go(run, scenario);
    return view(run);
  }

  async #go(run: Run, scenario: Scenario): Promise<void> {
    const tell = narrator((line) => {
      if (run.lines.length < LINES_KEPT) run.lines.push(line);
    });
    try {
      const module = await runScenarioModule(scenario, {
        target: manifestTarget(this.#manifest, { fetch: this.#fetch }),
        onEvent: tell,
        file: `scenarios/${run.scenario}`,
      });
      const durationMs = Math.round(performance.now() - run.started);
      run.record = scenarioRecord(
        [module],
        { name: 'the lab console', kind: 'manifest' },
        run.startedAt,
        durationMs,
      );
      run.durationMs = durationMs;
      run.state = run.record.passed ? 'passed' : 'failed';
    } catch (error) {
      run.durationMs = Math.round(performance.now() - run.started);
      run.state = 'error';
      run.error = (error as Error).message;
    }
  }

  #find(id: number): Run {
    const run = this.#runs.find((r) => r.id === id);
    if (run === undefined)
      throw new ConsoleError(404, `no run ${id} (the console keeps the last ${RUNS_KEPT})`);
    return run;
  }

  #record(id: number): CertificationRecord {
    const record = this.#find(id).record;
    if (record === undefined) throw new ConsoleError(409, `run ${id} has no record yet`);
    return record;
  }

  /** The run's certification record as `certification.json` holds it (redacted, as every report is). */
  recordJson(id: number): string {
    return serializeCertificationRecord(this.#record(id));
  }

  /** The run's HTML report, as `report.html` is. */
  report(id: number): string {
    return renderCertificationHtml(this.#record(id));
  }
}

function view(run: Run): RunView {
  const checks = run.record?.plans.flatMap((p) => p.modules.flatMap((m) => m.checks));
  return {
    id: run.id,
    scenario: run.scenario,
    title: run.title,
    state: run.state,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    checks:
      checks === undefined
        ? undefined
        : { passed: checks.filter((c) => c.status === 'passed').length, total: checks.length },
    error: run.error,
    lines: run.lines,
  };
}
