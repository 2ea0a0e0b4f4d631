/**
 * Where mock Okta's SET receiver breaks a rule on purpose (OKTA_DEVIATIONS, docs/self-test.md), kept out of
 * set-receiver.ts so the receiver reads as Okta behaves and each deviation sits beside the rule it breaks.
 * Three seams: the validation steps a deviation switches off (`overlookedBy`, `maxSetBytes`, handed to the
 * SetIntake), what it makes of the intake's verdict (`deviantVerdict`), and how the answer goes out
 * (`answerDeviations`). Each comment names the requirement broken. With every deviation off, nothing changes.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEFAULT_MAX_TOKEN_BYTES,
  decodeSet,
  type Finding,
  makeFinding,
} from '../../../harness/protocol/index.ts';
import type { IntakeResult, ReceivedSet } from '../../../harness/ssf/index.ts';
import type { OktaOrg } from '../core/org.ts';
import { adminUrlOf, deviates, type OktaDeviation } from '../deviations.ts';
import type { SecurityEventsProvider, SecurityEventsProviders } from './security-events-providers.ts';
import { eventSubject } from './set-receiver-subject.ts';

type Header = Readonly<Record<string, unknown>> | null;

/**
 * Each switched-off validation step: the deviation, and the validator finding it stops acting on. One
 * finding each, so only the SETs broken in that one way get through (a SET broken in another way as well
 * is still refused for that).
 */
type Overlooks = (finding: Finding, header: Header, all: readonly Finding[]) => boolean;

/** The checks `okta-skips-claim-checks` switches off: RFC8417-2.2 and OKTA-SET-BODY's required claims. */
const REQUIRED_CLAIM_CHECKS: readonly string[] = [
  'claims-have-iss',
  'claims-have-aud',
  'claims-have-iat',
  'claims-have-jti',
  'claims-have-events',
  'events-is-non-empty-object',
];

/** The findings on members given twice: what a first-wins JSON parser never sees. */
const DUPLICATE_CHECKS: readonly string[] = ['header-parameter-names-are-unique', 'claim-names-are-unique'];

const OVERLOOKED: readonly (readonly [OktaDeviation, Overlooks])[] = [
  // RFC8935-2.3: a SET whose signature does not verify is refused.
  ['okta-skips-signature-check', (f) => f.check === 'signature-is-valid'],
  // RFC8935-2.3 (invalid_key): a key the provider's JWKS does not hold is unacceptable — and unverifiable.
  ['okta-accepts-unknown-kid', (f) => f.check === 'signing-key-is-published'],
  // RFC8935-2.3 (invalid_issuer), SSF-4.1.6: "iss" is identical to the provider's issuer.
  ['okta-ignores-issuer', (f) => f.check === 'iss-matches-expected-issuer'],
  // RFC8935-2.3 (invalid_audience): the SET's audience is this receiver.
  ['okta-accepts-wrong-audience', (f) => f.check === 'aud-includes-expected-audience'],
  // RFC8935-2.3, OKTA-SET-HEADER: "typ" is present and "secevent+jwt"; the two ways to miss it are two
  // deviations.
  ['okta-accepts-missing-typ', (f, h) => f.check === 'header-typ-is-secevent-jwt' && h?.typ === undefined],
  [
    'okta-accepts-jwt-typ',
    (f, h) =>
      f.check === 'header-typ-is-secevent-jwt' && typeof h?.typ === 'string' && h.typ.toLowerCase() === 'jwt',
  ],
  // RFC8417-5.1: an unsigned SET cannot be authenticated.
  ['okta-accepts-alg-none', (f) => f.check === 'header-alg-is-not-none'],
  // OKTA-SET-EVENTS: Okta accepts six event types.
  ['okta-accepts-other-event-types', (f) => f.check === 'event-type-is-accepted-by-okta'],
  // OKTA-SET-HEADER: the header names its key.
  ['okta-accepts-missing-kid', (f) => f.check === 'header-has-kid'],
  // OKTA-SET-BODY: "aud" is the org URL as one string.
  ['okta-accepts-audience-array', (f) => f.check === 'aud-is-single-string'],
  // RFC8417-2.2, OKTA-SET-BODY: "iss", "aud", "iat", "jti" and "events" are required, "iat" a NumericDate
  // and "events" a non-empty object. Without "iss" the SET's issuer is not judged either (see
  // deviantProvider): the receiver never reads the claim.
  [
    'okta-skips-claim-checks',
    (f, _h, all) =>
      REQUIRED_CLAIM_CHECKS.includes(f.check) ||
      (f.check === 'iss-matches-expected-issuer' && all.some((g) => g.check === 'claims-have-iss')),
  ],
  // OKTA-SET-SUBJECT and the event types' schemas (OKTA-SET-DEVICE-RISK-CHANGE, …): the event payload is
  // taken as it comes.
  ['okta-skips-event-payload-checks', (f) => f.check === 'event-payload-matches-event-schema'],
  // RFC7515-4.1.4 ("kid" is a string) and RFC7515-4.1.11 (an unknown "crit" extension makes the JWS
  // invalid). The JOSE library's own refusal of the extension surfaces as a failed signature check, which
  // a receiver that drops "crit" before verifying never meets; a signature that really fails still does.
  [
    'okta-lenient-header',
    (f, h) =>
      f.check === 'header-kid-is-string' ||
      (f.check === 'header-has-kid' && h?.kid !== undefined) ||
      f.check === 'header-crit-is-understood' ||
      (f.check === 'signature-is-valid' &&
        h?.crit !== undefined &&
        f.message.includes('Extension Header Parameter')),
  ],
  // RFC7515-4 and RFC7519-4: a header parameter or claim given twice makes the JWS or JWT invalid (or
  // the last one counts). A first-wins parser judges the first value, so nothing said about the member's
  // (last) value reaches it either.
  [
    'okta-keeps-first-duplicate-member',
    (f, _h, all) => {
      const duplicated = all.filter((g) => DUPLICATE_CHECKS.includes(g.check)).map((g) => g.path);
      return DUPLICATE_CHECKS.includes(f.check) || (f.path !== undefined && duplicated.includes(f.path));
    },
  ],
];

/** The SetIntake's `overlook`: asked per SET, so a deviation switched on at run time acts at once. */
export function overlookedBy(org: OktaOrg): Overlooks {
  return (finding, header, all) =>
    OVERLOOKED.some(([deviation, overlooks]) => deviates(org, deviation) && overlooks(finding, header, all));
}

/**
 * The largest SET the receiver reads: the validator's 64 KiB (LAB-SIZE-REFUSE: no SET needs more), or under
 * `okta-accepts-oversized` as much as the body limit lets in. Asked per SET.
 */
export function maxSetBytes(org: OktaOrg): number {
  return deviates(org, 'okta-accepts-oversized') ? OVERSIZED_LIMIT_BYTES : DEFAULT_MAX_TOKEN_BYTES;
}

/** What `okta-accepts-oversized` reads: as much as the receiver's 1 MiB body limit lets in. */
const OVERSIZED_LIMIT_BYTES = 1024 * 1024;

/**
 * `okta-ignores-issuer`, and `okta-skips-claim-checks` for a SET without "iss": the provider a SET is
 * judged against when its "iss" names none — the newest active one, as a receiver that was only ever set
 * up with one provider might pick it. Undefined otherwise.
 */
export function deviantProvider(
  org: OktaOrg,
  providers: SecurityEventsProviders,
  iss: unknown,
): SecurityEventsProvider | undefined {
  const pick =
    deviates(org, 'okta-ignores-issuer') || (iss === undefined && deviates(org, 'okta-skips-claim-checks'));
  if (!pick) return undefined;
  // Newest by creation time, and of two created in the same millisecond (a lab on virtual time stands
  // still while it is set up) the one registered last.
  let newest: SecurityEventsProvider | undefined;
  for (const p of providers.list())
    if (p.status === 'ACTIVE' && (newest === undefined || p.created >= newest.created)) newest = p;
  return newest;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function refused(err: 'invalid_request' | 'invalid_audience', finding: Finding): IntakeResult {
  return {
    status: 'rejected',
    err,
    description: `${finding.message} [${finding.check}, ${finding.requirement}]`,
    findings: [finding],
  };
}

/**
 * What the deviations make of the intake's verdict on a SET. Off, the verdict stands.
 * - `okta-expects-admin-audience` refuses a SET not addressed to the admin URL — every SET Okta should take
 *   (RFC8935-2.2: a valid SET is accepted);
 * - `okta-refuses-unknown-user` refuses an accepted SET none of whose events names a user of the org, where
 *   Okta accepts and drops it (OKTA-SET-UNKNOWN-USER);
 * - `okta-refuses-redelivered-set` refuses a repeated jti, where RFC8935-2.4 answers it as if it were new;
 * - `okta-processes-redelivered-set` processes a repeated jti again, where Okta processes it once
 *   (OKTA-SET-DUPLICATE).
 */
export function deviantVerdict(org: OktaOrg, token: string, result: IntakeResult): IntakeResult {
  if (result.status === 'accepted') {
    const claims = result.set.claims;
    if (deviates(org, 'okta-expects-admin-audience') && claims.aud !== adminUrlOf(org.url))
      return refused(
        'invalid_audience',
        makeFinding(
          'aud-includes-expected-audience',
          'RFC8935-2',
          `"aud" does not name this receiver (${adminUrlOf(org.url)})`,
          { path: '/payload/aud' },
        ),
      );
    const events = isObject(claims.events) ? Object.values(claims.events) : [];
    if (
      deviates(org, 'okta-refuses-unknown-user') &&
      !events.some((event) => eventSubject(org, event, claims).user !== undefined)
    )
      return {
        status: 'rejected',
        err: 'invalid_request',
        description: 'the SET names no user of this org',
        findings: [],
      };
    return result;
  }
  if (result.status !== 'duplicate') return result;
  if (deviates(org, 'okta-refuses-redelivered-set'))
    return {
      status: 'rejected',
      err: 'invalid_request',
      description: `the SET with jti "${result.jti.slice(0, 80)}" was already received`,
      findings: [],
    };
  if (deviates(org, 'okta-processes-redelivered-set')) {
    // The intake remembers only the jti; the SET itself is read again from the token it already judged.
    const { header, payload } = decodeSet(token);
    if (header === null || payload === null) return result;
    const events = isObject(payload.events) ? payload.events : {};
    return {
      status: 'accepted',
      set: {
        jti: result.jti,
        header,
        claims: payload,
        eventTypes: Object.keys(events),
        via: 'push',
        receivedAt: org.now(),
      },
    };
  }
  return result;
}

/** An accepted SET's body under `okta-202-with-body`: what a receiver echoing a receipt might send. */
const RECEIPT_BODY = JSON.stringify({ status: 'accepted' });

/** A 400 answer's JSON body with its "err" replaced by "invalid_request"; any other body as it is. */
function oneErrorCode(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  try {
    const body: unknown = JSON.parse(payload);
    return isObject(body) && typeof body.err === 'string'
      ? JSON.stringify({ ...body, err: 'invalid_request' })
      : payload;
  } catch {
    return payload;
  }
}

/**
 * How the receiver's answers go out under the answer deviations, on the route at `path` only:
 * `okta-answers-200` and `okta-202-with-body` (RFC8935-2.2, OKTA-SET-RESPONSE: 202 with an empty body),
 * `okta-error-as-text-plain` and `okta-error-without-content-language` (RFC8935-2.3: the error is JSON and
 * carries a Content-Language), `okta-answers-one-error-code` (RFC8935-2.4-CODE: the code fits the fault).
 * Installed before the route is declared.
 */
export function answerDeviations(app: FastifyInstance, org: OktaOrg, path: string): void {
  app.addHook('onRoute', (route) => {
    if (route.url !== path || route.method !== 'POST') return;
    const existing = route.onSend;
    route.onSend = [
      ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]),
      async (_request, reply, payload) => {
        if (reply.statusCode === 202) {
          const withBody = deviates(org, 'okta-202-with-body');
          if (deviates(org, 'okta-answers-200')) reply.code(200);
          if (withBody) {
            reply.header('content-type', 'application/json');
            return RECEIPT_BODY;
          }
          return payload;
        }
        if (reply.statusCode === 400) {
          // RFC8935-2.4-CODE: the code names the fault; one fixed code names none of them.
          if (deviates(org, 'okta-answers-one-error-code')) payload = oneErrorCode(payload);
          if (deviates(org, 'okta-error-as-text-plain'))
            reply.header('content-type', 'text/plain; charset=utf-8');
          if (deviates(org, 'okta-error-without-content-language')) reply.removeHeader('content-language');
        }
        return payload;
      },
    ];
  });
}

/**
 * `okta-acts-on-refused-sets` breaks LAB-REFUSED-NO-EFFECT (a SET answered 400 changes nothing): the SET the
 * intake refused, as it reads before any check, handed on to be processed as an accepted one would be.
 * Undefined when the deviation is off or the SET names no jti or events.
 */
export function actedOnAnyway(
  org: OktaOrg,
  peek: Readonly<Record<string, unknown>> | null,
  now: number,
): ReceivedSet | undefined {
  if (!deviates(org, 'okta-acts-on-refused-sets') || peek === null) return undefined;
  const { jti, events } = peek;
  if (typeof jti !== 'string' || !isObject(events)) return undefined;
  return { jti, header: {}, claims: peek, eventTypes: Object.keys(events), via: 'push', receivedAt: now };
}
