/**
 * What a validation run knows besides the token: the profile, the clock, and what the receiver expects
 * (its own audience, the transmitter's issuer, the stream id and the verification state it asked for).
 */
import type { Profile } from './profiles.ts';

export interface ValidationContext {
  readonly profile: Profile;
  readonly nowSeconds: number;
  readonly clockSkewSeconds: number;
  readonly expectedIssuer?: string;
  readonly expectedAudience?: readonly string[];
  readonly expectedStreamId?: string;
  /** `undefined`: not checked; `null`: an unsolicited verification, so no state; a string: must match. */
  readonly expectedState?: string | null;
}
