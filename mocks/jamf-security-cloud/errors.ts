/**
 * Jamf Security Cloud's error answers. Jamf publishes no error schema for these APIs; the mock uses the
 * envelope a generated Risk API description shows — `{statusCode, error, message, logref}` — with the
 * error codes Jamf documents (UEM_CONNECTION_FAILED, CONNECTOR_CONFIG_ALREADY_EXISTS, VENDOR_MISMATCH,
 * MAX_LIMIT_PER_PAGE, …) in `error`.
 */
export class JscError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'JscError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(logref: string): { statusCode: number; error: string; message: string; logref: string } {
    return { statusCode: this.status, error: this.code, message: this.message, logref };
  }
}

export const invalid = (code: string, message: string): JscError => new JscError(400, code, message);
export const notFound = (what: string): JscError => new JscError(404, 'NOT_FOUND', `${what} not found`);
