/**
 * How the console reaches the lab: as any client holding the manifest does — the vendors' public APIs
 * (Jamf Security Cloud's Radar API, Jamf Pro's API, Okta's Management API) with the manifest's
 * credentials, and the documented `/_lab/` controls with the lab admin token (the lab's `clientFetch`
 * adds it). The console holds no state of the lab's and decides nothing: every page is a read of these
 * answers, every button one call.
 *
 * Every answer is read through the kernel's bounded reader, so a service answering without end cannot
 * cost the console its memory; the tokens it obtains are registered as issued secrets, so that no record
 * or log of the process can show them.
 */
import { BODY_CAPS, type BodyPurpose, readBodyText, rememberIssuedSecret } from '../kernel/index.ts';
import type { LabManifest } from '../lab/index.ts';

/** A failure the console answers with a status of its own (never a stack trace). */
export class ConsoleError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ConsoleError';
    this.status = status;
  }
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A cached bearer token and when to stop using it. */
interface Held {
  readonly token: string;
  readonly until: number;
}

/** Each service's answers are bounded in time too: a lab that hangs makes a page fail, not wait. */
const CALL_TIMEOUT_MS = 10_000;

export class LabClient {
  readonly manifest: LabManifest;
  readonly #fetch: typeof fetch;
  #jsc: Held | undefined;
  #jamfPro: Held | undefined;

  constructor(manifest: LabManifest, fetchImpl: typeof fetch) {
    this.manifest = manifest;
    this.#fetch = fetchImpl;
  }

  /** One call; the body parsed as JSON when it is JSON. A network failure is a 502 ConsoleError. */
  async call(
    url: string,
    init: RequestInit & { json?: unknown } = {},
    purpose: BodyPurpose = 'apiAnswer',
  ): Promise<Answer> {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set('accept', 'application/json');
    if (json !== undefined) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await this.#fetch(url, {
        ...rest,
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch {
      throw new ConsoleError(502, `the lab did not answer ${new URL(url).pathname}`);
    }
    let text: string;
    try {
      text = await readBodyText(response, BODY_CAPS[purpose]);
    } catch {
      throw new ConsoleError(502, `the lab's answer to ${new URL(url).pathname} could not be read`);
    }
    let body: unknown = text;
    if (text !== '')
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
    return { status: response.status, body };
  }

  /** A call that must succeed (2xx); else a ConsoleError with the service's own message when it has one. */
  async ok(url: string, init: RequestInit & { json?: unknown } = {}): Promise<unknown> {
    const answer = await this.call(url, init);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    const message = messageOf(answer.body);
    // A 4xx of the service is the user's request refused (an unknown device, a bad category): said as it is.
    throw new ConsoleError(
      answer.status >= 400 && answer.status < 500 ? answer.status : 502,
      `${new URL(url).pathname}: ${answer.status}${message === undefined ? '' : ` ${message}`}`,
    );
  }

  // ---- credentials, as the manifest gives them -------------------------------------------------------

  /** A Radar API token of the manifest's JSC application (`POST /v1/login`), kept for 10 minutes. */
  async jscHeaders(): Promise<Record<string, string>> {
    if (this.#jsc === undefined || this.#jsc.until < Date.now()) {
      const jsc = this.manifest.jamfSecurityCloud;
      const basic = Buffer.from(`${jsc.appId}:${jsc.appSecret}`).toString('base64');
      const body = await this.ok(`${jsc.url}/v1/login`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}` },
      });
      const token = (body as { token?: unknown }).token;
      if (typeof token !== 'string') throw new ConsoleError(502, 'JSC /v1/login answered no token');
      // The login's tokens live 15 minutes: renewed well before.
      this.#jsc = { token: rememberIssuedSecret(token), until: Date.now() + 10 * 60_000 };
    }
    return { authorization: `Bearer ${this.#jsc.token}` };
  }

  /** A Jamf Pro API token of the manifest's API client (`POST /api/oauth/token`). */
  async jamfProHeaders(): Promise<Record<string, string>> {
    if (this.#jamfPro === undefined || this.#jamfPro.until < Date.now()) {
      const jp = this.manifest.jamfPro;
      const body = await this.ok(`${jp.url}/api/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: jp.clientId,
          client_secret: jp.clientSecret,
        }).toString(),
      });
      const { access_token: token, expires_in: expiresIn } = body as {
        access_token?: unknown;
        expires_in?: unknown;
      };
      if (typeof token !== 'string') throw new ConsoleError(502, 'Jamf Pro answered no access token');
      const seconds = typeof expiresIn === 'number' && expiresIn > 60 ? expiresIn : 120;
      this.#jamfPro = { token: rememberIssuedSecret(token), until: Date.now() + (seconds - 30) * 1000 };
    }
    return { authorization: `Bearer ${this.#jamfPro.token}` };
  }

  oktaHeaders(): Record<string, string> {
    return { authorization: `SSWS ${this.manifest.okta.apiToken}` };
  }
}

/** The message of a vendor's error body, whichever of their shapes it has. */
export function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['message', 'errorSummary', 'error_description', 'description', 'error']) {
    const value = b[key];
    if (typeof value === 'string' && value !== '') return value.slice(0, 300);
  }
  const errors = b.errors;
  if (Array.isArray(errors)) {
    const first = errors[0] as { description?: unknown } | undefined;
    if (typeof first?.description === 'string') return first.description.slice(0, 300);
  }
  return undefined;
}
