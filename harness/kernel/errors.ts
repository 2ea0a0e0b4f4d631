/**
 * Harness errors: our own misuse or bad configuration (as opposed to findings about the system under
 * test). Each has a stable code from a closed list, so callers and the CLI can branch on it.
 */

export const HARNESS_ERROR_CODES = {
  ERR_USAGE: 'The command line or an option is wrong.',
  ERR_INPUT_UNREADABLE: 'An input file or stdin could not be read.',
  ERR_INPUT_INVALID: 'An input file was read but its content is not what the option expects.',
  ERR_KEY_INVALID: 'A key is not a usable JWK for the requested algorithm.',
  ERR_JWKS_UNAVAILABLE: 'A JWKS could not be fetched or parsed.',
  ERR_PROFILE_UNKNOWN: 'The named validation profile does not exist.',
} as const;

export type HarnessErrorCode = keyof typeof HARNESS_ERROR_CODES;

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
