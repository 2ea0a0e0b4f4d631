/**
 * The Policies API for the org's ENTITY_RISK policy (management-minimal.yaml, tag Policy): list policies by
 * type, get and replace the policy, and the rule operations — list, create, get, replace, delete, activate,
 * deactivate. Operation ids, paths, scopes and status codes are Okta's: create and replace 200, delete and
 * lifecycle 204. What Okta's description forbids is refused with Okta's codes: creating a policy (the
 * ENTITY_RISK policy is the system's, one per org; the lab holds no other type) is 400 E0000001; deleting the
 * system policy, deleting or deactivating the catch-all rule is 403 E0000006 (the operations document 403,
 * not 400). Other policy types list as `[]`. Every change is logged: `policy.lifecycle.update` and
 * `policy.rule.add|update|activate|deactivate|delete`.
 */
import { isObject } from '../apps/app-settings.ts';
import { actorOf, type OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { malformedBody, notFound, validationFailed } from '../core/errors.ts';
import { queryOf, setLinks } from '../core/pagination.ts';
import type { LogTarget } from '../system-log/system-log.ts';
import {
  type EntityRiskPolicies,
  type EntityRiskRule,
  POLICY_TYPES,
  policyView,
  ruleView,
  systemObjectRefused,
} from './policies.ts';

/** The policy and rule lifecycle events (Okta's event types; display messages are the lab's wording). */
export const POLICY_EVENT_TYPES = {
  'policy.lifecycle.update': { displayMessage: 'Update policy', legacyEventType: 'policy.lifecycle.update' },
  'policy.rule.add': { displayMessage: 'Add policy rule', legacyEventType: 'policy.rule.add' },
  'policy.rule.update': { displayMessage: 'Update policy rule', legacyEventType: 'policy.rule.update' },
  'policy.rule.activate': { displayMessage: 'Activate policy rule', legacyEventType: 'policy.rule.activate' },
  'policy.rule.deactivate': {
    displayMessage: 'Deactivate policy rule',
    legacyEventType: 'policy.rule.deactivate',
  },
  'policy.rule.delete': { displayMessage: 'Delete policy rule', legacyEventType: 'policy.rule.delete' },
} as const;

const MAX_RULES_PAGE = 100;

export function policiesRoutes(ctx: OktaContext, policies: EntityRiskPolicies): void {
  const { org, router } = ctx;
  for (const [type, definition] of Object.entries(POLICY_EVENT_TYPES)) org.systemLog.define(type, definition);
  const policy = policies.policy;
  const param = (params: unknown, name: string): string =>
    String((params as Record<string, string>)[name] ?? '');
  const findPolicy = (params: unknown): void => {
    const id = param(params, 'policyId');
    if (id !== policy.id) throw notFound(id, 'Policy');
  };
  const findRule = (params: unknown): EntityRiskRule => {
    findPolicy(params);
    const id = param(params, 'ruleId');
    const rule = policies.rule(id);
    if (!rule) throw notFound(id, 'PolicyRule');
    return rule;
  };
  const policyTarget = (): LogTarget => ({
    id: policy.id,
    type: 'PolicyEntity',
    alternateId: 'unknown',
    displayName: policy.name,
    detailEntry: { policyType: 'ENTITY_RISK' },
  });
  const ruleTarget = (rule: EntityRiskRule): LogTarget => ({
    id: rule.id,
    type: 'PolicyRule',
    alternateId: 'unknown',
    displayName: rule.name,
    detailEntry: { policyRuleType: 'ENTITY_RISK' },
  });
  const boolean = (query: URLSearchParams, name: string, fallback: boolean): boolean => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (raw !== 'true' && raw !== 'false') throw validationFailed(name, `${name}: must be true or false`);
    return raw === 'true';
  };
  const body = (request: { body: unknown }): Record<string, unknown> => {
    if (!isObject(request.body)) throw malformedBody();
    return request.body;
  };
  const ruleJson = (rule: EntityRiskRule): Record<string, unknown> => ruleView(rule, policy.id, org.url);

  router.route(
    {
      operationId: 'listPolicies',
      method: 'GET',
      path: '/api/v1/policies',
      scopes: ['okta.policies.read'],
      spec: 'management',
    },
    async (request, reply) => {
      const query = queryOf(request);
      const type = query.get('type');
      if (type === null || type === '')
        throw validationFailed('type', 'type: The field cannot be left blank');
      if (!(POLICY_TYPES as readonly string[]).includes(type))
        throw validationFailed(
          'type',
          `type: must be one of ${POLICY_TYPES.join(', ')}, not ${JSON.stringify(type)}`,
        );
      const status = query.get('status');
      if (status !== null && status !== 'ACTIVE' && status !== 'INACTIVE')
        throw validationFailed('status', 'status: must be ACTIVE or INACTIVE');
      const q = query.get('q');
      const after = query.get('after');
      const limitText = query.get('limit');
      if (limitText !== null && !/^\d+$/.test(limitText))
        throw validationFailed(
          'limit',
          `limit: must be a positive integer, not ${JSON.stringify(limitText)}`,
        );
      const listed =
        type === 'ENTITY_RISK' &&
        status !== 'INACTIVE' &&
        (q === null || policy.name.toLowerCase().startsWith(q.toLowerCase())) &&
        (after === null || after < policy.id) &&
        limitText !== '0';
      setLinks(reply, org.url, request);
      return listed ? [policyView(policy, org.url)] : [];
    },
  );

  router.route(
    {
      operationId: 'createPolicy',
      method: 'POST',
      path: '/api/v1/policies',
      scopes: ['okta.policies.manage'],
      spec: 'management',
    },
    async (request) => {
      const type = body(request).type;
      if (type === 'ENTITY_RISK')
        throw validationFailed(
          'type',
          'type: the ENTITY_RISK policy is created by Okta with Identity Threat Protection; an org has exactly one',
        );
      throw validationFailed(
        'type',
        `type: the lab's org holds only its ENTITY_RISK policy; it does not create ${JSON.stringify(type ?? null)} policies`,
      );
    },
  );

  router.route(
    {
      operationId: 'getPolicy',
      method: 'GET',
      path: '/api/v1/policies/{policyId}',
      scopes: ['okta.policies.read'],
      spec: 'management',
    },
    async (request) => {
      findPolicy(request.params);
      return policyView(policy, org.url);
    },
  );

  router.route(
    {
      operationId: 'replacePolicy',
      method: 'PUT',
      path: '/api/v1/policies/{policyId}',
      scopes: ['okta.policies.manage'],
      spec: 'management',
    },
    async (request, _reply, principal) => {
      findPolicy(request.params);
      policies.replacePolicy(body(request));
      org.log({
        eventType: 'policy.lifecycle.update',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [policyTarget()],
      });
      return policyView(policy, org.url);
    },
  );

  router.route(
    {
      operationId: 'deletePolicy',
      method: 'DELETE',
      path: '/api/v1/policies/{policyId}',
      scopes: ['okta.policies.manage'],
      spec: 'management',
    },
    async (request) => {
      findPolicy(request.params);
      throw systemObjectRefused('the ENTITY_RISK policy is a system policy and cannot be deleted');
    },
  );

  router.route(
    {
      operationId: 'listPolicyRules',
      method: 'GET',
      path: '/api/v1/policies/{policyId}/rules',
      scopes: ['okta.policies.read'],
      spec: 'management',
    },
    async (request, reply) => {
      findPolicy(request.params);
      const query = queryOf(request);
      const limitText = query.get('limit');
      let limit = MAX_RULES_PAGE;
      if (limitText !== null) {
        const n = Number(limitText);
        if (!/^\d+$/.test(limitText) || n < 1)
          throw validationFailed(
            'limit',
            `limit: must be an integer of at least 1, not ${JSON.stringify(limitText)}`,
          );
        limit = Math.min(n, MAX_RULES_PAGE);
      }
      // Rules come in priority order; the cursor is the id of the last rule served.
      const all = policies.rules();
      const after = query.get('after');
      const start = after === null ? 0 : all.findIndex((r) => r.id === after) + 1;
      const page = start <= 0 && after !== null ? [] : all.slice(start, start + limit);
      const last = page.at(-1);
      setLinks(reply, org.url, request, last && start + limit < all.length ? { after: last.id } : undefined);
      return page.map(ruleJson);
    },
  );

  router.route(
    {
      operationId: 'createPolicyRule',
      method: 'POST',
      path: '/api/v1/policies/{policyId}/rules',
      scopes: ['okta.policies.manage'],
      spec: 'management',
    },
    async (request, _reply, principal) => {
      findPolicy(request.params);
      const activate = boolean(queryOf(request), 'activate', true);
      const rule = policies.createRule(body(request), activate);
      org.log({
        eventType: 'policy.rule.add',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [ruleTarget(rule), policyTarget()],
      });
      return ruleJson(rule);
    },
  );

  router.route(
    {
      operationId: 'getPolicyRule',
      method: 'GET',
      path: '/api/v1/policies/{policyId}/rules/{ruleId}',
      scopes: ['okta.policies.read'],
      spec: 'management',
    },
    async (request) => ruleJson(findRule(request.params)),
  );

  router.route(
    {
      operationId: 'replacePolicyRule',
      method: 'PUT',
      path: '/api/v1/policies/{policyId}/rules/{ruleId}',
      scopes: ['okta.policies.manage'],
      spec: 'management',
    },
    async (request, _reply, principal) => {
      const rule = policies.replaceRule(findRule(request.params), body(request));
      org.log({
        eventType: 'policy.rule.update',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [ruleTarget(rule), policyTarget()],
      });
      return ruleJson(rule);
    },
  );

  router.route(
    {
      operationId: 'deletePolicyRule',
      method: 'DELETE',
      path: '/api/v1/policies/{policyId}/rules/{ruleId}',
      scopes: ['okta.policies.manage'],
      spec: 'management',
    },
    async (request, reply, principal) => {
      const rule = findRule(request.params);
      policies.deleteRule(rule);
      org.log({
        eventType: 'policy.rule.delete',
        actor: actorOf(principal),
        origin: originOf(request),
        target: [ruleTarget(rule), policyTarget()],
      });
      return reply.code(204).send();
    },
  );

  for (const [action, status] of [
    ['activate', 'ACTIVE'],
    ['deactivate', 'INACTIVE'],
  ] as const) {
    router.route(
      {
        operationId: `${action}PolicyRule`,
        method: 'POST',
        path: `/api/v1/policies/{policyId}/rules/{ruleId}/lifecycle/${action}`,
        scopes: ['okta.policies.manage'],
        spec: 'management',
      },
      async (request, reply, principal) => {
        const rule = findRule(request.params);
        if (policies.setStatus(rule, status))
          org.log({
            eventType: `policy.rule.${action}`,
            actor: actorOf(principal),
            origin: originOf(request),
            target: [ruleTarget(rule), policyTarget()],
          });
        return reply.code(204).send();
      },
    );
  }
}
