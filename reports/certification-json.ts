/**
 * The JSON report of a certification run (`certification.json`): the record as stable, pretty JSON —
 * members in the schema's order, header maps sorted, two-space indent, final newline — with every
 * exchange and every finding's evidence redacted again on the way out; and the reader that validates one
 * against the committed JSON Schema and names the bad field.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  HarnessError,
  isJsonObject,
  parseStrictJson,
  redactJson,
} from '../harness/protocol/index.ts';
import { CERTIFICATION_RECORD_JSON_SCHEMA, CERTIFICATION_RECORD_SCHEMA_ID } from './certification-schema.ts';
import { redactExchange } from './redaction.ts';
import { orderedBySchema, type Schema } from './schema-order.ts';
import { scrubCredentials } from './text.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the plugin is that default member.
const addFormats = ajvFormats.default as unknown as ajvFormats.FormatsPlugin;

function ordered(value: unknown, schema: Schema | undefined): unknown {
  return orderedBySchema(value, schema, CERTIFICATION_RECORD_JSON_SCHEMA.$defs as Record<string, Schema>);
}

/** Evidence is any JSON: credential members replaced, credentials in its strings scrubbed. */
function redactEvidence(value: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubCredentials(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(redactJson(value));
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
  };
}

/** The record as pretty, stable JSON. */
export function serializeCertificationRecord(record: CertificationRecord): string {
  return `${JSON.stringify(ordered(redactCertificationRecord(record), CERTIFICATION_RECORD_JSON_SCHEMA), null, 2)}\n`;
}

let validator: ValidateFunction | undefined;

function recordValidator(): ValidateFunction {
  if (validator === undefined) {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv, ['date-time']);
    validator = ajv.compile(CERTIFICATION_RECORD_JSON_SCHEMA as object);
  }
  return validator;
}

/** Checks a parsed value is a certification record of this version; throws naming the first bad field. */
export function validateCertificationRecord(value: unknown): CertificationRecord {
  const label = 'invalid certification record';
  if (!isJsonObject(value)) throw new HarnessError('ERR_INPUT_INVALID', `${label}: not a JSON object`);
  if (value.schema !== CERTIFICATION_RECORD_SCHEMA)
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `${label}: schema is ${JSON.stringify(value.schema) ?? 'missing'}; this ssf-lab reads "${CERTIFICATION_RECORD_SCHEMA}"`,
    );
  const validate = recordValidator();
  if (!validate(value)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath === '' || e === undefined ? 'the record' : e.instancePath;
    const missing = (e?.params as { missingProperty?: string } | undefined)?.missingProperty;
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `${label}: ${where} ${missing === undefined ? (e?.message ?? 'is invalid') : `is missing "${missing}"`}`,
    );
  }
  return value as unknown as CertificationRecord;
}

/** Reads `certification.json`. */
export function parseCertificationRecord(text: string): CertificationRecord {
  const parsed = parseStrictJson(text, 128);
  if (!parsed.ok)
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `invalid certification record: not valid JSON: ${parsed.message}`,
    );
  return validateCertificationRecord(parsed.value);
}

export { CERTIFICATION_RECORD_JSON_SCHEMA, CERTIFICATION_RECORD_SCHEMA_ID };
