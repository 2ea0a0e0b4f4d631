/**
 * JSON Schema (2020-12) of the certification record (`harness/protocol/certification-record.ts`): the
 * source of truth for `certification-record.schema.json` next to this file, committed for anyone
 * validating a `certification.json` outside ssf-lab (a test keeps the two equal; `npm run docs`
 * regenerates the file).
 *
 * Version 1: a reader of version 1 accepts members it does not know (a writer may add members without a
 * new version); removing or renaming a member, or changing its type, is version 2.
 */
import { CERTIFICATION_RECORD_SCHEMA } from '../harness/protocol/index.ts';
import { RUN_RECORD_JSON_SCHEMA } from './run-record-schema.ts';

/** `$id` of the certification record's JSON Schema. */
export const CERTIFICATION_RECORD_SCHEMA_ID = 'urn:ssf-lab:schema:certification:1';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const string = { type: 'string' } as const;
const milliseconds = { type: 'number', minimum: 0 } as const;
const level = { enum: ['failure', 'warning', 'info'] } as const;

export const CERTIFICATION_RECORD_JSON_SCHEMA = {
  $schema: DRAFT,
  $id: CERTIFICATION_RECORD_SCHEMA_ID,
  title: 'ssf-lab certification record, version 1',
  description:
    'One run of conformance plans against one target: per plan its modules, the HTTP exchanges each module made and received (redacted), what it created and removed in the target, and each check\u2019s verdict with its findings and the requirement it cites.',
  type: 'object',
  required: [
    'schema',
    'tool',
    'target',
    'startedAt',
    'durationMs',
    'dryRun',
    'passed',
    'plans',
    'ledgerProblems',
  ],
  properties: {
    schema: { const: CERTIFICATION_RECORD_SCHEMA },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'ssf-lab' }, version: string },
    },
    target: {
      type: 'object',
      required: ['name', 'kind'],
      properties: { name: string, kind: { enum: ['lab', 'file', 'code'] }, file: string },
    },
    startedAt: { type: 'string', format: 'date-time' },
    durationMs: milliseconds,
    dryRun: { type: 'boolean' },
    passed: { type: 'boolean' },
    plans: { type: 'array', items: { $ref: '#/$defs/plan' } },
    ledgerProblems: { type: 'array', items: { $ref: '#/$defs/ledgerProblem' } },
  },
  $defs: {
    plan: {
      type: 'object',
      required: ['name', 'title', 'modules'],
      properties: {
        name: string,
        title: string,
        modules: { type: 'array', items: { $ref: '#/$defs/module' } },
      },
    },
    module: {
      type: 'object',
      required: ['id', 'title', 'plan', 'startedAt', 'durationMs', 'cleanup', 'exchanges', 'checks'],
      properties: {
        id: string,
        title: string,
        plan: string,
        startedAt: { type: 'string', format: 'date-time' },
        durationMs: milliseconds,
        error: { description: 'The module\u2019s run threw: its checks are `error`.', type: 'string' },
        skipped: { description: 'Skipped as a whole: its checks are `skipped`.', type: 'string' },
        cleanup: {
          type: 'array',
          items: {
            type: 'object',
            required: ['what', 'ok'],
            properties: { what: string, ok: { type: 'boolean' }, error: string },
          },
        },
        exchanges: { type: 'array', items: { $ref: '#/$defs/exchange' } },
        checks: { type: 'array', items: { $ref: '#/$defs/check' } },
      },
    },
    check: {
      type: 'object',
      required: ['id', 'title', 'plan', 'module', 'requirement', 'level', 'status', 'findings'],
      properties: {
        id: string,
        title: string,
        plan: string,
        module: string,
        requirement: string,
        level,
        status: { enum: ['passed', 'failed', 'tolerated', 'skipped', 'error'] },
        findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
        reason: string,
      },
    },
    finding: {
      description: '`evidence` is any JSON value (redacted); absent when there is none.',
      type: 'object',
      required: ['check', 'requirement', 'level', 'message'],
      properties: {
        check: string,
        requirement: string,
        level,
        message: string,
        evidence: true,
        toleratedBecause: string,
      },
    },
    ledgerProblem: {
      type: 'object',
      required: ['entry', 'message'],
      properties: { entry: true, message: string },
    },
    exchange: RUN_RECORD_JSON_SCHEMA.$defs.exchange,
  },
} as const;
