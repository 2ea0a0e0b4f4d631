/**
 * Reads and validates scenarios. A YAML file that is broken, or a scenario that does not fit the schema,
 * fails with the file, the line and column, the path inside the scenario and what is wrong — never a
 * stack trace. Steps, wait conditions and expectations are validated by their own kind's schema, so the
 * message is about the step that is wrong ("threat.category is required"), not a list of every kind it
 * is not.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Scenario } from './scenario.ts';
import {
  DURATION_SCHEMA,
  EXPECTATION_SCHEMAS,
  SCENARIO_SCHEMA,
  STEP_SCHEMAS,
  WAIT_CONDITION_SCHEMAS,
} from './scenario-schema.ts';

export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(file: string, message: string, position?: { line: number; col: number }) {
    super(`${file}${position ? `:${position.line}:${position.col}` : ''}: ${message}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.line = position?.line;
    this.column = position?.col;
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
const compiled = new Map<object, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** The envelope: everything but the inside of steps and expectations, which are checked per kind. */
const ENVELOPE = {
  ...SCENARIO_SCHEMA,
  properties: {
    ...SCENARIO_SCHEMA.properties,
    steps: { type: 'array', items: { type: 'object', minProperties: 1, maxProperties: 1 } },
    expect: { type: 'array', items: { type: 'object', minProperties: 1, maxProperties: 1 } },
  },
};

type Path = readonly (string | number)[];

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `"${String(p.missingProperty)}" is required`;
    case 'additionalProperties':
      return `unknown key "${String(p.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'anyOf':
      return error.parentSchema === DURATION_SCHEMA
        ? 'must be a duration like 5s, 250ms or 2m (or a number of milliseconds)'
        : 'is none of the forms allowed here';
    case 'minProperties': {
      // An expectation that must say more than its user (`workflow`): name the keys that would do.
      const schema = error.parentSchema as { properties?: object; required?: string[] } | undefined;
      const optional = Object.keys(schema?.properties ?? {}).filter((k) => !schema?.required?.includes(k));
      if (Number(p.limit) > 1 && optional.length > 0)
        return `needs ${optional.map((k) => JSON.stringify(k)).join(' or ')} as well`;
      return 'must be an object with exactly one key (the kind)';
    }
    case 'maxProperties':
      return 'must be an object with exactly one key (the kind)';
    default:
      return error.message ?? 'is not valid';
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

interface Located {
  readonly path: Path;
  readonly message: string;
}

function firstError(schema: object, value: unknown, at: Path): Located | undefined {
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  // A misspelled key is reported as unknown (rather than as the key it was meant to be, missing).
  // A value that fits none of several forms is reported as such, not by the first form's complaint.
  const rank = (e: ErrorObject): number =>
    (({ additionalProperties: 0, required: 1, anyOf: 2 }) as Record<string, number>)[e.keyword] ?? 3;
  const error = [...(validate.errors ?? [])].sort((a, b) => rank(a) - rank(b))[0];
  if (!error) return { path: at, message: 'is not valid' };
  const inner = pointerToPath(error.instancePath);
  const extra =
    error.keyword === 'additionalProperties'
      ? [String((error.params as { additionalProperty: string }).additionalProperty)]
      : [];
  return { path: [...at, ...inner, ...extra], message: describe(error) };
}

function kindError(list: string, kinds: readonly string[], kind: string, at: Path): Located {
  return { path: at, message: `unknown ${list} "${kind}"; it must be one of ${kinds.join(', ')}` };
}

/** The first thing wrong with a scenario object, or undefined. */
export function scenarioProblem(value: unknown): Located | undefined {
  const envelope = firstError(ENVELOPE, value, []);
  if (envelope) return envelope;
  const scenario = value as { steps: Record<string, unknown>[]; expect: Record<string, unknown>[] };
  for (const [i, step] of scenario.steps.entries()) {
    const kind = Object.keys(step)[0] ?? '';
    const schema = STEP_SCHEMAS[kind];
    if (!schema) return kindError('step', Object.keys(STEP_SCHEMAS), kind, ['steps', i, kind]);
    if (kind === 'wait') {
      const until = (step.wait as { until?: unknown } | undefined)?.until;
      if (until !== null && typeof until === 'object' && !Array.isArray(until)) {
        const conditionKind = Object.keys(until)[0] ?? '';
        const conditionSchema = WAIT_CONDITION_SCHEMAS[conditionKind];
        if (!conditionSchema)
          return kindError('wait condition', Object.keys(WAIT_CONDITION_SCHEMAS), conditionKind, [
            'steps',
            i,
            'wait',
            'until',
            conditionKind,
          ]);
        const bad = firstError(conditionSchema, until, ['steps', i, 'wait', 'until']);
        if (bad) return bad;
      }
    }
    const bad = firstError(schema, step, ['steps', i]);
    if (bad) return bad;
  }
  for (const [i, expectation] of scenario.expect.entries()) {
    const kind = Object.keys(expectation)[0] ?? '';
    const schema = EXPECTATION_SCHEMAS[kind];
    if (!schema) return kindError('expectation', Object.keys(EXPECTATION_SCHEMAS), kind, ['expect', i, kind]);
    const bad = firstError(schema, expectation, ['expect', i]);
    if (bad) return bad;
  }
  return undefined;
}

/** The position of the deepest node of `path` that exists in the document (1-based line and column). */
function positionOf(
  doc: Document,
  counter: LineCounter,
  path: Path,
): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const key = n > 0 ? keyNode(doc, path.slice(0, n)) : undefined;
    const offset = key?.range?.[0] ?? node?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset);
  }
  return undefined;
}

/** For a path ending at a map key, the key's own node (so the position points at `category:`). */
function keyNode(doc: Document, path: Path): { range?: [number, number, number] } | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path.at(-1);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
    return (pair?.key as { range?: [number, number, number] } | undefined) ?? undefined;
  }
  if (isSeq(parent) && typeof last === 'number')
    return parent.items[last] as { range?: [number, number, number] };
  return undefined;
}

function pathText(path: Path): string {
  return path.length === 0
    ? 'the scenario'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '[');
}

/** Parses and validates YAML text; `file` names it in errors and gives the default id. */
export function parseScenario(text: string, file: string): Scenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    throw new ScenarioError(
      file,
      `not valid YAML: ${syntax.message.split('\n')[0]}`,
      counter.linePos(syntax.pos[0]),
    );
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const problem = scenarioProblem(value);
  if (problem) {
    throw new ScenarioError(
      file,
      `${pathText(problem.path)}: ${problem.message}`,
      positionOf(doc, counter, problem.path),
    );
  }
  const scenario = value as Scenario;
  return scenario.id ? scenario : { ...scenario, id: basename(file, extname(file)) };
}

/** Reads a scenario file (`.yaml`/`.yml`). */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(
      file,
      `cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseScenario(text, file);
}

/** Validates a scenario object (one written in TypeScript); `name` labels it in errors. */
export function checkScenario(
  scenario: Scenario,
  name = scenario.id ?? scenario.name ?? 'scenario',
): Scenario {
  const problem = scenarioProblem(scenario);
  if (problem) throw new ScenarioError(name, `${pathText(problem.path)}: ${problem.message}`);
  return scenario;
}
