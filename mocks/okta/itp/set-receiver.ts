/**
 * Okta's SET receiver, `POST /security/api/v1/security-events` (management-minimal.yaml
 * `publishSecurityEventTokens`), and the plugin that installs Identity Threat Protection's receiving half:
 * security events providers, this receiver, the risk engine and the User Risk API.
 *
 * No Okta credential is asked for (`security: []`): the SET's signature is the authentication. A push is one
 * compact SET as `application/secevent+jwt` (RFC8935-2); the answer is `202 Accepted` with an empty body, or
 * `400` with `{err, description}` (Okta's `SecurityEventTokenError`, RFC8935-2.3). The SET is judged by the
 * reference receiver's `SetIntake` under the validator's `okta` profile, against the provider whose issuer is
 * the SET's `iss` and that provider's JWKS, with the org URL as the audience. What this mock decides where
 * Okta publishes nothing (README, part B1):
 * - no provider has the SET's `iss`, or that provider is INACTIVE: `invalid_issuer` (RFC 8935 §2.4: an issuer the
 *   recipient does not accept);
 * - the provider's JWKS cannot be fetched: `authentication_failed` (the validator's `jwks-is-retrievable`),
 *   not a 5xx — Okta documents only 202 and 400;
 * - a body that is not one SET (wrong media type, empty, over 1 MiB, unreadable): `invalid_request`.
 * A repeated `jti`, an event whose subject names no user of the org, and an event type Okta accepts but does
 * not turn into risk are answered 202 (the last logged as received, nothing more). Accepted SETs are processed
 * after the answer, one at a time in arrival order (`RiskEngine.reserve`).
 * - replay: one store for the whole org (harness/ssf ReplayGuard), `jti`s remembered per issuer for the
 *   `iat` acceptance window (24 h past, 5 min future by default), so re-creating a provider forgets nothing;
 *   a SET outside the window is `invalid_request` naming `iat` (Okta publishes no rule; RFC 8935 has no
 *   code for a stale SET); when the store is full of live ids the push gets Okta's own 429 `E0000047`
 *   with `X-Rate-Limit-*` headers, so the transmitter retries instead of the replay guard forgetting.
 */
import type { FastifyError, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import {
  decodeSet,
  type Finding,
  lintSet,
  makeFinding,
  pushErrorFor,
} from '../../../harness/protocol/index.ts';
import {
  IntakeFullError,
  IntakeUnavailableError,
  type ReceivedSet,
  ReplayGuard,
  type ReplayGuardOptions,
  SetIntake,
} from '../../../harness/ssf/index.ts';
import type { OktaContext, OktaPlugin } from '../core/context.ts';
import { errorIdOf, originOf } from '../core/conventions.ts';
import { OktaError, rateLimited } from '../core/errors.ts';
import type { OktaOrg } from '../core/org.ts';
import { arrayOf, INSTANT, object, oktaRoute, queryParams, STRING } from '../core/route-schemas.ts';
import { deviates } from '../deviations.ts';
import type { RequestOrigin } from '../system-log/system-log.ts';
import {
  DETECTION_NAMES,
  RiskEngine,
  type RiskEngineOptions,
  reportedUserRisk,
  userTarget,
} from './risk-engine.ts';
import { riskRoutes } from './risk-routes.ts';
import {
  providerActor,
  type SecurityEventsProvider,
  SecurityEventsProviders,
} from './security-events-providers.ts';
import { securityEventsProvidersRoutes } from './security-events-providers-routes.ts';
import {
  actedOnAnyway,
  answerDeviations,
  deviantProvider,
  deviantVerdict,
  maxSetBytes,
  overlookedBy,
} from './set-receiver-deviations.ts';
import { eventSubject } from './set-receiver-subject.ts';

export const SECURITY_EVENTS_PATH = '/security/api/v1/security-events';
/** RFC 8417 §2.3 / RFC8935-2: the media type of a pushed SET. */
export const SET_MEDIA_TYPE = 'application/secevent+jwt';
/** Larger bodies are refused unread (the validator's own limit for a SET is far smaller). */
export const MAX_SET_BODY_BYTES = 1024 * 1024;
/** How many receipts `GET /_lab/security-events` keeps (oldest dropped first). */
export const RECEIPTS_CAP = 1000;
/**
 * How many processed `jti`s `GET /_lab/security-events/processed` keeps (oldest dropped first): the ids
 * only, so a load run's 10,000s can be checked against what Okta processed (~100 bytes each).
 */
export const PROCESSED_JTIS_CAP = 100_000;

const OKTA_EVENT_TYPE = 'https://schemas.okta.com/secevent/okta/event-type/';
/** The event types whose `current_level` is a risk report (the others are logged and not acted on). */
export const RISK_EVENT_TYPES: readonly string[] = [
  `${OKTA_EVENT_TYPE}device-risk-change`,
  `${OKTA_EVENT_TYPE}user-risk-change`,
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Attacker-controlled text, shortened before it goes into a message or a receipt. */
function shorten(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** What happened to one event of an accepted SET. */
export interface ReceiptEvent {
  readonly eventType: string;
  readonly userId: string | null;
  /** `risk-detected`: a detection was recorded; `logged`: only `receive_event`; `dropped`: no user. */
  readonly result: 'risk-detected' | 'logged' | 'dropped';
  readonly detail: string;
  readonly traceId?: string;
}

/** What happened to one push, for the lab (nothing is dropped silently). */
export interface SetReceipt {
  readonly receivedAt: number;
  readonly requestId: string;
  readonly providerId: string | null;
  readonly iss: string | null;
  readonly jti: string | null;
  /** `rejected` (400), `duplicate`, `discarded` (SSF-3.6), `accepted` (queued), `processed`. */
  /** `deferred`: refused for now (429) because the replay store is full. */
  outcome: 'rejected' | 'duplicate' | 'discarded' | 'accepted' | 'processed' | 'deferred';
  err?: string;
  description?: string;
  readonly events: ReceiptEvent[];
}

export type ReceiveOutcome =
  | { readonly status: 'accepted' }
  | { readonly status: 'rejected'; readonly err: string; readonly description: string }
  | { readonly status: 'deferred'; readonly retryAfterSeconds: number; readonly description: string };

export class SetReceiver {
  readonly #org: OktaOrg;
  readonly #providers: SecurityEventsProviders;
  readonly #engine: RiskEngine;
  readonly #intakes = new Map<string, { readonly generation: number; readonly intake: SetIntake }>();
  readonly #receipts: SetReceipt[] = [];
  /** `jti`s of processed SETs per issuer, oldest first across issuers (PROCESSED_JTIS_CAP in all). */
  readonly #processed = new Map<string, string[]>();
  #processedOrder: string[] = [];
  /** One replay store for every provider's intake: per issuer, and it outlives a provider's regeneration. */
  readonly #replay: ReplayGuard;

  constructor(
    org: OktaOrg,
    providers: SecurityEventsProviders,
    engine: RiskEngine,
    replayWindow: Omit<ReplayGuardOptions, 'now'> = {},
  ) {
    this.#org = org;
    this.#providers = providers;
    this.#engine = engine;
    this.#replay = new ReplayGuard({ ...replayWindow, now: () => org.scheduler.now() });
  }

  /** The latest receipts, oldest first. */
  receipts(): readonly SetReceipt[] {
    return this.#receipts;
  }

  /** The `jti`s of the latest processed SETs (of `iss` when given), oldest first. */
  processedJtis(iss?: string): string[] {
    if (iss !== undefined) return [...(this.#processed.get(iss) ?? [])];
    return [...this.#processed.values()].flat();
  }

  #noteProcessed(iss: string, jti: string): void {
    let list = this.#processed.get(iss);
    if (list === undefined) {
      list = [];
      this.#processed.set(iss, list);
    }
    list.push(jti);
    this.#processedOrder.push(iss);
    if (this.#processedOrder.length > PROCESSED_JTIS_CAP) {
      // Amortised: drop the oldest tenth at once rather than shifting arrays on every SET.
      const drop = this.#processedOrder.splice(0, PROCESSED_JTIS_CAP / 10);
      const counts = new Map<string, number>();
      for (const i of drop) counts.set(i, (counts.get(i) ?? 0) + 1);
      for (const [i, n] of counts) {
        const kept = this.#processed.get(i)?.slice(n) ?? [];
        if (kept.length === 0) this.#processed.delete(i);
        else this.#processed.set(i, kept);
      }
    }
  }

  #receipt(origin: RequestOrigin, claims: Json | null, provider: SecurityEventsProvider | undefined) {
    const receipt: SetReceipt = {
      receivedAt: this.#org.now(),
      requestId: origin.requestId,
      providerId: provider?.id ?? null,
      iss: claims && claims.iss !== undefined ? shorten(claims.iss, 200) : null,
      jti: claims && claims.jti !== undefined ? shorten(claims.jti, 200) : null,
      outcome: 'accepted',
      events: [],
    };
    this.#receipts.push(receipt);
    if (this.#receipts.length > RECEIPTS_CAP) this.#receipts.shift();
    return receipt;
  }

  #intakeFor(provider: SecurityEventsProvider): SetIntake {
    const known = this.#intakes.get(provider.id);
    if (known && known.generation === provider.generation) return known.intake;
    if (this.#intakes.size > this.#providers.list().length)
      for (const id of this.#intakes.keys()) if (!this.#providers.get(id)) this.#intakes.delete(id);
    const org = this.#org;
    const intake = new SetIntake({
      // Okta's contract, not SSF's: among other things "typ" must be exactly "secevent+jwt" (Okta documents
      // that spelling only, where RFC 7515 §4.1.9 would also take "application/secevent+jwt"), and nothing
      // below failure level is refused — Okta publishes no such rule.
      profile: 'okta',
      refuseAlso: [],
      keys: provider.keys,
      expectedIssuer: provider.settings.issuer,
      expectedAudience: this.#org.url,
      criticalSubjectMembers: provider.criticalSubjectMembers,
      scheduler: this.#org.scheduler,
      replay: this.#replay,
      maxProcessedLog: 0,
      // Lab deviations only (set-receiver-deviations.ts): validation steps switched off on purpose.
      overlook: overlookedBy(this.#org),
      // A getter: the intake reads it per SET, so switching okta-accepts-oversized acts at once.
      get maxTokenBytes(): number {
        return maxSetBytes(org);
      },
    });
    this.#intakes.set(provider.id, { generation: provider.generation, intake });
    return intake;
  }

  /** Judges one pushed SET; never throws for bad input. */
  async receive(token: string, origin: RequestOrigin): Promise<ReceiveOutcome> {
    const peek = decodeSet(token, { maxTokenBytes: maxSetBytes(this.#org) }).payload;
    const iss = peek?.iss;
    const provider =
      (typeof iss === 'string' ? this.#providers.byIssuer(iss) : undefined) ??
      deviantProvider(this.#org, this.#providers, iss);
    const receipt = this.#receipt(origin, peek, provider);
    const reject = (err: string, description: string): ReceiveOutcome => {
      receipt.outcome = 'rejected';
      receipt.err = err;
      receipt.description = description;
      return { status: 'rejected', err, description };
    };
    // okta-accepts-unparseable breaks RFC8935-2.3 (a body that is not one SET is refused with 400): the
    // body is answered 202 and dropped. Read up to the body limit, so only an unreadable body counts.
    if (deviates(this.#org, 'okta-accepts-unparseable')) {
      const decoded = decodeSet(token, { maxTokenBytes: MAX_SET_BODY_BYTES });
      if (decoded.header === null || decoded.payload === null) {
        receipt.outcome = 'discarded';
        receipt.description = 'the body could not be read as a SET, and was dropped';
        return { status: 'accepted' };
      }
    }

    if (provider?.status !== 'ACTIVE') {
      // Without a provider there are no keys: the SET is judged without its signature, and its issuer is
      // the finding that decides unless something outranks it (pushErrorFor's order).
      const findings: Finding[] = [
        ...lintSet(token, { profile: 'okta', expectedAudience: this.#org.url, clock: this.#org.scheduler })
          .findings,
      ];
      if (typeof iss === 'string')
        findings.push(
          makeFinding(
            'iss-matches-expected-issuer',
            'SSF-4.1.6',
            provider
              ? `"iss" is "${shorten(iss)}", the issuer of security events provider ${provider.id}, which is INACTIVE: Okta accepts no events from a deactivated provider`
              : `"iss" is "${shorten(iss)}", which is not the issuer of any security events provider of this org`,
            { path: '/payload/iss', evidence: shorten(iss) },
          ),
        );
      const error = pushErrorFor(findings) ?? {
        err: 'invalid_issuer',
        description: 'the SET names no issuer this org knows',
      };
      return reject(error.err, error.description);
    }

    // The place in the processing queue is taken on arrival, so SETs are processed in the order they came
    // in even when their signature checks finish in another order.
    const slot = this.#engine.reserve();
    let result: Awaited<ReturnType<SetIntake['accept']>> | undefined;
    try {
      result = deviantVerdict(this.#org, token, await this.#intakeFor(provider).accept(token, 'push'));
    } catch (error) {
      if (error instanceof IntakeFullError) {
        receipt.outcome = 'deferred';
        receipt.description = error.message;
        return {
          status: 'deferred',
          retryAfterSeconds: error.retryAfterSeconds ?? 1,
          description: error.message,
        };
      }
      if (!(error instanceof IntakeUnavailableError)) throw error;
      // Okta documents 202 and 400 only: keys that cannot be fetched fail authentication.
      return reject('authentication_failed', `${error.message} [jwks-is-retrievable, RFC8935-2]`);
    } finally {
      const accepted =
        result?.status === 'accepted'
          ? result.set
          : result?.status === 'rejected'
            ? actedOnAnyway(this.#org, peek, this.#org.scheduler.now())
            : undefined;
      slot.fill(accepted && (() => this.#process(provider, accepted, receipt, origin)));
    }
    switch (result.status) {
      case 'rejected':
        return reject(result.err, result.description);
      case 'duplicate':
        receipt.outcome = 'duplicate';
        return { status: 'accepted' };
      case 'discarded':
        receipt.outcome = 'discarded';
        receipt.description = result.reason;
        return { status: 'accepted' };
      case 'accepted':
        return { status: 'accepted' };
    }
  }

  /** One accepted SET, after the answer: per event, the user, `receive_event`, and the risk detection. */
  async #process(
    provider: SecurityEventsProvider,
    set: ReceivedSet,
    receipt: SetReceipt,
    origin: RequestOrigin,
  ): Promise<void> {
    const org = this.#org;
    const events = isObject(set.claims.events) ? set.claims.events : {};
    receipt.outcome = 'processed';
    if (typeof set.claims.iss === 'string' && typeof set.claims.jti === 'string')
      this.#noteProcessed(set.claims.iss, set.claims.jti);
    for (const [eventType, payload] of Object.entries(events)) {
      const subject = eventSubject(org, payload, set.claims);
      const user = subject.user;
      if (!user) {
        receipt.events.push({
          eventType,
          userId: null,
          result: 'dropped',
          detail: subject.userIdentifier
            ? `${shorten(subject.userIdentifier)} is not a user of this org`
            : 'the event names no user',
        });
        continue;
      }
      const event = isObject(payload) ? payload : {};
      const traceId = this.#engine.newTraceId();
      const actor = providerActor(provider);
      // okta-logs-no-receive-event breaks OKTA-ITP-RECEIVE: the SET is processed, but unlogged.
      if (!deviates(org, 'okta-logs-no-receive-event'))
        org.log({
          eventType: 'security.events.provider.receive_event',
          actor,
          origin,
          target: [userTarget(user)],
          debugData: {
            TraceId: traceId,
            EventType: eventType,
            Jti: set.jti,
            partnerRiskReportData: JSON.stringify({
              type: eventType,
              issuer: provider.settings.issuer,
              orgId: org.idpId,
              userId: user.id,
              claims: event,
            }),
          },
        });
      const level = RISK_EVENT_TYPES.includes(eventType) ? reportedUserRisk(event.current_level) : undefined;
      if (!level) {
        receipt.events.push({
          eventType,
          userId: user.id,
          result: 'logged',
          detail: RISK_EVENT_TYPES.includes(eventType)
            ? `current_level "${shorten(event.current_level)}" reports no risk`
            : 'an event type this org accepts but does not turn into risk',
          traceId,
        });
        continue;
      }
      const reason = reasonOf(event) ?? DETECTION_NAMES.SECURITY_EVENTS_PROVIDER_REPORTED_RISK ?? '';
      const detected = this.#engine.detect({
        userId: user.id,
        level,
        detection: 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
        source: {
          type: 'SecurityEventProvider',
          id: provider.id,
          name: provider.name,
          issuer: provider.settings.issuer,
          eventType,
          jti: set.jti,
          ...(subject.deviceId === undefined ? {} : { deviceId: subject.deviceId }),
        },
        traceId,
        reason,
        actor,
        origin,
        provider: { id: provider.id, name: provider.name, issuer: provider.settings.issuer },
      });
      receipt.events.push({
        eventType,
        userId: user.id,
        result: 'risk-detected',
        detail: `${detected.previous} → ${detected.current}`,
        traceId,
      });
      if (detected.change) await org.itp.publish(detected.change);
    }
  }
}

/** The provider's human reason: `reason_admin.en`, else `reason_user.en`. */
function reasonOf(event: Json): string | undefined {
  for (const key of ['reason_admin', 'reason_user']) {
    const reason = event[key];
    if (isObject(reason) && typeof reason.en === 'string' && reason.en.trim() !== '') return reason.en;
  }
  return undefined;
}

interface ErrorBody {
  readonly err: string;
  readonly description: string;
}

/** RFC8935-2.3: JSON with a Content-Language; the body as a string so fastify keeps the media type. */
function sendError(reply: FastifyReply, body: ErrorBody): FastifyReply {
  return reply
    .code(400)
    .header('content-type', 'application/json')
    .header('content-language', 'en')
    .send(JSON.stringify(body));
}

/** The media type of a Content-Type value without its parameters, lower-cased (RFC 9110 §8.3.1). */
function mediaType(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0]?.trim().toLowerCase();
}

/** Registers the receiver route and its parser, gate and error handler. */
export function setReceiverRoutes(ctx: OktaContext, receiver: SetReceiver): void {
  const { app, org, router } = ctx;
  org.systemLog.define('security.events.provider.receive_event', {
    displayMessage: 'Security Events Provider Reported Risk',
    legacyEventType: null,
  });

  // Lab deviations in how the answer goes out (RFC 8935 §2.2, §2.3); nothing changes while they are off.
  answerDeviations(app, org, SECURITY_EVENTS_PATH);

  app.addContentTypeParser(
    SET_MEDIA_TYPE,
    { parseAs: 'string', bodyLimit: MAX_SET_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );

  // Runs before the body is read: a mistyped request costs nothing.
  const gate: onRequestHookHandler = async (request, reply) => {
    const type = mediaType(request.headers['content-type']);
    if (type === SET_MEDIA_TYPE) return;
    // okta-ignores-content-type breaks RFC8935-2.1-REFUSE: the body is read as a SET whatever it is labelled.
    if (deviates(org, 'okta-ignores-content-type')) {
      request.headers['content-type'] = SET_MEDIA_TYPE;
      return;
    }
    return sendError(reply, {
      err: 'invalid_request',
      description: `a SET is pushed as Content-Type: ${SET_MEDIA_TYPE} (RFC 8935 §2); got ${
        type === undefined || type === '' ? 'no Content-Type' : `"${shorten(type)}"`
      }`,
    });
  };

  // This route's errors are the receiver's {err, description}, not the Management API's Error object:
  // fastify's request errors (body too large, a Content-Length that lies) are the client's invalid_request.
  const errorHandler = (error: FastifyError | OktaError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof OktaError) {
      // A rate limit (part A's hook): Okta's own 429.
      return reply
        .code(error.status)
        .headers(error.headers)
        .send(error.body(errorIdOf(request)));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(reply, {
        err: 'invalid_request',
        description:
          error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? `the body is larger than ${MAX_SET_BODY_BYTES} bytes, which no SET is`
            : `the request could not be read as a SET: ${shorten(error.message, 200)}`,
      });
    }
    app.log.error({ err: error }, 'okta mock SET receiver error');
    return reply
      .code(500)
      .send(new OktaError(500, 'E0000009', 'Internal Server Error').body(errorIdOf(request)));
  };

  app.addHook('onRoute', (route) => {
    if (route.url !== SECURITY_EVENTS_PATH || route.method !== 'POST') return;
    const existing = route.onRequest;
    route.onRequest = [
      ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]),
      gate,
    ];
    route.errorHandler = errorHandler;
  });

  router.route(
    {
      operationId: 'publishSecurityEventTokens',
      method: 'POST',
      path: SECURITY_EVENTS_PATH,
      spec: 'management',
    },
    async (request, reply) => {
      const token = typeof request.body === 'string' ? request.body : '';
      const outcome = await receiver.receive(token, originOf(request));
      if (outcome.status === 'deferred') {
        // Okta's answer to a client it cannot serve now: 429 E0000047 with its rate-limit headers.
        const reset = Math.floor(org.now() / 1000) + outcome.retryAfterSeconds;
        throw rateLimited({
          'x-rate-limit-limit': '0',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(reset),
        });
      }
      if (outcome.status === 'rejected')
        return sendError(reply, { err: outcome.err, description: outcome.description });
      // RFC8935-2: 202 with an empty body; a duplicate or dropped SET gets the same answer.
      return reply.code(202).send();
    },
  );

  router.route(
    {
      operationId: 'lab: list received SETs',
      method: 'GET',
      path: '/_lab/security-events',
      spec: 'none',
      schema: oktaRoute({
        response: {
          200: arrayOf(
            object(
              {
                receivedAt: INSTANT,
                requestId: STRING,
                providerId: { type: ['string', 'null'] },
                iss: { type: ['string', 'null'] },
                jti: { type: ['string', 'null'] },
                outcome: {
                  enum: ['rejected', 'duplicate', 'discarded', 'accepted', 'processed', 'deferred'],
                },
                err: STRING,
                description: STRING,
                events: arrayOf({ type: 'object' }),
              },
              ['receivedAt', 'requestId', 'providerId', 'iss', 'jti', 'outcome', 'events'],
            ),
          ),
        },
      }),
    },
    async () => receiver.receipts().map((r) => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString() })),
  );

  router.route(
    {
      operationId: 'lab: list processed SET ids',
      method: 'GET',
      path: '/_lab/security-events/processed',
      spec: 'none',
      schema: oktaRoute({
        querystring: queryParams('iss'),
        response: { 200: object({ jtis: arrayOf(STRING), kept: { type: 'integer' } }, ['jtis', 'kept']) },
      }),
    },
    // The ids of the SETs Okta processed, for `ssf-lab load`'s processed list ({"jtis": [...]}).
    async (request) => {
      const iss = (request.query as { iss?: string }).iss;
      return { jtis: receiver.processedJtis(iss), kept: PROCESSED_JTIS_CAP };
    },
  );
}

/**
 * Identity Threat Protection's receiving half as one plugin: the risk engine (registered as the org's
 * resetter), the Security Events Providers API, the SET receiver and the User Risk API.
 */
export function itpReceivingPlugin(options: RiskEngineOptions = {}): OktaPlugin {
  return (ctx) => {
    const engine = new RiskEngine(ctx.org, options);
    const providers = new SecurityEventsProviders();
    securityEventsProvidersRoutes(ctx, providers);
    setReceiverRoutes(ctx, new SetReceiver(ctx.org, providers, engine));
    riskRoutes(ctx, engine);
  };
}
