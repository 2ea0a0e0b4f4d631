/**
 * The HTTP face of mock Jamf Security Cloud: the Radar APIs (login, Risk API, SSF stream configuration,
 * threat prevention policy), the platform APIs the seed uses (UEM Connect, identity providers, activation
 * profiles), and the lab controls under `/_lab/`. Every route answers errors in JSC's envelope; bad input
 * is a 4xx naming the problem and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rememberLabCredential } from '../../harness/kernel/index.ts';
import type { Transmitter } from '../../harness/ssf/index.ts';
import { riskDevicesV2 } from './device-read.ts';
import { invalid, JscError, notFound } from './errors.ts';
import type { Identity } from './identity.ts';
import type { RadarAuth } from './radar-auth.ts';
import { jscValidationError, JSC_ROUTE_SCHEMAS as S } from './route-schemas.ts';
import { listSets, streamDelivery } from './set-ledger-view.ts';
import type { SsfIntegrations } from './ssf-integration.ts';
import type { JscDevice, JscTenant } from './tenant.ts';
import { connectorView, type UemConnect } from './uem-connect.ts';

export interface JscParts {
  readonly tenant: JscTenant;
  readonly transmitter: Transmitter;
  readonly integrations: SsfIntegrations;
  readonly uem: UemConnect;
  readonly identity: Identity;
  readonly auth: RadarAuth;
  readonly now: () => number;
  readonly ids: () => string;
  /** Password used for a lab activation that gives none (the lab's fleet users share it). */
  readonly defaultUserPassword?: string;
  /** Radar API requests allowed per application per second (off when undefined). */
  readonly rateLimitPerSecond?: number;
}

/** The most devices one bulk activation names (the lab's largest fleet). */
export const BULK_ACTIVATION_MAX = 10_000;

function deviceView(d: JscDevice, tenant: JscTenant): Record<string, unknown> {
  return {
    id: d.id,
    udid: d.udid,
    serialNumber: d.serialNumber,
    name: d.name,
    osType: d.osType,
    osVersion: d.osVersion,
    risk: d.risk,
    computedRisk: d.computed,
    ...(d.override === undefined ? {} : { overrideRisk: d.override }),
    ...(d.user ? { user: d.user } : {}),
    ...(d.activation ? { activation: d.activation } : {}),
    ...(d.compliant === undefined ? {} : { compliant: d.compliant }),
    ...(d.uem
      ? {
          uem: { connectorId: d.uem.connectorId, jamfId: d.uem.jamfId, kind: d.uem.kind, email: d.uem.email },
        }
      : {}),
    activeThreats: tenant.threats().filter((t) => t.deviceId === d.id && t.resolvedAt === undefined),
  };
}

function fromFastify(error: FastifyError): JscError {
  const refused = jscValidationError(error);
  if (refused !== undefined) return refused;
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const what =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'the body is not valid JSON'
        : error.message;
    return new JscError(status, 'INVALID_REQUEST', what);
  }
  return new JscError(500, 'INTERNAL_ERROR', 'the mock failed to handle the request');
}

export async function jscRoutes(app: FastifyInstance, parts: JscParts): Promise<void> {
  const { tenant, integrations, uem, identity, auth } = parts;

  app.setErrorHandler((error: FastifyError | JscError, request, reply) => {
    const e = error instanceof JscError ? error : fromFastify(error);
    if (e.status >= 500) app.log.error({ err: error }, 'jamf security cloud mock error');
    void reply
      .code(e.status)
      .headers(e.headers)
      .send(e.body(String(request.id)));
  });

  // Radar API rate limit (vendor-apis.md §3.1): 429 with X-Rate-Limit-Retry-After-Milliseconds.
  const windows = new Map<string, { start: number; count: number }>();
  const limited = async (request: FastifyRequest): Promise<void> => {
    const appId = (await auth.verify(request.headers.authorization)).appId;
    const limit = parts.rateLimitPerSecond;
    if (limit === undefined) return;
    const now = parts.now();
    const w = windows.get(appId);
    if (!w || now - w.start >= 1000) windows.set(appId, { start: now, count: 1 });
    else if (++w.count > limit) {
      throw new JscError(429, 'TOO_MANY_REQUESTS', `more than ${limit} requests per second`, {
        'x-rate-limit-retry-after-milliseconds': String(1000 - (now - w.start)),
      });
    }
  };
  const json = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
    reply.code(status).send(body);

  app.post('/v1/login', { schema: S.login }, async (request, reply) =>
    json(reply, 200, await auth.login(request.headers.authorization)),
  );

  // ---- Risk API ---------------------------------------------------------------------------------------
  app.get('/risk/v1/devices', { preValidation: limited, schema: S.riskDevicesV1 }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const page = q.page === undefined ? 0 : Number(q.page);
    const pageSize = q.pageSize === undefined ? 50 : Number(q.pageSize);
    if (!Number.isInteger(page) || page < 0)
      throw invalid('NEGATIVE_PAGE', 'page must be a non-negative integer');
    if (!Number.isInteger(pageSize) || pageSize < 1)
      throw invalid('NEGATIVE_PAGE_SIZE', 'pageSize must be a positive integer');
    if (pageSize > 100) throw invalid('MAX_LIMIT_PER_PAGE', 'pageSize can be at most 100');
    const devices = tenant.devices();
    const records = devices.slice(page * pageSize, (page + 1) * pageSize).map((d) => ({
      deviceId: d.id,
      externalId: d.udid,
      name: d.name,
      risk: d.risk,
      osType: d.osType,
      osVersion: d.osVersion,
      ...(d.user ? { user: { email: d.user.email, ...(d.user.name ? { name: d.user.name } : {}) } } : {}),
      lastUpdated: new Date(d.updatedAt).toISOString(),
    }));
    return json(reply, 200, {
      records,
      pagination: {
        page,
        pageSize,
        totalRecords: devices.length,
        totalPages: Math.ceil(devices.length / pageSize),
      },
    });
  });

  // The Device view through the API: user, OS, risk and threats per device (device-read.ts).
  app.get('/risk/v2/devices', { preValidation: limited, schema: S.riskDevicesV2 }, async (request, reply) => {
    return json(reply, 200, riskDevicesV2(tenant, request.query as Record<string, string | undefined>));
  });

  app.put('/risk/v1/override', { preValidation: limited, schema: S.override }, async (request, reply) => {
    tenant.override(request.body);
    await tenant.idle();
    return reply.code(204).send();
  });

  // ---- SSF stream configuration (the admin's side; receivers use the transmitter's own endpoints) ----
  app.get('/sse/.well-known', { schema: S.metadata }, async (_request, reply) =>
    json(reply, 200, parts.transmitter.metadata()),
  );
  app.get('/sse/v1/jwks.json', { schema: S.jwks }, async (_request, reply) =>
    reply.type('application/jwk-set+json').send(parts.transmitter.jwks()),
  );
  app.get('/sse/v1/stream', { preValidation: limited, schema: S.listStreams }, async (_request, reply) => {
    return json(reply, 200, integrations.list());
  });
  app.post('/sse/v1/stream', { preValidation: limited, schema: S.createStream }, async (request, reply) => {
    return json(reply, 201, integrations.create(request.body));
  });
  app.delete('/sse/v1/stream', { preValidation: limited, schema: S.deleteStream }, async (request, reply) => {
    const streamId = (request.query as Record<string, unknown>).streamId;
    if (typeof streamId !== 'string') throw invalid('INVALID_REQUEST', 'streamId is required');
    integrations.remove(streamId);
    return reply.code(204).send();
  });
  // A console stream's subjects, for `default_subjects: NONE` (ssf-integration.ts `subjects`): 204.
  for (const action of ['add', 'remove'] as const)
    app.post(
      `/sse/v1/stream/:streamId/subjects/${action}`,
      { preValidation: limited, schema: S.streamSubjects },
      async (request, reply) => {
        integrations.subjects((request.params as { streamId: string }).streamId, action, request.body);
        return reply.code(204).send();
      },
    );

  // ---- Threat prevention policy ----------------------------------------------------------------------
  app.get(
    '/threat-prevention/v1/policy',
    { preValidation: limited, schema: S.readPolicy },
    async (_request, reply) => {
      return json(reply, 200, tenant.policy);
    },
  );
  app.put(
    '/threat-prevention/v1/policy',
    { preValidation: limited, schema: S.replacePolicy },
    async (request, reply) => {
      const policy = tenant.setPolicy(request.body);
      await tenant.idle();
      return json(reply, 200, policy);
    },
  );

  // ---- UEM Connect -----------------------------------------------------------------------------------
  app.get(
    '/uem-connect/v1/connectors',
    { preValidation: limited, schema: S.listConnectors },
    async (_request, reply) => {
      return json(reply, 200, uem.list().map(connectorView));
    },
  );
  app.post(
    '/uem-connect/v1/connectors',
    { preValidation: limited, schema: S.createConnector },
    async (request, reply) => {
      const connector = await uem.create(request.body);
      await tenant.idle();
      return json(reply, 201, connectorView(connector));
    },
  );
  app.get(
    '/uem-connect/v1/connectors/:id',
    { preValidation: limited, schema: S.readConnector },
    async (request, reply) => {
      return json(reply, 200, connectorView(uem.get((request.params as { id: string }).id)));
    },
  );
  app.delete(
    '/uem-connect/v1/connectors/:id',
    { preValidation: limited, schema: S.deleteConnector },
    async (request, reply) => {
      uem.remove((request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/uem-connect/v1/connectors/:id/sync',
    { preValidation: limited, schema: S.syncConnector },
    async (request, reply) => {
      const summary = await uem.sync((request.params as { id: string }).id);
      await tenant.idle();
      return json(reply, 200, summary);
    },
  );
  app.post(
    '/uem-connect/v1/connectors/:id/deployments',
    { preValidation: limited, schema: S.deployProfile },
    async (request, reply) => {
      const connectorId = (request.params as { id: string }).id;
      const b = (request.body ?? {}) as Record<string, unknown>;
      if (typeof b.activationProfileId !== 'string')
        throw invalid('INVALID_REQUEST', '"activationProfileId" is required');
      const groups = b.uemGroups ?? [];
      if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) {
        throw invalid('INVALID_REQUEST', '"uemGroups" must be an array of Jamf Pro group ids');
      }
      const profile = identity.profile(b.activationProfileId);
      const deployed = await uem.deploy(connectorId, profile, groups as string[]);
      const at = parts.now();
      profile.deployments.push(...deployed.map((d) => ({ connectorId, ...d, at })));
      return json(reply, 201, { activationProfileId: profile.id, deployments: deployed });
    },
  );

  // ---- Identity providers and activation profiles ----------------------------------------------------
  app.get(
    '/v1/identity-providers',
    { preValidation: limited, schema: S.listProviders },
    async (_request, reply) => {
      return json(reply, 200, identity.providers());
    },
  );
  app.post(
    '/v1/identity-providers',
    { preValidation: limited, schema: S.connectProvider },
    async (request, reply) => {
      return json(reply, 201, await identity.connect(request.body));
    },
  );
  app.get(
    '/v1/activation-profiles',
    { preValidation: limited, schema: S.listProfiles },
    async (_request, reply) => {
      return json(reply, 200, identity.profiles());
    },
  );
  app.post(
    '/v1/activation-profiles',
    { preValidation: limited, schema: S.createProfile },
    async (request, reply) => {
      return json(reply, 201, identity.createProfile(request.body));
    },
  );
  app.get(
    '/v1/activation-profiles/:id',
    { preValidation: limited, schema: S.readProfile },
    async (request, reply) => {
      return json(reply, 200, identity.profile((request.params as { id: string }).id));
    },
  );

  // ---- Lab controls ----------------------------------------------------------------------------------
  app.post('/_lab/threats', { schema: S.raiseThreat }, async (request, reply) => {
    const threat = tenant.addThreat(request.body);
    await tenant.idle();
    return json(reply, 201, { ...threat, device: deviceView(tenant.device(threat.deviceId), tenant) });
  });
  app.delete('/_lab/threats/:id', { schema: S.resolveThreat }, async (request, reply) => {
    tenant.resolveThreat((request.params as { id: string }).id);
    await tenant.idle();
    return reply.code(204).send();
  });
  // A receiver account at the SSF transmitter, as a JSC admin configures one for a second receiver: its
  // own bearer token and `aud`, optionally its own inactivity timeout. No Jamf API does this; the lab's
  // plans use it to grade stream isolation and Stream Updated without reaching into the mock.
  app.post('/_lab/ssf-receivers', { schema: S.addReceiver }, async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    if (typeof b !== 'object' || Array.isArray(b))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    if (typeof b.audience !== 'string' || b.audience === '')
      throw invalid('INVALID_REQUEST', '"audience" is required: the aud of this receiver\'s streams');
    const timeout = b.inactivityTimeoutSeconds;
    if (
      timeout !== undefined &&
      (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > 86_400)
    )
      throw invalid('INVALID_REQUEST', '"inactivityTimeoutSeconds" must be an integer from 1 to 86400');
    const id = `lab-receiver-${randomBytes(6).toString('hex')}`;
    const token = rememberLabCredential(randomBytes(32).toString('base64url'));
    parts.transmitter.addReceiver({
      id,
      audience: b.audience,
      tokens: [token],
      ...(timeout === undefined ? {} : { inactivityTimeoutSeconds: timeout as number }),
    });
    return json(reply, 201, { id, audience: b.audience, token });
  });
  // A stream's status as JSC's admin changes it (SSF §8.1.5: the transmitter pauses, disables or enables a
  // stream on its own and tells the receiver with a stream-updated event). Jamf publishes no admin API for
  // it; the lab console's Streams page uses this one. Any stream, the console's or a receiver's own.
  app.put('/_lab/ssf-streams/:streamId/status', { schema: S.setStreamStatus }, async (request, reply) => {
    const { streamId } = request.params as { streamId: string };
    const b = request.body as Record<string, unknown> | null | undefined;
    const body = typeof b === 'object' && b !== null && !Array.isArray(b) ? b : undefined;
    const status = body?.status;
    if (status !== 'enabled' && status !== 'paused' && status !== 'disabled')
      throw invalid(
        'INVALID_REQUEST',
        'the body must be {"status": "enabled"|"paused"|"disabled", "reason"?: string}',
      );
    if (body?.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 200))
      throw invalid('INVALID_REQUEST', '"reason" must be a string of at most 200 characters');
    if (parts.transmitter.stream(streamId) === undefined) throw notFound(`stream "${streamId}"`);
    await parts.transmitter.setStatus(streamId, status, body?.reason as string | undefined);
    const view = parts.transmitter.stream(streamId);
    return json(reply, 200, {
      streamId,
      status: view?.status ?? status,
      ...(view?.reason === undefined ? {} : { reason: view.reason }),
    });
  });
  // SSF §7.1 `default_subjects` for the streams created from now on (console or receiver): ALL (the
  // mock's default, what the seed's Okta stream relies on — Okta adds no subjects) or NONE, where a stream
  // gets events only about the subjects its receiver adds. Streams made before keep their mode.
  const initialDefaultSubjects = parts.transmitter.defaultSubjects;
  app.get('/_lab/ssf-default-subjects', { schema: S.readDefaultSubjects }, async (_request, reply) =>
    json(reply, 200, { defaultSubjects: parts.transmitter.defaultSubjects }),
  );
  app.put('/_lab/ssf-default-subjects', { schema: S.setDefaultSubjects }, async (request, reply) => {
    const b = request.body as Record<string, unknown> | null | undefined;
    const mode = typeof b === 'object' && b !== null && !Array.isArray(b) ? b.defaultSubjects : undefined;
    if (mode !== 'ALL' && mode !== 'NONE')
      throw invalid(
        'INVALID_REQUEST',
        'the body must be {"defaultSubjects": "ALL"} or {"defaultSubjects": "NONE"}',
      );
    parts.transmitter.setDefaultSubjects(mode);
    return json(reply, 200, { defaultSubjects: mode });
  });
  // Whether JSC has anything left to do: every change signalled and no SET waiting to be (re)delivered.
  // 204 when idle; 503 with the counts after `timeoutMs` (default 1000, at most 10000) otherwise.
  app.get('/_lab/idle', { schema: S.idle }, async (request, reply) => {
    const raw = (request.query as Record<string, string | undefined>).timeoutMs;
    const wait = Math.min(raw !== undefined && /^\d{1,6}$/.test(raw) ? Number(raw) : 1000, 10_000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const signalled = await Promise.race([
      tenant.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), wait);
      }),
    ]);
    clearTimeout(timer);
    const counts = parts.transmitter.ledger.counts();
    if (signalled && counts.queued === 0 && counts['in-flight'] === 0) return reply.code(204).send();
    return json(reply, 503, {
      idle: false,
      signalling: !signalled,
      queued: counts.queued,
      inFlight: counts['in-flight'],
    });
  });
  app.get('/_lab/state', { schema: S.state }, async (_request, reply) =>
    json(reply, 200, {
      customerId: tenant.customerId,
      issuer: parts.transmitter.issuer,
      devices: tenant.devices().map((d) => deviceView(d, tenant)),
      threats: tenant.threats(),
      policy: tenant.policy,
      streams: integrations.list(),
      sets: parts.transmitter.ledger.totals(),
      // Per stream: held, queued and any SET stalled on a retry (Retry-After), with when it goes next.
      streamDelivery: streamDelivery(parts.transmitter),
      connectors: uem.list().map(connectorView),
      identityProviders: identity.providers(),
      activationProfiles: identity.profiles(),
      signalErrors: tenant.signalErrors,
    }),
  );
  // Every SET the transmitter made and where it stands (set-ledger-view.ts): ?state=&streamId=&limit=.
  app.get('/_lab/sets', { schema: S.sets }, async (request, reply) =>
    json(reply, 200, listSets(parts.transmitter, request.query as Record<string, string | undefined>)),
  );
  app.post('/_lab/reset', { schema: S.reset }, async (_request, reply) => {
    integrations.reset();
    parts.transmitter.setDefaultSubjects(initialDefaultSubjects);
    uem.reset();
    identity.reset();
    tenant.reset();
    return reply.code(204).send();
  });
  // Jamf Trust activated on many devices at once, as a deployment through the UEM does it: Jamf Pro's
  // managed app configuration hands each device the identity of its user (User and Location, synced by UEM
  // Connect), so no one signs in. A bulk control because a real admin acts in bulk here, and because one
  // sign-in per device through the identity provider costs the IdP two RS256 signatures (ID and access
  // token): 10,000 of them take longer than a lab of that size may take to start. The single form above
  // stays the faithful sign-in. Body {activationProfileId, devices?: [id, UDID or serial]}; without
  // `devices`, every synced device on a platform of the profile. All or nothing: a device that cannot be
  // activated is a 400 naming it and activates none.
  app.post('/_lab/devices/activate', { schema: S.activateMany }, async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    if (typeof b !== 'object' || Array.isArray(b))
      throw invalid('INVALID_REQUEST', 'the body must be a JSON object');
    if (typeof b.activationProfileId !== 'string')
      throw invalid('INVALID_REQUEST', '"activationProfileId" is required');
    const profile = identity.activatable(b.activationProfileId);
    const refs = b.devices;
    if (
      refs !== undefined &&
      (!Array.isArray(refs) ||
        refs.length > BULK_ACTIVATION_MAX ||
        !refs.every((r) => typeof r === 'string' && r !== ''))
    )
      throw invalid(
        'INVALID_REQUEST',
        `"devices", when given, must be an array of at most ${BULK_ACTIVATION_MAX} device ids, UDIDs or serial numbers`,
      );
    const devices =
      refs === undefined
        ? tenant.devices().filter((d) => d.uem !== undefined && profile.platforms.includes(d.osType))
        : (refs as string[]).map((ref) => tenant.device(ref));
    for (const device of devices) {
      if (!profile.platforms.includes(device.osType))
        throw invalid(
          'PLATFORM_NOT_IN_PROFILE',
          `device ${device.udid}: the activation profile does not cover ${device.osType} devices`,
        );
      if (device.uem?.email === undefined)
        throw invalid(
          'INVALID_REQUEST',
          `device ${device.udid} has no user in its UEM record (sync it from Jamf Pro with a user)`,
        );
    }
    for (const device of devices) {
      const uem = device.uem as { email: string; realName?: string };
      tenant.bindUser(
        device,
        { email: uem.email, ...(uem.realName === undefined ? {} : { name: uem.realName }), via: 'uem' },
        profile.id,
      );
    }
    return json(reply, 200, { activated: devices.length });
  });
  app.post('/_lab/devices/:id/activate', { schema: S.activateOne }, async (request, reply) => {
    const device = tenant.device((request.params as { id: string }).id);
    const b = (request.body ?? {}) as Record<string, unknown>;
    if (typeof b.activationProfileId !== 'string')
      throw invalid('INVALID_REQUEST', '"activationProfileId" is required');
    const profile = identity.activatable(b.activationProfileId);
    const platform = device.osType;
    if (!profile.platforms.includes(platform)) {
      throw invalid('PLATFORM_NOT_IN_PROFILE', `the activation profile does not cover ${platform} devices`);
    }
    if (profile.identityProviderId !== undefined) {
      const username = typeof b.username === 'string' ? b.username : device.uem?.email;
      const password = typeof b.password === 'string' ? b.password : parts.defaultUserPassword;
      if (!username || !password) {
        throw invalid(
          'INVALID_REQUEST',
          'this profile signs the user in: give "username" and "password" (or sync the device from Jamf Pro with a user)',
        );
      }
      const user = await identity.signIn(profile.identityProviderId, username, password);
      tenant.bindUser(device, { ...user, via: 'identity-provider' }, profile.id);
    } else {
      const email = typeof b.user === 'string' ? b.user : device.uem?.email;
      if (!email)
        throw invalid('INVALID_REQUEST', 'give "user" (an email) for a profile without an identity provider');
      tenant.bindUser(device, { email, via: 'lab' }, profile.id);
    }
    return json(reply, 200, deviceView(device, tenant));
  });
}
