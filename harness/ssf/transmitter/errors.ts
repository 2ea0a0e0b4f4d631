/**
 * The error a management or poll endpoint answers with. SSF gives status codes but no error body for its
 * management API; ssf-lab uses the OAuth 2.0 shape `{error, error_description}` (RFC 6749 §5.2,
 * RFC 6750 §3.1), which receivers that speak OAuth already parse.
 */
export class SsfApiError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, error: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'SsfApiError';
    this.status = status;
    this.error = error;
    this.headers = headers;
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const badRequest = (description: string): SsfApiError =>
  new SsfApiError(400, 'invalid_request', description);
export const notFound = (description: string): SsfApiError => new SsfApiError(404, 'not_found', description);
