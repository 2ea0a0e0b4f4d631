/**
 * The JSON Schema (2020-12) of a scenario file. Closed objects everywhere, so a misspelled key is an error
 * with its line, not a silently ignored step.
 */
import { LAB_SERVICES } from '../records/index.ts';

const service = { enum: [...LAB_SERVICES] };
/** A duration: `5s`, `250ms`, `2m`, or a number of milliseconds. */
export const DURATION_SCHEMA = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(ms|s|m)$' },
  ],
};
const ref = { type: 'string', minLength: 1, maxLength: 200 };
const userLevel = { enum: ['HIGH', 'MEDIUM', 'LOW', 'NONE'] };
const logoutKind = { enum: ['full', 'partial', 'none'] };

function one(name: string, value: object): object {
  return {
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: value },
  };
}

function closed(properties: Record<string, object>, required: readonly string[]): object {
  return { type: 'object', additionalProperties: false, required, properties };
}

/** Each wait condition's schema, by its key. */
export const WAIT_CONDITION_SCHEMAS: Readonly<Record<string, object>> = {
  logout: one('logout', ref),
  delivered: one('delivered', closed({ to: service, count: { type: 'integer', minimum: 1 } }, ['to'])),
  attempts: one('attempts', closed({ to: service, count: { type: 'integer', minimum: 1 } }, ['to', 'count'])),
  risk: one('risk', closed({ user: ref, level: userLevel }, ['user', 'level'])),
  idle: one('idle', { const: true }),
};
const waitCondition = { oneOf: Object.values(WAIT_CONDITION_SCHEMAS) };

/** Each step's schema, by its kind. */
export const STEP_SCHEMAS: Readonly<Record<string, object>> = {
  threat: one(
    'threat',
    closed(
      {
        device: ref,
        category: { type: 'string', minLength: 1 },
        severity: { enum: ['LOW', 'MEDIUM', 'HIGH'] },
        as: ref,
      },
      ['device', 'category'],
    ),
  ),
  resolve: one('resolve', closed({ threat: ref }, ['threat'])),
  override: one(
    'override',
    closed(
      {
        device: ref,
        risk: { enum: ['SECURE', 'LOW', 'MEDIUM', 'HIGH'] },
        source: { enum: ['MANUAL', 'WANDERA'] },
      },
      ['device', 'risk'],
    ),
  ),
  down: one(
    'down',
    closed(
      {
        service,
        path: { type: 'string', pattern: '^/' },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        retryAfterSeconds: { type: 'integer', minimum: 0 },
      },
      ['service'],
    ),
  ),
  up: one('up', closed({ service }, ['service'])),
  wait: one('wait', closed({ until: waitCondition, within: DURATION_SCHEMA }, ['until'])),
  advance: one('advance', DURATION_SCHEMA),
  call: one(
    'call',
    closed(
      {
        service,
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        path: { type: 'string', pattern: '^/' },
        json: {},
        status: { type: 'integer', minimum: 100, maximum: 599 },
      },
      ['service', 'path'],
    ),
  ),
  configure: one('configure', { const: 'seed' }),
  forge: one(
    'forge',
    closed({ device: ref, level: { enum: ['secure', 'low', 'medium', 'high'] } }, ['device', 'level']),
  ),
};
const step = { oneOf: Object.values(STEP_SCHEMAS) };

/** Each expectation's schema, by its kind. */
export const EXPECTATION_SCHEMAS: Readonly<Record<string, object>> = {
  sets: one(
    'sets',
    closed(
      {
        to: service,
        count: { type: 'integer', minimum: 0 },
        event: { type: 'string' },
        previous: { type: 'string' },
        current: { type: 'string' },
      },
      ['to', 'count'],
    ),
  ),
  deliveries: one(
    'deliveries',
    closed(
      {
        to: service,
        failedAttemptsAtLeast: { type: 'integer', minimum: 0 },
        delivered: { type: 'integer', minimum: 0 },
      },
      ['to', 'delivered'],
    ),
  ),
  userRisk: one(
    'userRisk',
    closed({ user: ref, level: userLevel, detected: { type: 'array', items: userLevel } }, ['user']),
  ),
  rule: one(
    'rule',
    closed(
      { user: ref, matched: ref, action: { enum: ['TERMINATE_ALL_SESSIONS', 'RUN_WORKFLOW', 'NULL'] } },
      ['user', 'matched'],
    ),
  ),
  oktaSessions: one(
    'oktaSessions',
    closed({ user: ref, count: { type: 'integer', minimum: 0 } }, ['user', 'count']),
  ),
  logout: one(
    'logout',
    closed({ user: ref, salesforce: logoutKind, 'google-workspace': logoutKind, office365: logoutKind }, [
      'user',
    ]),
  ),
  systemLog: one(
    'systemLog',
    closed(
      {
        user: ref,
        sequence: { type: 'array', minItems: 1, items: { type: 'string' } },
        oneTrace: { type: 'boolean' },
      },
      ['user', 'sequence'],
    ),
  ),
  workflow: one('workflow', {
    ...closed(
      {
        user: ref,
        received: { type: 'integer', minimum: 0 },
        outcomes: { type: 'array', items: { enum: ['SUCCESS', 'FAILURE'] } },
      },
      ['user'],
    ),
    // A workflow expectation with neither would check nothing.
    minProperties: 2,
  }),
  within: one('within', closed({ ms: { type: 'number', exclusiveMinimum: 0 } }, ['ms'])),
};
const expectation = { oneOf: Object.values(EXPECTATION_SCHEMAS) };

export const SCENARIO_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ssf-lab:schema:scenario:1',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'steps', 'expect'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    setup: closed(
      {
        seed: { type: 'integer' },
        devices: { type: 'integer', minimum: 1, maximum: 10_000 },
        configure: { type: 'boolean' },
        activate: { enum: ['all', 'none'] },
      },
      [],
    ),
    steps: { type: 'array', items: step },
    expect: { type: 'array', items: expectation },
  },
} as const;
