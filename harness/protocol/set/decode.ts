/**
 * Decoding a token without verifying it: size limit, compact serialization, base64url, UTF-8 and
 * strict JSON (duplicates, nesting). Problems become findings; nothing here throws on bad input.
 */
import { pointer } from '../findings.ts';
import { type DuplicateMember, isJsonObject, parseStrictJson } from '../json/strict-json.ts';
import type { FindingSink } from '../validator/sink.ts';

export const DEFAULT_MAX_TOKEN_BYTES = 64 * 1024;

export interface DecodeLimits {
  readonly maxTokenBytes?: number;
  readonly maxJsonDepth?: number;
}

export interface DecodedToken {
  readonly header: Record<string, unknown> | null;
  readonly payload: Record<string, unknown> | null;
  /** The three compact segments, when the token had them. */
  readonly segments: readonly [string, string, string] | null;
  /** Whether the signature segment can be decoded (and is canonical), so verifying it means something. */
  readonly signatureDecodable: boolean;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeSegment(segment: string): { ok: true; text: string } | { ok: false; message: string } {
  if (segment.length % 4 === 1) return { ok: false, message: 'has a length no base64url encoding can have' };
  const bytes = Buffer.from(segment, 'base64url');
  // Node's decoder skips characters it does not know; re-encoding shows whether any were skipped
  // (cheaper than a regular expression over every segment, which only runs to name the problem).
  if (bytes.toString('base64url') !== segment) {
    return {
      ok: false,
      message: BASE64URL.test(segment)
        ? 'is not canonical base64url: its last character has non-zero pad bits'
        : 'contains characters outside the base64url alphabet',
    };
  }
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, message: 'does not decode to UTF-8 text' };
  }
}

function reportDuplicates(
  sink: FindingSink,
  where: 'header' | 'payload',
  duplicates: readonly DuplicateMember[],
): void {
  for (const dup of duplicates) {
    const path = pointer(where, ...dup.path, dup.name);
    if (where === 'header') {
      sink.report(
        'header-parameter-names-are-unique',
        `header parameter "${dup.name}" appears more than once`,
        { path },
      );
    } else if (dup.path.length === 0) {
      sink.report(
        'claim-names-are-unique',
        `claim "${dup.name}" appears more than once; JSON.parse would keep only the last`,
        {
          path,
        },
      );
    } else if (dup.path.length === 1 && dup.path[0] === 'events') {
      sink.report('event-types-are-unique', `event type "${dup.name}" appears more than once in "events"`, {
        path,
      });
    } else {
      sink.report(
        'json-member-names-are-unique',
        `member "${dup.name}" appears more than once in the same object`,
        {
          path,
        },
      );
    }
  }
}

function decodeJsonPart(
  sink: FindingSink,
  where: 'header' | 'payload',
  segment: string,
  maxDepth: number,
): Record<string, unknown> | null {
  const check = where === 'header' ? 'header-is-json-object' : 'payload-is-json-object';
  const decoded = decodeSegment(segment);
  if (!decoded.ok) {
    sink.report(check, `the ${where} segment ${decoded.message}`, { path: `/${where}` });
    return null;
  }
  const parsed = parseStrictJson(decoded.text, maxDepth);
  if (!parsed.ok) {
    if (parsed.reason === 'depth') {
      sink.report('json-nesting-is-within-limit', `the ${where} ${parsed.message}`, { path: `/${where}` });
    } else {
      sink.report(check, `the ${where} is not valid JSON: ${parsed.message}`, { path: `/${where}` });
    }
    return null;
  }
  if (!isJsonObject(parsed.value)) {
    const kind = Array.isArray(parsed.value)
      ? 'an array'
      : parsed.value === null
        ? 'null'
        : `a ${typeof parsed.value}`;
    sink.report(check, `the ${where} is ${kind}, not a JSON object`, { path: `/${where}` });
    return null;
  }
  reportDuplicates(sink, where, parsed.duplicates);
  return parsed.value;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decoders drop the unused low bits of a segment's last character, so several spellings of one signature
 * would all verify; RFC 4648 §3.5 lets a decoder reject non-zero pad bits, and we do.
 */
function hasCanonicalPadBits(segment: string): boolean {
  const unusedBits = [0, 0, 4, 2][segment.length % 4] ?? 0;
  if (unusedBits === 0 || segment.length === 0) return true;
  const last = ALPHABET.indexOf(segment.charAt(segment.length - 1));
  return (last & ((1 << unusedBits) - 1)) === 0;
}

/** The token split and its header decoded: enough to start verifying the signature. */
export interface DecodedHeader {
  readonly header: Record<string, unknown> | null;
  readonly segments: readonly [string, string, string] | null;
  /** Whether the signature segment can be decoded (and is canonical), so verifying it means something. */
  readonly signatureDecodable: boolean;
}

/** Checks size and serialization and decodes the header, reporting structural problems to `sink`. */
export function decodeTokenHeader(
  token: string,
  sink: FindingSink,
  limits: DecodeLimits = {},
): DecodedHeader {
  const maxBytes = limits.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  const none: DecodedHeader = { header: null, segments: null, signatureDecodable: false };

  if (typeof token !== 'string') {
    sink.report(
      'token-is-compact-jws',
      `the token is ${token === null ? 'null' : typeof token}, not a string`,
    );
    return none;
  }
  // Length in UTF-16 units bounds the UTF-8 byte length from below; measure bytes only when close.
  const bytes = token.length * 3 <= maxBytes ? token.length : Buffer.byteLength(token, 'utf8');
  if (bytes > maxBytes) {
    sink.report('token-size-is-within-limit', `the token is ${bytes} bytes; the limit is ${maxBytes} bytes`, {
      evidence: { bytes, limit: maxBytes },
    });
    return none;
  }
  if (token.length === 0) {
    sink.report('token-is-compact-jws', 'the token is empty');
    return none;
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    const message =
      parts.length === 5
        ? 'the token has 5 segments: it is an encrypted JWE, and SSF SETs are validated as signed JWS'
        : `the token has ${parts.length} segment(s); a compact JWS has 3 separated by "."`;
    sink.report('token-is-compact-jws', message, { evidence: { segments: parts.length } });
    return none;
  }
  const [h, p, s] = parts as [string, string, string];
  const signatureDecodable = BASE64URL.test(s) && s.length % 4 !== 1;
  const signatureCanonical = signatureDecodable && hasCanonicalPadBits(s);
  if (!signatureDecodable) {
    sink.report('token-is-compact-jws', 'the signature segment is not base64url', { path: '/signature' });
  } else if (!signatureCanonical) {
    sink.report(
      'token-is-compact-jws',
      'the signature segment is not canonical base64url: its last character has non-zero pad bits',
      { path: '/signature' },
    );
  }
  const header = decodeJsonPart(sink, 'header', h, limits.maxJsonDepth ?? 32);
  return { header, segments: [h, p, s], signatureDecodable: signatureCanonical };
}

/** Decodes the payload of a token whose header was decoded by `decodeTokenHeader`. */
export function decodeTokenPayload(
  decoded: DecodedHeader,
  sink: FindingSink,
  limits: DecodeLimits = {},
): Record<string, unknown> | null {
  if (decoded.segments === null) return null;
  return decodeJsonPart(sink, 'payload', decoded.segments[1], limits.maxJsonDepth ?? 32);
}

/** Decodes `token` into header and payload, reporting structural problems to `sink`. */
export function decodeToken(token: string, sink: FindingSink, limits: DecodeLimits = {}): DecodedToken {
  const head = decodeTokenHeader(token, sink, limits);
  return { ...head, payload: decodeTokenPayload(head, sink, limits) };
}
