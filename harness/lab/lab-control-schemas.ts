/**
 * The route schemas of the lab-wide controls (lab-controls.ts): request parts and answers by status, with
 * the controls' own error body `{error}`. A request a schema refuses is a 400 whose `error` names the
 * member in the controls' own words (`refusalMessage`), the sentences the hand-written checks gave.
 */
import type { FastifyError } from 'fastify';
import type { JsonSchema } from '../protocol/index.ts';
import { validationCauses } from '../ssf/index.ts';

export const MAX_TIMELINE_LIMIT = 5000;

const problem: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', minLength: 1 } },
};
const errors = { '4xx': problem, '5xx': problem } as const;
const noBody: JsonSchema = { description: 'No body.' };
const ignoredBody: JsonSchema = { description: 'Ignored: this call reads no body.' };
const name = (param: string): JsonSchema => ({
  type: 'object',
  required: [param],
  properties: { [param]: { type: 'string', minLength: 1 } },
});
const fault: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', pattern: '^/' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    retryAfterSeconds: { type: 'integer', minimum: 0 },
  },
};
const faults: JsonSchema = {
  type: 'object',
  required: ['faults'],
  properties: { faults: { type: 'object', additionalProperties: fault } },
};
const active: JsonSchema = {
  type: 'object',
  required: ['active'],
  properties: { active: { type: 'array', items: { type: 'string' } } },
};

export const LAB_CONTROL_SCHEMAS = {
  readFaults: { response: { 200: faults, ...errors } },
  takeDown: {
    params: name('service'),
    // No body, `null` or a fault: what is absent means "refuse every call, connection refused".
    body: { ...fault, type: ['object', 'null'] },
    response: { 200: faults, ...errors },
  },
  bringUp: { params: name('service'), response: { 204: noBody, ...errors } },
  readDeviations: {
    response: {
      200: {
        type: 'object',
        required: ['active', 'known'],
        properties: {
          active: { type: 'array', items: { type: 'string' } },
          known: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['service', 'description'],
              properties: { service: { type: 'string' }, description: { type: 'string' } },
            },
          },
        },
      },
      ...errors,
    },
  },
  switchOn: { params: name('name'), body: ignoredBody, response: { 200: active, ...errors } },
  switchOff: { params: name('name'), response: { 200: active, ...errors } },
  timeline: {
    querystring: {
      type: 'object',
      properties: {
        cursor: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        limit: { type: 'integer', minimum: 1, maximum: MAX_TIMELINE_LIMIT },
      },
    },
    response: {
      200: {
        type: 'object',
        required: ['exchanges', 'cursor', 'missed', 'realNowMs'],
        properties: {
          exchanges: { type: 'array', items: { type: 'object' } },
          cursor: { type: 'integer', minimum: 0 },
          missed: { type: 'integer', minimum: 0 },
          realNowMs: { type: 'number' },
        },
      },
      ...errors,
    },
  },
  // The run record (a certification record, records/); 404 where the lab keeps none, 503 while set up.
  record: { response: { 200: { type: 'object' }, ...errors } },
} as const;

/** The controls' own sentence for a refused member, where the hand-written check had one. */
const SENTENCES: Readonly<Record<string, string>> = {
  path: '"path" must be a path starting with /',
  status: '"status" must be an HTTP error status (400-599)',
  retryAfterSeconds: '"retryAfterSeconds" must be a non-negative integer',
  cursor: 'cursor must be a non-negative integer',
  limit: `limit must be an integer from 1 to ${MAX_TIMELINE_LIMIT}`,
};

/** Fastify's schema-validation error in the controls' words, or undefined when `error` is not one. */
export function refusalMessage(error: FastifyError): string | undefined {
  const causes = validationCauses(error);
  if (causes === undefined) return undefined;
  const said = causes.map((c) => {
    if (c.message === 'is not a recognised member')
      return `unknown member "${c.field.slice(0, 40)}" (a fault has path, status and retryAfterSeconds)`;
    if (c.field === '')
      return c.part === 'body' ? 'the body must be a JSON object' : `the ${c.part} ${c.message}`;
    return SENTENCES[c.field] ?? `"${c.field}" ${c.message}`;
  });
  return [...new Set(said)].join('; ');
}
