/**
 * The User Risk API (management-minimal.yaml, tag UserRisk): `GET /api/v1/users/{userId}/risk` answers the
 * user's entity risk — `{riskLevel, reason, _links}`, without `reason` when the level is NONE — and `PUT`
 * sets it as an admin: `riskLevel` HIGH, MEDIUM or LOW (NONE cannot be set), `riskReason` optional (at most
 * 500 letters, digits, spaces, hyphens, commas and periods; default `override.by.admin`). The PUT answers 201
 * when the user had no risk yet (level NONE) and 200 otherwise. It is an `ADMIN_REPORTED_USER_RISK`
 * detection: logged as `user.risk.detect` (help.okta.com: elevating a user's risk level shows that event)
 * and, when the level changes, published to the ENTITY_RISK policy after the answer. Scopes
 * `okta.userRisk.read` / `okta.userRisk.manage`. Lab routes list a user's detections and the engine's counters.
 */

import { actorOf, type OktaContext } from '../core/context.ts';
import { originOf } from '../core/conventions.ts';
import { malformedBody, notFound, validationFailed } from '../core/errors.ts';
import { arrayOf, INSTANT, object, oktaRoute, pathParams, STRING } from '../core/route-schemas.ts';
import type { OktaUser } from '../directory/directory.ts';
import { ADMIN_DEFAULT_REASON, type DetectedLevel, type RiskEngine } from './risk-engine.ts';

const LEVELS: readonly string[] = ['HIGH', 'MEDIUM', 'LOW'];
const REASON = /^[a-zA-Z0-9\s\-,.]*$/;

/** A UserRiskRequest body, checked with Okta's words (E0000003 when it is not a JSON object). */
function riskRequestOf(body: unknown): { riskLevel: unknown; riskReason: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformedBody();
  const { riskLevel, riskReason } = body as Record<string, unknown>;
  const causes: string[] = [];
  if (riskLevel === undefined || riskLevel === null || riskLevel === '')
    causes.push('riskLevel: The field cannot be left blank');
  else if (typeof riskLevel !== 'string' || !LEVELS.includes(riskLevel))
    causes.push(`riskLevel: Must be one of ${LEVELS.join(', ')}`);
  if (riskReason !== undefined && riskReason !== null) {
    if (typeof riskReason !== 'string') causes.push('riskReason: Must be a string');
    else if (riskReason.length > 500) causes.push('riskReason: Must be at most 500 characters');
    else if (!REASON.test(riskReason))
      causes.push('riskReason: Only letters, digits, spaces, hyphens, commas and periods are allowed');
  }
  if (causes.length > 0) throw validationFailed('UserRiskRequest', ...causes);
  return { riskLevel, riskReason };
}

export function riskRoutes(ctx: OktaContext, engine: RiskEngine): void {
  const { org, router } = ctx;
  const findUser = (params: unknown): OktaUser => {
    const key = String((params as Record<string, string>).userId ?? '');
    const user = org.directory.user(key);
    if (!user) throw notFound(key, 'User');
    return user;
  };
  const view = (user: OktaUser): Record<string, unknown> => {
    const risk = engine.riskOf(user.id);
    const self = `${org.url}/api/v1/users/${user.id}`;
    return {
      riskLevel: risk.level,
      ...(risk.level === 'NONE' || risk.reason === null ? {} : { reason: risk.reason }),
      _links: {
        self: { href: `${self}/risk`, hints: { allow: ['GET', 'PUT'] } },
        user: { href: self, hints: { allow: ['GET'] } },
      },
    };
  };

  router.route(
    {
      operationId: 'getUserRisk',
      method: 'GET',
      path: '/api/v1/users/{userId}/risk',
      scopes: ['okta.userRisk.read'],
      spec: 'management',
    },
    async (request) => view(findUser(request.params)),
  );

  router.route(
    {
      operationId: 'upsertUserRisk',
      method: 'PUT',
      path: '/api/v1/users/{userId}/risk',
      scopes: ['okta.userRisk.manage'],
      spec: 'management',
      refusals: { check: (request) => [findUser(request.params), riskRequestOf(request.body)] },
    },
    async (request, reply, principal) => {
      const user = findUser(request.params);
      const { riskLevel, riskReason } = riskRequestOf(request.body);
      const reason =
        typeof riskReason === 'string' && riskReason.trim() !== '' ? riskReason : ADMIN_DEFAULT_REASON;
      const actor = actorOf(principal);
      const origin = originOf(request);
      const detected = engine.detect({
        userId: user.id,
        level: riskLevel as DetectedLevel,
        detection: 'ADMIN_REPORTED_USER_RISK',
        source: { type: 'Admin', id: actor.id, alternateId: actor.alternateId },
        traceId: engine.newTraceId(),
        reason,
        actor,
        origin,
      });
      const change = detected.change;
      if (change) engine.enqueue(() => org.itp.publish(change));
      return reply.code(detected.previous === 'NONE' ? 201 : 200).send(view(user));
    },
  );

  router.route(
    {
      operationId: 'lab: risk engine counters',
      method: 'GET',
      path: '/_lab/risk-engine',
      spec: 'none',
      schema: oktaRoute({ response: { 200: { type: 'object', additionalProperties: { type: 'number' } } } }),
    },
    async () => engine.stats,
  );

  router.route(
    {
      operationId: "lab: list a user's risk detections",
      method: 'GET',
      path: '/_lab/users/{userId}/risk-detections',
      spec: 'none',
      schema: oktaRoute({
        params: pathParams('userId'),
        response: {
          200: object(
            {
              userId: STRING,
              login: STRING,
              level: { enum: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] },
              reason: { type: ['string', 'null'] },
              detections: arrayOf(object({ at: INSTANT }, ['at'])),
            },
            ['userId', 'login', 'level', 'detections'],
          ),
        },
      }),
    },
    async (request) => {
      const user = findUser(request.params);
      return {
        userId: user.id,
        login: user.profile.login,
        ...engine.riskOf(user.id),
        detections: engine.history(user.id).map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      };
    },
  );
}
