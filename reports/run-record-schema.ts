/**
 * JSON Schemas (2020-12) of the run record (`harness/protocol/run-record.ts`) and of the document that
 * holds several runs. The source of truth for `run-record.schema.json` and `run-records.schema.json`
 * next to this file (committed for anyone validating a `run.json` outside ssf-lab; a test keeps them
 * equal to these).
 *
 * Version 1 of the record: a reader of version 1 accepts members it does not know (a writer may add
 * members without a new version); removing or renaming a member, or changing its type, is version 2.
 * The parts it shares with the certification record's story (exchange, step, System Log entry, logout)
 * are defined once, in `certification-schema.ts`.
 */
import { RUN_RECORD_SCHEMA } from '../harness/protocol/index.ts';
import {
  EXCHANGE_JSON_SCHEMA,
  LOGOUT_JSON_SCHEMA,
  STEP_JSON_SCHEMA,
  SYSTEM_LOG_ENTRY_JSON_SCHEMA,
} from './certification-schema.ts';

/** `$id` of the run record's JSON Schema. */
export const RUN_RECORD_SCHEMA_ID = 'urn:ssf-lab:schema:run-record:1';
/** `$id` of the several-runs document's JSON Schema. */
export const RUN_RECORDS_SCHEMA_ID = 'urn:ssf-lab:schema:run-records:1';
/** The `schema` member of a document holding several runs (`runs.json`). */
export const RUN_RECORDS_DOCUMENT = 'urn:ssf-lab:run-records:1';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const string = { type: 'string' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const milliseconds = { type: 'number', minimum: 0 } as const;

export const RUN_RECORD_JSON_SCHEMA = {
  $schema: DRAFT,
  $id: RUN_RECORD_SCHEMA_ID,
  title: 'ssf-lab run record, version 1',
  description:
    'Everything one scenario run leaves behind: steps, expectations, every HTTP exchange (redacted), the SETs that crossed the wire, Okta System Log events and the apps\u2019 logout results.',
  type: 'object',
  required: [
    'schema',
    'tool',
    'scenario',
    'transport',
    'startedAt',
    'durationMs',
    'passed',
    'steps',
    'expectations',
    'timeline',
    'systemLog',
    'logouts',
  ],
  properties: {
    schema: { const: RUN_RECORD_SCHEMA },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'ssf-lab' }, version: string },
    },
    scenario: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: string, name: string, description: string, file: string },
    },
    transport: { enum: ['in-process', 'loopback'] },
    startedAt: { type: 'string', format: 'date-time' },
    durationMs: milliseconds,
    passed: { type: 'boolean' },
    steps: { type: 'array', items: { $ref: '#/$defs/step' } },
    expectations: { type: 'array', items: { $ref: '#/$defs/expectation' } },
    timeline: { type: 'array', items: { $ref: '#/$defs/exchange' } },
    systemLog: { type: 'array', items: { $ref: '#/$defs/systemLogEntry' } },
    logouts: { type: 'array', items: { $ref: '#/$defs/logout' } },
  },
  $defs: {
    exchange: EXCHANGE_JSON_SCHEMA,
    step: STEP_JSON_SCHEMA,
    expectation: {
      description: '`expected` and `actual` are any JSON value; absent when undefined.',
      type: 'object',
      required: ['index', 'kind', 'title', 'ok'],
      properties: {
        index: count,
        kind: string,
        title: string,
        ok: { type: 'boolean' },
        expected: true,
        actual: true,
        message: string,
      },
    },
    systemLogEntry: SYSTEM_LOG_ENTRY_JSON_SCHEMA,
    logout: LOGOUT_JSON_SCHEMA,
  },
} as const;

export const RUN_RECORDS_JSON_SCHEMA = {
  $schema: DRAFT,
  $id: RUN_RECORDS_SCHEMA_ID,
  title: 'ssf-lab run records, version 1',
  description: 'Several run records in one document (runs.json).',
  type: 'object',
  required: ['schema', 'runs'],
  properties: {
    schema: { const: RUN_RECORDS_DOCUMENT },
    runs: { type: 'array', items: { $ref: RUN_RECORD_SCHEMA_ID } },
  },
} as const;
