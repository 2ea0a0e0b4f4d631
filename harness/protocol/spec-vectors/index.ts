/**
 * Every spec example as a vector, by document. See types.ts for what a vector and a verdict are.
 */
import { CAEP_VECTORS } from './caep.ts';
import { RFC8417_VECTORS } from './rfc8417.ts';
import { RFC8935_VECTORS, RFC8936_VECTORS } from './rfc8935-8936.ts';
import { RFC9493_VECTORS } from './rfc9493.ts';
import { CAEP_INTEROP_VECTORS, RISC_VECTORS } from './risc-interop.ts';
import { SSF_VECTORS } from './ssf.ts';
import type { SpecVector } from './types.ts';

export const SPEC_VECTORS: readonly SpecVector[] = [
  ...RFC8417_VECTORS,
  ...RFC8935_VECTORS,
  ...RFC8936_VECTORS,
  ...RFC9493_VECTORS,
  ...SSF_VECTORS,
  ...CAEP_VECTORS,
  ...RISC_VECTORS,
  ...CAEP_INTEROP_VECTORS,
];

export * from './types.ts';
