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
  },
  'SSF-8-API': {
    spec: 'SSF',
    section: '8',
    keyword: 'RECOMMENDED',
    summary:
      'A transmitter offers the stream management API, in particular its configuration, status and verification endpoints.',
  },
  'SSF-8.1.2-PAUSED-SILENT': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'MUST NOT',
    summary: 'A paused stream sends no events while it is paused.',
  },
  'SSF-8.1.2-DISABLED-HELD': {
    spec: 'SSF',
    section: '8.1.2',
    keyword: 'SHOULD NOT',
    summary:
      'A disabled stream holds nothing: events held while it was paused are not delivered once it is disabled and enabled again.',
  },
  'SSF-6-DELIVERY': {
    spec: 'SSF',
    section: '6',
    keyword: 'MUST',
    summary:
      "An event of a type in the stream's events_delivered, about a subject in the stream, is delivered by the stream's delivery method.",
  },
  'SSF-4.1-SET': {
    spec: 'SSF',
    section: '4.1',
    keyword: 'MUST',
    summary:
      "Every SET the transmitter sends satisfies the validator's failure-level rules of the SSF profile of RFC 8417 (each finding names its own requirement).",
  },
  'SSF-4.1-SET-SHOULD': {
    spec: 'SSF',
    section: '4.1',
    keyword: 'SHOULD',
    summary:
      "Every SET the transmitter sends satisfies the validator's warning-level rules of the SSF profile (each finding names its own requirement).",
  },
  'SSF-8.1.5-ON-CHANGE': {
    spec: 'SSF',
    section: '8.1.5',
    keyword: 'MUST',
    summary:
      "A transmitter that changes a stream's status on its own (an inactivity_timeout included) sends a Stream Updated event with the new status — before it stops sending when it pauses or disables.",
  },
} as const satisfies Record<string, RequirementInput>;
