/**
 * The JSON report: run records as stable, pretty JSON (`run.json` for one run, `runs.json` for several),
 * and the reader that validates one against the committed JSON Schema and names the bad field.
 *
 * Stable: the record's members come in the schema's order, header maps sorted by name, two-space indent,
 * a final newline — the same record always gives the same bytes. Exchanges are redacted again on the way
 * out (credential headers, URL parameters, JSON and form members), as every reporter does.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import {
  type ExchangeRecord,
  HarnessError,
  isJsonObject,
  parseStrictJson,
  RUN_RECORD_SCHEMA,
  type RunRecord,
} from '../harness/protocol/index.ts';
import { redactExchange } from './redaction.ts';
import {
  RUN_RECORD_JSON_SCHEMA,
  RUN_RECORD_SCHEMA_ID,
  RUN_RECORDS_DOCUMENT,
  RUN_RECORDS_JSON_SCHEMA,
  RUN_RECORDS_SCHEMA_ID,
} from './run-record-schema.ts';
import { orderedBySchema, type Schema } from './schema-order.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the plugin is that default member.
const addFormats = ajvFormats.default as unknown as ajvFormats.FormatsPlugin;

/** Nesting accepted when reading a record (SET claims are bounded at 32 levels when decoded). */
const MAX_DEPTH = 128;
/** Problems named in one error message; the rest are counted. */
const MAX_PROBLEMS = 3;

/** Several runs in one document (`runs.json`). */
export interface RunRecordsDocument {
  readonly schema: typeof RUN_RECORDS_DOCUMENT;
  readonly runs: readonly RunRecord[];
}

// ——— writing ———

function ordered(value: unknown, schema: Schema | undefined): unknown {
  return orderedBySchema(value, schema, RUN_RECORD_JSON_SCHEMA.$defs as Record<string, Schema>);
}

function prepared(record: RunRecord): unknown {
  const timeline: readonly ExchangeRecord[] = Array.isArray(record.timeline)
    ? record.timeline.map(redactExchange)
    : record.timeline;
  return ordered({ ...record, timeline }, RUN_RECORD_JSON_SCHEMA);
}

/**
 * Run records as pretty JSON: one record as itself (its `schema` member names its version), several as
 * `{ "schema": "urn:ssf-lab:run-records:1", "runs": [...] }`.
 */
export function serializeRunRecords(records: readonly RunRecord[]): string {
  const only = records.length === 1 ? records[0] : undefined;
  const document =
    only !== undefined ? prepared(only) : { schema: RUN_RECORDS_DOCUMENT, runs: records.map(prepared) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

// ——— reading ———

let validator: ValidateFunction | undefined;

/** An ajv instance holding both schemas (strict, every error reported). */
export function createRunRecordAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv, ['date-time']);
  ajv.addSchema(RUN_RECORD_JSON_SCHEMA as object);
  ajv.addSchema(RUN_RECORDS_JSON_SCHEMA as object);
  return ajv;
}

/** The compiled run record validator (compiled on first use). */
function recordValidator(): ValidateFunction {
  if (validator === undefined) {
    validator = createRunRecordAjv().getSchema(RUN_RECORD_SCHEMA_ID);
    if (validator === undefined) throw new TypeError('the run record schema did not compile');
  }
  return validator;
}

/** `/timeline/3/requestHeaders/x-a` → `timeline[3].requestHeaders["x-a"]`. */
function fieldName(pointer: string, prefix: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function typeWords(type: unknown): string {
  const article = (t: string): string => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  return String(type).split(',').map(article).join(' or ');
}

function describe(e: ErrorObject, root: unknown, prefix: string, label: string): string {
  const where = fieldName(e.instancePath, prefix) || label;
  const p = e.params as Record<string, unknown>;
  const actual = found(valueAt(root, e.instancePath));
  switch (e.keyword) {
    case 'required':
      return `${where} is missing the member "${String(p.missingProperty)}"`;
    case 'type':
      return `${where} must be ${typeWords(p.type)} (found ${actual})`;
    case 'const':
      return `${where} must be ${JSON.stringify(p.allowedValue)} (found ${actual})`;
    case 'enum':
      return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (found ${actual})`;
    case 'format':
      return `${where} must be ${p.format === 'date-time' ? 'an RFC 3339 date-time' : `a valid ${String(p.format)}`} (found ${actual})`;
    case 'minimum':
    case 'maximum':
      return `${where} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)} (found ${actual})`;
    default:
      return `${where} ${e.message ?? 'is invalid'} (found ${actual})`;
  }
}

function invalid(label: string, problems: readonly string[]): HarnessError {
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more problems)` : '';
  return new HarnessError('ERR_INPUT_INVALID', `${label}: ${shown}${more}`);
}

function checkRecord(value: unknown, prefix: string, label: string): RunRecord {
  const where = prefix === '' ? 'the run record' : prefix;
  if (!isJsonObject(value)) throw invalid(label, [`${where} must be a JSON object (found ${found(value)})`]);
  if (value.schema === RUN_RECORDS_DOCUMENT)
    throw invalid(label, [
      `${where} holds several runs (${RUN_RECORDS_DOCUMENT}); read it with parseRunRecords`,
    ]);
  if (value.schema !== RUN_RECORD_SCHEMA)
    throw invalid(label, [
      `${fieldName('/schema', prefix)} is ${found(value.schema)}; this ssf-lab reads run records of schema "${RUN_RECORD_SCHEMA}"`,
    ]);
  const validate = recordValidator();
  if (!validate(value))
    throw invalid(
      label,
      (validate.errors ?? []).map((e) => describe(e, value, prefix, where)),
    );
  return value as unknown as RunRecord;
}

function parseJson(text: string, label: string): unknown {
  const parsed = parseStrictJson(text, MAX_DEPTH);
  if (!parsed.ok) throw invalid(label, [`not valid JSON: ${parsed.message}`]);
  const duplicate = parsed.duplicates[0];
  if (duplicate) {
    const path = duplicate.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `/${p}`))
      .join('')
      .replace(/\/([A-Za-z_$][\w$]*)/g, '.$1')
      .replace(/^\./, '');
    throw invalid(label, [
      `the member "${duplicate.name}" appears twice in ${path === '' ? 'the top-level object' : path}`,
    ]);
  }
  return parsed.value;
}

/** Checks that a parsed value is a run record of this version; throws `HarnessError` naming the bad field. */
export function validateRunRecord(value: unknown): RunRecord {
  return checkRecord(value, '', 'invalid run record');
}

/** Reads one run record (`run.json`); throws `HarnessError` (`ERR_INPUT_INVALID`) naming the bad field. */
export function parseRunRecord(text: string): RunRecord {
  return checkRecord(parseJson(text, 'invalid run record'), '', 'invalid run record');
}

/** Reads `run.json` or `runs.json`: one record or a document of several; always a list. */
export function parseRunRecords(text: string): RunRecord[] {
  const label = 'invalid run records';
  const value = parseJson(text, label);
  if (isJsonObject(value) && value.schema === RUN_RECORDS_DOCUMENT) {
    const runs = value.runs;
    if (!Array.isArray(runs)) throw invalid(label, [`runs must be an array (found ${found(runs)})`]);
    return runs.map((run, i) => checkRecord(run, `runs[${i}]`, label));
  }
  return [checkRecord(value, '', label)];
}

export {
  RUN_RECORD_JSON_SCHEMA,
  RUN_RECORD_SCHEMA_ID,
  RUN_RECORDS_DOCUMENT,
  RUN_RECORDS_JSON_SCHEMA,
  RUN_RECORDS_SCHEMA_ID,
};
