/**
 * The events plan's failing cases. Every generated (event type, profile) check fails when the validator
 * refuses the type's well-formed example — a valid event would be turned away — and when it lets through
 * any of the type's broken variants, each written from the spec that defines the type (negatives.ts).
 * The captured-SET checks fail on a SET drawing a finding at their own level (and the MUST check on a JWKS
 * that could not be had). Test data only: `checks.test.ts` and harness/certify/every-check-fails read it.
 */
import {
  EVENT_TYPES,
  EVENT_URIS,
  type EventType,
  type Finding,
  makeFinding,
  PROFILE_NAMES,
  type ProfileName,
} from '../../harness/protocol/index.ts';
import { type FailingCase, failsOn } from '../core/failing.testing.ts';
import type { Check } from '../core/index.ts';
import { appliesTo, type ProfileCapture, type TypeResult, typeKey } from './build.ts';
import { CAPTURED_CHECKS, type CapturedCapture, PROFILE_CHECKS, typeCheckId } from './checks.ts';
import { mutationsFor } from './negatives.ts';

/** A schema failure, as the validator reports a payload that breaks its type's definition. */
export const SCHEMA_FAILURE: Finding = makeFinding(
  'event-payload-matches-event-schema',
  'CAEP-3.3',
  'change_type must be one of create, revoke, update, delete',
  { path: '/payload/events/x/change_type' },
);
/** SSF 1.0 §4.1.9: transmitters SHOULD set `txn`. */
export const NO_TXN: Finding = makeFinding('claims-have-txn', 'SSF-4.1.9', 'the SET has no "txn"');
/** SSF 1.0 §3.4: a format outside the registry (information only). */
export const PROPRIETARY_FORMAT: Finding = makeFinding(
  'subject-format-is-registered',
  'SSF-3.4',
  'format "x-acme" is proprietary',
);
/** SSF 1.0 §4.1.7: SETs MUST NOT carry `exp`. */
const HAS_EXP: Finding = makeFinding('claims-have-no-exp', 'SSF-4.1.7', 'the SET carries "exp"', {
  path: '/payload/exp',
});

function typeOf(check: Check<ProfileCapture>, profile: ProfileName): EventType {
  const type = EVENT_TYPES.find((t) => appliesTo(profile, t) && typeCheckId(t, profile) === check.id);
  if (type === undefined) throw new TypeError(`no event type behind ${check.id}`);
  return type;
}

const judged = (profile: ProfileName, type: EventType, result: TypeResult): ProfileCapture => ({
  profile,
  selected: true,
  results: { [type.uri]: result },
});

/** For one generated check: its example refused, and each broken variant let through. */
function typeCases(profile: ProfileName, check: Check<ProfileCapture>): FailingCase[] {
  const type = typeOf(check, profile);
  const refused = makeFinding(
    'event-payload-matches-event-schema',
    check.requirement,
    `the ${type.name} payload does not match its schema`,
    { path: `/payload/events/${type.uri}` },
  );
  return [
    failsOn(
      check,
      judged(profile, type, { valid: [refused], broken: [] }),
      `Under the ${profile} profile the well-formed ${type.name} example draws a failure, so a valid event would be refused.`,
    ),
    ...mutationsFor(typeKey(type), profile).map((m) =>
      failsOn(
        check,
        judged(profile, type, { valid: [], broken: [{ what: m.what, findings: [] }] }),
        `Under the ${profile} profile the ${type.name} example ${m.what} draws no finding, so the broken event would be accepted.`,
      ),
    ),
  ];
}

const credentialChange = EVENT_TYPES.find((t) => t.uri === EVENT_URIS.credentialChange) as EventType;
const credentialChangeSsf = PROFILE_CHECKS.ssf.find(
  (c) => c.id === typeCheckId(credentialChange, 'ssf'),
) as Check<ProfileCapture>;

const [must, should, may] = CAPTURED_CHECKS as [
  Check<CapturedCapture>,
  Check<CapturedCapture>,
  Check<CapturedCapture>,
];

export const FAILING_CASES: readonly FailingCase[] = [
  ...PROFILE_NAMES.flatMap((profile) => PROFILE_CHECKS[profile].flatMap((c) => typeCases(profile, c))),

  failsOn(
    credentialChangeSsf,
    judged('ssf', credentialChange, { valid: [NO_TXN], broken: [] }),
    'The well-formed credential-change example draws a warning, and a well-formed example must draw nothing at all.',
  ),
  failsOn(
    credentialChangeSsf,
    judged('ssf', credentialChange, {
      valid: [],
      broken: [
        { what: 'without "credential_type"', findings: [] },
        { what: 'with "change_type": "rotate"', findings: [NO_TXN] },
      ],
    }),
    'The credential-change example without "credential_type" draws no finding, and the one with "change_type": "rotate" only a warning.',
  ),
  failsOn(
    credentialChangeSsf,
    { profile: 'ssf', selected: true, results: {} },
    'The ssf profile is selected but no credential-change SET was built under it.',
  ),

  failsOn(
    must,
    { judged: [{ index: 0, profile: 'ssf', findings: [HAS_EXP] }] },
    'A captured SET carries "exp", which SSF 1.0 §4.1.7 forbids.',
  ),
  failsOn(
    must,
    { judged: [{ index: 0, profile: 'okta', findings: [SCHEMA_FAILURE, NO_TXN, PROPRIETARY_FORMAT] }] },
    'A captured credential-change SET has "change_type" outside the four CAEP defines.',
  ),
  failsOn(
    must,
    {
      judged: [
        { index: 1, profile: 'ssf', findings: [], jwksProblem: 'HTTP 404 from https://tx.example/jwks' },
      ],
    },
    "The transmitter's JWKS answered 404, so the captured SET's signature could not be checked.",
  ),
  failsOn(
    should,
    { judged: [{ index: 0, profile: 'okta', findings: [SCHEMA_FAILURE, NO_TXN, PROPRIETARY_FORMAT] }] },
    'A captured SET carries no "txn", which SSF 1.0 §4.1.9 asks transmitters to set.',
  ),
  failsOn(
    may,
    { judged: [{ index: 0, profile: 'okta', findings: [SCHEMA_FAILURE, NO_TXN, PROPRIETARY_FORMAT] }] },
    'A captured SET names its subject in the proprietary format "x-acme".',
  ),
];
