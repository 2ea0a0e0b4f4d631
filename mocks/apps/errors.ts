/**
 * The one error shape every route of an app mock answers with: `{error, error_description}`, the OAuth
 * family's body (RFC 6749 §5.2, RFC 6750 §3). The Global Token Revocation draft defines no body at all and
 * Okta reads only the status code, so the body is for the people reading the lab's timeline: `error` is a
 * stable code, `error_description` says what exactly was wrong.
 */

export interface ErrorBody {
  readonly error: string;
  readonly error_description: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(): ErrorBody {
    return { error: this.code, error_description: this.message };
  }
}

export const badRequest = (description: string, code = 'invalid_request'): AppError =>
  new AppError(400, code, description);

export const notFound = (description: string, code = 'not_found'): AppError =>
  new AppError(404, code, description);

export const conflict = (description: string): AppError => new AppError(409, 'conflict', description);
