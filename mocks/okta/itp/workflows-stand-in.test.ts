/**
 * The lab's Workflows stand-in: a delegated flow registered at a path on the org is run by a RUN_WORKFLOW
 * rule through the org's own fetch, the stand-in keeps what it received (readable at
 * `/_lab/workflows/invocations`), and bad input is a 4xx in Okta's error shape, never a 5xx.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { createInjectFetch, type Injectable } from '../../../harness/ssf/index.ts';
import { buildOktaMock, type OktaMock } from '../index.ts';
import { api } from '../okta.testing.ts';
import { STAND_IN_BODY_MAX, WORKFLOWS_STAND_IN_PATH } from './workflows-stand-in.ts';

const ORG = 'https://acme.okta.lab';

/** An org whose outbound fetch reaches the org itself (as the lab's does on either transport). */
async function selfCallingOrg(): Promise<OktaMock> {
  const routes = new Map<string, Injectable>();
  const okta = await buildOktaMock({ orgUrl: ORG, fleet: { devices: 4 }, fetch: createInjectFetch(routes) });
  routes.set(ORG, okta.app);
  return okta;
}

async function lab(okta: OktaMock, method: 'GET' | 'PUT' | 'POST', url: string, payload?: string) {
  return okta.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload }),
  });
}

test('a RUN_WORKFLOW rule runs a flow registered at a path on the org: the stand-in receives the user, the run is SUCCESS', async () => {
  const okta = await selfCallingOrg();
  try {
    const path = `${WORKFLOWS_STAND_IN_PATH}/respond/invoke`;
    const registered = await lab(okta, 'PUT', '/_lab/workflows/7', JSON.stringify({ url: path }));
    // A path is resolved against the org, so the same registration works on any transport or port.
    expect([registered.statusCode, registered.json().url]).toEqual([200, `${ORG}${path}`]);
    const [policy] = (await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK')).json();
    const rule = await api(okta, 'POST', `/api/v1/policies/${policy.id}/rules`, {
      type: 'ENTITY_RISK',
      name: 'Run flow 7',
      conditions: { entityRisk: { level: 'HIGH' } },
      actions: { entityRisk: { actions: [{ action: 'RUN_WORKFLOW', workflow: { id: 7 } }] } },
    });
    expect(rule.statusCode).toBe(200);
    const [user] = (await api(okta, 'GET', '/api/v1/users?limit=1')).json() as { id: string }[];
    const traceId = randomUUID();
    await okta.org.itp.publish({
      userId: user?.id ?? '',
      previous: 'LOW',
      current: 'HIGH',
      detection: 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
      traceId,
      at: okta.org.now(),
    });

    const run = (await lab(okta, 'GET', `/_lab/entity-risk/evaluations/${traceId}`)).json().workflow;
    expect(run).toMatchObject({ workflowId: 7, status: 200, outcome: 'SUCCESS', reason: null });
    const seen = (await lab(okta, 'GET', '/_lab/workflows/invocations')).json();
    expect(seen).toMatchObject({
      total: 1,
      kept: 1,
      invocations: [
        {
          seq: 1,
          flowKey: 'respond',
          oktaUserId: user?.id,
          body: {
            userContext: { oktaUserId: user?.id },
            context: { caller: { type: 'ENTITY_RISK_POLICY', rule: { name: 'Run flow 7' }, traceId } },
          },
        },
      ],
    });
  } finally {
    await okta.close();
  }
});

test('the stand-in answers bad input with 4xx in Okta’s error shape and keeps nothing of it', async () => {
  const okta = await selfCallingOrg();
  try {
    const invoke = (key: string, payload: string) =>
      lab(okta, 'POST', `${WORKFLOWS_STAND_IN_PATH}/${key}/invoke`, payload);
    const cases = [
      [await invoke('ok', '[1,2]'), 400, 'E0000003'],
      [await invoke('ok', '"text"'), 400, 'E0000003'],
      [await invoke('ok', '{"broken'), 400, undefined],
      [await invoke('bad.key', '{}'), 400, 'E0000001'],
      [await invoke('k'.repeat(65), '{}'), 400, 'E0000001'],
      [await invoke('big', JSON.stringify({ pad: 'x'.repeat(STAND_IN_BODY_MAX) })), 413, 'E0000001'],
    ] as const;
    for (const [answer, status, code] of cases) {
      expect(answer.statusCode, answer.body).toBe(status);
      if (code !== undefined) expect(answer.json().errorCode).toBe(code);
    }
    expect((await lab(okta, 'GET', '/_lab/workflows/invocations')).json()).toEqual({
      total: 0,
      kept: 0,
      invocations: [],
    });
    // A registration that is neither an absolute http(s) URL nor a path on the org is refused.
    for (const url of ['//elsewhere.example/x', 'ftp://x.example/', 'workflows/relative'])
      expect((await lab(okta, 'PUT', '/_lab/workflows/8', JSON.stringify({ url }))).statusCode).toBe(400);
  } finally {
    await okta.close();
  }
});
