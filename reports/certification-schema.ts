/**
 * JSON Schemas (2020-12) of the certification record (`harness/records/certification-record.ts`).
 * `CERTIFICATION_RECORD_JSON_SCHEMA` (version 2) is the source of truth for
 * `certification-record.schema.json` next to this file, committed for anyone validating a
 * `certification.json` outside ssf-lab (a test keeps the two equal; `npm run docs` regenerates the file).
 * `CERTIFICATION_RECORD_V1_JSON_SCHEMA` is version 1 as it was published, kept so that version 1 records
 * are still read.
 *
 * A reader of a version accepts members it does not know (a writer may add members without a new
 * version); removing or renaming a member, or changing its type, is a new version. Version 2 added a
 * module's `story` and the `manifest` target kind, and changed only the `schema` constant; later
 * version 2 writers added, as optional members, a check's `outcome`, `blockedBy`, `inconclusive` and
 * `expectedSkip`, and the run's `counts` and `unreachable`.
 *
 * An exchange (in both versions) and the parts of a scenario module's story (version 2: a step, a System
 * Log entry, a logout) are each defined once below.
 */
import { CERTIFICATION_RECORD_SCHEMA, CERTIFICATION_RECORD_SCHEMA_V1 } from '../harness/records/index.ts';

/** `$id` of the certification record's JSON Schema (version 2). */
export const CERTIFICATION_RECORD_SCHEMA_ID = 'urn:ssf-lab:schema:certification:2';
/** `$id` of version 1's JSON Schema. */
export const CERTIFICATION_RECORD_V1_SCHEMA_ID = 'urn:ssf-lab:schema:certification:1';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const string = { type: 'string' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const milliseconds = { type: 'number', minimum: 0 } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const level = { enum: ['failure', 'warning', 'info'] } as const;

/** One HTTP exchange, redacted (`ExchangeRecord`). */
const EXCHANGE_JSON_SCHEMA = {
  description: 'One HTTP exchange, redacted.',
  type: 'object',
  required: ['seq', 'at', 'from', 'to', 'method', 'url', 'requestHeaders', 'durationMs'],
  properties: {
    seq: count,
    at: { description: "Epoch milliseconds when the request left (the lab's clock).", type: 'number' },
    realMs: {
      description: 'Real milliseconds since the recording began when the request left.',
      type: 'number',
      minimum: 0,
    },
    from: string,
    to: string,
    method: string,
    url: string,
    requestHeaders: stringMap,
    requestBody: string,
    set: {
      description: 'The SET the request carried, decoded.',
      type: 'object',
      required: ['header', 'claims'],
      properties: {
        header: { type: ['object', 'null'] },
        claims: { type: ['object', 'null'] },
      },
    },
    status: { type: 'integer', minimum: 0, maximum: 999 },
    responseHeaders: stringMap,
    responseBody: string,
    error: string,
    durationMs: milliseconds,
  },
} as const;

/** One step a scenario took (`StepRecord`). */
const STEP_JSON_SCHEMA = {
  type: 'object',
  required: ['index', 'kind', 'title', 'startedMs', 'durationMs', 'ok'],
  properties: {
    index: count,
    kind: string,
    title: string,
    startedMs: milliseconds,
    durationMs: milliseconds,
    ok: { type: 'boolean' },
    error: string,
  },
} as const;

/** An Okta System Log event as read back, summarised (`SystemLogEntry`). */
const SYSTEM_LOG_ENTRY_JSON_SCHEMA = {
  type: 'object',
  required: ['published', 'eventType', 'displayMessage', 'outcome', 'actor', 'targets', 'traceId'],
  properties: {
    published: string,
    eventType: string,
    displayMessage: { type: ['string', 'null'] },
    outcome: { type: ['string', 'null'] },
    actor: { type: ['string', 'null'] },
    targets: { type: 'array', items: string },
    traceId: { type: ['string', 'null'] },
  },
} as const;

/** One Universal Logout call as an app received it (`LogoutRecord`). */
const LOGOUT_JSON_SCHEMA = {
  type: 'object',
  required: ['app', 'status', 'outcome', 'user', 'at'],
  properties: {
    app: string,
    status: { type: 'integer', minimum: 0, maximum: 999 },
    outcome: string,
    user: { type: ['string', 'null'] },
    at: string,
  },
} as const;

const SET_DELIVERY_JSON_SCHEMA = {
  description: 'Where one SET the lab\u2019s transmitter made ended up (`GET /_lab/sets`).',
  type: 'object',
  required: ['jti', 'streamId', 'eventType', 'state', 'attempts', 'createdAt', 'updatedAt'],
  properties: {
    jti: string,
    streamId: string,
    eventType: string,
    state: { enum: ['queued', 'held', 'in-flight', 'delivered', 'acked', 'dead-lettered', 'dropped'] },
    reason: string,
    attempts: { type: 'integer', minimum: 0 },
    createdAt: string,
    updatedAt: string,
  },
} as const;

const DESCRIPTION_V1 =
  'One run of conformance plans against one target: per plan its modules, the HTTP exchanges each module made and received (redacted), what it created and removed in the target, and each check\u2019s verdict with its findings and the requirement it cites.';

const REQUIRED = [
  'schema',
  'tool',
  'target',
  'startedAt',
  'durationMs',
  'dryRun',
  'passed',
  'plans',
  'ledgerProblems',
] as const;

const OUTCOME = {
  description:
    'What the reports call the check: passed; failed (a MUST-level finding); warning (SHOULD or MAY findings only); skipped; inconclusive (its input proves nothing: a precondition failed); blocked (its input is missing: the check `blockedBy` failed); tolerated (by the ledger); error.',
  enum: ['passed', 'failed', 'warning', 'skipped', 'inconclusive', 'blocked', 'tolerated', 'error'],
} as const;

/** The checks counted by outcome (version 2 writers since the outcomes were named; optional). */
const COUNTS = {
  description: 'The checks counted by outcome; the buckets sum to `total`.',
  type: 'object',
  required: [
    'total',
    'passed',
    'failed',
    'warnings',
    'skipped',
    'inconclusive',
    'blocked',
    'tolerated',
    'errors',
  ],
  properties: {
    total: count,
    passed: count,
    failed: count,
    warnings: count,
    skipped: count,
    inconclusive: count,
    blocked: count,
    tolerated: count,
    errors: count,
  },
} as const;

const UNREACHABLE = {
  description:
    'Plans whose target could not be reached at all: the first request failed (connection refused, a name that does not resolve, TLS) and nothing answered. Their checks are skipped, not run.',
  type: 'array',
  items: {
    type: 'object',
    required: ['plan', 'url', 'message'],
    properties: { plan: string, url: string, message: string },
  },
} as const;

const TOOL = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: { const: 'ssf-lab' }, version: string },
} as const;

const MODULE_REQUIRED = [
  'id',
  'title',
  'plan',
  'startedAt',
  'durationMs',
  'cleanup',
  'exchanges',
  'checks',
] as const;

const MODULE_PROPERTIES = {
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
} as const;

const SHARED_DEFS = {
  plan: {
    type: 'object',
    required: ['name', 'title', 'modules'],
    properties: {
      name: string,
      title: string,
      modules: { type: 'array', items: { $ref: '#/$defs/module' } },
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
  exchange: EXCHANGE_JSON_SCHEMA,
} as const;

/** Version 1 of the certification record, as published (`urn:ssf-lab:schema:certification:1`). */
export const CERTIFICATION_RECORD_V1_JSON_SCHEMA = {
  $schema: DRAFT,
  $id: CERTIFICATION_RECORD_V1_SCHEMA_ID,
  title: 'ssf-lab certification record, version 1',
  description: DESCRIPTION_V1,
  type: 'object',
  required: REQUIRED,
  properties: {
    schema: { const: CERTIFICATION_RECORD_SCHEMA_V1 },
    tool: TOOL,
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
    unreachable: UNREACHABLE,
  },
  $defs: {
    plan: SHARED_DEFS.plan,
    module: { type: 'object', required: MODULE_REQUIRED, properties: MODULE_PROPERTIES },
    check: SHARED_DEFS.check,
    finding: SHARED_DEFS.finding,
    ledgerProblem: SHARED_DEFS.ledgerProblem,
    exchange: SHARED_DEFS.exchange,
  },
} as const;

/** Version 2 of the certification record (`urn:ssf-lab:schema:certification:2`): the one ssf-lab writes. */
export const CERTIFICATION_RECORD_JSON_SCHEMA = {
  $schema: DRAFT,
  $id: CERTIFICATION_RECORD_SCHEMA_ID,
  title: 'ssf-lab certification record, version 2',
  description: `${DESCRIPTION_V1} A scenario module also carries its story: the steps it took, Okta\u2019s System Log as read back and each app\u2019s Universal Logout calls.`,
  type: 'object',
  required: REQUIRED,
  properties: {
    schema: { const: CERTIFICATION_RECORD_SCHEMA },
    tool: TOOL,
    target: {
      description:
        'What was graded: the lab ssf-lab started (`lab`), a target file (`file`), a target given in code (`code`) or a running lab reached through its manifest (`manifest`).',
      type: 'object',
      required: ['name', 'kind'],
      properties: { name: string, kind: { enum: ['lab', 'file', 'code', 'manifest'] }, file: string },
    },
    startedAt: { type: 'string', format: 'date-time' },
    durationMs: milliseconds,
    dryRun: { type: 'boolean' },
    passed: { type: 'boolean' },
    counts: COUNTS,
    plans: { type: 'array', items: { $ref: '#/$defs/plan' } },
    ledgerProblems: { type: 'array', items: { $ref: '#/$defs/ledgerProblem' } },
    unreachable: UNREACHABLE,
  },
  $defs: {
    plan: SHARED_DEFS.plan,
    module: {
      type: 'object',
      required: MODULE_REQUIRED,
      properties: { ...MODULE_PROPERTIES, story: { $ref: '#/$defs/story' } },
    },
    story: {
      description:
        'What a scenario module leaves besides its exchanges (its timeline): the steps it took, Okta\u2019s System Log as read back, each app\u2019s Universal Logout calls and, in a lab, where each SET the transmitter made ended up. Reports draw it; only the checks judge.',
      type: 'object',
      required: ['steps', 'systemLog', 'logouts'],
      properties: {
        file: { description: 'Where the scenario came from (a file path).', type: 'string' },
        description: string,
        steps: { type: 'array', items: { $ref: '#/$defs/step' } },
        systemLog: { type: 'array', items: { $ref: '#/$defs/systemLogEntry' } },
        logouts: { type: 'array', items: { $ref: '#/$defs/logout' } },
        deliveries: { type: 'array', items: { $ref: '#/$defs/setDelivery' } },
      },
    },
    check: {
      ...SHARED_DEFS.check,
      properties: {
        ...SHARED_DEFS.check.properties,
        blockedBy: {
          description:
            'skipped: the check whose failure left this one without its input (outcome `blocked`).',
          type: 'string',
        },
        inconclusive: {
          description: 'skipped: the input was captured but proves nothing, as a precondition failed.',
          type: 'boolean',
        },
        expectedSkip: { description: 'skipped, as the ledger expects: its reason.', type: 'string' },
        outcome: OUTCOME,
      },
    },
    finding: SHARED_DEFS.finding,
    ledgerProblem: SHARED_DEFS.ledgerProblem,
    exchange: SHARED_DEFS.exchange,
    step: STEP_JSON_SCHEMA,
    systemLogEntry: SYSTEM_LOG_ENTRY_JSON_SCHEMA,
    logout: LOGOUT_JSON_SCHEMA,
    setDelivery: SET_DELIVERY_JSON_SCHEMA,
  },
} as const;
