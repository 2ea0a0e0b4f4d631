/**
 * Defence in depth: exchanges arrive redacted (the lab's timeline redacts on the way in), but every
 * reporter passes each exchange through here again before writing it out, so a record built by hand or
 * by a future recorder cannot leak a credential header, a token in a URL or a secret in a JSON or form
 * body. The protocol core's redaction is idempotent: `Bearer [redacted]` stays `Bearer [redacted]`.
 */
import { redactBody, redactHeaders, redactJson, redactUrl } from '../harness/kernel/index.ts';
import type { ExchangeRecord } from '../harness/records/index.ts';

function contentTypeOf(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers))
    if (name.toLowerCase() === 'content-type') return value;
  return undefined;
}

/**
 * A body with its credentials replaced, kept byte for byte when there were none (so a report shows the
 * body as it was sent). A body without a content type that parses as JSON is treated as JSON.
 */
export function redactBodyText(text: string, contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || (type === '' && /^\s*[{[]/.test(text))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return type === '' ? text : redactBody(text, contentType);
    }
    const redacted = redactJson(parsed);
    return JSON.stringify(redacted) === JSON.stringify(parsed) ? text : JSON.stringify(redacted);
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    const redacted = redactBody(text, contentType);
    return redacted === new URLSearchParams(text).toString() ? text : redacted;
  }
  return text;
}

/** An exchange with credential headers, URL parameters and body members replaced. */
export function redactExchange(exchange: ExchangeRecord): ExchangeRecord {
  const { requestBody, responseHeaders, responseBody } = exchange;
  const requestType = contentTypeOf(exchange.requestHeaders);
  const responseType = contentTypeOf(responseHeaders);
  return {
    ...exchange,
    url: redactUrl(exchange.url),
    requestHeaders: redactHeaders(exchange.requestHeaders),
    ...(requestBody === undefined ? {} : { requestBody: redactBodyText(requestBody, requestType) }),
    ...(responseHeaders === undefined ? {} : { responseHeaders: redactHeaders(responseHeaders) }),
    ...(responseBody === undefined ? {} : { responseBody: redactBodyText(responseBody, responseType) }),
  };
}
