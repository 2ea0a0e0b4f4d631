/**
 * The JSON report of a certification run (`certification.json`): the record as stable, pretty JSON —
 * members in the schema's order, header maps sorted, two-space indent, final newline — with every
 * exchange, every finding's evidence and every story string redacted again on the way out; and the
 * reader that validates one against its version's JSON Schema and names the bad field.
 *
 * Written as version 2 (`urn:ssf-lab:certification:2`). Version 1 records are still read: validated
 * against version 1's schema and returned as they are (version 2 only adds members, so a version 1
 * record is a version 2 record without a story; written out again, it is written as version 2).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { HarnessError, redactJson, redactUrl } from '../harness/kernel/index.ts';
import { isJsonObject, parseStrictJson } from '../harness/protocol/index.ts';
import {
  CERTIFICATION_RECORD_SCHEMA,
  CERTIFICATION_RECORD_SCHEMA_V1,
  type CertificationRecord,
  type ModuleStory,
  outcomeOf,
  tally,
} from '../harness/records/index.ts';
import {
  CERTIFICATION_RECORD_JSON_SCHEMA,
  CERTIFICATION_RECORD_SCHEMA_ID,
  CERTIFICATION_RECORD_V1_JSON_SCHEMA,
  CERTIFICATION_RECORD_V1_SCHEMA_ID,
} from './certification-schema.ts';
import { redactExchange } from './redaction.ts';
import { orderedBySchema, type Schema } from './schema-order.ts';
import { scrubCredentials } from './text.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the plugin is that default member.
const addFormats = ajvFormats.default as unknown as ajvFormats.FormatsPlugin;

function ordered(value: unknown, schema: Schema | undefined): unknown {
  return orderedBySchema(value, schema, CERTIFICATION_RECORD_JSON_SCHEMA.$defs as Record<string, Schema>);
}

/** Every string in a JSON value with the credentials in it scrubbed. */
function scrubStrings(v: unknown): unknown {
  if (typeof v === 'string') return scrubCredentials(v);
  if (Array.isArray(v)) return v.map(scrubStrings);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubStrings(x)]));
  return v;
}

/** Evidence is any JSON: credential members replaced, credentials in its strings scrubbed. */
function redactEvidence(value: unknown): unknown {
  return scrubStrings(redactJson(value));
}

/** A story's free text (step titles and errors, System Log messages, …) with credentials scrubbed. */
function redactStory(story: ModuleStory): ModuleStory {
  return scrubStrings(story) as ModuleStory;
}

/** The record with every exchange, evidence and free-text message redacted again. */
export function redactCertificationRecord(record: CertificationRecord): CertificationRecord {
  return {
    ...record,
    plans: record.plans.map((p) => ({
      ...p,
      modules: p.modules.map((m) => ({
        ...m,
        ...(m.error === undefined ? {} : { error: scrubCredentials(m.error) }),
        ...(m.story === undefined ? {} : { story: redactStory(m.story) }),
        cleanup: m.cleanup.map((c) =>
          c.error === undefined ? c : { ...c, error: scrubCredentials(c.error) },
        ),
        exchanges: m.exchanges.map((e) => {
          const x = redactExchange(e);
          return x.error === undefined ? x : { ...x, error: scrubCredentials(x.error) };
        }),
        checks: m.checks.map((c) => ({
          ...c,
          ...(c.reason === undefined ? {} : { reason: scrubCredentials(c.reason) }),
          findings: c.findings.map((f) => ({
            ...f,
            message: scrubCredentials(f.message),
            ...(f.evidence === undefined ? {} : { evidence: redactEvidence(f.evidence) }),
          })),
        })),
      })),
    })),
    ledgerProblems: record.ledgerProblems.map((l) => ({
      entry: redactEvidence(l.entry),
      message: l.message,
    })),
    ...(record.unreachable === undefined
      ? {}
      : {
          unreachable: record.unreachable.map((u) => ({
            plan: u.plan,
            url: redactUrl(u.url),
            message: scrubCredentials(u.message),
          })),
        }),
  };
}

/**
 * The record as written: each check with its `outcome` and the run with its `counts` — the vocabulary
 * every report uses (reports/vocabulary.ts), so a reader of certification.json (`jq .counts.failed`)
 * gets the numbers the console printed without re-deriving them.
 */
function withOutcomes(record: CertificationRecord): CertificationRecord {
  return {
    ...record,
    counts: tally(record),
    plans: record.plans.map((p) => ({
      ...p,
      modules: p.modules.map((m) => ({
        ...m,
        checks: m.checks.map((c) => ({ ...c, outcome: outcomeOf(c) })),
      })),
    })),
  };
}

/**
 * The record as pretty, stable JSON, written as version 2 (a record read from version 1 is a version 2
 * record without a story, so only its `schema` member changes).
 */
export function serializeCertificationRecord(record: CertificationRecord): string {
  const current: CertificationRecord = withOutcomes({
    ...redactCertificationRecord(record),
    schema: CERTIFICATION_RECORD_SCHEMA,
  });
  return `${JSON.stringify(ordered(current, CERTIFICATION_RECORD_JSON_SCHEMA), null, 2)}\n`;
}

let validators: { readonly v2: ValidateFunction; readonly v1: ValidateFunction } | undefined;

/** One validator per version read, compiled once. */
function recordValidators(): { readonly v2: ValidateFunction; readonly v1: ValidateFunction } {
  if (validators === undefined) {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv, ['date-time']);
    validators = {
      v2: ajv.compile(CERTIFICATION_RECORD_JSON_SCHEMA as object),
      v1: ajv.compile(CERTIFICATION_RECORD_V1_JSON_SCHEMA as object),
    };
  }
  return validators;
}

/** The first problem ajv found, as `<where> <what>`. */
function firstProblem(errors: ValidateFunction['errors']): string {
  const e = errors?.[0];
  if (e === undefined) return 'the record is invalid';
  const where = e.instancePath === '' ? 'the record' : e.instancePath;
  const params = e.params as { missingProperty?: string; allowedValues?: readonly unknown[] };
  if (params.missingProperty !== undefined) return `${where} is missing "${params.missingProperty}"`;
  if (Array.isArray(params.allowedValues))
    return `${where} must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Checks a parsed value is a certification record of a version this ssf-lab reads (2, or 1) against
 * that version's schema; throws naming the first bad field. The record is returned as it is.
 */
export function validateCertificationRecord(value: unknown): CertificationRecord {
  const label = 'invalid certification record';
  if (!isJsonObject(value)) throw new HarnessError('ERR_INPUT_INVALID', `${label}: not a JSON object`);
  const { v2, v1 } = recordValidators();
  const validate =
    value.schema === CERTIFICATION_RECORD_SCHEMA
      ? v2
      : value.schema === CERTIFICATION_RECORD_SCHEMA_V1
        ? v1
        : undefined;
  if (validate === undefined)
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `${label}: schema is ${JSON.stringify(value.schema) ?? 'missing'}; this ssf-lab reads "${CERTIFICATION_RECORD_SCHEMA}" and "${CERTIFICATION_RECORD_SCHEMA_V1}"`,
    );
  if (!validate(value))
    throw new HarnessError('ERR_INPUT_INVALID', `${label}: ${firstProblem(validate.errors)}`);
  return value as unknown as CertificationRecord;
}

/**
 * The record without what the writer derived for its readers (`counts`, each check's `outcome`): the
 * checks are the truth, and a record read back is the record that was written.
 */
function withoutDerived(record: CertificationRecord): CertificationRecord {
  const { counts: _counts, ...rest } = record;
  return {
    ...rest,
    plans: record.plans.map((p) => ({
      ...p,
      modules: p.modules.map((m) => ({
        ...m,
        checks: m.checks.map(({ outcome: _outcome, ...c }) => c),
      })),
    })),
  };
}

/** Reads `certification.json` (the derived `counts` and `outcome` are dropped: the checks decide). */
export function parseCertificationRecord(text: string): CertificationRecord {
  const parsed = parseStrictJson(text, 128);
  if (!parsed.ok)
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `invalid certification record: not valid JSON: ${parsed.message}`,
    );
  return withoutDerived(validateCertificationRecord(parsed.value));
}

export {
  CERTIFICATION_RECORD_JSON_SCHEMA,
  CERTIFICATION_RECORD_SCHEMA_ID,
  CERTIFICATION_RECORD_V1_JSON_SCHEMA,
  CERTIFICATION_RECORD_V1_SCHEMA_ID,
};
