/**
 * Hand-built run records for the reporters' tests: a passing "macOS device threat → Universal Logout"
 * run (30 exchanges: the user signs in, Jamf Security Cloud pushes Okta's device-risk-change SET, Okta
 * calls the three apps' Global Token Revocation endpoints, the harness reads everything back), a failing
 * run (a push retried after a 503, an unreachable service, a failed expectation), and helpers that make
 * long, repetitive or hostile records. Shapes follow what the lab's timeline and mocks record.
 */
import {
  type ExchangeRecord,
  type ExpectationResult,
  type LogoutRecord,
  RUN_RECORD_SCHEMA,
  type RunRecord,
  type StepRecord,
  type SystemLogEntry,
} from '../harness/protocol/index.ts';

export const STARTED_AT = '2026-01-15T09:30:00.000Z';
const T0 = Date.parse(STARTED_AT);

export const USER = {
  email: 'pat.lee@acme.example',
  id: '00u8f2k1ZqLw3mNx70h7',
  name: 'Pat Lee',
  udid: 'B6E3F1A2-7C4D-4E8F-9A1B-2C3D4E5F6A7B',
  jscDevice: 'd-5f1c2a9e',
} as const;

export const TRACE_ID = 'f3c9a2e1b7d84c0e9a6b5d4c3b2a1f0e';
export const OKTA_EVENT = 'https://schemas.okta.com/secevent/okta/event-type/device-risk-change';

const OKTA = 'https://acme.okta.lab';
const JSC = 'https://jsc.lab';
const JAMF_PRO = 'https://jamf-pro.lab';
const APP_URLS = {
  salesforce: 'https://acme.my.salesforce.lab',
  'google-workspace': 'https://workspace.google.lab',
  office365: 'https://outlook.office365.lab',
} as const;

const JSON_REQUEST = { accept: 'application/json', 'content-type': 'application/json' } as const;
const oktaAuth = { accept: 'application/json', authorization: 'SSWS [redacted]' } as const;
const jsonResponse = (extra: Record<string, string> = {}): Record<string, string> => ({
  'content-type': 'application/json; charset=utf-8',
  ...extra,
});

interface ExchangeInput {
  readonly ms: number;
  readonly from: string;
  readonly to: string;
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly requestHeaders?: Record<string, string>;
  readonly requestBody?: string;
  readonly set?: ExchangeRecord['set'];
  readonly responseHeaders?: Record<string, string>;
  readonly responseBody?: string;
  readonly error?: string;
}

/** Numbers exchanges in order and stamps their times from the run's start. */
function timeline(inputs: readonly ExchangeInput[], t0 = T0): ExchangeRecord[] {
  return inputs.map((x, i) => ({
    seq: i + 1,
    at: t0 + x.ms,
    from: x.from,
    to: x.to,
    method: x.method,
    url: x.url,
    requestHeaders: x.requestHeaders ?? { accept: 'application/json' },
    ...(x.requestBody === undefined ? {} : { requestBody: x.requestBody }),
    ...(x.set === undefined ? {} : { set: x.set }),
    ...(x.status === undefined ? {} : { status: x.status }),
    ...(x.status === undefined ? {} : { responseHeaders: x.responseHeaders ?? jsonResponse() }),
    ...(x.responseBody === undefined ? {} : { responseBody: x.responseBody }),
    ...(x.error === undefined ? {} : { error: x.error }),
    durationMs: x.durationMs,
  }));
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Okta's device-risk-change SET as Jamf Security Cloud sends it (subject inside the event). */
export function deviceRiskSet(
  iatSeconds: number,
  jti: string,
): NonNullable<ExchangeRecord['set']> & {
  readonly compact: string;
} {
  const header = { alg: 'RS256', typ: 'secevent+jwt', kid: 'jsc-signing-2026-01' };
  const claims = {
    iss: `${JSC}/sse/4f0c8a61-2b7e-4d19-9c3a-5e8f1d2b6a70`,
    aud: OKTA,
    iat: iatSeconds,
    jti,
    events: {
      [OKTA_EVENT]: {
        current_level: 'high',
        previous_level: 'secure',
        event_timestamp: iatSeconds,
        initiating_entity: 'policy',
        reason_admin: { en: 'Malware detected on the device: the risk policy rates Malware as High' },
        subject: {
          user: { format: 'email', email: USER.email },
          device: { format: 'opaque', id: USER.jscDevice },
        },
      },
    },
  };
  const signature = Buffer.from('not-a-real-signature-just-shaped-like-one').toString('base64url');
  return { header, claims, compact: `${b64url(header)}.${b64url(claims)}.${signature}` };
}

const systemLogChain = (t: (ms: number) => string): SystemLogEntry[] => [
  {
    published: t(171),
    eventType: 'security.events.provider.receive_event',
    displayMessage: 'Security events provider reported a risk signal',
    outcome: 'SUCCESS',
    actor: 'Jamf Security Cloud (SecurityEventsProvider)',
    targets: [`${USER.name} (User)`],
    traceId: TRACE_ID,
  },
  {
    published: t(174),
    eventType: 'user.risk.detect',
    displayMessage: 'User risk detected: HIGH',
    outcome: 'SUCCESS',
    actor: 'Okta System (SystemPrincipal)',
    targets: [`${USER.name} (User)`],
    traceId: TRACE_ID,
  },
  {
    published: t(181),
    eventType: 'policy.entity_risk.evaluate',
    displayMessage: 'Entity risk policy evaluated',
    outcome: 'SUCCESS',
    actor: 'Okta System (SystemPrincipal)',
    targets: [
      `${USER.name} (User)`,
      'Entity Risk Policy (PolicyEntity)',
      'High risk: end sessions, Universal Logout (PolicyRule)',
    ],
    traceId: TRACE_ID,
  },
  {
    published: t(186),
    eventType: 'policy.entity_risk.action',
    displayMessage: 'Entity risk policy action: TERMINATE_ALL_SESSIONS',
    outcome: 'SUCCESS',
    actor: 'Okta System (SystemPrincipal)',
    targets: [`${USER.name} (User)`],
    traceId: TRACE_ID,
  },
  {
    published: t(192),
    eventType: 'user.session.end',
    displayMessage: 'User session ended',
    outcome: 'SUCCESS',
    actor: 'Okta System (SystemPrincipal)',
    targets: [`${USER.name} (User)`, '102hWx3sG7LQkqj0vZ9mNt1Rw (Session)'],
    traceId: TRACE_ID,
  },
  {
    published: t(265),
    eventType: 'user.authentication.universal_logout',
    displayMessage: 'Universal Logout',
    outcome: 'SUCCESS',
    actor: 'Okta System (SystemPrincipal)',
    targets: [
      `${USER.name} (User)`,
      'Salesforce (AppInstance)',
      'Google Workspace (AppInstance)',
      'Office 365 (AppInstance)',
    ],
    traceId: TRACE_ID,
  },
  {
    published: t(270),
    eventType: 'user.risk.change',
    displayMessage: 'User risk changed: HIGH → LOW',
    outcome: 'SUCCESS',
    actor: 'Okta System (SystemPrincipal)',
    targets: [`${USER.name} (User)`],
    traceId: TRACE_ID,
  },
];

const SIX = [
  'security.events.provider.receive_event',
  'user.risk.detect',
  'policy.entity_risk.evaluate',
  'policy.entity_risk.action',
  'user.session.end',
  'user.authentication.universal_logout',
];

function gtr(ms: number, app: keyof typeof APP_URLS, keysMs: number): ExchangeInput[] {
  return [
    {
      ms,
      from: 'okta',
      to: app,
      method: 'POST',
      url: `${APP_URLS[app]}/oauth/global-token-revocation`,
      requestHeaders: { ...JSON_REQUEST, authorization: 'Bearer [redacted]' },
      requestBody: JSON.stringify({ sub_id: { format: 'email', email: USER.email } }),
      status: 204,
      responseHeaders: { 'cache-control': 'no-store' },
      durationMs: 21.4,
    },
    {
      ms: keysMs,
      from: app,
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/oauth2/v1/keys`,
      status: 200,
      responseHeaders: jsonResponse({ 'cache-control': 'max-age=3600' }),
      responseBody: JSON.stringify({
        keys: [
          { kty: 'RSA', kid: 'okta-org-1', use: 'sig', alg: 'RS256', n: 'u1SU1LfVLPHCozMxH2Mo', e: 'AQAB' },
        ],
      }),
      durationMs: 3.2,
    },
  ];
}

/** A passing run of the seed's main flow: 30 exchanges, one SET, the System Log chain, three logouts. */
export function passingRun(): RunRecord {
  const iat = Math.floor((T0 + 160) / 1000);
  const set = deviceRiskSet(iat, 'b3f1e2d4-6a7c-4e8f-9b0a-1c2d3e4f5a6b');
  const t = (ms: number): string => new Date(T0 + ms).toISOString();
  const exchanges = timeline([
    {
      ms: 12,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/users/pat.lee%40acme.example`,
      requestHeaders: { ...oktaAuth },
      status: 200,
      responseHeaders: jsonResponse({ 'x-okta-request-id': 'aZ3kq9Lm2Xw7bN1cV5tY8uR4eT0' }),
      responseBody: JSON.stringify({
        id: USER.id,
        status: 'ACTIVE',
        profile: { login: USER.email, email: USER.email, firstName: 'Pat', lastName: 'Lee' },
      }),
      durationMs: 6.1,
    },
    {
      ms: 31,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/users/${USER.id}/risk`,
      requestHeaders: { ...oktaAuth },
      status: 200,
      responseBody: JSON.stringify({ riskLevel: 'LOW' }),
      durationMs: 3.8,
    },
    {
      ms: 48,
      from: 'harness',
      to: 'okta',
      method: 'POST',
      url: `${OKTA}/api/v1/authn`,
      requestHeaders: { ...JSON_REQUEST },
      requestBody: JSON.stringify({ username: USER.email, password: '[redacted]' }),
      status: 200,
      responseBody: JSON.stringify({ status: 'SUCCESS', sessionToken: '[redacted]', expiresAt: t(348_048) }),
      durationMs: 11.7,
    },
    {
      ms: 70,
      from: 'harness',
      to: 'salesforce',
      method: 'POST',
      url: `${APP_URLS.salesforce}/_lab/sessions`,
      requestHeaders: { ...JSON_REQUEST },
      requestBody: JSON.stringify({ email: USER.email }),
      status: 201,
      responseBody: JSON.stringify({ id: 'sf-sess-1', refreshToken: '[redacted]' }),
      durationMs: 4.4,
    },
    {
      ms: 84,
      from: 'harness',
      to: 'google-workspace',
      method: 'POST',
      url: `${APP_URLS['google-workspace']}/_lab/sessions`,
      requestHeaders: { ...JSON_REQUEST },
      requestBody: JSON.stringify({ email: USER.email }),
      status: 201,
      responseBody: JSON.stringify({ id: 'gw-sess-1', refreshToken: '[redacted]' }),
      durationMs: 4.1,
    },
    {
      ms: 97,
      from: 'harness',
      to: 'office365',
      method: 'POST',
      url: `${APP_URLS.office365}/_lab/sessions`,
      requestHeaders: { ...JSON_REQUEST },
      requestBody: JSON.stringify({ email: USER.email }),
      status: 201,
      responseBody: JSON.stringify({ id: 'o365-sess-1', refreshToken: '[redacted]' }),
      durationMs: 4.9,
    },
    {
      ms: 120,
      from: 'harness',
      to: 'jamf-security-cloud',
      method: 'POST',
      url: `${JSC}/_lab/threats`,
      requestHeaders: { ...JSON_REQUEST },
      requestBody: JSON.stringify({ device: USER.udid, category: 'Malware' }),
      status: 201,
      responseBody: JSON.stringify({
        threat: { id: 'thr-7d2c', category: 'Malware', severity: 'HIGH' },
        device: { id: USER.jscDevice, risk: 'HIGH' },
      }),
      durationMs: 44.6,
    },
    {
      ms: 133,
      from: 'jamf-security-cloud',
      to: 'jamf-pro',
      method: 'POST',
      url: `${JAMF_PRO}/api/oauth/token`,
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: 'grant_type=client_credentials&client_id=5d1f0c7e-jsc&client_secret=%5Bredacted%5D',
      status: 200,
      responseBody: JSON.stringify({
        access_token: '[redacted]',
        token_type: 'Bearer',
        expires_in: 1199,
        scope: 'api-role:uem-connect',
      }),
      durationMs: 5.3,
    },
    {
      ms: 141,
      from: 'jamf-security-cloud',
      to: 'jamf-pro',
      method: 'GET',
      url: `${JAMF_PRO}/api/v1/computers-inventory?section=GENERAL&filter=udid%3D%3D%22${USER.udid}%22`,
      requestHeaders: { accept: 'application/json', authorization: 'Bearer [redacted]' },
      status: 200,
      responseBody: JSON.stringify({
        totalCount: 1,
        results: [{ id: '17', udid: USER.udid, general: { name: 'Pat’s MacBook Pro' } }],
      }),
      durationMs: 7.9,
    },
    {
      ms: 152,
      from: 'jamf-security-cloud',
      to: 'jamf-pro',
      method: 'PATCH',
      url: `${JAMF_PRO}/api/v1/computers-inventory-detail/17`,
      requestHeaders: { ...JSON_REQUEST, authorization: 'Bearer [redacted]' },
      requestBody: JSON.stringify({ extensionAttributes: [{ definitionId: '12', values: ['High'] }] }),
      status: 200,
      durationMs: 6.6,
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
      responseBody: JSON.stringify({
        keys: [
          {
            kty: 'RSA',
            kid: 'jsc-signing-2026-01',
            use: 'sig',
            alg: 'RS256',
            n: 'xjlCRBqkQRjPvI4Gm9',
            e: 'AQAB',
          },
        ],
      }),
      durationMs: 2.7,
    },
    {
      ms: 190,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/_lab/entity-risk/idle?timeoutMs=10000`,
      status: 204,
      responseHeaders: {},
      durationMs: 181.2,
    },
    ...gtr(201, 'salesforce', 205),
    ...gtr(230, 'google-workspace', 234),
    ...gtr(258, 'office365', 262),
    {
      ms: 380,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/logs?filter=debugContext.debugData.TraceId%20eq%20%22${TRACE_ID}%22&since=2000-01-01T00%3A00%3A00Z&sortOrder=ASCENDING&limit=100`,
      requestHeaders: { ...oktaAuth },
      status: 200,
      responseHeaders: jsonResponse({ link: `<${OKTA}/api/v1/logs?after=1767>; rel="self"` }),
      responseBody: JSON.stringify(
        SIX.map((eventType) => ({ eventType, debugContext: { debugData: { TraceId: TRACE_ID } } })),
      ),
      durationMs: 8.3,
    },
    {
      ms: 402,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/api/v1/users/${USER.id}/risk`,
      requestHeaders: { ...oktaAuth },
      status: 200,
      responseBody: JSON.stringify({ riskLevel: 'LOW' }),
      durationMs: 3.1,
    },
    {
      ms: 420,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/_lab/sessions`,
      status: 200,
      responseBody: '[]',
      durationMs: 2.2,
    },
    {
      ms: 441,
      from: 'harness',
      to: 'salesforce',
      method: 'GET',
      url: `${APP_URLS.salesforce}/_lab/sessions?email=pat.lee%40acme.example`,
      status: 200,
      responseBody: JSON.stringify({
        sessions: [
          { state: 'revoked', refreshToken: { state: 'revoked' }, accessTokens: [{ state: 'revoked' }] },
        ],
      }),
      durationMs: 2.9,
    },
    {
      ms: 455,
      from: 'harness',
      to: 'google-workspace',
      method: 'GET',
      url: `${APP_URLS['google-workspace']}/_lab/sessions?email=pat.lee%40acme.example`,
      status: 200,
      responseBody: JSON.stringify({
        sessions: [
          { state: 'revoked', refreshToken: { state: 'revoked' }, accessTokens: [{ state: 'revoked' }] },
        ],
      }),
      durationMs: 2.6,
    },
    {
      ms: 470,
      from: 'harness',
      to: 'office365',
      method: 'GET',
      url: `${APP_URLS.office365}/_lab/sessions?email=pat.lee%40acme.example`,
      status: 200,
      responseBody: JSON.stringify({
        sessions: [
          { state: 'active', refreshToken: { state: 'revoked' }, accessTokens: [{ state: 'active' }] },
        ],
      }),
      durationMs: 2.8,
    },
    {
      ms: 489,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/_lab/universal-logout?traceId=${TRACE_ID}`,
      status: 200,
      responseBody: JSON.stringify([
        { appId: 'salesforce', status: 204 },
        { appId: 'google-workspace', status: 204 },
        { appId: 'office365', status: 204 },
      ]),
      durationMs: 2.4,
    },
    {
      ms: 505,
      from: 'harness',
      to: 'jamf-pro',
      method: 'POST',
      url: `${JAMF_PRO}/api/oauth/token`,
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: 'grant_type=client_credentials&client_id=lab-harness&client_secret=%5Bredacted%5D',
      status: 200,
      responseBody: JSON.stringify({ access_token: '[redacted]', token_type: 'Bearer', expires_in: 1199 }),
      durationMs: 4.8,
    },
    {
      ms: 514,
      from: 'harness',
      to: 'jamf-pro',
      method: 'GET',
      url: `${JAMF_PRO}/api/v1/computers-inventory-detail/17`,
      requestHeaders: { accept: 'application/json', authorization: 'Bearer [redacted]' },
      status: 200,
      responseBody: JSON.stringify({
        id: '17',
        udid: USER.udid,
        extensionAttributes: [{ definitionId: '12', name: 'Mobile Threat Risk', values: ['High'] }],
      }),
      durationMs: 6.2,
    },
    {
      ms: 560,
      from: 'harness',
      to: 'jamf-security-cloud',
      method: 'GET',
      url: `${JSC}/_lab/devices/${USER.udid}`,
      status: 200,
      responseBody: JSON.stringify({ id: USER.jscDevice, risk: 'HIGH', threats: 1 }),
      durationMs: 2.1,
    },
    {
      ms: 590,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: `${OKTA}/_lab/entity-risk/evaluations/${TRACE_ID}`,
      status: 200,
      responseBody: JSON.stringify({
        state: 'DONE',
        matchedRule: { id: 'rul1x8Hk2Mw9Lq3Zp0h7' },
        riskReset: true,
      }),
      durationMs: 2.0,
    },
  ]);

  const steps: StepRecord[] = [
    {
      index: 1,
      kind: 'sign-in',
      title: `${USER.name} signs in to Okta, Salesforce, Google Workspace and Office 365`,
      startedMs: 0,
      durationMs: 108,
      ok: true,
    },
    {
      index: 2,
      kind: 'threat',
      title: `Jamf Security Cloud reports Malware on ${USER.name}’s Mac`,
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
      title: 'Read back the System Log, user risk, sessions, logouts and Jamf Pro',
      startedMs: 378,
      durationMs: 216,
      ok: true,
    },
  ];
  const expectations: ExpectationResult[] = [
    {
      index: 1,
      kind: 'set-delivered',
      title: 'Okta accepted one device-risk-change SET from Jamf Security Cloud',
      ok: true,
      expected: { count: 1, status: 202 },
      actual: { count: 1, status: 202 },
    },
    {
      index: 2,
      kind: 'user-risk',
      title: `Okta detected HIGH user risk for ${USER.email}`,
      ok: true,
      expected: 'HIGH',
      actual: 'HIGH',
    },
    {
      index: 3,
      kind: 'system-log-chain',
      title: 'Okta wrote its six-event chain, in order, under one TraceId',
      ok: true,
      expected: SIX,
      actual: SIX,
    },
    {
      index: 4,
      kind: 'okta-sessions',
      title: `${USER.name} has no Okta session left`,
      ok: true,
      expected: 0,
      actual: 0,
    },
    {
      index: 5,
      kind: 'app-logout',
      title: 'Salesforce and Google Workspace logged the user out',
      ok: true,
      expected: { salesforce: 'logged-out', 'google-workspace': 'logged-out' },
      actual: { salesforce: 'logged-out', 'google-workspace': 'logged-out' },
    },
    {
      index: 6,
      kind: 'app-logout',
      title: 'Office 365 revoked the refresh tokens (partial Universal Logout)',
      ok: true,
      expected: 'refresh-tokens-revoked',
      actual: 'refresh-tokens-revoked',
    },
    {
      index: 7,
      kind: 'jamf-pro',
      title: 'Jamf Pro shows Mobile Threat Risk High for the Mac',
      ok: true,
      expected: 'High',
      actual: 'High',
    },
  ];
  const systemLog: SystemLogEntry[] = [
    {
      published: t(59),
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      outcome: 'SUCCESS',
      actor: `${USER.name} (User)`,
      targets: [],
      traceId: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
    },
    ...systemLogChain(t),
  ];
  const logouts: LogoutRecord[] = [
    { app: 'salesforce', status: 204, outcome: 'logged-out', user: USER.email, at: t(215) },
    { app: 'google-workspace', status: 204, outcome: 'logged-out', user: USER.email, at: t(244) },
    { app: 'office365', status: 204, outcome: 'refresh-tokens-revoked', user: USER.email, at: t(272) },
  ];
  return {
    schema: RUN_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: '0.1.0' },
    scenario: {
      id: 'macos-device-threat-universal-logout',
      name: 'macOS device threat → Universal Logout',
      description:
        'A Malware threat on a Mac raises its risk in Jamf Security Cloud; Okta receives the device-risk-change SET, raises the user’s risk, and its Entity Risk Policy ends the sessions and logs the user out of the apps.',
      file: 'scenarios/macos-device-threat.yaml',
    },
    transport: 'in-process',
    startedAt: STARTED_AT,
    durationMs: 612.4,
    passed: true,
    steps,
    expectations,
    timeline: exchanges,
    systemLog,
    logouts,
  };
}

/** A failing run: the first push meets a 503 and is retried, Office 365 is expected to log out fully. */
export function failingRun(): RunRecord {
  const start = '2026-01-15T09:41:00.000Z';
  const t0 = Date.parse(start);
  const t = (ms: number): string => new Date(t0 + ms).toISOString();
  const set = deviceRiskSet(Math.floor((t0 + 90) / 1000), 'c8e2a0f4-1b3d-4f5a-8c7e-9d0b1a2c3e4f');
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
  const exchanges = timeline(
    [
      {
        ms: 10,
        from: 'harness',
        to: 'okta',
        method: 'POST',
        url: `${OKTA}/api/v1/authn`,
        requestHeaders: { ...JSON_REQUEST },
        requestBody: JSON.stringify({ username: USER.email, password: '[redacted]' }),
        status: 200,
        responseBody: JSON.stringify({ status: 'SUCCESS', sessionToken: '[redacted]' }),
        durationMs: 10.2,
      },
      {
        ms: 40,
        from: 'harness',
        to: 'office365',
        method: 'POST',
        url: `${APP_URLS.office365}/_lab/sessions`,
        requestHeaders: { ...JSON_REQUEST },
        requestBody: JSON.stringify({ email: USER.email }),
        status: 201,
        durationMs: 3.9,
      },
      {
        ms: 60,
        from: 'harness',
        to: 'jamf-security-cloud',
        method: 'POST',
        url: `${JSC}/_lab/threats`,
        requestHeaders: { ...JSON_REQUEST },
        requestBody: JSON.stringify({ device: USER.udid, category: 'Malware' }),
        status: 201,
        durationMs: 38.0,
      },
      {
        ...push,
        status: 503,
        responseHeaders: jsonResponse({ 'retry-after': '1' }),
        responseBody: JSON.stringify({ errorCode: 'E0000010', errorSummary: 'Service unavailable' }),
      },
      {
        ms: 75,
        from: 'jamf-security-cloud',
        to: 'jamf-pro',
        method: 'PATCH',
        url: `${JAMF_PRO}/api/v1/computers-inventory-detail/17`,
        requestHeaders: { ...JSON_REQUEST, authorization: 'Bearer [redacted]' },
        error: 'ECONNREFUSED',
        durationMs: 1.3,
      },
      { ...push, ms: 1_094, status: 202, responseHeaders: { 'content-length': '0' }, durationMs: 8.8 },
      {
        ms: 1_100,
        from: 'okta',
        to: 'jamf-security-cloud',
        method: 'GET',
        url: `${JSC}/sse/v1/jwks.json`,
        status: 200,
        durationMs: 2.4,
      },
      {
        ms: 1_130,
        from: 'okta',
        to: 'office365',
        method: 'POST',
        url: `${APP_URLS.office365}/oauth/global-token-revocation`,
        requestHeaders: { ...JSON_REQUEST, authorization: 'Bearer [redacted]' },
        requestBody: JSON.stringify({ sub_id: { format: 'email', email: USER.email } }),
        status: 204,
        responseHeaders: {},
        durationMs: 18.5,
      },
      {
        ms: 1_300,
        from: 'harness',
        to: 'office365',
        method: 'GET',
        url: `${APP_URLS.office365}/_lab/sessions?email=pat.lee%40acme.example`,
        status: 200,
        responseBody: JSON.stringify({
          sessions: [
            { state: 'active', refreshToken: { state: 'revoked' } },
            { state: 'active', refreshToken: { state: 'revoked' } },
          ],
        }),
        durationMs: 2.5,
      },
    ],
    t0,
  );
  return {
    schema: RUN_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: '0.1.0' },
    scenario: { id: 'office365-full-logout', name: 'Office 365 ends every session on Universal Logout' },
    transport: 'loopback',
    startedAt: start,
    durationMs: 1_342,
    passed: false,
    steps: [
      {
        index: 1,
        kind: 'sign-in',
        title: `${USER.name} signs in to Okta and Office 365`,
        startedMs: 0,
        durationMs: 50,
        ok: true,
      },
      {
        index: 2,
        kind: 'threat',
        title: 'Jamf Security Cloud reports Malware on the Mac',
        startedMs: 55,
        durationMs: 45,
        ok: true,
      },
      {
        index: 3,
        kind: 'wait',
        title: 'Okta’s entity risk work is idle',
        startedMs: 100,
        durationMs: 1_190,
        ok: true,
      },
      {
        index: 4,
        kind: 'check',
        title: 'Read back Office 365’s sessions',
        startedMs: 1_295,
        durationMs: 10,
        ok: true,
      },
    ],
    expectations: [
      {
        index: 1,
        kind: 'set-delivered',
        title: 'Okta accepted the device-risk-change SET',
        ok: true,
        expected: 202,
        actual: 202,
      },
      {
        index: 2,
        kind: 'app-sessions',
        title: `Office 365 ended every session of ${USER.email}`,
        ok: false,
        expected: { sessions: 'revoked', refreshTokens: 'revoked' },
        actual: { sessions: 'active', refreshTokens: 'revoked', activeSessions: 2 },
        message:
          'Office 365 answered 204 but revoked only the refresh tokens (outcome refresh-tokens-revoked); 2 sessions are still active. Office 365 supports Universal Logout partially.',
      },
    ],
    timeline: exchanges,
    systemLog: systemLogChain(t).slice(0, 5),
    logouts: [
      { app: 'office365', status: 204, outcome: 'refresh-tokens-revoked', user: USER.email, at: t(1_145) },
    ],
  };
}

/** A run whose timeline is `n` distinct harness calls (no two alike), for the diagram's cap. */
export function longRun(n: number): RunRecord {
  const base = passingRun();
  const exchanges = timeline(
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
  return { ...base, scenario: { id: 'long', name: `${n} exchanges` }, timeline: exchanges };
}

/** A run where the harness polls the same Okta path `polls` times between two other calls. */
export function pollingRun(polls: number): RunRecord {
  const base = passingRun();
  const exchanges = timeline([
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
      url: `${OKTA}/api/v1/users/${USER.id}/risk`,
      status: 200,
      durationMs: 2,
    },
  ]);
  return { ...base, scenario: { id: 'polling', name: 'polling' }, timeline: exchanges };
}

/**
 * A copy of a record with `payload` appended to every string and to every key of the free-form maps
 * (headers, SET header and claims, expected and actual values) — for escaping tests.
 */
export function withHostileStrings(record: RunRecord, payload: string): RunRecord {
  const FREE_FORM = new Set(['requestHeaders', 'responseHeaders', 'header', 'claims', 'expected', 'actual']);
  const walk = (value: unknown, renameKeys: boolean): unknown => {
    if (typeof value === 'string') return `${value}${payload}`;
    if (Array.isArray(value)) return value.map((v) => walk(v, renameKeys));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const free = renameKeys || FREE_FORM.has(k);
        out[renameKeys ? `${k}${payload}` : k] = walk(v, free);
      }
      return out;
    }
    return value;
  };
  return walk(record, false) as RunRecord;
}
