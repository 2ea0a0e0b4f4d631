/**
 * Runs the CI templates of docs/ci/ (and the composite action.yml) on this machine, step by step, the way
 * GitHub Actions and GitLab CI run them — so a test can prove that a vendor who copies a template gets a
 * working job, not just valid YAML.
 *
 * Only what exists on the CI service alone is stood in for: `uses:` steps (checkout, setup-node, cache,
 * upload-artifact, the JUnit publisher) are recorded with their evaluated `with:` instead of run, and the
 * GitLab `image`, `cache` and `rules` are not interpreted. Everything else is the CI service's own
 * behaviour, kept as far as the templates rely on it: `${{ }}` expressions over the contexts they use,
 * `if:` with the implicit `success()`, step/job/workflow `env`, the GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_PATH / GITHUB_STEP_SUMMARY files, `bash --noprofile --norc -eo pipefail`, composite actions'
 * inputs, defaults and outputs; GitLab's variables, one shell for before_script + script with each command
 * echoed, and after_script in a shell of its own. Anything a template uses beyond that is an error here,
 * never silently ignored — a template that outgrows this emulation fails its test until the emulation
 * is taught the new feature.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { runIn } from './packed.testing.ts';

// ---------------------------------------------------------------------------------------------------------
// GitHub Actions expressions: the subset the templates use (paths into contexts, string literals, !, &&,
// ||, ==, !=, parentheses, the status functions).

type Value = string | number | boolean | null | Readonly<Record<string, unknown>>;

export interface ExpressionContext {
  readonly contexts: Readonly<Record<string, unknown>>;
  /** Whether a step before this one failed (for success() and failure()). */
  readonly failed: boolean;
}

interface Token {
  readonly kind: 'string' | 'number' | 'word' | 'op';
  readonly text: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const string = /^'((?:[^']|'')*)'/.exec(rest);
    const number = /^-?\d+(?:\.\d+)?/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_*][A-Za-z0-9_-]*)*/.exec(rest);
    const op = /^(?:&&|\|\||==|!=|[!(),])/.exec(rest);
    if (string) tokens.push({ kind: 'string', text: (string[1] ?? '').replaceAll("''", "'") });
    else if (number) tokens.push({ kind: 'number', text: number[0] });
    else if (word) tokens.push({ kind: 'word', text: word[0] });
    else if (op) tokens.push({ kind: 'op', text: op[0] });
    else throw new Error(`expression "${source}": the emulation does not know "${rest}"`);
    i += (string ?? number ?? word ?? op)?.[0].length ?? 1;
  }
  return tokens;
}

function truthy(value: Value | undefined): boolean {
  return !(value === undefined || value === null || value === false || value === 0 || value === '');
}

/** GitHub compares strings case-insensitively and coerces across types; the templates compare strings. */
function equal(a: Value | undefined, b: Value | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === (b ?? null);
}

const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];

function evaluateTokens(tokens: readonly Token[], context: ExpressionContext, source: string): Value {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`expression "${source}": ${why}`);
  };
  const peek = (): Token | undefined => tokens[at];
  const take = (text?: string): Token => {
    const token = tokens[at];
    if (token === undefined || (text !== undefined && token.text !== text))
      return fail(`expected ${text ?? 'more'} at token ${at}`);
    at += 1;
    return token;
  };
  const lookup = (path: string): Value => {
    const [root, ...rest] = path.split('.');
    if (root === undefined || !(root in context.contexts))
      return fail(`no context "${root}" in this emulation`);
    let value: unknown = context.contexts[root];
    for (const key of rest) {
      if (value === null || typeof value !== 'object') return null;
      value = (value as Record<string, unknown>)[key];
    }
    return value === undefined ? null : (value as Value);
  };
  const primary = (): Value => {
    const token = take();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.text === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.kind !== 'word') return fail(`unexpected "${token.text}"`);
    if (token.text === 'true' || token.text === 'false') return token.text === 'true';
    if (token.text === 'null') return null;
    if (peek()?.text === '(') {
      take('(');
      const args: Value[] = [];
      while (peek()?.text !== ')') {
        args.push(or());
        if (peek()?.text === ',') take(',');
      }
      take(')');
      switch (token.text) {
        case 'always':
          return true;
        case 'success':
          return !context.failed;
        case 'failure':
          return context.failed;
        case 'cancelled':
          return false;
        case 'hashFiles':
          // Only cache keys use it, and caches are stood in for.
          return `hash(${args.join(',')})`;
        default:
          return fail(`the emulation does not know the function ${token.text}()`);
      }
    }
    return lookup(token.text);
  };
  const unary = (): Value => {
    if (peek()?.text === '!') {
      take('!');
      return !truthy(unary());
    }
    return primary();
  };
  const comparison = (): Value => {
    let left = unary();
    while (peek()?.text === '==' || peek()?.text === '!=') {
      const op = take().text;
      const right = unary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek()?.text === '&&') {
      take('&&');
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  function or(): Value {
    let left = and();
    while (peek()?.text === '||') {
      take('||');
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }
  const value = or();
  if (at !== tokens.length) fail(`unexpected "${tokens[at]?.text}"`);
  return value;
}

export function evaluate(source: string, context: ExpressionContext): Value {
  return evaluateTokens(tokenize(source), context, source);
}

function text(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A string with every `${{ … }}` replaced by its value, as GitHub does before a step runs. */
export function interpolate(source: unknown, context: ExpressionContext): string {
  if (typeof source === 'number' || typeof source === 'boolean') return String(source);
  if (typeof source !== 'string') throw new Error(`expected a string, found ${JSON.stringify(source)}`);
  return source.replace(/\$\{\{(.*?)\}\}/gs, (_, inner: string) => text(evaluate(inner, context)));
}

/** An `if:`: without a status function in it, GitHub reads it as `success() && (…)`. */
export function condition(source: unknown, context: ExpressionContext): boolean {
  if (source === undefined) return !context.failed;
  if (typeof source === 'boolean') return source && !context.failed;
  const inner = String(source)
    .trim()
    .replace(/^\$\{\{(.*)\}\}$/s, '$1');
  const tokens = tokenize(inner);
  const hasStatus = tokens.some((t, i) => STATUS_FUNCTIONS.includes(t.text) && tokens[i + 1]?.text === '(');
  const value = truthy(evaluateTokens(tokens, context, inner));
  return hasStatus ? value : value && !context.failed;
}

// ---------------------------------------------------------------------------------------------------------
// The machine a job runs on.

export interface Machine {
  /** The checked-out repository (GITHUB_WORKSPACE, CI_PROJECT_DIR). */
  readonly workspace: string;
  /** RUNNER_TEMP; also where step scripts and the file-command files go. */
  readonly temp: string;
  readonly home: string;
  /** Directories put first on PATH (the npm stand-in). */
  readonly pathPrefix: readonly string[];
}

/** A fresh machine under `root`: workspace/, temp/, home/. */
export function machine(root: string, pathPrefix: readonly string[]): Machine {
  const m = { workspace: join(root, 'workspace'), temp: join(root, 'temp'), home: join(root, 'home') };
  for (const dir of Object.values(m)) mkdirSync(dir, { recursive: true });
  return { ...m, pathPrefix };
}

/**
 * The environment every step starts from: a runner's, not this test process's — no npm_config_* from
 * the `npx vitest` that runs the test, and no node_modules/.bin of this repository on PATH (a vendor's
 * runner has no ssf-lab on it until the template installs one). Node is this process's own.
 */
function baseEnvironment(m: Machine, extraPath: readonly string[]): Record<string, string> {
  const systemPath = (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.includes('node_modules'));
  return {
    PATH: [...extraPath, ...m.pathPrefix, dirname(process.execPath), ...systemPath].join(delimiter),
    HOME: m.home,
    TMPDIR: m.temp,
    LANG: 'C.UTF-8',
    CI: 'true',
  };
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file: `NAME=value` lines and `NAME<<DELIMITER` blocks. */
export function fileCommands(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const block = /^([^=]+?)<<(.+)$/.exec(line);
    if (block) {
      const [, name = '', end = ''] = block;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== end; i++) value.push(lines[i] ?? '');
      if (i >= lines.length) throw new Error(`file command ${name}: no closing ${end}`);
      out[name] = value.join('\n');
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (!pair) throw new Error(`file command: cannot read "${line}"`);
    out[pair[1] ?? ''] = pair[2] ?? '';
  }
  return out;
}

/** Numbers the files a step gets (several jobs may share a process, never a machine). */
let files = 0;

/** Runs a script as `bash --noprofile --norc -eo pipefail FILE` (GitHub's `shell: bash`; GitLab's too). */
async function bash(
  script: string,
  m: Machine,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  files += 1;
  const file = join(m.temp, `step-${files}.sh`);
  writeFileSync(file, script);
  const ran = await runIn(cwd, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    env,
    timeout: 90_000,
  });
  return { code: ran.code, output: `${ran.stdout}${ran.stderr}` };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what}: expected a mapping`);
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) throw new Error(`${what}: the emulation does not handle "${key}"`);
}

// ---------------------------------------------------------------------------------------------------------
// GitHub Actions jobs and composite actions.

export interface StepRecord {
  readonly name: string;
  /** `run` ran here; `stub` is a `uses:` step that exists only on GitHub (recorded, not run). */
  readonly kind: 'run' | 'stub' | 'composite';
  readonly uses?: string;
  readonly if?: string;
  readonly outcome: 'success' | 'failure' | 'skipped';
  readonly code?: number;
  readonly output: string;
  /** A stub's evaluated `with:`. */
  readonly with?: Readonly<Record<string, string>>;
  /** The inner steps of a composite action. */
  readonly inner?: readonly StepRecord[];
}

export interface GithubOptions {
  readonly machine: Machine;
  readonly secrets: Readonly<Record<string, string>>;
  readonly inputs?: Readonly<Record<string, string>>;
  /** `uses:` references that are local composite actions: `./` → the directory holding action.yml. */
  readonly localActions?: Readonly<Record<string, string>>;
  /** `uses:` actions (without `@ref`) that exist only on GitHub and are recorded instead of run. */
  readonly stubs: readonly string[];
}

export interface GithubJobResult {
  readonly steps: readonly StepRecord[];
  readonly failed: boolean;
  /** What the steps appended to GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const STEP_KEYS = [
  'name',
  'id',
  'uses',
  'with',
  'run',
  'shell',
  'env',
  'if',
  'timeout-minutes',
  'working-directory',
  'continue-on-error',
];

interface JobState {
  readonly machine: Machine;
  readonly options: GithubOptions;
  /** Workflow and job env, then what GITHUB_ENV added. */
  readonly env: Record<string, string>;
  readonly path: string[];
  summary: string;
}

function contexts(
  state: JobState,
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    env: { ...state.env },
    secrets: state.options.secrets,
    inputs: state.options.inputs ?? {},
    github: { workspace: state.machine.workspace, event_name: 'workflow_dispatch' },
    runner: { temp: state.machine.temp, os: 'Linux' },
    steps,
    ...extra,
  };
}

function evaluatedEnv(value: unknown, context: ExpressionContext, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(record(value, what))) out[name] = interpolate(raw, context);
  return out;
}

/** Runs one `run:` step in bash and applies the file commands it wrote. */
async function runStep(
  state: JobState,
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; output: string; outputs: Record<string, string> }> {
  files += 1;
  const commands = {
    GITHUB_OUTPUT: join(state.machine.temp, `output-${files}`),
    GITHUB_ENV: join(state.machine.temp, `env-${files}`),
    GITHUB_PATH: join(state.machine.temp, `path-${files}`),
    GITHUB_STEP_SUMMARY: join(state.machine.temp, `summary-${files}`),
  };
  for (const file of Object.values(commands)) writeFileSync(file, '');
  const ran = await bash(script, state.machine, cwd, {
    ...baseEnvironment(state.machine, state.path),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: state.machine.workspace,
    RUNNER_TEMP: state.machine.temp,
    RUNNER_OS: 'Linux',
    ...state.env,
    ...env,
    ...commands,
  });
  // The runner reads the files after every step, a failed one too.
  Object.assign(state.env, fileCommands(readFileSync(commands.GITHUB_ENV, 'utf8')));
  for (const line of readFileSync(commands.GITHUB_PATH, 'utf8').split('\n').reverse())
    if (line.trim() !== '') state.path.unshift(line.trim());
  state.summary += readFileSync(commands.GITHUB_STEP_SUMMARY, 'utf8');
  return { ...ran, outputs: fileCommands(readFileSync(commands.GITHUB_OUTPUT, 'utf8')) };
}

async function runSteps(
  state: JobState,
  stepList: readonly unknown[],
  scope: { extra?: Record<string, unknown>; env?: Record<string, string>; cwd: string; what: string },
): Promise<{
  records: StepRecord[];
  failed: boolean;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
}> {
  const records: StepRecord[] = [];
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  let failed = false;
  for (const [index, raw] of stepList.entries()) {
    const step = record(raw, `${scope.what} step ${index}`);
    onlyKeys(step, STEP_KEYS, `${scope.what} step ${index}`);
    const context: ExpressionContext = { contexts: contexts(state, steps, scope.extra), failed };
    const name = interpolate(
      step.name ?? (step.uses === undefined ? `Run ${String(step.run).split('\n')[0]}` : `Run ${step.uses}`),
      context,
    );
    const id = typeof step.id === 'string' ? step.id : undefined;
    const ifText = step.if === undefined ? undefined : String(step.if);
    if (!condition(step.if, context)) {
      const kind =
        typeof step.uses !== 'string'
          ? 'run'
          : step.uses in (state.options.localActions ?? {})
            ? 'composite'
            : 'stub';
      records.push({ name, kind, outcome: 'skipped', output: '', ...(ifText ? { if: ifText } : {}) });
      if (id) steps[id] = { outputs: {}, outcome: 'skipped' };
      continue;
    }
    const env = { ...scope.env, ...evaluatedEnv(step.env, context, `${name}: env`) };
    let outcome: 'success' | 'failure';
    if (typeof step.uses === 'string') {
      const uses = step.uses;
      const withValues: Record<string, string> = {};
      for (const [key, value] of Object.entries(record(step.with, `${name}: with`)))
        withValues[key] = interpolate(value, context);
      const local = state.options.localActions?.[uses];
      if (local !== undefined) {
        const ran = await runComposite(state, local, withValues, env, `${scope.what} › ${name}`);
        outcome = ran.failed ? 'failure' : 'success';
        records.push({
          name,
          kind: 'composite',
          uses,
          outcome,
          output: ran.records.map((r) => r.output).join(''),
          with: withValues,
          inner: ran.records,
          ...(ifText ? { if: ifText } : {}),
        });
        if (id) steps[id] = { outputs: ran.outputs, outcome };
      } else {
        const action = uses.split('@')[0] ?? uses;
        if (!state.options.stubs.includes(action))
          throw new Error(`${name}: "${uses}" is neither a known GitHub-only action nor a local one`);
        outcome = 'success';
        records.push({
          name,
          kind: 'stub',
          uses,
          outcome,
          output: '',
          with: withValues,
          ...(ifText ? { if: ifText } : {}),
        });
        if (id) steps[id] = { outputs: {}, outcome };
      }
    } else {
      if (typeof step.run !== 'string') throw new Error(`${name}: neither run nor uses`);
      if (step.shell !== 'bash')
        throw new Error(`${name}: the templates say shell: bash (found ${String(step.shell)})`);
      const cwd =
        typeof step['working-directory'] === 'string'
          ? join(state.machine.workspace, interpolate(step['working-directory'], context))
          : scope.cwd;
      const ran = await runStep(state, step.run, env, cwd);
      outcome = ran.code === 0 ? 'success' : 'failure';
      records.push({
        name,
        kind: 'run',
        outcome,
        code: ran.code,
        output: ran.output,
        ...(ifText ? { if: ifText } : {}),
      });
      if (id) steps[id] = { outputs: ran.outputs, outcome };
    }
    if (outcome === 'failure' && step['continue-on-error'] !== true) failed = true;
  }
  return { records, failed, steps };
}

/** A composite action: inputs with their defaults, its steps, then its outputs (also after a failure). */
async function runComposite(
  state: JobState,
  actionDir: string,
  withValues: Record<string, string>,
  callerEnv: Record<string, string>,
  what: string,
): Promise<{ records: StepRecord[]; failed: boolean; outputs: Record<string, string> }> {
  const action = record(parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')), 'action.yml');
  const runs = record(action.runs, 'action.yml runs');
  if (runs.using !== 'composite') throw new Error('action.yml: only composite actions are emulated');
  const declared = record(action.inputs, 'action.yml inputs');
  for (const name of Object.keys(withValues))
    if (!(name in declared)) throw new Error(`${what}: the action has no input "${name}"`);
  const github = { workspace: state.machine.workspace, action_path: actionDir };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const s = record(spec, `input ${name}`);
    const given = withValues[name];
    if (given === undefined && s.required === true) throw new Error(`${what}: input "${name}" is required`);
    inputs[name] =
      given ??
      (s.default === undefined
        ? ''
        : interpolate(s.default, { contexts: contexts(state, {}, { github }), failed: false }));
  }
  const extra = { inputs, github };
  const ran = await runSteps(state, (runs.steps as unknown[]) ?? [], {
    extra,
    env: { ...callerEnv, GITHUB_ACTION_PATH: actionDir },
    cwd: state.machine.workspace,
    what,
  });
  const outputs: Record<string, string> = {};
  const context: ExpressionContext = { contexts: contexts(state, ran.steps, extra), failed: ran.failed };
  for (const [name, spec] of Object.entries(record(action.outputs, 'action.yml outputs')))
    outputs[name] = interpolate(record(spec, `output ${name}`).value, context);
  return { records: ran.records, failed: ran.failed, outputs };
}

const WORKFLOW_KEYS = ['name', 'on', 'permissions', 'concurrency', 'env', 'jobs', 'run-name'];
const JOB_KEYS = [
  'name',
  'runs-on',
  'timeout-minutes',
  'permissions',
  'environment',
  'steps',
  'env',
  'concurrency',
];

/** Runs one job of a workflow (a parsed YAML document, or one built by a test). */
export async function runGithubJob(
  workflow: Record<string, unknown>,
  jobName: string,
  options: GithubOptions,
): Promise<GithubJobResult> {
  onlyKeys(workflow, WORKFLOW_KEYS, 'workflow');
  const job = record(record(workflow.jobs, 'jobs')[jobName], `job ${jobName}`);
  onlyKeys(job, JOB_KEYS, `job ${jobName}`);
  const state: JobState = { machine: options.machine, options, env: {}, path: [], summary: '' };
  const context = (): ExpressionContext => ({ contexts: contexts(state, {}), failed: false });
  Object.assign(state.env, evaluatedEnv(workflow.env, context(), 'workflow env'));
  Object.assign(state.env, evaluatedEnv(job.env, context(), `job ${jobName} env`));
  if (!Array.isArray(job.steps)) throw new Error(`job ${jobName}: no steps`);
  const ran = await runSteps(state, job.steps, { cwd: options.machine.workspace, what: jobName });
  const outputs: Record<string, Record<string, string>> = {};
  for (const [id, step] of Object.entries(ran.steps)) outputs[id] = step.outputs;
  return { steps: ran.records, failed: ran.failed, summary: state.summary, outputs };
}

// ---------------------------------------------------------------------------------------------------------
// GitLab CI jobs.

export interface GitlabOptions {
  readonly machine: Machine;
  /** The project's CI/CD variables (where secrets live); they override the file's `variables`. */
  readonly variables: Readonly<Record<string, string>>;
  readonly pipelineSource?: string;
}

export interface GitlabJobResult {
  /** The exit code of before_script + script (0: the job succeeded). */
  readonly code: number;
  /** The job log: each command echoed as `$ …`, then its output. */
  readonly output: string;
  readonly afterScriptOutput: string;
  readonly artifacts: {
    readonly when: string | undefined;
    readonly paths: readonly string[];
    readonly junit: readonly string[];
  };
  readonly image: string | undefined;
}

const GITLAB_JOB_KEYS = [
  'stage',
  'image',
  'timeout',
  'resource_group',
  'interruptible',
  'variables',
  'rules',
  'cache',
  'before_script',
  'script',
  'after_script',
  'artifacts',
  'tags',
];

function gitlabVariables(value: unknown, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(record(value, what))) {
    const v = typeof raw === 'object' && raw !== null ? (raw as { value?: unknown }).value : raw;
    const s = v === undefined || v === null ? '' : String(v);
    // GitLab expands $VARIABLES inside variables; the templates do not need it, so it is not emulated.
    if (s.includes('$')) throw new Error(`${what}.${name}: variable expansion is not emulated`);
    out[name] = s;
  }
  return out;
}

function lines(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new Error(`${what}: expected a list of commands`);
  return value as string[];
}

/** `$ first line` as the GitLab runner prints it before running a command. */
function echoed(command: string): string {
  const [first = ''] = command.split('\n');
  const shown = command.includes('\n') ? `${first} # collapsed multi-line command` : first;
  return `printf '%s\\n' '$ ${shown.replaceAll("'", `'\\''`)}'`;
}

export async function runGitlabJob(
  file: string,
  jobName: string,
  options: GitlabOptions,
): Promise<GitlabJobResult> {
  const pipeline = record(parse(readFileSync(file, 'utf8')), file);
  const job = record(pipeline[jobName], `job ${jobName}`);
  onlyKeys(job, GITLAB_JOB_KEYS, `job ${jobName}`);
  const m = options.machine;
  const env = {
    ...baseEnvironment(m, []),
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: m.workspace,
    CI_JOB_NAME: jobName,
    CI_PIPELINE_SOURCE: options.pipelineSource ?? 'web',
    ...gitlabVariables(pipeline.variables, 'variables'),
    ...gitlabVariables(job.variables, `${jobName}.variables`),
    ...options.variables,
  };
  const commands = [...lines(job.before_script, 'before_script'), ...lines(job.script, 'script')];
  const main = await bash(commands.map((c) => `${echoed(c)}\n${c}\n`).join(''), m, m.workspace, env);
  const after = lines(job.after_script, 'after_script');
  const afterRan =
    after.length === 0
      ? { code: 0, output: '' }
      : await bash(after.map((c) => `${echoed(c)}\n${c}\n`).join(''), m, m.workspace, {
          ...env,
          CI_JOB_STATUS: main.code === 0 ? 'success' : 'failed',
        });
  const artifacts = record(job.artifacts, 'artifacts');
  const reports = record(artifacts.reports, 'artifacts.reports');
  const junit = reports.junit;
  return {
    code: main.code,
    output: main.output,
    afterScriptOutput: afterRan.output,
    artifacts: {
      when: typeof artifacts.when === 'string' ? artifacts.when : undefined,
      paths: lines(artifacts.paths, 'artifacts.paths'),
      junit: typeof junit === 'string' ? [junit] : lines(junit, 'artifacts.reports.junit'),
    },
    image: typeof job.image === 'string' ? job.image : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The npm stand-in.

export interface NpmCall {
  readonly args: readonly string[];
  /** The names (never the values) of the environment variables npm was started with. */
  readonly envNames: readonly string[];
}

/**
 * Writes `npm` into `dir`: the templates' one registry install, `npm install … ssf-lab@VERSION`, becomes a
 * link of `<prefix>/node_modules` to the packed install's (the tarball installed once, shared by every
 * test file); any other npm use, or an install of anything but exactly `ssf-lab@VERSION`, fails. Each call
 * is logged for the test to read with `npmCalls`.
 */
export function writeNpmStub(dir: string, version: string, packedNodeModules: string): string {
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'npm-calls.log');
  writeFileSync(log, '');
  const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
  const script = `#!/usr/bin/env bash
# Test stand-in for npm (harness/distribution/ci-runner.testing.ts).
set -euo pipefail
{ printf 'call'; printf '\\t%s' "$@"; printf '\\n'; printf 'env\\t%s\\n' "$(compgen -e | tr '\\n' ' ')"; } >> ${q(log)}
if [ "\${1:-}" != install ]; then
  echo "npm (test stand-in): a template should only run npm install ssf-lab@${version}, not: npm $*" >&2
  exit 97
fi
shift
prefix=.
spec=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix|--cache) [ "$1" = --prefix ] && prefix=$2; shift 2 ;;
    --prefix=*) prefix=\${1#--prefix=}; shift ;;
    -*) shift ;;
    *) [ -z "$spec" ] || { echo "npm (test stand-in): one package only" >&2; exit 97; }; spec=$1; shift ;;
  esac
done
if [ "$spec" != ${q(`ssf-lab@${version}`)} ]; then
  echo "npm (test stand-in): expected the pinned ssf-lab@${version}, got '$spec'" >&2
  exit 97
fi
mkdir -p "$prefix"
ln -sfn ${q(packedNodeModules)} "$prefix/node_modules"
echo "added ssf-lab@${version} (test stand-in: the packed tarball's install)"
`;
  writeFileSync(join(dir, 'npm'), script);
  chmodSync(join(dir, 'npm'), 0o755);
  return log;
}

export function npmCalls(log: string): NpmCall[] {
  const calls: NpmCall[] = [];
  const rows = readFileSync(log, 'utf8').split('\n');
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const [kind, ...args] = (rows[i] ?? '').split('\t');
    const envRow = rows[i + 1] ?? '';
    if (kind !== 'call' || !envRow.startsWith('env\t')) break;
    calls.push({ args, envNames: envRow.slice(4).split(' ').filter(Boolean) });
  }
  return calls;
}
