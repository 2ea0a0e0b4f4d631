/**
 * The error a route or the domain throws, and the three ways Jamf Pro puts one on the wire. Domain code
 * throws one `JamfError` (status, code, field, description); the plugin's error handler renders it as the
 * family of the request expects: the Jamf Pro API's `ApiError` JSON (`{httpStatus, errors: [{code, field,
 * description, id}]}`), the Classic API's HTML status page, or the OAuth token endpoint's RFC 6749 body.
 * Keeping the wire shapes in one place means a domain rule (say, "the EA value is not a popup choice")
 * answers 400 ApiError on `/api` and 409 status page on `/JSSResource` without the domain knowing which.
 */

export interface ApiErrorCause {
  readonly code: string;
  /** Jamf sends `null` when no single field is to blame (seen on real 401s); the 11.7.1 schema says string. */
  readonly field: string | null;
  readonly description: string;
  readonly id: string | null;
}

export interface ApiErrorBody {
  readonly httpStatus: number;
  readonly errors: readonly ApiErrorCause[];
}

export class JamfError extends Error {
  readonly status: number;
  /** Status on the Classic API when it differs (Classic answers 409 Conflict for content it rejects). */
  readonly classicStatus: number;
  readonly causes: readonly ApiErrorCause[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    causes: readonly ApiErrorCause[],
    options: { classicStatus?: number; headers?: Record<string, string> } = {},
  ) {
    super(causes[0]?.description ?? `HTTP ${status}`);
    this.name = 'JamfError';
    this.status = status;
    this.classicStatus = options.classicStatus ?? status;
    this.causes = causes;
    this.headers = options.headers ?? {};
  }

  apiErrorBody(): ApiErrorBody {
    return { httpStatus: this.status, errors: this.causes };
  }
}

/** A request value that is wrong: 400 on the Pro API, 409 on Classic. `field` is a path like `a[0].b`. */
export function invalid(field: string, description: string, code = 'INVALID_FIELD'): JamfError {
  return new JamfError(400, [{ code, field, description, id: '0' }], { classicStatus: 409 });
}

/** A malformed request (bad JSON, bad XML, bad query parameter): 400 on both APIs. */
export function badRequest(field: string, description: string, code: string): JamfError {
  return new JamfError(400, [{ code, field, description, id: '0' }]);
}

/** A name already taken: 400 `DUPLICATE_FIELD` on the Pro API, 409 on Classic. */
export function duplicate(field: string, description: string): JamfError {
  return new JamfError(400, [{ code: 'DUPLICATE_FIELD', field, description, id: '0' }], {
    classicStatus: 409,
  });
}

/** An object that does not exist. */
export function notFound(what: string, id: string): JamfError {
  return new JamfError(404, [{ code: 'INVALID_ID', field: 'id', description: `${what} not found`, id }]);
}

/** A state conflict (deleting something still in use). */
export function conflict(field: string, description: string): JamfError {
  return new JamfError(409, [{ code: 'INVALID_STATE', field, description, id: '0' }]);
}

/** RFC 6749 §5.2 token endpoint error. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, error: string, description: string, headers: Record<string, string> = {}) {
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

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

const RFC2616_SECTION: Readonly<Record<number, string>> = {
  400: '10.4.1',
  401: '10.4.2',
  403: '10.4.4',
  404: '10.4.5',
  405: '10.4.6',
  409: '10.4.10',
  413: '10.4.14',
  415: '10.4.16',
  500: '10.5.1',
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The Classic API's error body: the HTML "Status page" Jamf's servlet container writes. */
export function classicStatusPage(status: number, message: string): string {
  const reason = REASONS[status] ?? `HTTP ${status}`;
  const section = RFC2616_SECTION[status] ?? '10';
  return [
    '<html>',
    '<head>',
    '   <title>Status page</title>',
    '</head>',
    '<body style="font-family: sans-serif;">',
    `<p style="font-size: 1.2em;font-weight: bold;margin: 1em 0px;">${reason}</p>`,
    `<p>${escapeHtml(message)}</p>`,
    `<p>You can get technical details <a href="http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec${section}">here</a>.<br>`,
    'Please continue your <a href="javascript:history.back()">visit</a> at our home page.',
    '</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
