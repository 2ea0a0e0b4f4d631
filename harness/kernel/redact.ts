/**
 * Redaction for everything the harness records — timelines, logs, reports: Authorization headers, API
 * tokens, client secrets, passwords, session and OAuth tokens, private keys. Values are replaced, never
 * dropped, so a reader still sees that a credential was there (and which kind). Key names are matched
 * case-insensitively after removing `-` and `_`, so `client_secret`, `clientSecret` and `Client-Secret`
 * are one name. SETs are not secrets (they are signed statements meant to be logged) and stay readable.
 *
 * Names are not enough — an Okta session's id is its `id`, a token can sit in a URL path or in free
 * text — so every value that survives the names is also passed through the registry of credentials the
 * lab issued (issued-secrets.ts), which replaces any of them wherever it appears.
 */
import { redactIssuedSecrets } from './issued-secrets.ts';

export const REDACTED = '[redacted]';

/** Header names whose values are credentials. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'dpop',
  'xapikey',
  'xauthtoken',
]);

/** JSON members and form fields whose values are credentials. */
const SECRET_KEYS = new Set([
  'authorization',
  'authorizationheader',
  'password',
  'newpassword',
  'oldpassword',
  'clientsecret',
  'appsecret',
  'secret',
  'apitoken',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'sessiontoken',
  'sessioncookie',
  'cookie',
  'codeverifier',
  'clientassertion',
  'assertion',
  'privatekey',
  'privatejwk',
  'streamtoken',
  'admintoken',
  // A target file's Okta session ids (the `sid` cookie's value, wherever else it travels, is caught by
  // value: see issued-secrets.ts).
  'oktasessionids',
  // Okta's session ids (the `sid` cookie's value) as its System Log carries them: whoever holds one holds
  // the session.
  'rootsessionid',
  'externalsessionid',
  'endedsessionid',
  // Members the vendors' API descriptions mark `writeOnly` because they are credentials (Okta's
  // management API, Jamf Pro 11.7.1): sent, never returned — and so never recorded either. Okta's
  // `credentials.password.value` goes with its `password`; writeOnly members that are not secrets (a
  // subject's `id`, `format`, `iss`, `sub`, a passcode's `ttl`) are not here: write-only-keys.test.ts.
  'answer',
  'secretkey',
  'tokensigningkey',
  'serviceaccountjson',
  'adminpassword',
  'currentpassword',
  'managementpassword',
  'keystorepassword',
  'recoverylockpassword',
  'identitykeystore',
  'keystorebytes',
]);

/** In forms and URLs `code` is an OAuth authorization code; in JSON it is usually an error code. */
const FORM_ONLY_SECRET_KEYS = new Set(['code']);

/** The private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4): secret only inside an object with `kty`. */
const JWK_PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(normalize(name));
}

export function isSecretKey(name: string): boolean {
  return SECRET_KEYS.has(normalize(name));
}

function isSecretFormKey(name: string): boolean {
  return isSecretKey(name) || FORM_ONLY_SECRET_KEYS.has(normalize(name));
}

/** The scheme stays visible (`Bearer [redacted]`, `SSWS [redacted]`): it tells how the caller authenticated. */
function redactHeaderValue(name: string, value: string): string {
  const n = normalize(name);
  if (n === 'authorization' || n === 'proxyauthorization') {
    const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(value)?.[1];
    return scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  return REDACTED;
}

/** A copy of the headers with credential values replaced. Accepts Headers, arrays of pairs or records. */
export function redactHeaders(
  headers:
    | Headers
    | Iterable<[string, string]>
    | Readonly<Record<string, string | string[] | number | undefined>>,
): Record<string, string> {
  const entries: [string, string][] =
    headers instanceof Headers
      ? [...headers.entries()]
      : Symbol.iterator in headers
        ? [...(headers as Iterable<[string, string]>)]
        : Object.entries(headers as Record<string, string | string[] | number | undefined>).flatMap(
            ([k, v]): [string, string][] =>
              v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : String(v)]],
          );
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = isSecretHeader(name) ? redactHeaderValue(name, value) : redactIssuedSecrets(value);
  }
  return out;
}

/**
 * Members that describe a credential without being it. Under a secret-named member that holds an object
 * (Okta's session `refreshToken: { state: "revoked" }`), these stay readable and every other leaf is
 * replaced — a report must still show that a token was revoked, never the token.
 */
const DESCRIPTIVE_MEMBERS = new Set([
  'state',
  'status',
  'type',
  'tokentype',
  'kty',
  'kid',
  'alg',
  'use',
  'id',
  'scope',
  'scopes',
  'createdat',
  'issuedat',
  'expiresat',
]);

/** A deep copy of a JSON value with credential members replaced. */
export function redactJson(value: unknown, depth = 0, insideSecret = false): unknown {
  if (depth > 64) return REDACTED; // a pathological nesting is not worth recording
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1, insideSecret));
  if (value !== null && typeof value === 'object') {
    const isJwk = typeof (value as Record<string, unknown>).kty === 'string';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const named = isSecretKey(k) || (isJwk && JWK_PRIVATE_MEMBERS.has(k));
      const secret = named || (insideSecret && !DESCRIPTIVE_MEMBERS.has(normalize(k)));
      if (v !== null && typeof v === 'object') out[k] = redactJson(v, depth + 1, insideSecret || named);
      else if (secret && v !== null && v !== undefined && v !== '') out[k] = REDACTED;
      else out[k] = typeof v === 'string' ? redactIssuedSecrets(v) : v;
    }
    return out;
  }
  if (insideSecret && value !== null && value !== '') return REDACTED;
  return typeof value === 'string' ? redactIssuedSecrets(value) : value;
}

/** A URL with credential query parameters replaced (`?code=…&state=…` keeps `state`). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactIssuedSecrets(url);
  }
  let changed = false;
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretFormKey(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  // A credential the lab issued can also sit in the path (`/api/v1/sessions/{sessionId}`).
  return redactIssuedSecrets(changed ? parsed.href : url);
}

/** A member name in JSON text without backslashes, where no string can hold a quote. */
const MEMBER_NAME = /"([^"]*)"\s*:/g;

/**
 * Whether key-name redaction would leave this JSON text as it is: no member names a credential, none is
 * a JWK's `kty` (whose private members are secret), and no escape could disguise a name (any backslash
 * sends the text the long way). Without backslashes every `"…"` before a colon is a member name.
 */
function noSecretMembers(text: string): boolean {
  if (text.includes('\\')) return false;
  for (const match of text.matchAll(MEMBER_NAME)) {
    const name = match[1] ?? '';
    let plain = plainMemberNames.get(name);
    if (plain === undefined) {
      plain = name !== 'kty' && !isSecretKey(name);
      // A few hundred names recur in every body the lab's services exchange; bounded all the same.
      if (plainMemberNames.size >= MEMBER_NAMES_REMEMBERED) plainMemberNames.clear();
      plainMemberNames.set(name, plain);
    }
    if (!plain) return false;
  }
  return true;
}

/** Member names already judged by noSecretMembers (true: neither a credential's name nor `kty`). */
const plainMemberNames = new Map<string, boolean>();
const MEMBER_NAMES_REMEMBERED = 4096;

/**
 * A request or response body as text, redacted by its content type: JSON members, form fields; anything
 * else (SETs, XML, HTML) keeps its shape, with only the credentials the lab issued replaced.
 */
export function redactBody(text: string, contentType: string | null | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    // Most bodies have no member that names a credential: their text is kept, with the credentials the
    // lab issued replaced — what the parse–walk–print below leaves of them too (minus its reflowing), at a
    // fraction of its cost; the timeline redacts every body the lab's services exchange (issue 17).
    if (noSecretMembers(text)) return redactIssuedSecrets(text);
    try {
      return JSON.stringify(redactJson(JSON.parse(text)));
    } catch {
      // Broken JSON is kept for the reader, with any "secretKey": "value" pair it holds still replaced.
      return redactIssuedSecrets(
        text.replace(/"([^"\\]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g, (pair, key: string, colon: string) =>
          isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : pair,
        ),
      );
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    for (const key of [...form.keys()]) if (isSecretFormKey(key)) form.set(key, REDACTED);
    return redactIssuedSecrets(form.toString());
  }
  return redactIssuedSecrets(text);
}
