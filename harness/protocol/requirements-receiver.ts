/**
 * Requirements only the `receiver` conformance checks cite (the shared SSF and RFC ones are in
 * requirements-ssf.ts). Merged into the one registry in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const RECEIVER_SUITE_REQUIREMENTS = {
  // SSF forbids the claims in what a transmitter sends (§4.1.2, §4.1.7) but says nothing explicit about a
  // receiver refusing them: RFC 8935 §2 makes validation the receiver's duty, so refusing is a SHOULD here.
  'SSF-4.1.2-REFUSE': {
    spec: 'SSF',
    section: '4.1.2',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET that carries "sub" (SSF SETs never do) with 400 and "invalid_request".',
    quote: 'The JWT "sub" claim MUST NOT be present in any SET containing an SSF event.',
    why: 'The MUST NOT binds the transmitter; no sentence tells a receiver to refuse such a SET → warning.',
  },
  'SSF-4.1.7-REFUSE': {
    spec: 'SSF',
    section: '4.1.7',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET that carries "exp" (SSF SETs never do) with 400 and "invalid_request".',
    quote: 'The "exp" claim MUST NOT be used in SETs.',
    why: 'The MUST NOT binds the transmitter; no sentence tells a receiver to refuse such a SET → warning.',
  },
  // Where a rule binds what the transmitter sends (SSF §3.1, §3.1.2, §3.4, CAEP interop §2.8.1) and says
  // nothing of the receiver's answer, refusing is a SHOULD here, as for "sub" and "exp" above.
  'SSF-3.1-REFUSE': {
    spec: 'SSF',
    section: '3.1',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET without a top-level "sub_id" (SSF requires one) with 400 and "invalid_request".',
    quote: 'A top-level claim named `sub_id` MUST be used to describe the primary subject of the event.',
    why: 'The MUST binds the transmitter; no sentence tells a receiver to refuse such a SET → warning.',
  },
  'SSF-3.1.2-REFUSE': {
    spec: 'SSF',
    section: '3.1.2',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET whose event type is not a legacy CAEP/RISC type yet carries an in-event "subject" (SSF §3.1.2: MUST NOT) with 400 and "invalid_request".',
    quote:
      'New event types MUST use the top-level `sub_id` claim and MUST NOT use the `subject` field in the `events` claim to describe the primary Subject Principal.',
    why: 'The MUST NOT binds the event definition and its transmitter; no sentence tells a receiver to refuse → warning.',
  },
  'SSF-3.4-REFUSE': {
    spec: 'SSF',
    section: '3.4',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a subject in a format that is neither registered (RFC 9493), nor SSF\'s, nor one it agreed with the transmitter, with 400 and "invalid_request". SSF is silent on the receiver\'s answer and RFC 8935 §3 lets a receiver ignore SETs it has no interest in: a warning.',
    quote:
      'A Subject Identifier in an SSF event MUST have an identifier format that is any one of: … A proprietary subject identifier format that is agreed to between parties.',
    why: 'The MUST binds the transmitter, and a receiver may ignore SETs of no interest (RFC 8935 §3) → warning.',
  },
  'CAEP-IOP-2.8.1-REFUSE': {
    spec: 'CAEP-IOP',
    section: '2.8.1',
    keyword: 'SHOULD',
    summary:
      'Under the interop profile a receiver refuses a SET whose "events" holds more than one event (the profile\'s MUST binds the transmitter) with 400 and "invalid_request".',
    quote: 'The "events" claim of the SET MUST contain only one event.',
    why: 'The MUST binds the transmitter; no sentence tells a receiver to refuse such a SET → warning.',
  },
  // RFC 8935 §2 has the recipient validate that it "is identified as an intended audience of the SET", but
  // RFC 8417 §2.2 makes "aud" only RECOMMENDED, so a deployment may leave the audience implied (one endpoint
  // per stream): refusing a SET without "aud" is a SHOULD.
  'RFC8935-2-AUD-REFUSE': {
    spec: 'RFC8935',
    section: '2',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET without "aud", which cannot identify it as an intended audience. RFC 8417 makes "aud" only RECOMMENDED, so this is a warning.',
    quote: 'The SET Recipient is identified as an intended audience of the SET.',
    why: 'RFC 8935 §2 SHALL validates the audience, but RFC 8417 §2.2 lets a SET omit "aud" (RECOMMENDED) → warning.',
  },
  // RFC 8935 §2.1 binds the transmitter ("The Content-Type header of this request MUST be
  // application/secevent+jwt") and says nothing of a receiver that gets something else: a warning.
  'RFC8935-2.1-REFUSE': {
    spec: 'RFC8935',
    section: '2.1',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a push whose Content-Type is not application/secevent+jwt (400 "invalid_request", or 415). RFC 8935 is silent on the receiver\'s answer: a warning.',
    quote: 'The "Content-Type" header field of this request MUST be "application/secevent+jwt"',
    why: "The MUST binds the transmitter; RFC 8935 says nothing of the receiver's answer → warning.",
  },
  // RFC 8935 §2.4 defines each code; it assigns none to most faults (a bad signature, "alg": "none", a
  // "crit" it does not understand). Where the definitions single one code out (an issuer it does not accept
  // is invalid_issuer, an audience that is not its own invalid_audience, a key it does not hold invalid_key,
  // a body that is no SET invalid_request) the battery check itself requires that code; elsewhere every code
  // whose definition fits is right, and another registered code is only a warning.
  'RFC8935-2.4-CODE': {
    spec: 'RFC8935',
    section: '2.4',
    keyword: 'SHOULD',
    summary:
      'A refusal names a code whose RFC 8935 §2.4 definition fits the fault. Where the RFC assigns no code (a bad signature, "alg": "none", "crit"), any code that fits is right and another registered one is a warning.',
    quote:
      'Security Event Token Error Codes are strings that identify a specific category of error that may occur when parsing or validating a SET.',
    why: 'No keyword: RFC 8935 defines the codes but assigns none to most faults, so the choice is graded as a warning.',
  },
  // RFC 7515 §4.1.9: "A recipient using the media type value MUST treat it as if 'application/' were
  // prepended to any 'typ' value not containing a '/'."
  'RFC7515-4.1.9-RECIPIENT': {
    spec: 'RFC7515',
    section: '4.1.9',
    keyword: 'MUST',
    summary:
      'A receiver that checks "typ" treats "secevent+jwt" and "application/secevent+jwt" as the same media type: it accepts a SET whose "typ" is the long form.',
    quote:
      'A recipient using the media type value MUST treat it as if "application/" were prepended to any "typ" value not containing a \'/\'.',
    why: 'MUST → failure: refusing the long form treats one media type as two.',
  },
  // RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
  'RFC7518-3.3': {
    spec: 'RFC7518',
    section: '3.3',
    keyword: 'MUST',
    summary:
      'A receiver refuses an RS256/PS256 SET signed with an RSA key shorter than 2048 bits, even one its JWKS publishes.',
    quote: 'A key of size 2048 bits or larger MUST be used with these algorithms.',
    why: 'MUST → failure: a receiver that accepts a shorter key accepts what no conforming transmitter may use.',
  },
  // RFC 7518 §3.1's "JOSE Implementation Requirements": RS256 Recommended, ES256 Recommended+, PS256
  // Optional; RFC 8037 registers EdDSA as Optional. No SSF text requires any algorithm of a receiver.
  'RFC7518-3.1-RS256': {
    spec: 'RFC7518',
    section: '3.1',
    keyword: 'RECOMMENDED',
    summary: 'A receiver accepts SETs signed with RS256 (RFC 7518 §3.1: Recommended).',
    quote: 'RS256 | RSASSA-PKCS1-v1_5 using SHA-256 | Recommended',
    why: 'The JWA table rates RS256 Recommended → a receiver that refuses it gets a warning.',
  },
  'RFC7518-3.1-ES256': {
    spec: 'RFC7518',
    section: '3.1',
    keyword: 'RECOMMENDED',
    summary: 'A receiver accepts SETs signed with ES256 (RFC 7518 §3.1: Recommended+).',
    quote: 'ES256 | ECDSA using P-256 and SHA-256 | Recommended+',
    why: 'The JWA table rates ES256 Recommended+ → a receiver that refuses it gets a warning.',
  },
  'RFC7518-3.1-PS256': {
    spec: 'RFC7518',
    section: '3.1',
    keyword: 'OPTIONAL',
    summary: 'A receiver accepts SETs signed with PS256 (RFC 7518 §3.1: Optional).',
    quote: 'PS256 | RSASSA-PSS using SHA-256 and MGF1 with SHA-256 | Optional',
    why: 'The JWA table rates PS256 Optional → a receiver that refuses it is noted (info).',
  },
  'RFC8037-3.1': {
    spec: 'RFC8037',
    section: '3.1',
    keyword: 'OPTIONAL',
    summary: 'A receiver accepts SETs signed with EdDSA over Ed25519 (RFC 8037 registers EdDSA as Optional).',
    quote: 'JOSE Implementation Requirements: Optional',
    why: 'RFC 8037 registers EdDSA as Optional → a receiver that refuses it is noted (info).',
  },
  // RFC 8725 §3.10: "blindly following a 'jku' (JWK set URL) or 'x5u' (X.509 URL) header, which may contain
  // an arbitrary URL, could result in server-side request forgery (SSRF) attacks. Applications SHOULD
  // protect against such attacks".
  'RFC8725-3.10': {
    spec: 'RFC8725',
    section: '3.10',
    keyword: 'SHOULD',
    summary:
      'A receiver does not fetch the "jku" or "x5u" URL a SET names: its keys come from the transmitter\'s configured JWKS.',
    quote:
      'Similarly, blindly following a "jku" (JWK set URL) or "x5u" (X.509 URL) header, which may contain an arbitrary URL, could result in server-side request forgery (SSRF) attacks. Applications SHOULD protect against such attacks',
    why: 'SHOULD → warning.',
  },
  // No SSF or RFC text says when a receiver refreshes the transmitter's JWKS: both rules are what a receiver
  // needs for rotation to work (OpenID Connect Core §10.1.1 describes the same practice), so warnings.
  'LAB-KEY-ROTATION': {
    spec: 'LAB',
    section: 'keys',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      'A receiver accepts a SET signed with a key newly published in the transmitter\'s JWKS (a new "kid"), refetching the JWKS when it meets the unknown kid. No specification says so: a warning.',
    why: 'No specification says when a receiver refetches a JWKS; rotation needs it → warning.',
  },
  'LAB-KEY-WITHDRAWAL': {
    spec: 'LAB',
    section: 'keys',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      "Once a receiver has refetched the transmitter's JWKS, it refuses a SET signed with a key that JWKS no longer holds. No specification says so: a warning.",
    why: 'No specification says how long a receiver may keep a withdrawn key → warning.',
  },
  'LAB-SIZE-REFUSE': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET larger than 64 KiB (no SET needs that much) with 400 "invalid_request" or 413, never a 5xx.',
    why: 'No spec requires it (RFC 8259 §9 only lets an implementation "set limits on the size of texts that it accepts"); a lab rule → warning.',
  },
  'SSF-8.1.1.1-RX-CREATE': {
    spec: 'SSF',
    section: '8.1.1.1',
    keyword: 'MUST',
    summary:
      "A receiver that manages its stream creates it at the transmitter's Configuration Endpoint (an HTTP POST with its credentials).",
    quote:
      'In order to communicate events from a Transmitter to a Receiver, a Receiver MUST first create an Event Stream. An Event Receiver creates a stream by making an HTTP POST request to the Configuration Endpoint.',
    why: 'MUST → failure.',
  },
  'LAB-RX-STREAM-DELETE': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary: 'A receiver that manages its stream deletes it again when the test asks it to.',
    why: 'No spec requires it: SSF §8.1.1.5 says how a receiver deletes a stream, never when it must; the plan asks for it → warning.',
  },
  'LAB-RX-VERIFY-REQUEST': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      "A receiver that manages its stream requests a verification at the transmitter's Verification Endpoint when the test asks it to.",
    why: 'No spec requires it: SSF §8.1.4 says receivers "can request" a Verification Event; the plan asks for one → warning.',
  },
  'SSF-8.1.4-ACCEPT': {
    spec: 'SSF',
    section: '8.1.4.1',
    keyword: 'SHALL',
    summary:
      'A receiver accepts a valid Verification event — the one it asked for, with its "state", or one the transmitter sends unasked, without: 202 to the push, or an "ack" when polling.',
    quote:
      'Upon receiving a Verification Event, the Event Receiver SHALL parse the SET and validate its claims.',
    why: 'SHALL → failure: a valid one is then acknowledged like any SET (RFC 8935 §2.2 SHALL answer 202; RFC 8936 §2 "MUST acknowledge receipt"), and §8.1.4 lets a transmitter send one "at any time".',
  },
} as const satisfies Record<string, RequirementInput>;
