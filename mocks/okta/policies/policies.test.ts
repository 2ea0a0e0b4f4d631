/**
 * The Policies API for the ENTITY_RISK policy through HTTP: the one system policy (listed, read, renamed, never
 * created or deleted), its catch-all rule (last, undeletable, always active, conditions fixed), rule CRUD and
 * lifecycle, Okta's priority shifting, validation as E0000001 with a cause per problem, paging of rules, and
 * the policy and rule events in the System Log.
 */
import { beforeAll, expect, test } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../../harness/protocol/index.ts';
import { buildOktaMock, type OktaMock } from '../index.ts';
import { api } from '../okta.testing.ts';

let signingKey: SigningKey;
let users: { id: string }[];

beforeAll(async () => {
  signingKey = (await generateSigningKey('ES256', { kid: 'org-test' })).key;
});

async function mock(): Promise<{ okta: OktaMock; policyId: string; rules: string }> {
  const okta = await buildOktaMock({ signingKey, fleet: { devices: 12 } });
  users ??= (await api(okta, 'GET', '/api/v1/users')).json();
  const [policy] = (await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK')).json();
  return { okta, policyId: policy.id, rules: `/api/v1/policies/${policy.id}/rules` };
}

const rule = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'ENTITY_RISK',
  name,
  ...extra,
});

async function order(okta: OktaMock, rules: string): Promise<[string, number][]> {
  const listed = (await api(okta, 'GET', rules)).json() as { name: string; priority: number }[];
  return listed.map((r) => [r.name, r.priority]);
}

test('the org has exactly one ENTITY_RISK policy: system, active, no conditions; it can be renamed, not created or deleted', async () => {
  const { okta, policyId } = await mock();
  const listed = await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK');
  expect(listed.statusCode).toBe(200);
  expect(listed.headers.link).toEqual([`<${okta.org.url}/api/v1/policies?type=ENTITY_RISK>; rel="self"`]);
  const [policy, ...more] = listed.json();
  expect(more).toEqual([]);
  expect(policy).toMatchObject({
    type: 'ENTITY_RISK',
    id: expect.stringMatching(/^rst\w{17}$/),
    status: 'ACTIVE',
    priority: 1,
    system: true,
    conditions: null,
    _links: {
      self: { href: `${okta.org.url}/api/v1/policies/${policyId}`, hints: { allow: ['GET', 'PUT'] } },
      rules: { href: `${okta.org.url}/api/v1/policies/${policyId}/rules`, hints: { allow: ['GET', 'POST'] } },
    },
  });
  // Same seed, same org: the policy id is stable.
  const again = await buildOktaMock({ signingKey, fleet: { devices: 12 } });
  expect((await api(again, 'GET', '/api/v1/policies?type=ENTITY_RISK')).json()[0].id).toBe(policyId);

  expect((await api(okta, 'GET', `/api/v1/policies/${policyId}`)).json()).toEqual(policy);
  expect((await api(okta, 'GET', '/api/v1/policies?type=PASSWORD')).json()).toEqual([]);
  expect((await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK&status=INACTIVE')).json()).toEqual([]);
  expect((await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK&q=entity')).json()).toHaveLength(1);
  expect((await api(okta, 'GET', '/api/v1/policies?type=ENTITY_RISK&q=zzz')).json()).toEqual([]);
  for (const query of ['', '?type=', '?type=NOPE', '?type=ENTITY_RISK&status=on']) {
    const bad = await api(okta, 'GET', `/api/v1/policies${query}`);
    expect([bad.statusCode, bad.json().errorCode]).toEqual([400, 'E0000001']);
  }
  const missing = await api(okta, 'GET', '/api/v1/policies/rstnope');
  expect([missing.statusCode, missing.json().errorSummary]).toEqual([
    404,
    'Not found: Resource not found: rstnope (Policy)',
  ]);

  const create = await api(okta, 'POST', '/api/v1/policies', { type: 'ENTITY_RISK', name: 'Second' });
  expect([create.statusCode, create.json().errorCode]).toEqual([400, 'E0000001']);
  expect(create.json().errorCauses[0].errorSummary).toMatch(/exactly one/);
  const password = await api(okta, 'POST', '/api/v1/policies', { type: 'PASSWORD', name: 'P' });
  expect(password.statusCode).toBe(400);
  const removed = await api(okta, 'DELETE', `/api/v1/policies/${policyId}`);
  expect([removed.statusCode, removed.json().errorCode]).toEqual([403, 'E0000006']);
  expect((await api(okta, 'GET', `/api/v1/policies/${policyId}`)).statusCode).toBe(200);

  const renamed = await api(okta, 'PUT', `/api/v1/policies/${policyId}`, {
    ...policy,
    name: 'ITP response',
    description: 'Acme',
  });
  expect(renamed.statusCode).toBe(200);
  expect(renamed.json()).toMatchObject({ name: 'ITP response', description: 'Acme', system: true });
  const retyped = await api(okta, 'PUT', `/api/v1/policies/${policyId}`, { ...policy, type: 'PASSWORD' });
  expect([retyped.statusCode, retyped.json().errorCode]).toEqual([400, 'E0000001']);
  const logged = okta.org.systemLog.events().filter((e) => e.eventType === 'policy.lifecycle.update');
  expect(logged).toHaveLength(1);
  expect(logged[0]?.target[0]).toMatchObject({
    id: policyId,
    type: 'PolicyEntity',
    displayName: 'ITP response',
  });
  expect(logged[0]?.actor.alternateId).toMatch(/^admin@/);
});

test('the catch-all rule is there from the start: last, system, undeletable, always active; only its name and action change', async () => {
  const { okta, rules } = await mock();
  const listed = (await api(okta, 'GET', rules)).json();
  expect(listed).toEqual([
    {
      id: expect.stringMatching(/^rul\w{17}$/),
      status: 'ACTIVE',
      name: 'Catch-all rule',
      priority: 99,
      created: expect.any(String),
      lastUpdated: expect.any(String),
      system: true,
      conditions: null,
      actions: { entityRisk: { actions: [] } },
      _links: { self: { href: `${okta.org.url}${rules}/${listed[0].id}`, hints: { allow: ['GET', 'PUT'] } } },
      type: 'ENTITY_RISK',
    },
  ]);
  const at = `${rules}/${listed[0].id}`;
  const deleted = await api(okta, 'DELETE', at);
  expect([deleted.statusCode, deleted.json().errorCode]).toEqual([403, 'E0000006']);
  const deactivated = await api(okta, 'POST', `${at}/lifecycle/deactivate`);
  expect([deactivated.statusCode, deactivated.json().errorCode]).toEqual([403, 'E0000006']);
  expect((await api(okta, 'POST', `${at}/lifecycle/activate`)).statusCode).toBe(204);
  const conditioned = await api(okta, 'PUT', at, {
    ...listed[0],
    conditions: { entityRisk: { level: 'HIGH' } },
  });
  expect(conditioned.statusCode).toBe(400);
  expect(conditioned.json().errorCauses).toEqual([
    { errorSummary: "conditions: the catch-all rule's conditions can't be changed" },
  ]);
  const moved = await api(okta, 'PUT', at, { ...listed[0], priority: 0 });
  expect(moved.statusCode).toBe(400);
  const acting = await api(okta, 'PUT', at, {
    ...listed[0],
    name: 'Catch-all: end sessions',
    actions: { entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }] } },
  });
  expect(acting.statusCode).toBe(200);
  expect(acting.json()).toMatchObject({
    name: 'Catch-all: end sessions',
    priority: 99,
    system: true,
    status: 'ACTIVE',
    conditions: null,
    actions: { entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }] } },
  });
  expect((await api(okta, 'GET', rules)).json()).toHaveLength(1);
});

test('rules: create, read, replace, delete and lifecycle, with priorities shifting as in Okta and every change logged', async () => {
  const { okta, policyId, rules } = await mock();
  const created = await api(okta, 'POST', rules, rule('A'));
  expect(created.statusCode).toBe(200);
  const a = created.json();
  expect(a).toMatchObject({
    id: expect.stringMatching(/^rul\w{17}$/),
    name: 'A',
    status: 'ACTIVE',
    priority: 0,
    system: false,
    type: 'ENTITY_RISK',
    actions: { entityRisk: { actions: [] } },
    _links: {
      self: { href: `${okta.org.url}${rules}/${a.id}`, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      deactivate: {
        href: `${okta.org.url}${rules}/${a.id}/lifecycle/deactivate`,
        hints: { allow: ['POST'] },
      },
    },
  });
  expect('conditions' in a).toBe(false);
  const b = (await api(okta, 'POST', rules, rule('B', { priority: 0 }))).json();
  const c = (await api(okta, 'POST', rules, rule('C', { priority: 50 }))).json();
  expect(c.priority).toBe(2);
  const d = (await api(okta, 'POST', `${rules}?activate=false`, rule('D', { priority: 1 }))).json();
  expect(d.status).toBe('INACTIVE');
  expect(d._links.activate.href).toBe(`${okta.org.url}${rules}/${d.id}/lifecycle/activate`);
  expect(await order(okta, rules)).toEqual([
    ['B', 0],
    ['D', 1],
    ['A', 2],
    ['C', 3],
    ['Catch-all rule', 99],
  ]);

  const replaced = await api(okta, 'PUT', `${rules}/${a.id}`, {
    ...a,
    name: 'A2',
    priority: 0,
    conditions: {
      people: { users: { include: [users[0]?.id] } },
      riskDetectionTypes: { include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'] },
      entityRisk: { level: 'HIGH' },
    },
    actions: { entityRisk: { actions: [{ action: 'RUN_WORKFLOW', workflow: { id: 572749 } }] } },
  });
  expect(replaced.statusCode).toBe(200);
  expect(replaced.json()).toMatchObject({
    name: 'A2',
    priority: 0,
    conditions: {
      people: { users: { include: [users[0]?.id] } },
      riskDetectionTypes: { include: ['SECURITY_EVENTS_PROVIDER_REPORTED_RISK'] },
      entityRisk: { level: 'HIGH' },
    },
    actions: { entityRisk: { actions: [{ action: 'RUN_WORKFLOW', workflow: { id: 572749 } }] } },
  });
  expect((await api(okta, 'GET', `${rules}/${a.id}`)).json()).toEqual(replaced.json());
  expect(await order(okta, rules)).toEqual([
    ['A2', 0],
    ['B', 1],
    ['D', 2],
    ['C', 3],
    ['Catch-all rule', 99],
  ]);
  // A PUT without a priority keeps the rule where it is.
  const { priority: _p, ...withoutPriority } = c;
  expect(
    (await api(okta, 'PUT', `${rules}/${c.id}`, { ...withoutPriority, name: 'C2' })).json().priority,
  ).toBe(3);

  expect((await api(okta, 'DELETE', `${rules}/${b.id}`)).statusCode).toBe(204);
  expect((await api(okta, 'GET', `${rules}/${b.id}`)).statusCode).toBe(404);
  expect(await order(okta, rules)).toEqual([
    ['A2', 0],
    ['D', 1],
    ['C2', 2],
    ['Catch-all rule', 99],
  ]);

  expect((await api(okta, 'POST', `${rules}/${d.id}/lifecycle/activate`)).statusCode).toBe(204);
  expect((await api(okta, 'GET', `${rules}/${d.id}`)).json().status).toBe('ACTIVE');
  expect((await api(okta, 'POST', `${rules}/${d.id}/lifecycle/activate`)).statusCode).toBe(204);
  expect((await api(okta, 'POST', `${rules}/${d.id}/lifecycle/deactivate`)).statusCode).toBe(204);
  expect((await api(okta, 'GET', `${rules}/${d.id}`)).json().status).toBe('INACTIVE');

  const logged = okta.org.systemLog
    .events()
    .filter((e) => e.eventType.startsWith('policy.rule.'))
    .map((e) => [e.eventType, e.target[0]?.displayName, e.target[0]?.type, e.target[1]?.id]);
  expect(logged).toEqual([
    ['policy.rule.add', 'A', 'PolicyRule', policyId],
    ['policy.rule.add', 'B', 'PolicyRule', policyId],
    ['policy.rule.add', 'C', 'PolicyRule', policyId],
    ['policy.rule.add', 'D', 'PolicyRule', policyId],
    ['policy.rule.update', 'A2', 'PolicyRule', policyId],
    ['policy.rule.update', 'C2', 'PolicyRule', policyId],
    ['policy.rule.delete', 'B', 'PolicyRule', policyId],
    // Activating an active rule changes nothing and logs nothing.
    ['policy.rule.activate', 'D', 'PolicyRule', policyId],
    ['policy.rule.deactivate', 'D', 'PolicyRule', policyId],
  ]);

  for (const [method, path] of [
    ['GET', `${rules}/rulnope`],
    ['PUT', `${rules}/rulnope`],
    ['DELETE', `${rules}/rulnope`],
    ['POST', `${rules}/rulnope/lifecycle/activate`],
    ['GET', '/api/v1/policies/rstnope/rules'],
    ['POST', '/api/v1/policies/rstnope/rules'],
  ] as const) {
    const r = await api(okta, method, path, method === 'PUT' || method === 'POST' ? rule('X') : undefined);
    expect([path, r.statusCode, r.json().errorCode]).toEqual([path, 404, 'E0000007']);
  }
});

test('a rule Okta would refuse is 400 E0000001 with one cause per problem, and nothing is created', async () => {
  const { okta, rules } = await mock();
  expect((await api(okta, 'POST', rules, rule('Taken'))).statusCode).toBe(200);
  const cases: [unknown, string[]][] = [
    [{ name: 'No type' }, ['type: a rule of the ENTITY_RISK policy has type ENTITY_RISK, not null']],
    [rule(''), ['name: The field cannot be left blank']],
    [rule('taken'), ['name: a rule named "taken" already exists in this policy']],
    [rule('P', { priority: -1 }), ['priority: must be an integer of at least 0, not -1']],
    [
      rule('Both', {
        conditions: {
          riskDetectionTypes: { include: ['BRUTE_FORCE_ATTACK'], exclude: ['ADMIN_REPORTED_USER_RISK'] },
          entityRisk: { level: 'SEVERE' },
          network: { connection: 'ANYWHERE' },
        },
      }),
      [
        'conditions.network: not a condition of ENTITY_RISK rules (people, riskDetectionTypes, entityRisk)',
        "conditions.riskDetectionTypes: include and exclude can't both be set; use one of them",
        'conditions.entityRisk.level: must be one of ANY, LOW, MEDIUM, HIGH, not "SEVERE"',
      ],
    ],
    [
      rule('Unknown', {
        conditions: {
          riskDetectionTypes: { include: ['DEVICE_RISK'] },
          people: { users: { include: ['00unobody'] }, groups: { exclude: ['00gnothing'] } },
        },
      }),
      [
        'conditions.people.users.include: 00unobody is not a user id in this org',
        'conditions.people.groups.exclude: 00gnothing is not a group id in this org',
        expect.stringMatching(
          /^conditions\.riskDetectionTypes\.include: "DEVICE_RISK" is not one of ADMIN_REPORTED_USER_RISK, /,
        ),
      ] as unknown as string[],
    ],
    [
      rule('Level', { conditions: { entityRisk: {} } }),
      ['conditions.entityRisk.level: The field cannot be left blank'],
    ],
    [
      rule('Two', {
        actions: {
          entityRisk: { actions: [{ action: 'TERMINATE_ALL_SESSIONS' }, { action: 'RUN_WORKFLOW' }] },
        },
      }),
      ['actions.entityRisk.actions: holds no action or exactly one'],
    ],
    [
      rule('Flow', { actions: { entityRisk: { actions: [{ action: 'RUN_WORKFLOW', workflow: {} }] } } }),
      [
        'actions.entityRisk.actions[0].workflow.id: the id of a delegated flow (a positive integer) is required',
      ],
    ],
    [
      rule('Odd', { actions: { entityRisk: { actions: [{ action: 'LOCK_ACCOUNT' }] } } }),
      [
        'actions.entityRisk.actions[0].action: must be TERMINATE_ALL_SESSIONS or RUN_WORKFLOW, not "LOCK_ACCOUNT"',
      ],
    ],
    [
      rule('Specific', {
        actions: {
          entityRisk: {
            actions: [{ action: 'TERMINATE_ALL_SESSIONS', slo: { appSelectionMode: 'SPECIFIC' } }],
          },
        },
      }),
      [
        'actions.entityRisk.actions[0].slo.appInstanceIds: name at least one app when appSelectionMode is SPECIFIC',
      ],
    ],
    [
      rule('Missing app', {
        actions: {
          entityRisk: {
            actions: [
              {
                action: 'TERMINATE_ALL_SESSIONS',
                slo: { appSelectionMode: 'SPECIFIC', appInstanceIds: ['0oanone'] },
              },
            ],
          },
        },
      }),
      ['actions.entityRisk.actions[0].slo.appInstanceIds: 0oanone is not an app in this org'],
    ],
    [
      rule('All with ids', {
        actions: {
          entityRisk: {
            actions: [
              {
                action: 'TERMINATE_ALL_SESSIONS',
                slo: { appSelectionMode: 'ALL', appInstanceIds: ['0oanone'] },
              },
            ],
          },
        },
      }),
      ['actions.entityRisk.actions[0].slo.appInstanceIds: only allowed when appSelectionMode is SPECIFIC'],
    ],
  ];
  for (const [body, causes] of cases) {
    const r = await api(okta, 'POST', rules, body);
    expect([r.statusCode, r.json().errorCode]).toEqual([400, 'E0000001']);
    expect(r.json().errorSummary).toBe(`Api validation failed: ${String(causes[0]).split(':')[0]}`);
    expect(r.json().errorCauses.map((c: { errorSummary: string }) => c.errorSummary)).toEqual(causes);
  }
  const notJson = await okta.app.inject({
    method: 'POST',
    url: rules,
    headers: { authorization: `SSWS ${okta.apiToken}`, 'content-type': 'application/json' },
    payload: '{"name":',
  });
  expect([notJson.statusCode, notJson.json().errorCode]).toEqual([400, 'E0000003']);
  expect(await order(okta, rules)).toEqual([
    ['Taken', 0],
    ['Catch-all rule', 99],
  ]);
});

test('rules are listed in priority order, paged by limit with an absolute next link', async () => {
  const { okta, rules } = await mock();
  for (const name of ['R1', 'R2', 'R3']) await api(okta, 'POST', rules, rule(name));
  const first = await api(okta, 'GET', `${rules}?limit=2`);
  expect(first.json().map((r: { name: string }) => r.name)).toEqual(['R1', 'R2']);
  const links = first.headers.link as string[];
  expect(links[0]).toBe(`<${okta.org.url}${rules}?limit=2>; rel="self"`);
  const next = /^<([^>]+)>; rel="next"$/.exec(links[1] ?? '')?.[1] ?? '';
  expect(next.startsWith(`${okta.org.url}${rules}?limit=2&after=rul`)).toBe(true);
  const second = await api(okta, 'GET', next.slice(okta.org.url.length));
  expect(second.json().map((r: { name: string }) => r.name)).toEqual(['R3', 'Catch-all rule']);
  expect(second.headers.link).toEqual([`<${next}>; rel="self"`]);
  expect((await api(okta, 'GET', `${rules}?limit=0`)).statusCode).toBe(400);
});
