/**
 * Rules on subject identifiers wherever they appear (top-level sub_id, legacy in-event subject, complex
 * subject members, aliases): RFC 9493 §3 formats, SSF 1.0 §3.3 complex subjects and §3.5 formats. A
 * member the format does not describe is reported by its own check (RFC 9493 §3 "MUST NOT"), apart from
 * missing or malformed members, so a transmitter's extra field is not confused with a broken identifier.
 */
import { excerpt, pointerToken } from '../findings.ts';
import { isJsonObject } from '../json/strict-json.ts';
import type { RequirementId } from '../requirements.ts';
import { type SchemaError, validateWithSchema } from '../schemas/registry.ts';
import {
  type SimpleSubjectFormat,
  SUBJECT_FORMAT_MEMBERS,
  SUBJECT_FORMAT_SOURCE,
  subjectFormatSchemaId,
} from '../schemas/subject-identifiers.ts';
import type { FindingSink } from './sink.ts';

function isKnownSimpleFormat(format: string): format is SimpleSubjectFormat {
  return Object.hasOwn(SUBJECT_FORMAT_MEMBERS, format);
}

function requirementForFormat(format: SimpleSubjectFormat | 'complex'): RequirementId {
  if (format === 'complex') return 'SSF-3.3';
  return SUBJECT_FORMAT_SOURCE[format] === 'SSF' ? 'SSF-3.5' : 'RFC9493-3';
}

function reportSchemaErrors(
  errors: readonly SchemaError[],
  path: string,
  format: SimpleSubjectFormat,
  sink: FindingSink,
): void {
  for (const error of errors) {
    const at = `${path}${error.path}`;
    if (error.keyword === 'additionalProperties') {
      const member = String(error.params.additionalProperty);
      sink.report(
        'subject-identifier-has-only-described-members',
        `${format} subject has member "${member}", which the ${format} format does not describe`,
        { path: `${at}/${pointerToken(member)}` },
      );
    } else {
      sink.report(
        'subject-identifier-is-valid',
        `${format} subject: ${error.message}`,
        { path: at },
        requirementForFormat(format),
      );
    }
  }
}

/** Judges one simple subject identifier. */
function judgeSimple(value: Record<string, unknown>, format: string, path: string, sink: FindingSink): void {
  if (!isKnownSimpleFormat(format)) {
    sink.report(
      'subject-format-is-registered',
      `subject format "${excerpt(format)}" is neither an RFC 9493 nor an SSF format; only its "format" member was checked`,
      { path: `${path}/format`, evidence: excerpt(format) },
    );
    return;
  }
  const result = validateWithSchema(subjectFormatSchemaId(format), value, 'the identifier');
  if (!result.valid) reportSchemaErrors(result.errors, path, format, sink);
}

/**
 * Judges a subject member value at `path` (a JSON Pointer such as `/payload/sub_id`).
 * Complex subjects are judged member by member so each finding names the member at fault.
 */
export function judgeSubject(value: unknown, path: string, sink: FindingSink): void {
  if (!isJsonObject(value)) {
    sink.report(
      'subject-identifier-is-valid',
      `the subject is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not a JSON object`,
      {
        path,
        evidence: excerpt(value),
      },
      'RFC9493-3',
    );
    return;
  }
  const format = value.format;
  if (typeof format !== 'string' || format.length === 0) {
    sink.report(
      'subject-identifier-is-valid',
      'the subject has no "format" string',
      { path: `${path}/format` },
      'RFC9493-3',
    );
    return;
  }
  if (format !== 'complex') {
    judgeSimple(value, format, path, sink);
    return;
  }
  const members = Object.keys(value).filter((k) => k !== 'format');
  if (members.length === 0) {
    sink.report('subject-identifier-is-valid', 'the complex subject has no members', { path }, 'SSF-3.3');
    return;
  }
  for (const name of members) {
    const memberPath = `${path}/${pointerToken(name)}`;
    const member = value[name];
    if (!isJsonObject(member) || typeof member.format !== 'string') {
      sink.report(
        'subject-identifier-is-valid',
        `complex subject member "${name}" is not a subject identifier with a "format"`,
        {
          path: memberPath,
          evidence: excerpt(member),
        },
        'SSF-3.3',
      );
    } else if (member.format === 'complex') {
      sink.report(
        'subject-identifier-is-valid',
        `complex subject member "${name}" is itself complex; members are simple subjects`,
        {
          path: memberPath,
        },
        'SSF-3.3',
      );
    } else {
      judgeSimple(member, member.format, memberPath, sink);
    }
  }
}

/** The simple formats a subject uses: its own, or each member's for a complex subject. */
export function subjectFormats(value: unknown): string[] {
  if (!isJsonObject(value) || typeof value.format !== 'string') return [];
  if (value.format !== 'complex') return [value.format];
  return Object.entries(value)
    .filter(([k, v]) => k !== 'format' && isJsonObject(v) && typeof v.format === 'string')
    .map(([, v]) => (v as { format: string }).format);
}
