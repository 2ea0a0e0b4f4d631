/**
 * Every credential the lab hands out — API tokens, session ids, one-time session tokens, access, ID and
 * refresh tokens, client secrets, passwords, stream tokens, the lab admin token — remembered by value, so
 * that redaction does not depend on the name of the member or header a credential happens to travel in.
 * Key-name redaction (redact.ts) misses a session id that is an `id`, a token inside a URL path, a
 * `sessionToken` echoed in free text; a value the lab issued is recognised wherever it appears.
 *
 * One registry per process: the mocks add to it as they issue (they are built without knowing which lab,
 * if any, they belong to), and every recorder and reporter in the process redacts with it. A value from
 * one lab redacted in another lab's report is harmless. The registry is bounded (`ISSUED_SECRETS_CAP`,
 * oldest forgotten first): a lab that has issued more than that many credentials since an old one was
 * issued still redacts the old one by key name, just not by value.
 *
 * Redacting is one regular-expression pass over the text that finds token-like runs, then set lookups on
 * each run and on its pieces — never one pass per secret.
 */

/** The text a redacted credential becomes (the same marker as key-name redaction). */
const MARKER = '[redacted]';

/** Values shorter than this are not remembered: too likely to be ordinary words or numbers. */
export const MIN_ISSUED_SECRET_LENGTH = 12;

/** How many issued values are remembered at once (about 100 bytes each: a few MB at most). */
export const ISSUED_SECRETS_CAP = 50_000;

/**
 * A run of characters a credential is made of (base64, base64url, hex, JWT dots) plus the separators
 * that glue one to its neighbours in URLs, cookies and forms (`/`, `=`, `+`), so a `sid=…` or a
 * `/sessions/…` is one run whose pieces are then looked up.
 */
const TOKEN_RUN = /[A-Za-z0-9_\-.~+/=]{12,}/g;

/** The separators a run is split at when it is not itself a secret. */
const GLUE = /([/=+~])/;

/** What a run must hold to have pieces worth looking up: a separator, or a dot (JWT parts, a full stop). */
const SPLITS = /[/=+~.]/;

export class IssuedSecrets {
  readonly #values = new Set<string>();
  /**
   * A lab's own credentials — API tokens, client secrets, passwords, the admin and stream tokens — are
   * never forgotten: a big fleet's sessions must not push them out (they are few: a handful per lab).
   */
  readonly #kept = new Set<string>();
  readonly #cap: number;

  constructor(cap = ISSUED_SECRETS_CAP) {
    this.#cap = cap;
  }

  /**
   * Remembers `value` (when it is a string long enough to be a credential); returns it unchanged. `keep`:
   * a long-lived credential of the lab itself, never forgotten.
   */
  add<T>(value: T, options: { readonly keep?: boolean } = {}): T {
    if (typeof value !== 'string' || value.length < MIN_ISSUED_SECRET_LENGTH) return value;
    if (options.keep === true) {
      this.#kept.add(value);
      return value;
    }
    // Re-adding moves a value to the young end, so one still in use is the last to be forgotten.
    this.#values.delete(value);
    this.#values.add(value);
    if (this.#values.size > this.#cap) {
      const oldest = this.#values.values().next().value;
      if (oldest !== undefined) this.#values.delete(oldest);
    }
    return value;
  }

  has(value: string): boolean {
    return this.#values.has(value) || this.#kept.has(value);
  }

  get size(): number {
    return this.#values.size + this.#kept.size;
  }

  /** `text` with every remembered value in it replaced by `[redacted]`. */
  redact(text: string): string {
    if (this.size === 0 || text.length < MIN_ISSUED_SECRET_LENGTH) return text;
    return text.replace(TOKEN_RUN, (run) => this.#redactRun(run));
  }

  #redactRun(run: string): string {
    if (this.has(run)) return MARKER;
    // Most runs (ids, UUIDs, hashes) are one piece: not a secret, nothing inside to look up.
    if (!SPLITS.test(run)) return run;
    // `a/b`, `sid=…`, `SSWS+…`: each piece between separators on its own.
    return run
      .split(GLUE)
      .map((piece) => (GLUE.test(piece) ? piece : this.#redactPiece(piece)))
      .join('');
  }

  /** A piece is a secret, or a secret followed by a full stop, or dotted parts some of which are. */
  #redactPiece(piece: string): string {
    if (piece.length < MIN_ISSUED_SECRET_LENGTH) return piece;
    if (this.has(piece)) return MARKER;
    const trimmed = piece.replace(/\.+$/, '');
    if (trimmed !== piece && this.has(trimmed)) return `${MARKER}${piece.slice(trimmed.length)}`;
    if (!piece.includes('.')) return piece;
    return piece
      .split('.')
      .map((part) => (this.has(part) ? MARKER : part))
      .join('.');
  }
}

/** The process's registry: what the mocks add to and every recorder and reporter redacts with. */
export const issuedSecrets = new IssuedSecrets();

/** Remembers a credential the lab issued (returns it, so an issuing expression can be wrapped). */
export function rememberIssuedSecret<T>(value: T): T {
  return issuedSecrets.add(value);
}

/**
 * Remembers one of a lab's own long-lived credentials (an API token, a client secret, a password, the admin
 * or a stream token): never forgotten, however many session credentials are issued after it.
 */
export function rememberLabCredential<T>(value: T): T {
  return issuedSecrets.add(value, { keep: true });
}

/** `text` with every credential the lab issued replaced by `[redacted]`. */
export function redactIssuedSecrets(text: string): string {
  return issuedSecrets.redact(text);
}
