/**
 * The SET validator: judges a token — header, claims, events, subjects and, when keys are given, the
 * signature — under a named profile and returns findings. It never throws on bad input; a harness
 * error (an unknown profile name) is the only thing it throws.
 */
import { type Clock, systemClock } from '../../kernel/index.ts';
import type { Finding } from '../findings.ts';
import { type DecodeLimits, decodeToken, decodeTokenHeader, decodeTokenPayload } from '../set/decode.ts';
import type { KeySource } from '../set/jwks.ts';
import { type SignatureOutcome, verifySignature } from '../set/verify.ts';
import { judgeClaims } from './claims-rules.ts';
import type { ValidationContext } from './context.ts';
import { judgeEvents } from './event-rules.ts';
import { judgeHeader } from './header-rules.ts';
import { getProfile, type Profile, type ProfileName } from './profiles.ts';
import { FindingSink } from './sink.ts';

export interface ValidateSetOptions extends DecodeLimits {
  /** Profile name or object; defaults to `ssf`. */
  readonly profile?: ProfileName | Profile;
  /** Keys to verify the signature with; without them the signature is not checked. */
  readonly keys?: KeySource;
  readonly clock?: Clock;
  /** Tolerance for "iat" in the future (default 60 s). */
  readonly clockSkewSeconds?: number;
  readonly expectedIssuer?: string;
  readonly expectedAudience?: string | readonly string[];
  readonly expectedStreamId?: string;
  /** For verification events: the state the receiver sent, or `null` for an unsolicited one. */
  readonly expectedState?: string | null;
}

export interface SetValidationResult {
  readonly header: Record<string, unknown> | null;
  readonly payload: Record<string, unknown> | null;
  readonly findings: readonly Finding[];
  readonly signature: SignatureOutcome;
}

function contextFor(options: ValidateSetOptions): ValidationContext {
  const profile =
    typeof options.profile === 'object' ? options.profile : getProfile(options.profile ?? 'ssf');
  const clock = options.clock ?? systemClock;
  const aud = options.expectedAudience;
  return {
    profile,
    nowSeconds: clock.now() / 1000,
    clockSkewSeconds: options.clockSkewSeconds ?? 60,
    ...(options.expectedIssuer === undefined ? {} : { expectedIssuer: options.expectedIssuer }),
    ...(aud === undefined ? {} : { expectedAudience: typeof aud === 'string' ? [aud] : aud }),
    ...(options.expectedStreamId === undefined ? {} : { expectedStreamId: options.expectedStreamId }),
    ...(options.expectedState === undefined ? {} : { expectedState: options.expectedState }),
  };
}

function judge(
  header: Record<string, unknown> | null,
  payload: Record<string, unknown> | null,
  sink: FindingSink,
  ctx: ValidationContext,
): void {
  if (header) judgeHeader(header, sink);
  if (payload) {
    judgeClaims(payload, sink, ctx);
    judgeEvents(payload, sink, ctx);
  }
}

/** Judges everything but the signature, synchronously. */
export function lintSet(token: string, options: ValidateSetOptions = {}): SetValidationResult {
  const ctx = contextFor(options);
  const sink = new FindingSink(ctx.profile);
  const decoded = decodeToken(token, sink, options);
  judge(decoded.header, decoded.payload, sink, ctx);
  return {
    header: decoded.header,
    payload: decoded.payload,
    findings: sink.findings,
    signature: 'not-checked',
  };
}

/** Lets pending microtasks run, so a signature check already begun reaches the crypto thread pool. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Judges the SET and, when `options.keys` is given, its signature. */
export async function validateSet(
  token: string,
  options: ValidateSetOptions = {},
): Promise<SetValidationResult> {
  const ctx = contextFor(options);
  const sink = new FindingSink(ctx.profile);
  const decoded = decodeTokenHeader(token, sink, options);
  const { header } = decoded;
  if (!options.keys || header === null || !decoded.signatureDecodable) {
    const payload = decodeTokenPayload(decoded, sink, options);
    judge(header, payload, sink, ctx);
    return { header, payload, findings: sink.findings, signature: 'not-checked' };
  }
  // The signature is verified on libuv's thread pool (node-jws.ts): start it as soon as the header is known
  // and decode and judge the rest while it runs, so the rules add no latency. Its findings come last.
  const signatureSink = new FindingSink(ctx.profile);
  const verifying = verifySignature(token, header, options.keys, signatureSink);
  // Awaited below; this keeps a rejection during the yield from counting as unhandled.
  verifying.catch(() => undefined);
  await yieldToEventLoop();
  const payload = decodeTokenPayload(decoded, sink, options);
  judge(header, payload, sink, ctx);
  const signature = await verifying;
  return { header, payload, findings: [...sink.findings, ...signatureSink.findings], signature };
}

/** Decodes without judging anything but the token's structure (size, segments, JSON). */
export function decodeSet(token: string, limits: DecodeLimits = {}): Omit<SetValidationResult, 'signature'> {
  const sink = new FindingSink(getProfile('ssf'));
  const decoded = decodeToken(token, sink, limits);
  return { header: decoded.header, payload: decoded.payload, findings: sink.findings };
}
