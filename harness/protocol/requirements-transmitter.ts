/**
 * Requirements only the `transmitter` conformance checks cite (the shared SSF and RFC ones are in
 * requirements-ssf.ts). Merged into the one registry in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const TRANSMITTER_SUITE_REQUIREMENTS = {
  'SSF-7.1-ENDPOINTS': {
    spec: 'SSF',
    section: '7.1',
    keyword: 'MUST',
    summary:
      'Every endpoint the metadata publishes ("jwks_uri" and the management endpoints) is an https URL.',
    quote: 'If present, this URL MUST use HTTP over TLS [RFC9110].',
    why: 'MUST → failure.',
  },
  'SSF-8-API': {
    spec: 'SSF',
    section: '8',
    keyword: 'RECOMMENDED',
    summary:
      'A transmitter offers the stream management API, in particular its configuration, status and verification endpoints.',
    quote:
      'It is OPTIONAL for Transmitters to implement a Management API, but it is RECOMMENDED that they implement it, especially the endpoints for querying the Stream Status and for triggering Verification.',
    why: 'RECOMMENDED → warning.',
  },
  'SSF-8.1.2-PAUSED-SILENT': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'MUST NOT',
    summary: 'A paused stream sends no events while it is paused.',
    quote: 'paused: The Transmitter MUST NOT transmit events over the stream.',
    why: 'MUST NOT → failure.',
  },
  'SSF-8.1.2-DISABLED-HELD': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'SHOULD NOT',
    summary:
      'A disabled stream holds nothing: events held while it was paused are not delivered once it is disabled and enabled again.',
    quote:
      'disabled: The Transmitter MUST NOT transmit events over the stream and will not hold any events for later transmission.',
    why: '"will not hold" is indicative and does not say what becomes of events already held from a pause; read as a SHOULD NOT → warning.',
  },
  'SSF-6-DELIVERY': {
    spec: 'SSF',
    section: '8.1.2',
    anchor: 'section-8.1.2',
    keyword: 'MUST',
    summary:
      "An event of a type in the stream's events_delivered, about a subject in the stream, is delivered by the stream's delivery method.",
    quote:
      'enabled: The Transmitter MUST transmit events over the stream, according to the stream’s configured delivery method.',
    why: 'MUST → failure.',
  },
  'SSF-4.1-SET': {
    spec: 'SSF',
    section: '4.1',
    keyword: 'MUST',
    summary:
      "Every SET the transmitter sends satisfies the validator's failure-level rules of the SSF profile of RFC 8417 (each finding names its own requirement).",
    quote:
      'The Shared Signals Framework profiles the Security Event Token (SET) [RFC8417] specification by defining certain properties of SETs as described in this section.',
    why: 'An aggregate: each finding names its own requirement and keyword; this one gathers the failure-level ones → failure.',
  },
  'SSF-4.1-SET-SHOULD': {
    spec: 'SSF',
    section: '4.1',
    keyword: 'SHOULD',
    summary:
      "Every SET the transmitter sends satisfies the validator's warning-level rules of the SSF profile (each finding names its own requirement).",
    quote:
      'The Shared Signals Framework profiles the Security Event Token (SET) [RFC8417] specification by defining certain properties of SETs as described in this section.',
    why: 'An aggregate: each finding names its own requirement and keyword; this one gathers the warning-level ones → warning.',
  },
  'SSF-8.1.5-ON-CHANGE': {
    spec: 'SSF',
    section: '8.1.5',
    keyword: 'MUST',
    summary:
      "A transmitter that changes a stream's status on its own (an inactivity_timeout included) sends a Stream Updated event with the new status — before it stops sending when it pauses or disables.",
    quote:
      'If a Transmitter decides to change the status of an Event Stream from "enabled" to either "paused" or "disabled", then the Transmitter MUST send this event to the Receiver before stopping the stream.',
    why: 'MUST → failure.',
  },
  'LAB-RETRY': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      'A transmitter retransmits a SET whose push failed in a way that may be recoverable (a 5xx, a 429, no answer in time) until it is delivered.',
    why: 'No spec requires it: RFC 8935 §2 lets a transmitter retransmit after a recoverable failure but never requires it (§4 leaves reliability to the implementer); a lab rule → warning.',
  },
} as const satisfies Record<string, RequirementInput>;
