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
  },
  'SSF-4.1.7-REFUSE': {
    spec: 'SSF',
    section: '4.1.7',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET that carries "exp" (SSF SETs never do) with 400 and "invalid_request".',
  },
  'LAB-SIZE-REFUSE': {
    spec: 'LAB',
    section: 'limits',
    anchor: 'limits',
    keyword: 'SHOULD',
    summary:
      'A receiver refuses a SET larger than 64 KiB (no SET needs that much) with 400 "invalid_request" or 413, never a 5xx.',
  },
  // SSF leaves managing a stream to the receiver's discretion; the OIDF receiver plan makes each step a
  // FAILURE condition of the test module that waits for it, and a receiver configured to manage its
  // stream (the plan's `streamManagement`) is held to the same.
  'OIDF-CS-RX-STREAM': {
    spec: 'OIDF-CS',
    section: 'openid-ssf-receiver-stream-create-delete',
    anchor: '',
    keyword: 'MUST',
    summary:
      "A receiver that manages its stream creates it at the transmitter's configuration endpoint with its bearer token, and deletes it again when the test expects it.",
  },
  'OIDF-CS-RX-VERIFY': {
    spec: 'OIDF-CS',
    section: 'openid-ssf-receiver-stream-verification',
    anchor: '',
    keyword: 'MUST',
    summary:
      'A receiver that manages its stream requests verification at the verification endpoint and accepts the Verification event that follows: 202 to the push, or an "ack" when polling.',
  },
  'OIDF-CS-RX-UNSOLICITED': {
    spec: 'OIDF-CS',
    section: 'openid-ssf-receiver-unsolicited-stream-verification',
    anchor: '',
    keyword: 'MUST',
    summary:
      'A receiver accepts a Verification event without "state" that the transmitter sends unasked right after the stream is created: 202 to the push, or an "ack" when polling.',
  },
} as const satisfies Record<string, RequirementInput>;
