import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { isHarnessError, type RunRecord } from '../harness/protocol/index.ts';
import { failingRun, passingRun } from './fixtures.testing.ts';
import {
  createRunRecordAjv,
  parseRunRecord,
  parseRunRecords,
  RUN_RECORD_JSON_SCHEMA,
  RUN_RECORD_SCHEMA_ID,
  RUN_RECORDS_DOCUMENT,
  RUN_RECORDS_JSON_SCHEMA,
  RUN_RECORDS_SCHEMA_ID,
  serializeRunRecords,
  validateRunRecord,
} from './json.ts';

const committed = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));

/** The error `fn` throws: a HarnessError with ERR_INPUT_INVALID. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isHarnessError(error) && error.code === 'ERR_INPUT_INVALID').toBe(true);
    return (error as Error).message;
  }
  throw new Error('did not throw');
}

/** A passing run's JSON with one top-level member set. */
const withMember = (name: string, value: unknown): string =>
  edited((v) => {
    v[name] = value;
  });

/** A passing run's JSON with one change made to the parsed value. */
function edited(
  change: (value: Record<string, unknown> & { timeline: Record<string, unknown>[] }) => void,
): string {
  const value = JSON.parse(serializeRunRecords([passingRun()]));
  change(value);
  return JSON.stringify(value);
}

test('the committed JSON Schema files are the schemas in run-record-schema.ts', () => {
  // After changing the schema, regenerate the files as reports/README.md says.
  expect(committed('run-record.schema.json')).toEqual(RUN_RECORD_JSON_SCHEMA);
  expect(committed('run-records.schema.json')).toEqual(RUN_RECORDS_JSON_SCHEMA);
  expect(RUN_RECORD_JSON_SCHEMA.$id).toBe(RUN_RECORD_SCHEMA_ID);
  expect(RUN_RECORDS_JSON_SCHEMA.$id).toBe(RUN_RECORDS_SCHEMA_ID);
});

test('sample records validate against the committed schemas (strict ajv)', () => {
  const ajv = createRunRecordAjv();
  const validate = ajv.getSchema(RUN_RECORD_SCHEMA_ID);
  const validateMany = ajv.getSchema(RUN_RECORDS_SCHEMA_ID);
  for (const record of [passingRun(), failingRun()]) {
    expect(validate?.(JSON.parse(serializeRunRecords([record]))), JSON.stringify(validate?.errors)).toBe(
      true,
    );
  }
  expect(validateMany?.(JSON.parse(serializeRunRecords([passingRun(), failingRun()])))).toBe(true);
});

test('one record round-trips: serialize, parse, serialize gives the same record and the same bytes', () => {
  const record = passingRun();
  const text = serializeRunRecords([record]);
  expect(text.startsWith('{\n  "schema": "urn:ssf-lab:run-record:1",\n  "tool": {')).toBe(true);
  expect(text.endsWith('}\n')).toBe(true);
  const parsed = parseRunRecord(text);
  expect(parsed).toEqual(record);
  expect(serializeRunRecords([parsed])).toBe(text);
  expect(parseRunRecords(text)).toEqual([record]);
});

test('stable: member order in the input does not change the output', () => {
  const record = passingRun();
  const reversed = Object.fromEntries(Object.entries(record).reverse()) as unknown as RunRecord;
  const shuffled: RunRecord = {
    ...reversed,
    timeline: record.timeline.map(
      (e) =>
        ({
          ...Object.fromEntries(Object.entries(e).reverse()),
          requestHeaders: Object.fromEntries(Object.entries(e.requestHeaders).reverse()),
        }) as unknown as RunRecord['timeline'][number],
    ),
  };
  expect(serializeRunRecords([shuffled])).toBe(serializeRunRecords([record]));
});

test('several records are one document with its own schema id', () => {
  const text = serializeRunRecords([passingRun(), failingRun()]);
  const value = JSON.parse(text);
  expect(value.schema).toBe(RUN_RECORDS_DOCUMENT);
  expect(value.runs).toHaveLength(2);
  expect(parseRunRecords(text)).toEqual([passingRun(), failingRun()]);
  expect(errorOf(() => parseRunRecord(text))).toContain('holds several runs');
  expect(JSON.parse(serializeRunRecords([])).runs).toEqual([]);
});

test('a bad record is refused with the field named', () => {
  expect(
    errorOf(() =>
      parseRunRecord(
        edited((v) => {
          (v.timeline[3] as Record<string, unknown>).status = 'abc';
        }),
      ),
    ),
  ).toBe('invalid run record: timeline[3].status must be an integer (found "abc")');
  expect(errorOf(() => parseRunRecord(edited((v) => delete v.passed)))).toBe(
    'invalid run record: the run record is missing the member "passed"',
  );
  expect(errorOf(() => parseRunRecord(withMember('transport', 'carrier-pigeon')))).toBe(
    'invalid run record: transport must be one of "in-process", "loopback" (found "carrier-pigeon")',
  );
  expect(errorOf(() => parseRunRecord(withMember('startedAt', 'yesterday')))).toContain(
    'startedAt must be an RFC 3339 date-time (found "yesterday")',
  );
  expect(
    errorOf(() =>
      parseRunRecord(
        edited((v) => {
          (v.timeline[0] as { requestHeaders: Record<string, unknown> }).requestHeaders['x-count'] = 3;
        }),
      ),
    ),
  ).toContain('timeline[0].requestHeaders["x-count"] must be a string (found 3)');
  expect(errorOf(() => parseRunRecord(withMember('schema', 'urn:ssf-lab:run-record:2')))).toBe(
    'invalid run record: schema is "urn:ssf-lab:run-record:2"; this ssf-lab reads run records of schema "urn:ssf-lab:run-record:1"',
  );
  const many = errorOf(() =>
    parseRunRecord(
      edited((v) => {
        delete v.steps;
        delete v.logouts;
        delete v.systemLog;
        delete v.expectations;
      }),
    ),
  );
  expect(many).toMatch(/\(and 1 more problems\)$/);
});

test('not JSON, not an object, duplicate members, a bad run inside a document', () => {
  expect(errorOf(() => parseRunRecord('{"schema": '))).toMatch(/^invalid run record: not valid JSON: /);
  expect(errorOf(() => parseRunRecord('[1]'))).toBe(
    'invalid run record: the run record must be a JSON object (found [1])',
  );
  const text = serializeRunRecords([passingRun()]).replace(
    '"passed": true,',
    '"passed": true,\n  "passed": false,',
  );
  expect(errorOf(() => parseRunRecord(text))).toBe(
    'invalid run record: the member "passed" appears twice in the top-level object',
  );
  const doc = JSON.parse(serializeRunRecords([passingRun(), failingRun()]));
  doc.runs[1].steps[0].ok = 'yes';
  expect(errorOf(() => parseRunRecords(JSON.stringify(doc)))).toBe(
    'invalid run records: runs[1].steps[0].ok must be a boolean (found "yes")',
  );
  expect(() => validateRunRecord(passingRun())).not.toThrow();
});

test('members a newer writer adds are accepted (version 1 only grows)', () => {
  const text = edited((v) => {
    v.seed = 7;
    (v.timeline[0] as Record<string, unknown>).phase = 'sign-in';
  });
  expect(parseRunRecord(text)).toMatchObject({ seed: 7 });
});

test('credentials a record carries raw are redacted on the way out', () => {
  const base = passingRun();
  const first = base.timeline[0];
  if (!first) throw new Error('fixture is empty');
  const leaky: RunRecord = {
    ...base,
    timeline: [
      {
        ...first,
        url: 'https://acme.okta.lab/cb?code=planted-code-42&state=s1',
        requestHeaders: {
          authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJwbGFudGVkIjoxfQ.c2ln',
          cookie: 'sid=planted-1',
        },
        responseHeaders: { 'set-cookie': 'sid=planted-2', 'content-type': 'application/json' },
        responseBody: JSON.stringify({ refresh_token: 'planted-3' }),
      },
    ],
  };
  const text = serializeRunRecords([leaky]);
  for (const secret of ['eyJhbGciOiJSUzI1NiJ9', 'planted-1', 'planted-2', 'planted-3', 'planted-code-42'])
    expect(text).not.toContain(secret);
  const parsed = parseRunRecord(text).timeline[0];
  expect(parsed?.requestHeaders).toEqual({ authorization: 'Bearer [redacted]', cookie: '[redacted]' });
  expect(parsed?.url).toContain('state=s1');
});
