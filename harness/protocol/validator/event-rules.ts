/**
 * Rules on the "events" claim and each event in it: RFC 8417 §2.2 structure, SSF §4.2.1 (one event),
 * the payload definition of each known type (CAEP, RISC, SSF, Okta), SSF §3.1 subject placement, and
 * the per-type rules that a schema cannot express.
 */
import { EVENT_URIS, type EventType, eventType } from '../event-types.ts';
import { excerpt, pointerToken } from '../findings.ts';
import { isJsonObject } from '../json/strict-json.ts';
import type { RequirementId } from '../requirements.ts';
import { validateWithSchema } from '../schemas/registry.ts';
import type { ValidationContext } from './context.ts';
import type { FindingSink } from './sink.ts';
import { judgeSubject, subjectFormats } from './subject-rules.ts';

const eventPointers = new Map<string, string>();

/** JSON Pointer of an event; memoized for catalogued types (a bounded set), built afresh for others. */
function eventPointer(uri: string): string {
  let pointer = eventPointers.get(uri);
  if (pointer === undefined) {
    pointer = `/payload/events/${pointerToken(uri)}`;
    if (eventType(uri)) eventPointers.set(uri, pointer);
  }
  return pointer;
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

function hasNonEmptyReason(value: unknown): boolean {
  return (
    isJsonObject(value) && Object.values(value).some((v) => typeof v === 'string' && v.trim().length > 0)
  );
}

/** CAEP 1.0 §2 defines the optional claims every CAEP event (and RISC credential-compromise) may carry. */
const CAEP_OPTIONAL_CLAIMS = new Set(['event_timestamp', 'initiating_entity', 'reason_admin', 'reason_user']);

function ssfRequirement(info: EventType, path: string): RequirementId {
  const member = path.split('/')[1] ?? '';
  const usesCaepClaims = info.family === 'caep' || info.requirement === 'RISC-2.7';
  return usesCaepClaims && CAEP_OPTIONAL_CLAIMS.has(member) ? 'CAEP-2' : info.requirement;
}

function judgeSchema(
  payload: Record<string, unknown>,
  info: EventType,
  base: string,
  sink: FindingSink,
  ctx: ValidationContext,
): void {
  const okta = ctx.profile.eventShape === 'okta';
  const schemaId = okta && info.okta ? info.okta.schemaId : info.schemaId;
  const result = validateWithSchema(schemaId, payload, 'the event');
  for (const error of result.errors) {
    const inSubject = error.path === '/subject' || error.path.startsWith('/subject/');
    // Under the SSF profiles the subject rules judge a legacy in-event subject, with their own requirements.
    if (inSubject && !okta) continue;
    const requirement =
      okta && info.okta
        ? inSubject
          ? 'OKTA-SET-SUBJECT'
          : info.okta.requirement
        : ssfRequirement(info, error.path);
    const where = error.path === '' ? base : `${base}${error.path}`;
    sink.report(
      'event-payload-matches-event-schema',
      `${info.name}: ${error.message}`,
      { path: where },
      requirement,
    );
  }
}

function judgeEvent(
  uri: string,
  payload: unknown,
  claims: Record<string, unknown>,
  sink: FindingSink,
  ctx: ValidationContext,
): void {
  const base = eventPointer(uri);
  if (!ABSOLUTE_URI.test(uri)) {
    sink.report('event-type-is-uri', `event type "${excerpt(uri)}" is not an absolute URI`, { path: base });
  }
  if (!isJsonObject(payload)) {
    sink.report(
      'event-payload-is-json-object',
      `the payload of "${excerpt(uri)}" is ${Array.isArray(payload) ? 'an array' : payload === null ? 'null' : typeof payload}; an event with no claims is {}`,
      {
        path: base,
        evidence: excerpt(payload),
      },
    );
    return;
  }
  const info = eventType(uri);
  const okta = ctx.profile.eventShape === 'okta';

  if (okta) {
    if (!info?.okta) {
      sink.report(
        'event-type-is-accepted-by-okta',
        `Okta's receiver does not accept event type "${excerpt(uri)}"`,
        {
          path: base,
        },
      );
      return;
    }
    judgeSchema(payload, info, base, sink, ctx);
    return;
  }

  if (!info) {
    sink.report(
      'event-type-is-catalogued',
      `event type "${excerpt(uri)}" is not one ssf-lab knows; its payload was not checked`,
      {
        path: base,
      },
    );
    // SSF §3.1.2: only the older CAEP and RISC types may carry an in-event subject, and they are all
    // catalogued — so a type ssf-lab does not know is a new one, and new types MUST NOT use "subject".
    if (Object.hasOwn(payload, 'subject'))
      sink.report(
        'event-has-no-subject-member',
        `"${excerpt(uri)}" is not a legacy CAEP/RISC type, so its subject belongs in "sub_id", not in the event`,
        { path: `${base}/subject` },
      );
    return;
  }
  judgeSchema(payload, info, base, sink, ctx);

  if (info.deprecated) {
    sink.report(
      'event-type-is-not-deprecated',
      `${info.family.toUpperCase()} ${info.name} is deprecated; send CAEP session-revoked instead`,
      {
        path: base,
      },
    );
  }

  const hasSubject = Object.hasOwn(payload, 'subject');
  if (hasSubject && !info.legacySubject) {
    sink.report(
      'event-has-no-subject-member',
      `${info.name} is not a legacy CAEP/RISC type, so its subject belongs in "sub_id", not in the event`,
      {
        path: `${base}/subject`,
      },
    );
  } else if (hasSubject && sink.runs('subject-identifier-is-valid')) {
    judgeSubject(payload.subject, `${base}/subject`, sink);
  }

  if (
    uri === EVENT_URIS.assuranceLevelChange &&
    Object.hasOwn(payload, 'previous_level') &&
    !Object.hasOwn(payload, 'change_direction')
  ) {
    sink.report(
      'assurance-level-change-has-direction',
      'assurance-level-change has "previous_level" but no "change_direction"',
      {
        path: `${base}/change_direction`,
      },
    );
  }
  if (uri === EVENT_URIS.riskLevelChange && !Object.hasOwn(payload, 'risk_reason')) {
    sink.report('risk-level-change-has-reason', 'risk-level-change has no "risk_reason"', {
      path: `${base}/risk_reason`,
    });
  }

  if (info.identifierSubject) {
    const subject = hasSubject ? payload.subject : claims.sub_id;
    const formats = subjectFormats(subject);
    const format = isJsonObject(subject) ? subject.format : undefined;
    if (format !== 'email' && format !== 'phone_number') {
      sink.report(
        'risc-identifier-subject-is-email-or-phone',
        `${info.name} must name the identifier with an email or phone_number subject, not ${formats.length > 0 ? `"${String(format)}"` : 'nothing'}`,
        { path: hasSubject ? `${base}/subject` : '/payload/sub_id', evidence: excerpt(subject) },
        info.identifierSubject,
      );
    }
  }

  if (info.interopReasonAdmin && !hasNonEmptyReason(payload.reason_admin)) {
    sink.report(
      'interop-event-has-reason-admin',
      `${info.name} needs a non-empty "reason_admin" under the interop profile`,
      { path: `${base}/reason_admin` },
      info.interopReasonAdmin,
    );
  }

  if (info.control) judgeControlEvent(info, payload, claims, base, sink, ctx);
  judgeInteropSubject(info, claims, sink);
}

function judgeControlEvent(
  info: EventType,
  payload: Record<string, unknown>,
  claims: Record<string, unknown>,
  base: string,
  sink: FindingSink,
  ctx: ValidationContext,
): void {
  const subId = claims.sub_id;
  if (Object.hasOwn(claims, 'sub_id')) {
    if (!isJsonObject(subId) || subId.format !== 'opaque' || typeof subId.id !== 'string') {
      sink.report(
        'control-event-subject-is-stream',
        `${info.name} must name its stream with an opaque "sub_id"`,
        {
          path: '/payload/sub_id',
          evidence: excerpt(subId),
        },
        info.requirement,
      );
    } else if (ctx.expectedStreamId !== undefined && subId.id !== ctx.expectedStreamId) {
      sink.report(
        'control-event-subject-is-stream',
        `${info.name} names stream "${excerpt(subId.id)}", not "${ctx.expectedStreamId}"`,
        {
          path: '/payload/sub_id/id',
          evidence: excerpt(subId.id),
        },
        info.requirement,
      );
    }
  }
  if (info.uri === EVENT_URIS.verification && ctx.expectedState !== undefined) {
    const state = payload.state;
    if (ctx.expectedState === null && state !== undefined) {
      sink.report(
        'verification-state-matches-expected',
        'an unsolicited verification event carries "state"; only a requested one echoes it',
        {
          path: `${base}/state`,
          evidence: excerpt(state),
        },
      );
    } else if (ctx.expectedState !== null && state !== ctx.expectedState) {
      sink.report(
        'verification-state-matches-expected',
        state === undefined
          ? `the verification event carries no "state"; "${excerpt(ctx.expectedState)}" was requested`
          : `"state" is "${excerpt(state)}", not the "${excerpt(ctx.expectedState)}" the receiver requested`,
        { path: `${base}/state`, ...(state === undefined ? {} : { evidence: excerpt(state) }) },
      );
    }
  }
}

/**
 * CAEP interop §2.5 "Event Subjects": "The following subject identifier formats from [RFC9493] MUST be
 * supported: email, iss_sub, opaque (for the Verification event only). Receivers MUST be prepared to
 * accept events with any of the subject identifier formats specified in this section. Transmitters MUST be
 * able to send events with at least one of subject identifier formats specified in this section."
 *
 * Those MUSTs say what an implementation supports; no sentence forbids a SET another format. So a subject
 * outside the list is a warning (an interop receiver need not understand it), never a failure — and the
 * requirement's keyword says so. The list scopes opaque to the Verification event: a stream-updated
 * event's opaque subject, which SSF §8.1.5 itself requires, is outside it too, and the message says the
 * two texts disagree rather than blaming the transmitter for following SSF.
 */
function judgeInteropSubject(info: EventType, claims: Record<string, unknown>, sink: FindingSink): void {
  if (!sink.runs('subject-format-is-interoperable') || !isJsonObject(claims.sub_id)) return;
  const format = claims.sub_id.format;
  // A missing or non-string format is the subject rules' finding, not this one.
  if (typeof format !== 'string' || format === 'email' || format === 'iss_sub') return;
  if (format === 'opaque' && info.uri === EVENT_URIS.verification) return;
  const listed =
    'the interop profile requires receivers to support only email and iss_sub (and opaque for the Verification event)';
  const message =
    format === 'opaque' && info.uri === EVENT_URIS.streamUpdated
      ? `"sub_id" is opaque, as SSF §8.1.5 requires for stream-updated, but ${listed}: an interop receiver need not accept this event`
      : `"sub_id" uses format "${excerpt(format)}", but ${listed}: an interop receiver need not accept this ${info.name} event`;
  sink.report('subject-format-is-interoperable', message, {
    path: '/payload/sub_id/format',
    evidence: excerpt(format),
  });
}

export function judgeEvents(
  claims: Record<string, unknown>,
  sink: FindingSink,
  ctx: ValidationContext,
): void {
  const events = claims.events;
  if (!isJsonObject(events)) return;
  const uris = Object.keys(events);
  if (uris.length === 0) return;
  if (uris.length > 1) {
    sink.report('events-has-one-event', `"events" holds ${uris.length} events; a SET carries one`, {
      path: '/payload/events',
      evidence: uris.map((u) => excerpt(u)),
    });
  }
  for (const uri of uris) judgeEvent(uri, events[uri], claims, sink, ctx);
}
