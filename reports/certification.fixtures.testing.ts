/**
 * Certification records for the reporters' tests: one check of each status, a warning, a ledger problem,
 * a failed cleanup — and hostile strings and planted credentials where a system under test could put them.
 * A version 2 record whose scenario module carries its story (steps, Okta's System Log, the apps'
 * logouts) beside exchanges that carry a SET, and a version 1 record as version 1 wrote it. And
 * exchanges for the sequence diagram: a push retried after a 503 beside an unreachable service, a
 * polling loop, and long runs of distinct calls.
 */
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type CheckResult,
  type ExchangeRecord,
  type ModuleResult,
  type ModuleStory,
  type SystemLogEntry,
} from '../harness/records/index.ts';

/** Credentials planted in the record; none may appear in any report. */
export const PLANTED = {
  bearer: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIzNDU2',
  ssws: '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd',
  clientSecret: 'cs-very-secret-value-42',
} as const;

export const HOSTILE = `<script>alert("x")</script> & ' | \` ]]> --> \u0000\u0007 *bold* [link](javascript:alert(1))`;

const base = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: `The ${id} holds.`,
  plan: 'ssf-transmitter',
  module: 'stream-create',
  requirement: 'RFC7515-4',
  level: 'failure',
  status,
  findings: [],
  ...extra,
});

const exchanges: ExchangeRecord[] = [
  {
    seq: 1,
    at: 1_700_000_000_000,
    from: 'harness',
    to: 'ssf.acme.example',
    method: 'POST',
    url: `https://ssf.acme.example/streams?access_token=${PLANTED.bearer}`,
    requestHeaders: {
      authorization: `Bearer ${PLANTED.bearer}`,
      'content-type': 'application/json',
      'x-note': HOSTILE,
    },
    requestBody: JSON.stringify({ client_secret: PLANTED.clientSecret, delivery: { method: HOSTILE } }),
    status: 201,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: JSON.stringify({ stream_id: HOSTILE, apiToken: `SSWS ${PLANTED.ssws}` }),
    durationMs: 12,
  },
  {
    seq: 2,
    at: 1_700_000_000_100,
    from: 'harness',
    to: 'okta.example',
    method: 'GET',
    url: 'https://okta.example/api/v1/users',
    requestHeaders: { authorization: `SSWS ${PLANTED.ssws}` },
    error: `connect ECONNREFUSED while sending SSWS ${PLANTED.ssws}`,
    durationMs: 3,
  },
];

/** A failing record with every status, hostile strings and planted credentials. */
export function hostileRecord(): CertificationRecord {
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: '0.1.0' },
    target: { name: `Acme ${HOSTILE}`, kind: 'file', file: '/srv/acme.target.json' },
    startedAt: '2026-11-28T19:00:00.000Z',
    durationMs: 1234,
    dryRun: false,
    passed: false,
    plans: [
      {
        name: 'ssf-transmitter',
        title: `SSF transmitter ${HOSTILE}`,
        modules: [
          {
            id: 'stream-create',
            title: `Create a stream ${HOSTILE}`,
            plan: 'ssf-transmitter',
            startedAt: '2026-11-28T19:00:00.100Z',
            durationMs: 500,
            cleanup: [
              { what: 'delete stream s-1', ok: true },
              { what: `delete stream ${HOSTILE}`, ok: false, error: `403 for Bearer ${PLANTED.bearer}` },
            ],
            exchanges,
            checks: [
              base('create-answers-201', 'passed'),
              base('create-echoes-delivery', 'failed', {
                findings: [
                  {
                    check: 'create-echoes-delivery',
                    requirement: 'RFC7515-4',
                    level: 'failure',
                    message: `delivery came back as ${HOSTILE} with Bearer ${PLANTED.bearer}`,
                    evidence: { token: PLANTED.clientSecret, header: `SSWS ${PLANTED.ssws}`, note: HOSTILE },
                  },
                ],
              }),
              base('create-has-txn', 'failed', {
                requirement: 'SSF-4.1.9',
                level: 'warning',
                findings: [
                  { check: 'create-has-txn', requirement: 'SSF-4.1.9', level: 'warning', message: 'no txn' },
                ],
              }),
              base('create-is-tolerated', 'tolerated', {
                findings: [
                  {
                    check: 'create-is-tolerated',
                    requirement: 'RFC7515-4',
                    level: 'failure',
                    message: 'answers 200',
                    toleratedBecause: `vendor ticket ${HOSTILE}`,
                  },
                ],
              }),
              base('create-is-skipped', 'skipped', { reason: `no poll endpoint ${HOSTILE}` }),
              base('create-is-error', 'error', { reason: `the check threw: ${HOSTILE}` }),
            ],
          },
        ],
      },
    ],
    ledgerProblems: [
      {
        entry: { check: 'gone-check', reason: HOSTILE },
        message: 'the ledger entry for "gone-check" matched no finding: remove it if the failure is fixed',
      },
    ],
  };
}

/** A passing record with one module of passing checks. */
export function passingRecord(): CertificationRecord {
  const record = hostileRecord();
  const module = record.plans[0]?.modules[0];
  if (module === undefined) throw new Error('fixture');
  return {
    ...record,
    target: { name: 'the lab (in-process)', kind: 'lab' },
    passed: true,
    plans: [
      {
        name: 'ssf-transmitter',
        title: 'SSF transmitter',
        modules: [
          {
            ...module,
            title: 'Create a stream',
            cleanup: [],
            exchanges: [],
            checks: [base('create-answers-201', 'passed')],
          },
        ],
      },
    ],
    ledgerProblems: [],
  };
}

// ——— a scenario module with its story (version 2) ———

export const STORY_STARTED_AT = '2026-01-15T09:30:00.000Z';
const S0 = Date.parse(STORY_STARTED_AT);
export const TRACE_ID = 'f3c9a2e1b7d84c0e9a6b5d4c3b2a1f0e';
const OTHER_TRACE_ID = '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f';
export const OKTA_EVENT = 'https://schemas.okta.com/secevent/okta/event-type/device-risk-change';
export const STORY_USER = {
  email: 'pat.lee@acme.example',
  name: 'Pat Lee',
  jscDevice: 'd-5f1c2a9e',
} as const;

const OKTA = 'https://acme.okta.lab';
const JSC = 'https://jsc.lab';
const APP_ORIGINS = {
  salesforce: 'https://acme.my.salesforce.lab',
  'google-workspace': 'https://workspace.google.lab',
  office365: 'https://outlook.office365.lab',
} as const;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Okta's device-risk-change SET as Jamf Security Cloud sends it (the subject inside the event). */
function deviceRiskSet(iat: number): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  compact: string;
} {
  const header = { alg: 'RS256', typ: 'secevent+jwt', kid: 'jsc-signing-2026-01' };
  const claims = {
    iss: `${JSC}/sse/4f0c8a61-2b7e-4d19-9c3a-5e8f1d2b6a70`,
    aud: OKTA,
    iat,
    jti: 'b3f1e2d4-6a7c-4e8f-9b0a-1c2d3e4f5a6b',
    events: {
      [OKTA_EVENT]: {
        current_level: 'high',
        previous_level: 'secure',
        event_timestamp: iat,
        initiating_entity: 'policy',
        subject: {
          user: { format: 'email', email: STORY_USER.email },
          device: { format: 'opaque', id: STORY_USER.jscDevice },
        },
      },
    },
  };
  return { header, claims, compact: `${b64url(header)}.${b64url(claims)}.bm90LWEtcmVhbC1zaWduYXR1cmU` };
}

type ExchangeInput = Omit<ExchangeRecord, 'seq' | 'at' | 'requestHeaders'> & {
  readonly ms: number;
  readonly requestHeaders?: Record<string, string>;
};

function numbered(inputs: readonly ExchangeInput[]): ExchangeRecord[] {
  return inputs.map(({ ms, requestHeaders, ...x }, i) => ({
    ...x,
    seq: i + 1,
    at: S0 + ms,
    requestHeaders: requestHeaders ?? { accept: 'application/json' },
  }));
}

const logoutCall = (ms: number, app: keyof typeof APP_ORIGINS): ExchangeInput => ({
  ms,
  from: 'okta',
  to: app,
  method: 'POST',
  url: `${APP_ORIGINS[app]}/oauth/global-token-revocation`,
  requestHeaders: { 'content-type': 'application/json', authorization: 'Bearer [redacted]' },
  requestBody: JSON.stringify({ sub_id: { format: 'email', email: STORY_USER.email } }),
  status: 204,
  responseHeaders: { 'cache-control': 'no-store' },
  durationMs: 21.4,
});

/** The exchanges of the scenario: sign-in, the threat, the SET, the Universal Logout calls, read-backs. */
function storyExchanges(): ExchangeRecord[] {
  const set = deviceRiskSet(Math.floor((S0 + 160) / 1000));
  return numbered([
    {
      ms: 48,
      from: 'harness',
      to: 'okta',
      method: 'POST',
      url: `${OKTA}/api/v1/authn`,
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: JSON.stringify({ username: STORY_USER.email, password: '[redacted]' }),
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: JSON.stringify({ status: 'SUCCESS', sessionToken: '[redacted]' }),
      durationMs: 11.7,
    },
    {
      ms: 120,
      from: 'harness',
      to: 'jamf-security-cloud',
      method: 'POST',
      url: `${JSC}/_lab/threats`,
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: JSON.stringify({ device: STORY_USER.jscDevice, category: 'Malware' }),
      status: 201,
      durationMs: 44.6,
    },
    {
      ms: 160,
      from: 'jamf-security-cloud',
      to: 'okta',
      method: 'POST',
      url: `${OKTA}/security/api/v1/security-events`,
      requestHeaders: { accept: 'application/json', 'content-type': 'application/secevent+jwt' },
      requestBody: set.compact,
      set: { header: set.header, claims: set.claims },
      status: 202,
      responseHeaders: { 'content-length': '0' },
      durationMs: 9.8,
    },
    {
      ms: 163,
      from: 'okta',
      to: 'jamf-security-cloud',
      method: 'GET',
      url: `${JSC}/sse/v1/jwks.json`,
      status: 200,
      durationMs: 2.7,
    },
    logoutCall(201, 'salesforce'),
    logoutCall(230, 'google-workspace'),
    logoutCall(258, 'office365'),
    {
      ms: 380,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/logs?filter=debugContext.debugData.TraceId%20eq%20%22${TRACE_ID}%22`,
      requestHeaders: { accept: 'application/json', authorization: 'SSWS [redacted]' },
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: '[]',
      durationMs: 8.3,
    },
    {
      ms: 470,
      from: 'harness',
      to: 'office365',
      method: 'GET',
      url: `${APP_ORIGINS.office365}/_lab/sessions?email=pat.lee%40acme.example`,
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: JSON.stringify({ sessions: [{ state: 'active' }, { state: 'active' }] }),
      durationMs: 2.8,
    },
  ]);
}

const logEntry = (
  ms: number,
  eventType: string,
  displayMessage: string,
  traceId = TRACE_ID,
): SystemLogEntry => ({
  published: new Date(S0 + ms).toISOString(),
  eventType,
  displayMessage,
  outcome: 'SUCCESS',
  actor: 'Okta System (SystemPrincipal)',
  targets: [`${STORY_USER.name} (User)`],
  traceId,
});

/** The story: four steps (the last failed), Okta's System Log in two traces, three app logouts. */
export function scenarioStory(): ModuleStory {
  const at = (ms: number): string => new Date(S0 + ms).toISOString();
  return {
    file: 'scenarios/02-macos-threat-logout.yaml',
    description:
      'A Malware threat on a Mac raises its risk in Jamf Security Cloud; Okta receives the device-risk-change SET and its Entity Risk Policy logs the user out of the apps.',
    steps: [
      {
        index: 1,
        kind: 'sign-in',
        title: `${STORY_USER.name} signs in`,
        startedMs: 0,
        durationMs: 108,
        ok: true,
      },
      {
        index: 2,
        kind: 'threat',
        title: 'Jamf Security Cloud reports Malware',
        startedMs: 115,
        durationMs: 52,
        ok: true,
      },
      {
        index: 3,
        kind: 'wait',
        title: 'Okta’s entity risk work is idle',
        startedMs: 188,
        durationMs: 185,
        ok: true,
      },
      {
        index: 4,
        kind: 'check',
        title: 'Read back Office 365’s sessions',
        startedMs: 378,
        durationMs: 96,
        ok: false,
        error: 'Office 365 still holds 2 active sessions',
      },
    ],
    systemLog: [
      logEntry(59, 'user.session.start', 'User login to Okta', OTHER_TRACE_ID),
      logEntry(
        171,
        'security.events.provider.receive_event',
        'Security events provider reported a risk signal',
      ),
      logEntry(174, 'user.risk.detect', 'User risk detected: HIGH'),
      logEntry(181, 'policy.entity_risk.evaluate', 'Entity risk policy evaluated'),
      logEntry(186, 'policy.entity_risk.action', 'Entity risk policy action: TERMINATE_ALL_SESSIONS'),
      logEntry(192, 'user.session.end', 'User session ended'),
      logEntry(265, 'user.authentication.universal_logout', 'Universal Logout'),
      logEntry(270, 'user.risk.change', 'User risk changed: HIGH → LOW'),
    ],
    logouts: [
      { app: 'salesforce', status: 204, outcome: 'logged-out', user: STORY_USER.email, at: at(215) },
      { app: 'google-workspace', status: 204, outcome: 'logged-out', user: STORY_USER.email, at: at(244) },
      {
        app: 'office365',
        status: 204,
        outcome: 'refresh-tokens-revoked',
        user: STORY_USER.email,
        at: at(272),
      },
    ],
  };
}

const scenarioCheck = (
  id: string,
  status: CheckResult['status'],
  requirement: CheckResult['requirement'],
): CheckResult => ({
  id,
  title: `The ${id} holds.`,
  plan: 'scenarios',
  module: 'macos-threat-logout',
  requirement,
  level: 'failure',
  status,
  findings:
    status === 'failed'
      ? [{ check: id, requirement, level: 'failure', message: 'Office 365 still holds 2 active sessions' }]
      : [],
});

/** A scenario module with its story, its exchanges (one carrying the SET) and its checks. */
export function scenarioModule(): ModuleResult {
  return {
    id: 'macos-threat-logout',
    title: 'macOS device threat → Universal Logout',
    plan: 'scenarios',
    startedAt: STORY_STARTED_AT,
    durationMs: 612.4,
    cleanup: [],
    exchanges: storyExchanges(),
    checks: [
      scenarioCheck('scenario-okta-received-the-set', 'passed', 'OKTA-ITP-RECEIVE'),
      scenarioCheck('scenario-apps-logged-out', 'failed', 'OKTA-ITP-LOGOUT'),
    ],
    story: scenarioStory(),
  };
}

/** A plan module with no story whose exchanges carried a SET: drawn as a diagram and its SETs. */
export function pushModule(): ModuleResult {
  const push = storyExchanges()[2];
  if (push === undefined) throw new Error('fixture');
  return {
    id: 'push-delivery',
    title: 'Push a SET',
    plan: 'ssf-transmitter',
    startedAt: STORY_STARTED_AT,
    durationMs: 20,
    cleanup: [],
    exchanges: [{ ...push, seq: 1 }],
    checks: [{ ...base('push-answers-202', 'passed'), module: 'push-delivery' }],
  };
}

// ——— exchanges for the sequence diagram: trouble, repetition, length ———

const JAMF_PRO = 'https://jamf-pro.lab';

/**
 * A scenario's exchanges where things go wrong: Okta answers Jamf Security Cloud's first push 503 and
 * the push is retried; Jamf Pro cannot be reached (ECONNREFUSED, no answer); Okta then calls Office 365.
 * Participants: harness, Jamf Pro, Jamf Security Cloud, Okta, Office 365.
 */
export function troubledExchanges(): ExchangeRecord[] {
  const set = deviceRiskSet(Math.floor((S0 + 90) / 1000));
  const push: ExchangeInput = {
    ms: 90,
    from: 'jamf-security-cloud',
    to: 'okta',
    method: 'POST',
    url: `${OKTA}/security/api/v1/security-events`,
    requestHeaders: { accept: 'application/json', 'content-type': 'application/secevent+jwt' },
    requestBody: set.compact,
    set: { header: set.header, claims: set.claims },
    durationMs: 4.1,
  };
  return numbered([
    {
      ms: 10,
      from: 'harness',
      to: 'okta',
      method: 'POST',
      url: `${OKTA}/api/v1/authn`,
      status: 200,
      durationMs: 10.2,
    },
    {
      ms: 40,
      from: 'harness',
      to: 'office365',
      method: 'POST',
      url: `${APP_ORIGINS.office365}/_lab/sessions`,
      status: 201,
      durationMs: 3.9,
    },
    {
      ms: 60,
      from: 'harness',
      to: 'jamf-security-cloud',
      method: 'POST',
      url: `${JSC}/_lab/threats`,
      status: 201,
      durationMs: 38,
    },
    {
      ...push,
      status: 503,
      responseHeaders: { 'content-type': 'application/json', 'retry-after': '1' },
      responseBody: JSON.stringify({ errorCode: 'E0000010', errorSummary: 'Service unavailable' }),
    },
    {
      ms: 75,
      from: 'jamf-security-cloud',
      to: 'jamf-pro',
      method: 'PATCH',
      url: `${JAMF_PRO}/api/v1/computers-inventory-detail/17`,
      requestHeaders: { 'content-type': 'application/json', authorization: 'Bearer [redacted]' },
      error: 'ECONNREFUSED',
      durationMs: 1.3,
    },
    { ...push, ms: 1_094, status: 202, responseHeaders: { 'content-length': '0' }, durationMs: 8.8 },
    logoutCall(1_130, 'office365'),
  ]);
}

/** `n` distinct calls (no two alike, none notable: no SET, no error, no app), for the diagram's cap. */
export function longExchanges(n: number): ExchangeRecord[] {
  return numbered(
    Array.from({ length: n }, (_, i) => ({
      ms: 10 + i * 3,
      from: i % 2 === 0 ? 'harness' : 'jamf-security-cloud',
      to: i % 2 === 0 ? 'okta' : 'jamf-pro',
      method: 'GET',
      url: i % 2 === 0 ? `${OKTA}/api/v1/users/u${i}` : `${JAMF_PRO}/api/v1/computers-inventory-detail/${i}`,
      status: 200,
      durationMs: 1.5,
    })),
  );
}

/** The harness polling the same Okta path `polls` times (only the query changing) between two other calls. */
export function pollingExchanges(polls: number): ExchangeRecord[] {
  return numbered([
    {
      ms: 5,
      from: 'harness',
      to: 'jamf-security-cloud',
      method: 'POST',
      url: `${JSC}/_lab/threats`,
      status: 201,
      durationMs: 30,
    },
    ...Array.from({ length: polls }, (_, i) => ({
      ms: 50 + i * 100,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/logs?since=2026-01-15T09%3A30%3A00Z&after=${i}`,
      status: 200,
      durationMs: 2,
    })),
    {
      ms: 60 + polls * 100,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/users/00u8f2k1ZqLw3mNx70h7/risk`,
      status: 200,
      durationMs: 2,
    },
  ]);
}

/** The story record with only its scenario module, whose exchanges (and story, when given) are these. */
export function scenarioRecordWith(
  exchanges: readonly ExchangeRecord[],
  story: ModuleStory | undefined = scenarioStory(),
): CertificationRecord {
  const { story: _story, ...module } = scenarioModule();
  return {
    ...storyRecord(),
    plans: [
      {
        name: 'scenarios',
        title: 'Scenarios',
        modules: [{ ...module, exchanges, ...(story === undefined ? {} : { story }) }],
      },
    ],
  };
}

/** A version 2 record from a scenario run against a lab reached through its manifest. */
export function storyRecord(): CertificationRecord {
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: '0.2.0' },
    target: { name: 'ssf-lab serve', kind: 'manifest', file: '/tmp/lab/manifest.json' },
    startedAt: STORY_STARTED_AT,
    durationMs: 640,
    dryRun: false,
    passed: false,
    plans: [
      { name: 'scenarios', title: 'Scenarios', modules: [scenarioModule()] },
      { name: 'ssf-transmitter', title: 'SSF transmitter', modules: [pushModule()] },
    ],
    ledgerProblems: [],
  };
}

/**
 * The story record with `payload` appended to every string a system under test could have written into
 * the scenario module — its title, every exchange and every story string — and to every key of the
 * free-form maps (headers, the SET's header and claims); credentials planted in a step's error, a System
 * Log message and an app logout's user.
 */
export function hostileStoryRecord(payload = HOSTILE): CertificationRecord {
  const FREE_FORM = new Set(['requestHeaders', 'responseHeaders', 'header', 'claims']);
  const walk = <T>(value: T, renameKeys = false): T => {
    if (typeof value === 'string') return `${value}${payload}` as T;
    if (Array.isArray(value)) return value.map((v) => walk(v, renameKeys)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const free = renameKeys || FREE_FORM.has(k);
        out[renameKeys ? `${k}${payload}` : k] = walk(v, free);
      }
      return out as T;
    }
    return value;
  };
  const module = scenarioModule();
  const story = walk(scenarioStory());
  const [first, ...steps] = story.steps;
  const [entry, ...log] = story.systemLog;
  const [logout, ...logouts] = story.logouts;
  if (first === undefined || entry === undefined || logout === undefined) throw new Error('fixture');
  return {
    ...storyRecord(),
    plans: [
      {
        name: 'scenarios',
        title: `Scenarios ${payload}`,
        modules: [
          {
            ...module,
            title: `${module.title} ${payload}`,
            exchanges: walk(module.exchanges),
            story: {
              ...story,
              steps: [{ ...first, ok: false, error: `401 for Bearer ${PLANTED.bearer}` }, ...steps],
              systemLog: [{ ...entry, displayMessage: `token SSWS ${PLANTED.ssws}` }, ...log],
              logouts: [{ ...logout, user: `Bearer ${PLANTED.bearer}` }, ...logouts],
            },
          },
        ],
      },
    ],
  };
}

/** A record as version 1 of ssf-lab wrote it (`urn:ssf-lab:certification:1`). */
export const V1_RECORD_JSON = `{
  "schema": "urn:ssf-lab:certification:1",
  "tool": { "name": "ssf-lab", "version": "0.1.0" },
  "target": { "name": "Acme SSF", "kind": "file", "file": "/srv/acme.target.json" },
  "startedAt": "2026-03-01T08:00:00.000Z",
  "durationMs": 812,
  "dryRun": false,
  "passed": true,
  "plans": [
    {
      "name": "ssf-transmitter",
      "title": "SSF transmitter",
      "modules": [
        {
          "id": "stream-create",
          "title": "Create a stream",
          "plan": "ssf-transmitter",
          "startedAt": "2026-03-01T08:00:00.100Z",
          "durationMs": 300,
          "cleanup": [{ "what": "delete stream s-1", "ok": true }],
          "exchanges": [
            {
              "seq": 1,
              "at": 1772352000100,
              "from": "harness",
              "to": "ssf.acme.example",
              "method": "POST",
              "url": "https://ssf.acme.example/streams",
              "requestHeaders": { "authorization": "Bearer [redacted]" },
              "status": 201,
              "durationMs": 12
            }
          ],
          "checks": [
            {
              "id": "create-answers-201",
              "title": "Creating a stream answers 201.",
              "plan": "ssf-transmitter",
              "module": "stream-create",
              "requirement": "RFC7515-4",
              "level": "failure",
              "status": "passed",
              "findings": []
            }
          ]
        }
      ]
    }
  ],
  "ledgerProblems": []
}
`;
