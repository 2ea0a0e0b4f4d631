/**
 * Transmitter discovery (SSF 1.0 §7.2): from a Transmitter's Issuer to its validated configuration
 * metadata. The well-known URL is made by path insertion, not by appending — `https://h/iss1` becomes
 * `https://h/.well-known/ssf-configuration/iss1` after any trailing `/` of the path is removed
 * (SSF-7.2.1, RFC 8615) — and the document's `issuer` must be identical to the Issuer asked for, byte for
 * byte (SSF-7.2.4); if anything fails, nothing from the document is used. Failures throw
 * `SsfDiscoveryError` naming the problem.
 */
import { BODY_CAPS } from '../../kernel/index.ts';
import {
  isJsonObject,
  TRANSMITTER_METADATA_SCHEMA_ID,
  type TransmitterMetadata,
  validateWithSchema,
} from '../../protocol/index.ts';
import { shorten } from './http-errors.ts';
import { exchange } from './http-exchange.ts';

/** The well-known URI suffix registered by SSF 1.0 §11 (RFC 8615). */
export const SSF_WELL_KNOWN = '/.well-known/ssf-configuration';

export class SsfDiscoveryError extends Error {
  /** The Issuer discovery was asked for. */
  readonly issuer: string;

  constructor(issuer: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SsfDiscoveryError';
    this.issuer = issuer;
  }
}

/**
 * The configuration URL for `issuer` (SSF-7.2.1): `/.well-known/ssf-configuration` inserted between the
 * host and the path, the path's trailing `/` removed first. The Issuer must be an https URL with no query
 * or fragment (SSF-7.1); Receivers SHOULD insist on https (SSF-7.2.4).
 */
export function ssfConfigurationUrl(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new SsfDiscoveryError(issuer, `the Issuer "${shorten(issuer)}" is not a URL`);
  }
  if (url.protocol !== 'https:')
    throw new SsfDiscoveryError(issuer, `the Issuer "${shorten(issuer)}" is not an https URL (SSF 1.0 §7.1)`);
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    throw new SsfDiscoveryError(
      issuer,
      `the Issuer "${shorten(issuer)}" has a query or fragment, which an Issuer must not have (SSF 1.0 §7.1)`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${SSF_WELL_KNOWN}${path}`;
}

export interface DiscoveryOptions {
  readonly fetch?: typeof fetch;
  /** Give up after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Refuse a document larger than this (default BODY_CAPS.discovery, 64 KiB). */
  readonly maxBytes?: number;
}

/** Fetches and validates the Transmitter configuration metadata of `issuer` (SSF 1.0 §7.2). */
export async function discoverTransmitter(
  issuer: string,
  opts: DiscoveryOptions = {},
): Promise<TransmitterMetadata> {
  const url = ssfConfigurationUrl(issuer);
  const timeoutMs = opts.timeoutMs ?? 5000;
  let response: Awaited<ReturnType<typeof exchange>>;
  try {
    response = await exchange(
      { url, method: 'GET', headers: { accept: 'application/json' } },
      {
        operation: 'discovery',
        timeoutMs,
        maxBytes: opts.maxBytes ?? BODY_CAPS.discovery,
        ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
      },
    );
  } catch (error) {
    throw new SsfDiscoveryError(issuer, `GET ${url}: ${(error as Error).message}`, { cause: error });
  }
  // SSF-7.2.2: success is 200 OK with a JSON object as application/json.
  if (response.status !== 200) {
    throw new SsfDiscoveryError(issuer, `GET ${url} answered HTTP ${response.status}, not 200`);
  }
  const type = response.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new SsfDiscoveryError(
      issuer,
      `GET ${url} answered with Content-Type ${type ? `"${shorten(type, 60)}"` : '(none)'}, not application/json`,
    );
  }
  if (response.notJson !== undefined || !isJsonObject(response.body)) {
    throw new SsfDiscoveryError(
      issuer,
      `the metadata at ${url} ${response.notJson ?? 'is not a JSON object'}`,
    );
  }
  const schema = validateWithSchema(TRANSMITTER_METADATA_SCHEMA_ID, response.body, 'the metadata');
  if (!schema.valid) {
    // SSF-7.1: e.g. a claim with zero elements MUST be omitted, so an empty array is refused here.
    const problems = schema.errors.slice(0, 5).map((e) => e.message);
    const more = schema.errors.length > 5 ? ` (and ${schema.errors.length - 5} more)` : '';
    throw new SsfDiscoveryError(issuer, `the metadata at ${url} is invalid: ${problems.join('; ')}${more}`);
  }
  const metadata = response.body as unknown as TransmitterMetadata;
  // SSF-7.2.4: identical, not "equal after normalisation"; a trailing slash is a different Issuer.
  if (metadata.issuer !== issuer) {
    throw new SsfDiscoveryError(
      issuer,
      `the metadata at ${url} names the issuer "${shorten(metadata.issuer)}", which is not identical to the Issuer "${shorten(issuer)}" it was fetched for (SSF 1.0 §7.2.4)`,
    );
  }
  return metadata;
}
