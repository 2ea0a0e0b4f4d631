/**
 * The three error shapes an Okta org answers with, kept apart because clients parse them differently:
 * the Management API's `Error` object (`errorCode`, `errorSummary`, `errorLink`, `errorId`, `errorCauses`;
 * the SDK turns it into `OktaApiError`), the OAuth 2.0 endpoints' RFC 6749 `{error, error_description}`
 * (Okta's `OAuthError` schema), and the HTML page `/authorize` shows when it cannot trust the redirect URI.
 * Codes and summaries are the ones Okta documents (developer.okta.com/docs/reference/error-codes and the
 * examples in management-minimal.yaml); `errorLink` repeats the code as Okta's examples do.
 */

export interface OktaErrorBody {
  readonly errorCode: string;
  readonly errorSummary: string;
  readonly errorLink: string;
  readonly errorId: string;
  readonly errorCauses: readonly { readonly errorSummary: string }[];
}

/** A Management API error, answered as Okta's `Error` object. */
export class OktaError extends Error {
  readonly status: number;
  readonly code: string;
  readonly causes: readonly string[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    summary: string,
    causes: readonly string[] = [],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(summary);
    this.name = 'OktaError';
    this.status = status;
    this.code = code;
    this.causes = causes;
    this.headers = headers;
  }

  body(errorId: string): OktaErrorBody {
    return {
      errorCode: this.code,
      errorSummary: this.message,
      errorLink: this.code,
      errorId,
      errorCauses: this.causes.map((errorSummary) => ({ errorSummary })),
    };
  }
}

/** E0000001: a precondition of the endpoint failed; each cause names the field (`field: message`). */
export const validationFailed = (what: string, ...causes: string[]): OktaError =>
  new OktaError(400, 'E0000001', `Api validation failed: ${what}`, causes);

/** E0000003: the body is not JSON, or not the JSON object the endpoint reads. */
export const malformedBody = (): OktaError =>
  new OktaError(400, 'E0000003', 'The request body was not well-formed.');

/** E0000004: the Authentication API refused the credentials (one message for every reason, as Okta). */
export const authenticationFailed = (): OktaError => new OktaError(401, 'E0000004', 'Authentication failed');

/** E0000006: authenticated, but the token lacks the operation's scope. */
export const accessDenied = (headers: Readonly<Record<string, string>> = {}): OktaError =>
  new OktaError(403, 'E0000006', 'You do not have permission to perform the requested action', [], headers);

/** E0000007: Okta's wording is `Not found: Resource not found: <id> (<Type>)`. */
export const notFound = (id: string, type: string): OktaError =>
  new OktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);

/** E0000011: a missing, unknown, expired or wrongly presented token. */
export const invalidToken = (headers: Readonly<Record<string, string>> = {}): OktaError =>
  new OktaError(401, 'E0000011', 'Invalid token provided', [], headers);

/** E0000022: the path exists, the method does not. */
export const methodNotAllowed = (allow: readonly string[]): OktaError =>
  new OktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method', [], {
    allow: allow.join(', '),
  });

/** E0000031: a `search` or `filter` expression the org cannot evaluate. */
export const invalidSearch = (cause: string): OktaError =>
  new OktaError(400, 'E0000031', 'Invalid search criteria.', [cause]);

/** E0000047: over the bucket's per-minute limit. */
export const rateLimited = (headers: Readonly<Record<string, string>>): OktaError =>
  new OktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], headers);

/** An OAuth 2.0 endpoint's error (RFC 6749 §5.2 shape). */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    error: string,
    description: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
    this.status = status;
    this.error = error;
    this.headers = headers;
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const invalidRequest = (description: string): OAuthError =>
  new OAuthError(400, 'invalid_request', description);
export const invalidGrant = (description: string): OAuthError =>
  new OAuthError(400, 'invalid_grant', description);
export const invalidClient = (description: string): OAuthError =>
  new OAuthError(401, 'invalid_client', description);
export const invalidScope = (description: string): OAuthError =>
  new OAuthError(400, 'invalid_scope', description);

/**
 * `/authorize` with an unknown client or a redirect URI that is not registered: the error cannot be sent to
 * the redirect URI (RFC 6749 §4.1.2.1), so Okta shows an HTML error page with status 400.
 */
export class ErrorPage extends Error {
  readonly status = 400;
  readonly error: string;

  constructor(error: string, description: string) {
    super(description);
    this.name = 'ErrorPage';
    this.error = error;
  }

  html(): string {
    const html = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<!DOCTYPE html><html><head><title>400 Bad Request</title></head><body><h1>400 Bad Request</h1><p id="error-code">${html(this.error)}</p><p id="error-description">${html(this.message)}</p></body></html>\n`;
  }
}
