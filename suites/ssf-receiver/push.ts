/**
 * Pushing one SET the way RFC 8935 §2.1 says a transmitter does, and keeping what the receiver answered
 * in a form the checks can judge without I/O: status, the two headers RFC 8935 §2.3 names, and the body
 * (text, and parsed when it is JSON). A network failure is kept too — the checks say what it means.
 */
import { BODY_CAPS, readBodyHeadText } from '../../harness/kernel/index.ts';
import type { SuiteContext } from '../core/index.ts';

/** RFC 8417 §2.3: the media type of a pushed SET. */
export const SET_MEDIA_TYPE = 'application/secevent+jwt';

/** Enough of a body to show in a finding; an error answer is never this long. */
const MAX_BODY_CHARS = 2000;

/** What the receiver answered to one push. */
export interface PushAnswer {
  /** The HTTP status, or 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly contentType: string | null;
  readonly contentLanguage: string | null;
  /** The body as text, cut at 2,000 characters. */
  readonly body: string;
  /** The body parsed, when it is JSON. */
  readonly json?: unknown;
  /** Why no answer came, when status is 0. */
  readonly error?: string;
}

export interface PushTarget {
  readonly pushEndpoint: string;
  readonly authorization?: string;
}

/**
 * A push that is not a plain SET: any body, under any Content-Type (the battery's transport cases: a JSON
 * body, an empty one, a SET labelled application/json).
 */
export interface RawPush {
  readonly body: string;
  /** Default: application/secevent+jwt. */
  readonly contentType?: string;
}

/** Pushes a compact SET (any text: negative cases push broken ones) and records the answer. */
export async function pushSet(
  ctx: SuiteContext,
  target: PushTarget,
  pushed: string | RawPush,
): Promise<PushAnswer> {
  const { body: token, contentType = SET_MEDIA_TYPE } =
    typeof pushed === 'string' ? { body: pushed } : pushed;
  const headers: Record<string, string> = {
    'content-type': contentType,
    accept: 'application/json',
    // SSF-6.1.1-AUTHZ: the configured value verbatim, and nothing when none is configured.
    ...(target.authorization === undefined ? {} : { authorization: target.authorization }),
  };
  let response: Response;
  try {
    response = await ctx.fetch(target.pushEndpoint, {
      method: 'POST',
      headers,
      body: token,
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return {
      status: 0,
      contentType: null,
      contentLanguage: null,
      body: '',
      error: error instanceof Error ? error.message : String(error),
    };
  }
  // A push answer is normally empty or a small error object: past BODY_CAPS.pushAnswer it is cut unread
  // (and then is not parsed), so a receiver answering with a flood cannot flood the plan.
  const { text, cut } = await readBodyHeadText(response, BODY_CAPS.pushAnswer, { signal: ctx.signal });
  const body = text.length > MAX_BODY_CHARS || cut ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
  let json: unknown;
  try {
    json = text.trim() === '' || cut ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    contentLanguage: response.headers.get('content-language'),
    body,
    ...(json === undefined ? {} : { json }),
  };
}

/** The `err` of an RFC 8935 §2.3 error body, when there is one. */
export function errOf(answer: PushAnswer): string | undefined {
  const json = answer.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const err = (json as Record<string, unknown>).err;
  return typeof err === 'string' ? err : undefined;
}

/** A short account of an answer for a finding's message. */
export function describeAnswer(answer: PushAnswer): string {
  if (answer.status === 0) return `no answer (${answer.error ?? 'network error'})`;
  const err = errOf(answer);
  const body = answer.body.trim();
  if (err !== undefined) return `HTTP ${answer.status} with err "${err}"`;
  return body === ''
    ? `HTTP ${answer.status} with an empty body`
    : `HTTP ${answer.status}: ${body.slice(0, 120)}`;
}

/** The media type of a Content-Type value, without parameters, lower-cased. */
export function mediaTypeOf(value: string | null): string | undefined {
  return value?.split(';', 1)[0]?.trim().toLowerCase();
}
