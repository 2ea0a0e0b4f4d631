/**
 * SSF 1.0 final examples: subjects (§3), the explicit-typing header (§4.1.1), the example SETs (§4.1.8,
 * §5, §8.1.4, §8.1.5), transmitter configuration metadata (§7), and the stream management bodies (§8.1).
 * Figure numbers are those of the published document (openid/sharedsignals, "Prepare for v1"); the
 * subject-matching examples of §8.1.3.1 have no figure number and are named by their place.
 */
import {
  ADD_SUBJECT_REQUEST_SCHEMA_ID,
  REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
  STREAM_CONFIGURATION_SCHEMA_ID,
  STREAM_CREATE_REQUEST_SCHEMA_ID,
  STREAM_REPLACE_REQUEST_SCHEMA_ID,
  STREAM_STATUS_SCHEMA_ID,
  STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
  STREAM_UPDATE_REQUEST_SCHEMA_ID,
  TRANSMITTER_METADATA_SCHEMA_ID,
  VERIFICATION_REQUEST_SCHEMA_ID,
} from '../schemas/ssf-wire.ts';
import { OKTA_NOT_FOR_SUBJECTS, wellFormedSubject } from './rfc9493.ts';
import {
  fail,
  info,
  notApplicable,
  type SpecVector,
  type SubjectValue,
  type SubjectVector,
  VALID,
  warn,
} from './types.ts';

const SSF = 'SSF 1.0 final';
const CAEP_BASE = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC_BASE = 'https://schemas.openid.net/secevent/risc/event-type/';
const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';
const STREAM_UPDATED = 'https://schemas.openid.net/secevent/ssf/event-type/stream-updated';
const STREAM_ID = 'f67e39a0a4d34d56b3aa1bc4cff0069f';
const STATE = 'VGhpcyBpcyBhbiBleGFtcGxlIHN0YXRlIHZhbHVlLgo=';

const OKTA_REFUSES = (what: string): ReturnType<typeof fail> =>
  fail(`Okta's receiver accepts six event types (OKTA-SET-EVENTS); ${what} is not one of them.`);
const NO_TXN = warn('SSF §4.1.9: Transmitters SHOULD set "txn"; the example has none.');
const NOT_INTEROP = (format: string, event: string): ReturnType<typeof warn> =>
  warn(
    `The interop profile §2.5 requires receivers to support email and iss_sub (opaque for the Verification event only); a "${format}" subject on ${event} is outside that list, which no sentence forbids — a warning.`,
  );

function subjectVector(id: string, source: string, value: SubjectValue, note?: string): SubjectVector {
  return {
    kind: 'subject',
    id,
    source,
    ...(note === undefined ? {} : { note }),
    subject: value,
    expect: wellFormedSubject(value.format),
  };
}

// The stream configuration the §8.1.1 examples return (each response repeats it with its own description).
const AUD = ['https://receiver.example.com/web', 'https://receiver.example.com/mobile'];
const PUSH = { method: 'urn:ietf:rfc:8935', endpoint_url: 'https://receiver.example.com/events' };
const TYPE = (n: number) => `urn:example:secevent:events:type_${n}`;
const REQUESTED = [TYPE(2), TYPE(3), TYPE(4)];
const config = (description?: string, streamId = STREAM_ID) => ({
  stream_id: streamId,
  iss: 'https://tr.example.com',
  aud: AUD,
  delivery: PUSH,
  events_supported: [TYPE(1), TYPE(2), TYPE(3)],
  events_requested: REQUESTED,
  events_delivered: [TYPE(2), TYPE(3)],
  ...(description === undefined ? {} : { description }),
});
const RECEIVER_A = 'Stream for Receiver A using events type_2, type_3, type_4';

const noBody = (figure: number, title: string, why: string): SpecVector => ({
  kind: 'no-body',
  id: `ssf-figure-${figure}`,
  source: `${SSF}, Figure ${figure}: ${title}`,
  why,
});

const GET_NO_BODY = 'A GET request: the stream is named in the query string, there is no body to judge.';

export const SSF_VECTORS: readonly SpecVector[] = [
  // --- §3 subjects ---
  subjectVector(
    'ssf-figure-1',
    `${SSF} §3.2, Figure 1: Example: Simple Subject`,
    { format: 'email', email: 'foo@example.com' },
    'The figure shows the member "sub_id": {…}, not a JSON document; its value is judged.',
  ),
  subjectVector(
    'ssf-figure-2',
    `${SSF} §3.3, Figure 2: Example: Complex Subject`,
    {
      format: 'complex',
      user: { format: 'email', email: 'bar@example.com' },
      tenant: { format: 'iss_sub', iss: 'https://example.com/idp1', sub: '1234' },
    } as { format: string },
    'The figure shows the member "sub_id": {…}, not a JSON document; its value is judged.',
  ),
  subjectVector('ssf-figure-3', `${SSF} §3.5.1, Figure 3: Example: 'jwt_id' Subject Identifier`, {
    format: 'jwt_id',
    iss: 'https://idp.example.com/123456789/',
    jti: 'B70BA622-9515-4353-A866-823539EECBC8',
  }),
  subjectVector('ssf-figure-4', `${SSF} §3.5.2, Figure 4: Example: 'saml_assertion_id' Subject Identifier`, {
    format: 'saml_assertion_id',
    issuer: 'https://idp.example.com/123456789/',
    assertion_id: '_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6',
  }),
  subjectVector('ssf-figure-5', `${SSF} §3.5.3, Figure 5: Example: 'ip-addresses' Subject Identifier`, {
    format: 'ip-addresses',
    'ip-addresses': ['10.29.37.75', '2001:0db8:0000:0000:0000:8a2e:0370:7334'],
  }),

  // --- §4.1.1 explicit typing: a header shown alone ---
  {
    kind: 'fragment',
    id: 'ssf-figure-6',
    source: `${SSF} §4.1.1, Figure 6: Explicitly Typed JOSE Header`,
    note: 'A header shown alone, {"typ":"secevent+jwt","alg":"HS256"}: judged as the header of a minimal valid session-revoked SET, HMAC-signed with a throwaway secret.',
    eventType: `${CAEP_BASE}session-revoked`,
    fragment: {},
    header: { typ: 'secevent+jwt', alg: 'HS256' },
    expect: {
      ssf: {
        'signature-is-valid': fail(
          'The figure illustrates "typ"; its "alg": "HS256" is a shared-secret MAC, and a receiver resolves keys from "jwks_uri" (SSF §4.1.4), which publishes public keys — an HMAC-signed SET cannot be authenticated.',
        ),
      },
      'caep-interop': {
        'header-alg-is-rs256': fail(
          'The interop profile §2.6: "All events MUST be signed using the RS256 algorithm".',
        ),
        'signature-is-valid': fail(
          '"alg": "HS256" cannot be verified with the transmitter\'s published public keys.',
        ),
      },
      okta: notApplicable(
        "A header shown alone: wrapped in an SSF-shaped SET, Okta's verdict would be about the wrapper's subject placement, not the header.",
      ),
    },
  },

  // --- §4.1.8 and §5: example SETs ---
  {
    kind: 'claims',
    id: 'ssf-figure-7',
    source: `${SSF} §4.1.8, Figure 7: Example: SET with array 'aud' claim`,
    claims: {
      jti: '123456',
      iss: 'https://transmitter.example.com',
      aud: ['receiver.example.com/web', 'receiver.example.com/mobile'],
      iat: 1493856000,
      txn: '8675309',
      sub_id: { format: 'opaque', id: '72e6991badb44e08a69672960053b342' },
      events: { [VERIFICATION]: { state: STATE } },
    },
    expectedStreamId: '72e6991badb44e08a69672960053b342',
    expectedState: STATE,
    expect: {
      ssf: VALID,
      'caep-interop': VALID,
      okta: {
        'event-type-is-accepted-by-okta': OKTA_REFUSES('SSF verification'),
        'aud-is-single-string': fail(
          'Okta models "aud" as a single string (its org URL); the example has an array.',
        ),
      },
    },
  },
  {
    kind: 'claims',
    id: 'ssf-figure-8',
    source: `${SSF} §5, Figure 8: Example: SET Containing an SSF Event with a Simple Subject Member`,
    claims: {
      iss: 'https://idp.example.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1520364019,
      txn: '8675309',
      aud: '636C69656E745F6964',
      sub_id: { format: 'email', email: 'foo@example.com' },
      events: { [`${RISC_BASE}account-enabled`]: {} },
    },
    expect: {
      ssf: VALID,
      'caep-interop': VALID,
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('RISC account-enabled') },
    },
  },
  {
    kind: 'claims',
    id: 'ssf-figure-9',
    source: `${SSF} §5, Figure 9: Example: SET Containing a RISC Event with a Phone Number Subject`,
    claims: {
      iss: 'https://idp.example.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1520364019,
      txn: '8675309',
      aud: '636C69656E745F6964',
      sub_id: { format: 'phone_number', phone_number: '+1 206 555 0123' },
      events: { [`${RISC_BASE}account-disabled`]: { reason: 'hijacking' } },
    },
    expect: {
      ssf: {
        'subject-identifier-is-valid': fail(
          'The example is wrong: "+1 206 555 0123" is not E.164 (no spaces: "+12065550123"), which RFC 9493 §3.2.5 requires of "phone_number".',
        ),
      },
      'caep-interop': {
        'subject-identifier-is-valid': fail(
          'The example is wrong: "+1 206 555 0123" is not E.164 (RFC 9493 §3.2.5).',
        ),
        'subject-format-is-interoperable': NOT_INTEROP('phone_number', 'account-disabled'),
      },
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('RISC account-disabled') },
    },
  },
  {
    kind: 'claims',
    id: 'ssf-figure-10',
    source: `${SSF} §5, Figure 10: Example: SET Containing a CAEP Event with Properties`,
    claims: {
      iss: 'https://idp.example.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1520364019,
      txn: '8675309',
      aud: '636C69656E745F6964',
      sub_id: { format: 'email', email: 'user@example.com' },
      events: { [`${CAEP_BASE}token-claims-change`]: { claims: { token: 'some-token-value' } } },
    },
    expect: {
      ssf: VALID,
      'caep-interop': VALID,
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('CAEP token-claims-change') },
    },
  },
  {
    kind: 'claims',
    id: 'ssf-figure-11',
    source: `${SSF} §5, Figure 11: Example: SET Containing an SSF Event with a Complex Subject Member`,
    claims: {
      iss: 'https://idp.example.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1520364019,
      txn: '8675309',
      aud: '636C69656E745F6964',
      sub_id: {
        format: 'complex',
        user: {
          format: 'iss_sub',
          iss: 'https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/',
          sub: 'jane.smith@example.com',
        },
        device: {
          format: 'iss_sub',
          iss: 'https://idp.example.com/3957ea72-1b66-44d6-a044-d805712b9288/',
          sub: 'e9297990-14d2-42ec-a4a9-4036db86509a',
        },
      },
      events: {
        [`${CAEP_BASE}session-revoked`]: {
          initiating_entity: 'policy',
          reason_admin: { en: 'Policy Violation: C076E82F' },
          reason_user: { en: 'Land speed violation.', es: 'Violación de velocidad en tierra.' },
          event_timestamp: 1600975810,
        },
      },
    },
    expect: {
      ssf: VALID,
      'caep-interop': { 'subject-format-is-interoperable': NOT_INTEROP('complex', 'session-revoked') },
      okta: {
        'event-payload-matches-event-schema': fail(
          'Okta takes the subject inside the event ("subject": {user, device}, OKTA-SET-SUBJECT); an SSF SET puts it in the top-level "sub_id".',
        ),
      },
    },
  },
  {
    kind: 'claims',
    id: 'ssf-figure-12',
    source: `${SSF} §5, Figure 12: Example: SET Containing an SSF Event with a Simple Subject and a Property Member`,
    claims: {
      iss: 'https://sp.example2.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1520364019,
      txn: '8675309',
      aud: '636C69656E745F6964',
      sub_id: { format: 'email', email: 'foo@example2.com' },
      events: {
        [`${CAEP_BASE}token-claims-change`]: { event_timestamp: 1600975810, claims: { role: 'ro-admin' } },
      },
    },
    expect: {
      ssf: VALID,
      'caep-interop': VALID,
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('CAEP token-claims-change') },
    },
  },
  {
    kind: 'claims',
    id: 'ssf-figure-13',
    source: `${SSF} §5, Figure 13: Example: SET Containing an SSF Event with a Proprietary Subject Identifier Format`,
    claims: {
      iss: 'https://myservice.example3.com/',
      jti: '756E69717565206964656E746966696534',
      iat: 15203800012,
      txn: '8675309',
      aud: '636C69656E745F6324',
      sub_id: { format: 'catalog_item', catalog_id: 'c0384/winter/2354122' },
      events: {
        [`${CAEP_BASE}token-claims-change`]: { event_timestamp: 1600975810, claims: { role: 'ro-admin' } },
      },
    },
    expect: {
      ssf: {
        'iat-is-not-in-future': warn(
          'The example is wrong: "iat" 15203800012 has one digit too many (the year 2451; its siblings use 1520364019). A future "iat" is a warning: no SET specification makes it a MUST.',
        ),
        'subject-format-is-registered': info(
          'SSF §3.4 allows "a proprietary subject identifier format that is agreed to between parties"; "catalog_item" is one, so only its "format" is checked.',
        ),
      },
      'caep-interop': {
        'iat-is-not-in-future': warn(
          'The example is wrong: "iat" 15203800012 has one digit too many (the year 2451).',
        ),
        'subject-format-is-registered': info(
          'SSF §3.4: "catalog_item" is a proprietary format agreed between the parties.',
        ),
        'subject-format-is-interoperable': NOT_INTEROP('catalog_item', 'token-claims-change'),
      },
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('CAEP token-claims-change') },
    },
  },

  // --- §7 transmitter configuration ---
  {
    kind: 'wire',
    id: 'ssf-figure-14',
    source: `${SSF} §7.1, Figure 14: Example: spec_version referring to the final 1_0 spec`,
    note: 'One member of the metadata shown alone.',
    schemaId: TRANSMITTER_METADATA_SCHEMA_ID,
    body: { spec_version: '1_0' },
    errors: {
      '': 'Shown alone, the fragment lacks "issuer", which §7.1 makes REQUIRED; "spec_version": "1_0" itself is valid.',
    },
  },
  {
    kind: 'wire',
    id: 'ssf-figure-15',
    source: `${SSF} §7.1.1, Figure 15: Example: 'spec_urn' specifying the OAuth protocol for authorization`,
    note: 'One authorization_schemes entry shown alone: judged inside minimal metadata {"issuer": "https://tr.example.com", "authorization_schemes": [entry]}.',
    schemaId: TRANSMITTER_METADATA_SCHEMA_ID,
    body: { issuer: 'https://tr.example.com', authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }] },
    errors: {},
  },
  noBody(16, 'Example: Transmitter Configuration Request (without path)', GET_NO_BODY),
  noBody(17, 'Example: Transmitter Configuration Request (with path)', GET_NO_BODY),
  noBody(18, 'Example: Transmitter Configuration Request for RISC Transmitters', GET_NO_BODY),
  {
    kind: 'wire',
    id: 'ssf-figure-19',
    source: `${SSF} §7.2.3, Figure 19: Example: Transmitter Configuration Response`,
    schemaId: TRANSMITTER_METADATA_SCHEMA_ID,
    body: {
      spec_version: '1_0',
      issuer: 'https://tr.example.com',
      jwks_uri: 'https://tr.example.com/jwks.json',
      delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
      configuration_endpoint: 'https://tr.example.com/ssf/mgmt/stream',
      status_endpoint: 'https://tr.example.com/ssf/mgmt/status',
      add_subject_endpoint: 'https://tr.example.com/ssf/mgmt/subject:add',
      remove_subject_endpoint: 'https://tr.example.com/ssf/mgmt/subject:remove',
      verification_endpoint: 'https://tr.example.com/ssf/mgmt/verification',
      critical_subject_members: ['tenant', 'user'],
      authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }, { spec_urn: 'urn:ietf:rfc:8705' }],
      default_subjects: 'NONE',
    },
    errors: {},
  },
  noBody(20, 'Event Stream Management API', 'A diagram of the management API, not a wire object.'),

  // --- §8.1.1 stream configuration ---
  {
    kind: 'wire',
    id: 'ssf-figure-21',
    source: `${SSF} §8.1.1.1, Figure 21: Example: Create Stream Request`,
    schemaId: STREAM_CREATE_REQUEST_SCHEMA_ID,
    body: { delivery: PUSH, events_requested: REQUESTED, description: RECEIVER_A },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-22',
    source: `${SSF} §8.1.1.1, Figure 22: Example: Create Stream Response`,
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    body: config(RECEIVER_A),
    errors: {},
  },
  noBody(23, 'Example: Read Stream Configuration Request', GET_NO_BODY),
  {
    kind: 'wire',
    id: 'ssf-figure-24',
    source: `${SSF} §8.1.1.2, Figure 24: Example: Read Stream Configuration Response`,
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    body: config(RECEIVER_A),
    errors: {},
  },
  noBody(25, 'Example: Read Stream Configuration Request (no "stream_id")', GET_NO_BODY),
  {
    kind: 'wire',
    id: 'ssf-figure-26',
    source: `${SSF} §8.1.1.2, Figure 26: Example: Read Stream Configuration Response (no "stream_id", two streams)`,
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    each: true,
    body: [config(), config(RECEIVER_A, '50b2d39934264897902c0581ba7c21a3')],
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-27',
    source: `${SSF} §8.1.1.2, Figure 27: Example: Read Stream Configuration Response (no "stream_id", one stream)`,
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    each: true,
    body: [config()],
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-28',
    source: `${SSF} §8.1.1.2, Figure 28: Example: Read Stream Configuration Response (no "stream_id", no streams)`,
    note: '"the Transmitter MUST return an empty list": an empty array, with no item to judge.',
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    each: true,
    body: [],
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-29',
    source: `${SSF} §8.1.1.3, Figure 29: Example: Update Stream Configuration Request`,
    note: 'The prose before it says "to replace" although it is the PATCH (update) example.',
    schemaId: STREAM_UPDATE_REQUEST_SCHEMA_ID,
    body: {
      stream_id: STREAM_ID,
      events_requested: REQUESTED,
      description: 'Stream for Receiver B using events type_2, type_3, type_4',
    },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-30',
    source: `${SSF} §8.1.1.3, Figure 30: Example: Update Stream Configuration Response`,
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    body: config('Stream for Receiver B using events type_2, type_3, type_4'),
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-31',
    source: `${SSF} §8.1.1.4, Figure 31: Example: Replace Stream Configuration Request`,
    schemaId: STREAM_REPLACE_REQUEST_SCHEMA_ID,
    body: {
      stream_id: STREAM_ID,
      delivery: PUSH,
      events_requested: REQUESTED,
      description: 'Stream for Receiver C',
    },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-32',
    source: `${SSF} §8.1.1.4, Figure 32: Example: Replace Stream Configuration Response`,
    schemaId: STREAM_CONFIGURATION_SCHEMA_ID,
    body: config('Stream for Receiver C'),
    errors: {},
  },
  noBody(
    33,
    'Example: Delete Stream Request',
    'A DELETE request naming the stream in the query string: no body.',
  ),
  noBody(34, 'Example: Delete Stream Response', '"204 No Content": no body.'),

  // --- §8.1.2 status ---
  noBody(35, 'Example: Check Stream Status Request', GET_NO_BODY),
  {
    kind: 'wire',
    id: 'ssf-figure-36',
    source: `${SSF} §8.1.2.1, Figure 36: Example: Check Stream Status Response`,
    schemaId: STREAM_STATUS_SCHEMA_ID,
    body: { stream_id: STREAM_ID, status: 'paused', reason: 'SYSTEM_DOWN_FOR_MAINTENANCE' },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-37',
    source: `${SSF} §8.1.2.2, Figure 37: Example: Update Stream Status Request Without Optional Fields`,
    schemaId: STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
    body: { stream_id: STREAM_ID, status: 'paused' },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-38',
    source: `${SSF} §8.1.2.2, Figure 38: Example: Update Stream Status Request With Optional Reason`,
    schemaId: STREAM_STATUS_UPDATE_REQUEST_SCHEMA_ID,
    body: { stream_id: STREAM_ID, status: 'paused', reason: 'Disabled by administrator action.' },
    errors: {},
  },
  {
    kind: 'wire',
    id: 'ssf-figure-39',
    source: `${SSF} §8.1.2.2, Figure 39: Example: Update Stream Status Response`,
    schemaId: STREAM_STATUS_SCHEMA_ID,
    body: { stream_id: STREAM_ID, status: 'paused', reason: 'Disabled by administrator action.' },
    errors: {},
  },

  // --- §8.1.3.1 subject matching (unnumbered) ---
  ...(
    [
      ['a', 'the subject a Receiver added (less restrictive example)', { tenant: 'opaque-tenant' }],
      [
        'b',
        "the Transmitter's event subject (less restrictive example)",
        { tenant: 'opaque-tenant', user: 'jdoe' },
      ],
      ['c', 'the subject a Receiver added (more restrictive example)', { user: 'jdoe', device: 'ip' }],
      ['d', "the Transmitter's event subject (more restrictive example)", { user: 'jdoe' }],
      ['e', 'the subject a Receiver added (no-match example)', { user: 'jdoe', group: 'did:example:123456' }],
      [
        'f',
        "the Transmitter's event subject (no-match example)",
        { user: 'jdoe', group: 'did:example:9999999' },
      ],
    ] as const
  ).map(([letter, what, members]): SubjectVector => {
    const subject: Record<string, unknown> = { format: 'complex' };
    if ('tenant' in members) subject.tenant = { format: 'opaque', id: 'example-a38h4792-uw2' };
    if ('user' in members) subject.user = { format: 'email', email: 'jdoe@example.com' };
    if ('device' in members) subject.device = { format: 'ip-addresses', 'ip-addresses': ['10.29.37.75'] };
    if ('group' in members) subject.group = { format: 'did', url: members.group };
    return {
      kind: 'subject',
      id: `ssf-8.1.3.1-${letter}`,
      source: `${SSF} §8.1.3.1 Subject Matching (unnumbered): ${what}`,
      note: 'A stream subject, not an event subject; judged as a sub_id all the same, since it must be a valid subject.',
      subject,
      expect: wellFormedSubject('complex'),
    };
  }),

  // --- §8.1.3.2 / §8.1.3.3 subjects ---
  {
    kind: 'wire',
    id: 'ssf-figure-40',
    source: `${SSF} §8.1.3.2, Figure 40: Example: Add Subject Request`,
    schemaId: ADD_SUBJECT_REQUEST_SCHEMA_ID,
    body: {
      stream_id: STREAM_ID,
      subject: { format: 'email', email: 'example.user@example.com' },
      verified: true,
    },
    errors: {},
  },
  noBody(41, 'Example: Add Subject Response', 'An empty "200 OK".'),
  {
    kind: 'wire',
    id: 'ssf-figure-42',
    source: `${SSF} §8.1.3.3, Figure 42: Example: Remove Subject Request`,
    note: 'The example is wrong: it says "format": "phone", but the format it means is RFC 9493\'s "phone_number" (§3.2.5). The schema still accepts the body: SSF §3.4 allows proprietary formats, of which only "format" can be checked. The next vector judges the subject itself.',
    schemaId: REMOVE_SUBJECT_REQUEST_SCHEMA_ID,
    body: { stream_id: STREAM_ID, subject: { format: 'phone', phone_number: '+12065550123' } },
    errors: {},
  },
  {
    kind: 'subject',
    id: 'ssf-figure-42-subject',
    source: `${SSF} §8.1.3.3, Figure 42: Example: Remove Subject Request, its "subject"`,
    subject: { format: 'phone', phone_number: '+12065550123' },
    expect: {
      ssf: {
        'subject-format-is-registered': info(
          'The example is wrong: "phone" is no registered format (it means "phone_number", RFC 9493 §3.2.5). The validator can only see an unregistered format, which SSF §3.4 allows as a proprietary one — so an info, not a failure.',
        ),
      },
      'caep-interop': {
        'subject-format-is-registered': info(
          'The example is wrong: "phone" means "phone_number" (RFC 9493 §3.2.5).',
        ),
        'subject-format-is-interoperable': NOT_INTEROP('phone', 'session-revoked'),
      },
      okta: OKTA_NOT_FOR_SUBJECTS,
    },
  },
  noBody(43, 'Example: Remove Subject Response', '"204 No Content": no body.'),

  // --- §8.1.4 verification ---
  {
    kind: 'wire',
    id: 'ssf-figure-44',
    source: `${SSF} §8.1.4.2, Figure 44: Example: Trigger Verification Request`,
    schemaId: VERIFICATION_REQUEST_SCHEMA_ID,
    body: { stream_id: STREAM_ID, state: STATE },
    errors: {},
  },
  noBody(45, 'Example: Trigger Verification Response', '"204 No Content": no body.'),
  {
    kind: 'claims',
    id: 'ssf-figure-46',
    source: `${SSF} §8.1.4.2, Figure 46: Example: Verification SET`,
    claims: {
      jti: '123456',
      iss: 'https://transmitter.example.com',
      aud: 'receiver.example.com',
      iat: 1493856000,
      sub_id: { format: 'opaque', id: STREAM_ID },
      events: { [VERIFICATION]: { state: STATE } },
    },
    expectedStreamId: STREAM_ID,
    expectedState: STATE,
    expect: {
      ssf: { 'claims-have-txn': NO_TXN },
      'caep-interop': { 'claims-have-txn': NO_TXN },
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('SSF verification') },
    },
  },

  // --- §8.1.5 stream updated ---
  {
    kind: 'claims',
    id: 'ssf-figure-47',
    source: `${SSF} §8.1.5, Figure 47: Example: Stream Updated SET`,
    claims: {
      jti: '123456',
      iss: 'https://transmitter.example.com',
      aud: 'receiver.example.com',
      iat: 1493856000,
      sub_id: { format: 'opaque', id: STREAM_ID },
      events: { [STREAM_UPDATED]: { status: 'paused', reason: 'Internal error' } },
    },
    expectedStreamId: STREAM_ID,
    expect: {
      ssf: { 'claims-have-txn': NO_TXN },
      'caep-interop': {
        'claims-have-txn': NO_TXN,
        'subject-format-is-interoperable': warn(
          'SSF §8.1.5 requires the opaque stream subject, but the interop profile §2.5 lists opaque "for the Verification event only": the two texts disagree, so an interop receiver need not accept this event — a warning.',
        ),
      },
      okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES('SSF stream-updated') },
    },
  },
];
