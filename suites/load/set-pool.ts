/**
 * The SETs a load run sends, signed before the clock starts so the run measures the receiver, not the
 * signer: each has its own `jti` (a receiver rightly treats a repeated one as a replay, RFC 8935 §2), and an
 * `invalidShare` of them — spread evenly through the run, not bunched at the end — is signed by a key the
 * receiver does not know while naming the trusted key's `kid`, so the receiver must refuse it.
 */
import { importSigningKey } from '../../harness/protocol/index.ts';
import { eventsOf, harnessSideKey, type SsfReceiverOptions, setFactory } from '../ssf-receiver/index.ts';

export interface SetPool {
  /** The compact SETs, in sending order. */
  readonly sets: readonly string[];
  readonly jtis: readonly string[];
  /** Whether the SET at each index is valid (false: signed by the unknown key). */
  readonly valid: readonly boolean[];
  readonly eventType: string;
  /** Wall time spent signing, in milliseconds. */
  readonly signingMs: number;
}

/** Whether the SET at `index` is one of the invalid share: every k-th, spread evenly (Bresenham). */
export function isInvalidAt(index: number, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return Math.floor((index + 1) * share) > Math.floor(index * share);
}

/** Signs `count` SETs for the receiver `options` describes, `batch` at a time. */
export async function buildSetPool(
  options: SsfReceiverOptions,
  count: number,
  invalidShare: number,
  batch = 256,
): Promise<SetPool> {
  const started = performance.now();
  const factory = await setFactory(options, Date.now);
  // Validates the key up front: a bad JWK fails here, with the key's own message, not 10,000 times.
  await importSigningKey(options.privateJwk);
  const forger = invalidShare > 0 ? await harnessSideKey(factory.key.alg, 'forger') : undefined;
  const eventType = eventsOf(options)[0] as string;
  const sets: string[] = new Array(count);
  const jtis: string[] = new Array(count);
  const valid: boolean[] = new Array(count);
  for (let from = 0; from < count; from += batch) {
    const to = Math.min(count, from + batch);
    const signed = await Promise.all(
      Array.from({ length: to - from }, async (_, k) => {
        const index = from + k;
        const claims = factory.claims(eventType);
        const invalid = forger !== undefined && isInvalidAt(index, invalidShare);
        return {
          index,
          jti: String(claims.jti),
          invalid,
          set: await factory.sign(claims, {}, invalid ? forger : undefined),
        };
      }),
    );
    for (const s of signed) {
      sets[s.index] = s.set;
      jtis[s.index] = s.jti;
      valid[s.index] = !s.invalid;
    }
  }
  return { sets, jtis, valid, eventType, signingMs: performance.now() - started };
}
