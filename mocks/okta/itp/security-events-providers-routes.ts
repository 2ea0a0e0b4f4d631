/**
 * The Security Events Providers API (management-minimal.yaml, tag SSFReceiver): list, create, get, replace,
 * delete, activate and deactivate. Okta's status codes — create, replace and the lifecycle operations
 * answer 200 with the provider, delete 204 — and scopes `okta.securityEventsProviders.read|manage`. Every
 * change is logged (`security.events.provider.create|update|activate|deactivate|delete`, events.md §8) with
 * the admin as actor and the provider as target.
 */

import type { Principal } from '../auth/auth.ts';
import { actorOf, type OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { malformedBody, notFound } from '../core/errors.ts';
import {
  parseProviderRequest,
  providerTarget,
  providerView,
  resolveSettings,
  type SecurityEventsProvider,
  type SecurityEventsProviders,
} from './security-events-providers.ts';

const BASE = '/api/v1/security-events-providers';
const READ = ['okta.securityEventsProviders.read'];
const MANAGE = ['okta.securityEventsProviders.manage'];

const LIFECYCLE_EVENTS = {
  create: 'Create security events provider',
  update: 'Update security events provider',
  activate: 'Activate security events provider',
  deactivate: 'Deactivate security events provider',
  delete: 'Delete security events provider',
} as const;

export function securityEventsProvidersRoutes(ctx: OktaContext, providers: SecurityEventsProviders): void {
  const { org, router } = ctx;
  for (const [action, displayMessage] of Object.entries(LIFECYCLE_EVENTS))
    org.systemLog.define(`security.events.provider.${action}`, { displayMessage, legacyEventType: null });

  const deps = { fetch: org.fetch, scheduler: org.scheduler };
  const view = (p: SecurityEventsProvider): Record<string, unknown> => providerView(p, org.url);
  const find = (params: unknown): SecurityEventsProvider => {
    const id = String((params as Record<string, string>).securityEventProviderId ?? '');
    const provider = providers.get(id);
    if (!provider) throw notFound(id, 'SecurityEventsProvider');
    return provider;
  };
  const body = (request: { body: unknown }): Record<string, unknown> => {
    const b = request.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw malformedBody();
    return b as Record<string, unknown>;
  };
  const log = (
    action: keyof typeof LIFECYCLE_EVENTS,
    provider: SecurityEventsProvider,
    request: Parameters<typeof originOf>[0],
    principal: Principal | undefined,
  ): void => {
    org.log({
      eventType: `security.events.provider.${action}`,
      actor: actorOf(principal),
      origin: originOf(request),
      target: [providerTarget(provider)],
    });
  };

  router.route(
    {
      operationId: 'listSecurityEventsProviderInstances',
      method: 'GET',
      path: BASE,
      scopes: READ,
      spec: 'management',
    },
    async () => providers.list().map(view),
  );

  router.route(
    {
      operationId: 'createSecurityEventsProviderInstance',
      method: 'POST',
      path: BASE,
      scopes: MANAGE,
      spec: 'management',
      refusals: { check: (request) => parseProviderRequest(body(request)) },
    },
    async (request, _reply, principal) => {
      const wanted = parseProviderRequest(body(request));
      if ('issuer' in wanted.settings) providers.assertIssuerFree(wanted.settings.issuer);
      const resolved = await resolveSettings(wanted.settings, deps);
      providers.assertIssuerFree(resolved.settings.issuer);
      const now = org.now();
      const provider: SecurityEventsProvider = {
        id: org.newId('sse'),
        name: wanted.name,
        type: wanted.type,
        status: 'ACTIVE',
        settings: resolved.settings,
        criticalSubjectMembers: resolved.criticalSubjectMembers,
        keys: resolved.keys,
        created: now,
        lastUpdated: now,
        generation: 0,
      };
      providers.add(provider);
      log('create', provider, request, principal);
      return view(provider);
    },
  );

  router.route(
    {
      operationId: 'getSecurityEventsProviderInstance',
      method: 'GET',
      path: `${BASE}/{securityEventProviderId}`,
      scopes: READ,
      spec: 'management',
    },
    async (request) => view(find(request.params)),
  );

  router.route(
    {
      operationId: 'replaceSecurityEventsProviderInstance',
      method: 'PUT',
      path: `${BASE}/{securityEventProviderId}`,
      scopes: MANAGE,
      spec: 'management',
      refusals: { check: (request) => [find(request.params), parseProviderRequest(body(request))] },
    },
    async (request, _reply, principal) => {
      const provider = find(request.params);
      const wanted = parseProviderRequest(body(request));
      if ('issuer' in wanted.settings) providers.assertIssuerFree(wanted.settings.issuer, provider.id);
      const resolved = await resolveSettings(wanted.settings, deps);
      providers.assertIssuerFree(resolved.settings.issuer, provider.id);
      const same =
        resolved.settings.issuer === provider.settings.issuer &&
        resolved.settings.jwks_url === provider.settings.jwks_url &&
        resolved.criticalSubjectMembers.join('\n') === provider.criticalSubjectMembers.join('\n');
      provider.name = wanted.name;
      provider.type = wanted.type;
      provider.settings = resolved.settings;
      if (!same) {
        // A new issuer or key set is a new intake (its own jti memory); an unchanged one keeps both.
        provider.keys = resolved.keys;
        provider.criticalSubjectMembers = resolved.criticalSubjectMembers;
        provider.generation += 1;
      }
      provider.lastUpdated = org.now();
      log('update', provider, request, principal);
      return view(provider);
    },
  );

  router.route(
    {
      operationId: 'deleteSecurityEventsProviderInstance',
      method: 'DELETE',
      path: `${BASE}/{securityEventProviderId}`,
      scopes: MANAGE,
      spec: 'management',
    },
    async (request, reply, principal) => {
      const provider = find(request.params);
      providers.delete(provider.id);
      log('delete', provider, request, principal);
      return reply.code(204).send();
    },
  );

  for (const [action, status] of [
    ['activate', 'ACTIVE'],
    ['deactivate', 'INACTIVE'],
  ] as const) {
    router.route(
      {
        operationId: `${action}SecurityEventsProviderInstance`,
        method: 'POST',
        path: `${BASE}/{securityEventProviderId}/lifecycle/${action}`,
        scopes: MANAGE,
        spec: 'management',
      },
      async (request, _reply, principal) => {
        const provider = find(request.params);
        if (provider.status !== status) {
          provider.status = status;
          provider.lastUpdated = org.now();
          log(action, provider, request, principal);
        }
        return view(provider);
      },
    );
  }
}
