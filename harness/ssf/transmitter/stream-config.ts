/**
 * Stream configuration rules (SSF 1.0 §8.1.1): what a create, PATCH and PUT body may say, which members
 * the transmitter supplies, and how `events_delivered` follows from what was requested and supported.
 * Pure functions: the transmitter applies their result; a violation throws an SsfApiError (400).
 */
import {
  type Delivery,
  isJsonObject,
  POLL_DELIVERY_METHOD,
  PUSH_DELIVERY_METHOD,
  STREAM_CREATE_REQUEST_SCHEMA_ID,
  STREAM_REPLACE_REQUEST_SCHEMA_ID,
  STREAM_UPDATE_REQUEST_SCHEMA_ID,
  type StreamConfiguration,
  TRANSMITTER_SUPPLIED_MEMBERS,
  validateWithSchema,
} from '../../protocol/index.ts';
import { badRequest } from './errors.ts';
import { jsonEqual } from './subject-matching.ts';

export interface ConfigContext {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly eventsSupported: readonly string[];
  readonly deliveryMethods: readonly string[];
  /** The poll endpoint the transmitter assigns to a stream (SSF §6.1.2). */
  readonly pollEndpoint: (streamId: string) => string;
  readonly minVerificationInterval?: number;
  readonly inactivityTimeout?: number;
}

function requireValid(schemaId: string, body: unknown, what: string): Record<string, unknown> {
  if (!isJsonObject(body)) throw badRequest(`the ${what} body must be a JSON object`);
  const result = validateWithSchema(schemaId, body, 'the body');
  const first = result.errors[0];
  if (first) throw badRequest(`${what}: ${first.message}`);
  return body;
}

/** SSF §8.1.1: events_delivered ⊆ supported ∩ requested; with nothing requested, everything supported. */
export function eventsDelivered(
  supported: readonly string[],
  requested: readonly string[] | undefined,
): string[] {
  if (requested === undefined) return [...supported];
  return supported.filter((e) => requested.includes(e));
}

function resolveDelivery(
  delivery: unknown,
  ctx: ConfigContext,
  streamId: string,
  current?: Delivery,
): Delivery {
  // SSF §8.1.1.1: no delivery means poll.
  const d = (delivery ?? { method: POLL_DELIVERY_METHOD }) as Delivery;
  const method = d.method;
  const kind =
    method === PUSH_DELIVERY_METHOD ? 'push' : method === POLL_DELIVERY_METHOD ? 'poll' : undefined;
  if (!kind || !ctx.deliveryMethods.includes(method)) {
    throw badRequest(
      `delivery method "${method}" is not supported (supported: ${ctx.deliveryMethods.join(', ')})`,
    );
  }
  if (kind === 'push') {
    const url = (d as { endpoint_url?: unknown }).endpoint_url;
    if (typeof url !== 'string') throw badRequest("a push delivery needs the receiver's endpoint_url");
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError('scheme');
    } catch {
      throw badRequest(`delivery.endpoint_url "${url}" is not an http(s) URL`);
    }
    return d;
  }
  // Poll: the transmitter assigns endpoint_url; a receiver may echo the assigned one, nothing else.
  const assigned =
    current?.method === POLL_DELIVERY_METHOD && 'endpoint_url' in current
      ? current.endpoint_url
      : ctx.pollEndpoint(streamId);
  const echoed = (d as { endpoint_url?: unknown }).endpoint_url;
  if (echoed !== undefined && echoed !== assigned) {
    throw badRequest(
      'delivery.endpoint_url of a poll stream is assigned by the transmitter and cannot be changed',
    );
  }
  return { ...d, method: POLL_DELIVERY_METHOD, endpoint_url: assigned } as Delivery;
}

/** The full configuration of a new stream (SSF §8.1.1.1). */
export function createConfig(body: unknown, streamId: string, ctx: ConfigContext): StreamConfiguration {
  const input = requireValid(STREAM_CREATE_REQUEST_SCHEMA_ID, body, 'create stream');
  const requested = input.events_requested as readonly string[] | undefined;
  return {
    stream_id: streamId,
    iss: ctx.issuer,
    aud: ctx.audience,
    events_supported: [...ctx.eventsSupported],
    ...(requested === undefined ? {} : { events_requested: [...requested] }),
    events_delivered: eventsDelivered(ctx.eventsSupported, requested),
    delivery: resolveDelivery(input.delivery, ctx, streamId),
    ...(ctx.minVerificationInterval === undefined
      ? {}
      : { min_verification_interval: ctx.minVerificationInterval }),
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
    ...(ctx.inactivityTimeout === undefined ? {} : { inactivity_timeout: ctx.inactivityTimeout }),
  };
}

/**
 * SSF §8.1.1.3/§8.1.1.4: transmitter-supplied members may be echoed but must equal the current value
 * (`events_delivered` the value before the update; `aud` can never change).
 */
function checkTransmitterMembers(body: Record<string, unknown>, current: StreamConfiguration): void {
  for (const member of TRANSMITTER_SUPPLIED_MEMBERS) {
    if (member === 'stream_id' || !Object.hasOwn(body, member)) continue;
    const now = (current as unknown as Record<string, unknown>)[member];
    if (!jsonEqual(body[member], now)) {
      throw badRequest(
        `"${member}" is supplied by the transmitter and cannot be changed (it is ${JSON.stringify(now ?? null)})`,
      );
    }
  }
}

/** PATCH: members present are applied, members absent stay as they are. */
export function patchConfig(
  body: unknown,
  current: StreamConfiguration,
  ctx: ConfigContext,
): StreamConfiguration {
  const input = requireValid(STREAM_UPDATE_REQUEST_SCHEMA_ID, body, 'update stream');
  checkTransmitterMembers(input, current);
  const requested = Object.hasOwn(input, 'events_requested')
    ? (input.events_requested as string[])
    : current.events_requested;
  const next: Record<string, unknown> = { ...current };
  if (requested !== undefined) next.events_requested = [...requested];
  next.events_delivered = eventsDelivered(ctx.eventsSupported, requested);
  if (Object.hasOwn(input, 'delivery'))
    next.delivery = resolveDelivery(input.delivery, ctx, current.stream_id, current.delivery);
  if (Object.hasOwn(input, 'description')) next.description = input.description;
  return next as unknown as StreamConfiguration;
}

/** PUT: the body is the whole receiver-supplied configuration; an omitted member is deleted. */
export function replaceConfig(
  body: unknown,
  current: StreamConfiguration,
  ctx: ConfigContext,
): StreamConfiguration {
  const input = requireValid(STREAM_REPLACE_REQUEST_SCHEMA_ID, body, 'replace stream');
  checkTransmitterMembers(input, current);
  const requested = input.events_requested as readonly string[] | undefined;
  const { events_requested: _r, description: _d, ...kept } = current;
  return {
    ...kept,
    ...(requested === undefined ? {} : { events_requested: [...requested] }),
    events_delivered: eventsDelivered(ctx.eventsSupported, requested),
    delivery: resolveDelivery(input.delivery, ctx, current.stream_id, current.delivery),
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
  };
}
