/**
 * Issue 5's chain, end to end in the lab after the seed's set-up: a Mac goes High in Jamf Security Cloud,
 * JSC pushes Okta's device-risk-change SET, and Okta — through its public APIs only — raises the user's
 * risk to HIGH, matches the seed's rule, ends the user's Okta sessions, logs the user out of Salesforce
 * and Google Workspace fully and of Office 365 partially, resets the risk, and writes the six System Log
 * events in order under one TraceId. The same SET pushed again changes nothing. Under both transports.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiAnswer, apiCall } from './api-call.ts';
import { configureSeed, type SeedConfiguration } from './seed-setup.ts';
import { type Lab, type LabTransport, startLab } from './start-lab.ts';

let lab: Lab;
let config: SeedConfiguration;
let email = '';
let userId = '';
let pushedSet = '';
let traceId = '';

const okta = (
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
) =>
  apiCall(lab.fetch, 'test', `${lab.urls.okta}${path}`, {
    ...init,
    // A lab control takes the lab admin token (lab.fetch adds it), the API the org's SSWS token.
    headers: {
      ...(path.startsWith('/_lab/') ? {} : { authorization: `SSWS ${lab.okta.apiToken}` }),
      ...init.headers,
    },
    expect: [200, 201, 202, 204, 404],
  });
const body = <T>(answer: ApiAnswer): T => answer.body as T;

async function idle(): Promise<void> {
  expect((await okta('/_lab/entity-risk/idle?timeoutMs=10000')).status).toBe(204);
}

interface LogEvent {
  eventType: string;
  debugContext: { debugData: Record<string, unknown> };
}

async function chainOf(trace: string): Promise<string[]> {
  const filter = encodeURIComponent(`debugContext.debugData.TraceId eq "${trace}"`);
  const events = body<LogEvent[]>(
    await okta(`/api/v1/logs?filter=${filter}&since=2000-01-01T00:00:00Z&sortOrder=ASCENDING&limit=100`),
  );
  return events.map((e) => e.eventType);
}

async function appSessions(kind: keyof Lab['apps']) {
  const answer = await apiCall(
    lab.fetch,
    'test',
    `${lab.urls.apps[kind]}/_lab/sessions?email=${encodeURIComponent(email)}`,
  );
  return body<{
    sessions: { state: string; refreshToken: { state: string }; accessTokens: { state: string }[] }[];
  }>(answer).sessions;
}

describe.each<LabTransport>(['in-process', 'loopback'])('%s', (transport) => {
  beforeAll(async () => {
    lab = await startLab({ transport, seed: 21, devices: 6, intercept: false });
    config = await configureSeed(lab);
    const mac = lab.jsc.tenant.devices().find((d) => d.osType === 'MAC_OS' && d.uem?.email);
    if (!mac?.uem?.email) throw new Error('the fleet has no Mac with a user');
    email = mac.uem.email;
    userId = body<{ id: string }>(await okta(`/api/v1/users/${encodeURIComponent(email)}`)).id;
    const before = lab.timeline.nextSeq;
    const threat = await apiCall(lab.fetch, 'test', `${lab.urls.jamfSecurityCloud}/_lab/threats`, {
      json: { device: mac.udid, category: 'Malware' },
    });
    expect(body<{ device: { risk: string } }>(threat).device.risk).toBe('HIGH');
    const deadline = Date.now() + 5000;
    while (!lab.timeline.since(before).some((e) => e.set && e.to === 'okta' && e.status === 202)) {
      if (Date.now() > deadline) throw new Error('JSC pushed no SET to Okta within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await idle();
    const push = lab.timeline.since(before).find((e) => e.set && e.to === 'okta');
    pushedSet = push?.requestBody ?? '';
    const detections = body<{ detections?: { traceId?: string }[] } | { traceId?: string }[]>(
      await okta(`/_lab/users/${userId}/risk-detections`),
    );
    const list = Array.isArray(detections) ? detections : (detections.detections ?? []);
    traceId = list.at(-1)?.traceId ?? '';
  });

  afterAll(async () => {
    await lab.close();
  });

  test('the SET Okta received is its device-risk-change for this user, from JSC', () => {
    expect(pushedSet.split('.')).toHaveLength(3);
    expect(traceId).not.toBe('');
  });

  // The seed: the policy runs "whenever a user's Entity Risk Level is updated, such as during a
  // user.risk.change event" — the provider raising the level logs user.risk.change before the policy.
  test('the System Log events, in order, under one TraceId: the level update before the policy, the reset last', async () => {
    const chain = await chainOf(traceId);
    const sessionEnds = chain.filter((t) => t === 'user.session.end').length;
    expect(sessionEnds).toBeGreaterThanOrEqual(1);
    expect(chain).toEqual([
      'security.events.provider.receive_event',
      'user.risk.detect',
      'user.risk.change',
      'policy.entity_risk.evaluate',
      'policy.entity_risk.action',
      ...Array<string>(sessionEnds).fill('user.session.end'),
      'user.authentication.universal_logout',
      'user.risk.change',
    ]);
  });

  test('risk went HIGH by the provider, the seed rule matched, and the risk was reset afterwards', async () => {
    const evaluation = body<{
      matchedRule?: { id: string };
      rule?: { id: string };
      state: string;
      riskReset?: boolean;
    }>(await okta(`/_lab/entity-risk/evaluations/${traceId}`));
    expect(evaluation.state).toBe('DONE');
    expect(evaluation.matchedRule?.id ?? evaluation.rule?.id).toBe(config.okta.ruleId);
    const filter = encodeURIComponent(
      `debugContext.debugData.TraceId eq "${traceId}" and eventType eq "user.risk.detect"`,
    );
    const detect = body<LogEvent[]>(
      await okta(`/api/v1/logs?filter=${filter}&since=2000-01-01T00:00:00Z`),
    )[0];
    expect(JSON.stringify(detect?.debugContext.debugData)).toContain('HIGH');
    const risk = body<{ riskLevel: string }>(await okta(`/api/v1/users/${userId}/risk`));
    expect(risk.riskLevel).toBe('LOW');
  });

  test("the user's Okta sessions are ended", async () => {
    const live = body<{ userId: string }[]>(await okta('/_lab/sessions'));
    expect(live.filter((s) => s.userId === userId)).toEqual([]);
  });

  test('Salesforce and Google Workspace logged the user out fully; Office 365 revoked refresh tokens only', async () => {
    for (const kind of ['salesforce', 'google-workspace'] as const) {
      const sessions = await appSessions(kind);
      expect(sessions.length).toBeGreaterThan(0);
      for (const s of sessions) {
        expect(s.state).toBe('revoked');
        expect(s.refreshToken.state).toBe('revoked');
        expect(s.accessTokens.every((t) => t.state === 'revoked')).toBe(true);
      }
    }
    const office = await appSessions('office365');
    expect(office.length).toBeGreaterThan(0);
    for (const s of office) {
      expect(s.state).toBe('active');
      expect(s.refreshToken.state).toBe('revoked');
    }
    const attempts = body<
      { outcome?: string; status?: number; appId: string }[] | { attempts: { status?: number }[] }
    >(await okta(`/_lab/universal-logout?traceId=${traceId}`));
    const list = Array.isArray(attempts) ? attempts : attempts.attempts;
    expect(list.map((a) => a.status)).toEqual([204, 204, 204]);
  });

  test('pushing the same SET again is accepted and changes nothing', async () => {
    const logsBefore = body<unknown[]>(
      await okta('/api/v1/logs?since=2000-01-01T00:00:00Z&limit=1000'),
    ).length;
    const again = await okta('/security/api/v1/security-events', {
      method: 'POST',
      body: pushedSet,
      headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
    });
    expect(again.status).toBe(202);
    await idle();
    const logsAfter = body<unknown[]>(
      await okta('/api/v1/logs?since=2000-01-01T00:00:00Z&limit=1000'),
    ).length;
    expect(logsAfter).toBe(logsBefore);
    expect(body<{ riskLevel: string }>(await okta(`/api/v1/users/${userId}/risk`)).riskLevel).toBe('LOW');
    const attempts = body<unknown[] | { attempts: unknown[] }>(
      await okta(`/_lab/universal-logout?userId=${userId}`),
    );
    expect(Array.isArray(attempts) ? attempts : attempts.attempts).toHaveLength(3);
  });
});
