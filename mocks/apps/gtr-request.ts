/**
 * Reads the body of a Global Token Revocation request: `application/json` holding one subject identifier
 * (RFC 9493) under `sub_id` — the draft's name since -02 (draft-parecki-oauth-global-token-revocation-05
 * §3.2) and what Okta's sample apps send — or under `subject`, the name in Okta's "Build Universal Logout
 * for your app" examples. Exactly one of them, and nothing else: Okta's guide answers 400 for "invalid or
 * unrecognized properties". The identifier must be in the format this app is configured for (`email` or
 * `iss_sub`, Okta's two "Subject format type" choices) and well formed under the repo's RFC 9493 schema.
 */
import {
  isJsonObject,
  parseStrictJson,
  subjectFormatSchemaId,
  validateWithSchema,
} from '../../harness/protocol/index.ts';

export type SubjectFormat = 'email' | 'iss_sub';
export const SUBJECT_FORMATS: readonly SubjectFormat[] = ['email', 'iss_sub'];

export type SubjectRef =
  | { readonly format: 'email'; readonly email: string }
  | { readonly format: 'iss_sub'; readonly iss: string; readonly sub: string };

export type SubjectKey = 'sub_id' | 'subject';

export type GtrBody =
  | { readonly ok: true; readonly key: SubjectKey; readonly subject: SubjectRef }
  | {
      readonly ok: false;
      readonly description: string;
      /** What is wrong, coarsely: the body is no JSON at all, its subject format is not one an app takes, or else. */
      readonly kind: 'not-json' | 'unsupported-format' | 'other';
    };

const SUBJECT_KEYS: readonly SubjectKey[] = ['sub_id', 'subject'];

function fail(description: string, kind: 'not-json' | 'unsupported-format' | 'other' = 'other'): GtrBody {
  return { ok: false, description, kind };
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function shorten(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** Parses the raw body; every failure is a sentence naming what is wrong (answered 400). */
export function parseGtrBody(
  contentType: string | undefined,
  raw: Buffer | undefined,
  accepted: SubjectFormat,
): GtrBody {
  const type = mediaType(contentType);
  if (type !== 'application/json')
    return fail(`Content-Type must be application/json, not ${type === '' ? 'absent' : shorten(type)}`);
  if (raw === undefined || raw.length === 0)
    return fail('the body is empty; send {"sub_id": {"format": "email", "email": "..."}}');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return fail('the body is not UTF-8', 'not-json');
  }
  const parsed = parseStrictJson(text, 8);
  if (!parsed.ok) return fail(`the body is not JSON: ${parsed.message}`, 'not-json');
  const duplicate = parsed.duplicates[0];
  if (duplicate) return fail(`the body has member "${duplicate.name}" twice`);
  const body = parsed.value;
  if (!isJsonObject(body)) return fail('the body must be a JSON object');

  const keys = SUBJECT_KEYS.filter((k) => k in body);
  const [key] = keys;
  if (key === undefined)
    return fail('the body has no subject: send "sub_id" (the draft, §3.2) or "subject" (Okta\'s guide)');
  if (keys.length > 1) return fail('the body has both "sub_id" and "subject"; send one');
  const extra = Object.keys(body).find((k) => k !== key);
  if (extra !== undefined)
    return fail(`the body has member ${shorten(extra)}, which is not part of the request`);

  const subject = body[key];
  if (!isJsonObject(subject)) return fail(`"${key}" must be a subject identifier object with a "format"`);
  const format = subject.format;
  if (typeof format !== 'string') return fail(`"${key}" has no "format" string`);
  if (!(SUBJECT_FORMATS as readonly string[]).includes(format))
    return fail(
      `the subject format ${shorten(format)} is not supported; this app identifies users by "${accepted}"`,
      'unsupported-format',
    );
  if (format !== accepted)
    return fail(`this app is configured for the "${accepted}" subject format, not "${format}"`);
  const schema = validateWithSchema(subjectFormatSchemaId(format as SubjectFormat), subject, `"${key}"`);
  if (!schema.valid) return fail(schema.errors.map((e) => e.message).join('; '));
  return format === 'email'
    ? { ok: true, key, subject: { format, email: subject.email as string } }
    : {
        ok: true,
        key,
        subject: { format: 'iss_sub', iss: subject.iss as string, sub: subject.sub as string },
      };
}
