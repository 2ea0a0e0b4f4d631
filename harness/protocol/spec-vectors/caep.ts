/**
 * CAEP 1.0 final examples: the optional-claim fragments of §2 (Figures 1–2) and every event example of §3.
 * The examples of §3.6–§3.8 have no figure number and are named by their section. Every example carries
 * "txn" and a top-level "sub_id", so the SSF profile finds them all well-formed; the interop profile adds
 * its two rules (subject formats, §2.5, a warning; a non-empty "reason_admin" for session-revoked and
 * credential-change, §3, a MUST) and Okta its receiver contract.
 */
import { fail, notApplicable, type ProfileVerdicts, type SpecVector, VALID, warn } from './types.ts';

const CAEP = 'CAEP 1.0 final';
const BASE = 'https://schemas.openid.net/secevent/caep/event-type/';
const SESSION_REVOKED = `${BASE}session-revoked`;
const TOKEN_CLAIMS_CHANGE = `${BASE}token-claims-change`;

const NOT_INTEROP = (format: string, event: string): ReturnType<typeof warn> =>
  warn(
    `The interop profile §2.5 requires receivers to support email and iss_sub (opaque for the Verification event only); a "${format}" subject on ${event} is outside that list, which no sentence forbids — a warning.`,
  );
const OKTA_REFUSES = (what: string): ReturnType<typeof fail> =>
  fail(`Okta's receiver accepts six event types (OKTA-SET-EVENTS); ${what} is not one of them.`);
const OKTA_SUBJECT_INSIDE = fail(
  'Okta takes the subject inside the event ("subject": {user, device}, OKTA-SET-SUBJECT); a CAEP 1.0 SET puts it in the top-level "sub_id".',
);

/** Verdicts of a well-formed CAEP example of a type Okta does not accept. */
function notForOkta(name: string, format: string): ProfileVerdicts {
  const interop = format === 'email' || format === 'iss_sub';
  return {
    ssf: VALID,
    'caep-interop': interop ? VALID : { 'subject-format-is-interoperable': NOT_INTEROP(format, name) },
    okta: { 'event-type-is-accepted-by-okta': OKTA_REFUSES(`CAEP ${name}`) },
  };
}

const ENVELOPE = {
  iss: 'https://idp.example.com/123456789/',
  jti: '24c63fb56e5a2d77a6b512616ca9fa24',
  iat: 1615305159,
  aud: 'https://sp.example.com/caep',
  txn: '8675309',
} as const;
const ENVELOPE_2 = {
  iss: 'https://idp.example.com/987654321/',
  jti: '9afce1e4e642b165fcaacdd0e7aa4903',
  iat: 1615305159,
  aud: 'https://sp.example2.net/caep',
  txn: '8675309',
} as const;
const ENVELOPE_3 = {
  iss: 'https://idp.example.com/3456789/',
  jti: '07efd930f0977e4fcc1149a733ce7f78',
  iat: 1615305159,
  aud: 'https://sp.example2.net/caep',
  txn: '8675309',
} as const;
const JANE_3 = { format: 'iss_sub', iss: 'https://idp.example.com/3456789/', sub: 'jane.smith@example.com' };
const JWT_ID = {
  format: 'jwt_id',
  iss: 'https://idp.example.com/987654321/',
  jti: 'f61t6e20zdo3px56gepu8rzlsp4c1dpc0fx7',
};
const TENANT = { format: 'opaque', id: '123456789' };
const SESSION = { format: 'opaque', id: 'dMTlD|1600802906337.16|16008.16' };
const EVENT_TS = 1615304991;

const FRAGMENT_NOTE =
  'A claim shown alone ({"reason_…": {…}}): merged into the payload of a minimal valid session-revoked event.';
const FRAGMENT_OKTA = notApplicable(
  "A claim shown alone: wrapped in an SSF-shaped SET, Okta's verdict would be about the wrapper's subject placement, not the claim.",
);

export const CAEP_VECTORS: readonly SpecVector[] = [
  {
    kind: 'fragment',
    id: 'caep-figure-1',
    source: `${CAEP} §2, Figure 1: Example: Administrative reason information with multiple languages`,
    note: `${FRAGMENT_NOTE} "es-410" is a well-formed BCP 47 tag (Spanish, region 410 — South Korea), though "es-419" (Latin America) was likely meant.`,
    eventType: SESSION_REVOKED,
    fragment: {
      reason_admin: {
        en: 'Landspeed Policy Violation: C076E82F',
        de: 'Landspeed-Richtlinienverstoß: C076E82F',
        'es-410': 'Violación de la política de landspeed: C076E82F',
      },
    },
    expect: { ssf: VALID, 'caep-interop': VALID, okta: FRAGMENT_OKTA },
  },
  {
    kind: 'fragment',
    id: 'caep-figure-2',
    source: `${CAEP} §2, Figure 2: Example: End user reason information with multiple languages`,
    note: FRAGMENT_NOTE,
    eventType: SESSION_REVOKED,
    fragment: {
      reason_user: {
        en: 'Access attempt from multiple regions.',
        de: 'Zugriffsversuch aus mehreren Regionen.',
        'es-410': 'Intento de acceso desde varias regiones.',
      },
    },
    expect: { ssf: VALID, 'caep-interop': VALID, okta: FRAGMENT_OKTA },
  },
  {
    kind: 'claims',
    id: 'caep-figure-3',
    source: `${CAEP} §3.1.2, Figure 3: Example: Session Revoked - Required claims + Simple Subject`,
    claims: { ...ENVELOPE, sub_id: SESSION, events: { [SESSION_REVOKED]: { event_timestamp: EVENT_TS } } },
    expect: {
      ssf: VALID,
      'caep-interop': {
        'interop-event-has-reason-admin': fail(
          'The interop profile §3.1: "The reason_admin field of the event MUST be populated with a non-empty value"; this CAEP example (required claims only) has none.',
        ),
        'subject-format-is-interoperable': NOT_INTEROP('opaque', 'session-revoked'),
      },
      okta: { 'event-payload-matches-event-schema': OKTA_SUBJECT_INSIDE },
    },
  },
  {
    kind: 'claims',
    id: 'caep-figure-4',
    source: `${CAEP} §3.1.2, Figure 4: Example: Session Revoked - subject as \`sub\` claim (includes optional claims)`,
    note: 'The title is stale: it says "subject as `sub` claim", a pre-final shape, but the example uses a complex top-level "sub_id" as CAEP 1.0 requires.',
    claims: {
      ...ENVELOPE,
      sub_id: {
        format: 'complex',
        session: SESSION,
        user: {
          format: 'iss_sub',
          iss: 'https://idp.example.com/123456789/',
          sub: '99beb27c-c1c2-4955-882a-e0dc4996fcbc',
        },
        tenant: TENANT,
      },
      events: {
        [SESSION_REVOKED]: {
          initiating_entity: 'policy',
          reason_admin: { en: 'Landspeed Policy Violation: C076E82F' },
          reason_user: {
            en: 'Access attempt from multiple regions.',
            'es-410': 'Intento de acceso desde varias regiones.',
          },
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: {
      ssf: VALID,
      'caep-interop': { 'subject-format-is-interoperable': NOT_INTEROP('complex', 'session-revoked') },
      okta: { 'event-payload-matches-event-schema': OKTA_SUBJECT_INSIDE },
    },
  },
  {
    kind: 'claims',
    id: 'caep-figure-5',
    source: `${CAEP} §3.1.2, Figure 5: Example: Session Revoked - Complex Subject describing user + device + tenant (includes optional claims)`,
    claims: {
      ...ENVELOPE,
      sub_id: {
        format: 'complex',
        user: { format: 'iss_sub', iss: 'https://idp.example.com/123456789/', sub: 'jane.smith@example.com' },
        device: {
          format: 'iss_sub',
          iss: 'https://idp.example.com/123456789/',
          sub: 'e9297990-14d2-42ec-a4a9-4036db86509a',
        },
        tenant: TENANT,
      },
      events: {
        [SESSION_REVOKED]: {
          initiating_entity: 'policy',
          reason_admin: { en: 'Policy Violation: C076E822' },
          reason_user: {
            en: 'This device is no longer compliant.',
            it: 'Questo dispositivo non è più conforme.',
          },
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: {
      ssf: VALID,
      'caep-interop': { 'subject-format-is-interoperable': NOT_INTEROP('complex', 'session-revoked') },
      okta: { 'event-payload-matches-event-schema': OKTA_SUBJECT_INSIDE },
    },
  },
  {
    kind: 'claims',
    id: 'caep-figure-6',
    source: `${CAEP} §3.2.2, Figure 6: Example: OIDC ID Token Claims Change - Required claims only`,
    claims: {
      ...ENVELOPE_2,
      sub_id: JWT_ID,
      events: { [TOKEN_CLAIMS_CHANGE]: { event_timestamp: EVENT_TS, claims: { role: 'ro-admin' } } },
    },
    expect: notForOkta('token-claims-change', 'jwt_id'),
  },
  {
    kind: 'claims',
    id: 'caep-figure-7',
    source: `${CAEP} §3.2.2, Figure 7: Example: OIDC ID Token Claims Change - Optional claims`,
    claims: {
      ...ENVELOPE_2,
      sub_id: JWT_ID,
      events: {
        [TOKEN_CLAIMS_CHANGE]: {
          event_timestamp: EVENT_TS,
          initiating_entity: 'policy',
          reason_admin: { en: 'User left trusted network: CorpNet3' },
          reason_user: {
            en: "You're no longer connected to a trusted network.",
            it: 'Non sei più connesso a una rete attendibile.',
          },
          claims: { trusted_network: false },
        },
      },
    },
    expect: notForOkta('token-claims-change', 'jwt_id'),
  },
  {
    kind: 'claims',
    id: 'caep-figure-8',
    source: `${CAEP} §3.2.2, Figure 8: Example: SAML Assertion Claims Change - Required claims only`,
    claims: {
      ...ENVELOPE_2,
      jti: 'dae94fed5f459881efa38b65c6772ddc',
      sub_id: {
        format: 'saml_assertion_id',
        issuer: 'https://idp.example.com/987654321/',
        assertion_id: '_a75adf55-01d7-dbd8372ebdfc',
      },
      events: {
        [TOKEN_CLAIMS_CHANGE]: {
          event_timestamp: EVENT_TS,
          claims: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/role': 'ro-admin' },
        },
      },
    },
    expect: notForOkta('token-claims-change', 'saml_assertion_id'),
  },
  {
    kind: 'claims',
    id: 'caep-figure-9',
    source: `${CAEP} §3.3.2, Figure 9: Example: Provisioning a new FIDO2 authenticator - Simple Subject + optional claims`,
    claims: {
      ...ENVELOPE_3,
      sub_id: JANE_3,
      events: {
        [`${BASE}credential-change`]: {
          credential_type: 'fido2-roaming',
          change_type: 'create',
          fido2_aaguid: 'accced6a-63f5-490a-9eea-e59bc1896cfc',
          friendly_name: "Jane's USB authenticator",
          initiating_entity: 'user',
          reason_admin: { en: 'User self-enrollment' },
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: notForOkta('credential-change', 'iss_sub'),
  },
  {
    kind: 'claims',
    id: 'caep-figure-10',
    source: `${CAEP} §3.4.2, Figure 10: Example: Assurance Level Increase - Simple Subject + optional claims`,
    claims: {
      ...ENVELOPE_3,
      sub_id: JANE_3,
      events: {
        [`${BASE}assurance-level-change`]: {
          namespace: 'NIST-AAL',
          current_level: 'nist-aal2',
          previous_level: 'nist-aal1',
          change_direction: 'increase',
          initiating_entity: 'user',
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: notForOkta('assurance-level-change', 'iss_sub'),
  },
  {
    kind: 'claims',
    id: 'caep-figure-11',
    source: `${CAEP} §3.4.2, Figure 11: Example: Custom Assurance Level - Simple Subject`,
    note: '"namespace": "Retinal Scan" is a custom namespace, which §3.4.1 allows ("Any other value that is an alias for a custom namespace agreed between the Transmitter and the Receiver").',
    claims: {
      ...ENVELOPE_3,
      sub_id: JANE_3,
      events: {
        [`${BASE}assurance-level-change`]: {
          namespace: 'Retinal Scan',
          current_level: 'hi-res-scan',
          initiating_entity: 'user',
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: notForOkta('assurance-level-change', 'iss_sub'),
  },
  {
    kind: 'claims',
    id: 'caep-figure-12',
    source: `${CAEP} §3.5.2, Figure 12: Example: Device No Longer Compliant - Complex Subject + optional claims`,
    claims: {
      ...ENVELOPE,
      sub_id: {
        format: 'complex',
        device: {
          format: 'iss_sub',
          iss: 'https://idp.example.com/123456789/',
          sub: 'e9297990-14d2-42ec-a4a9-4036db86509a',
        },
        tenant: TENANT,
      },
      events: {
        [`${BASE}device-compliance-change`]: {
          current_status: 'not-compliant',
          previous_status: 'compliant',
          initiating_entity: 'policy',
          reason_admin: { en: 'Location Policy Violation: C076E8A3' },
          reason_user: { en: 'Device is no longer in a trusted location.' },
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: {
      ssf: VALID,
      'caep-interop': {
        'subject-format-is-interoperable': NOT_INTEROP('complex', 'device-compliance-change'),
      },
      okta: { 'event-payload-matches-event-schema': OKTA_SUBJECT_INSIDE },
    },
  },
  {
    kind: 'claims',
    id: 'caep-3.6.2',
    source: `${CAEP} §3.6.2 Examples (unnumbered): the session-established example`,
    claims: {
      ...ENVELOPE,
      sub_id: { format: 'email', email: 'someuser@somedomain.com' },
      events: {
        [`${BASE}session-established`]: {
          fp_ua: 'abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611',
          acr: 'AAL2',
          amr: ['otp'],
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: notForOkta('session-established', 'email'),
  },
  {
    kind: 'claims',
    id: 'caep-3.7.2',
    source: `${CAEP} §3.7.2 Examples (unnumbered): the session-presented example`,
    claims: {
      ...ENVELOPE,
      sub_id: { format: 'email', email: 'someuser@somedomain.com' },
      events: {
        [`${BASE}session-presented`]: {
          fp_ua: 'abb0b6e7da81a42233f8f2b1a8ddb1b9a4c81611',
          ext_id: '12345',
          event_timestamp: EVENT_TS,
        },
      },
    },
    expect: notForOkta('session-presented', 'email'),
  },
  {
    kind: 'claims',
    id: 'caep-3.8.2',
    source: `${CAEP} §3.8.2 Examples (unnumbered): the risk-level-change example`,
    note: 'Its "sub_id" issuer (…/3456789/) differs from the SET "iss" (…/123456789/), which RFC 9493 §4.2 allows.',
    claims: {
      ...ENVELOPE,
      sub_id: { format: 'iss_sub', iss: 'https://idp.example.com/3456789/', sub: 'jane.doe@example.com' },
      events: {
        [`${BASE}risk-level-change`]: {
          current_level: 'LOW',
          previous_level: 'HIGH',
          event_timestamp: EVENT_TS,
          principal: 'USER',
          risk_reason: 'PASSWORD_FOUND_IN_DATA_BREACH',
        },
      },
    },
    expect: notForOkta('risk-level-change', 'iss_sub'),
  },
];
