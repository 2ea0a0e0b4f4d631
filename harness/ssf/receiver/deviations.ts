/**
 * The reference receiver's deviations (see harness/kernel/deviations.ts): each one a real receiver's mistake
 * that breaks one rule the `ssf-receiver` plan grades, so docs/self-test.md can show that plan's checks
 * failing against a receiver that really misbehaves. The lab's strict SSF receiver, which `certify --lab`
 * grades with that plan (harness/certify/lab-targets/reference-receiver.ts), shows them.
 */
import type { DeviationCatalogue } from '../../kernel/index.ts';

export const RECEIVER_DEVIATIONS: DeviationCatalogue = {
  'receiver-accepts-future-iat': 'accepts a SET whose "iat" lies hours in the future',
  'receiver-accepts-subject-in-event':
    'accepts an event type it does not know carrying its own "subject" member (SSF §3.1.2)',
  'receiver-accepts-sub-and-exp': 'accepts SETs carrying a "sub" or an "exp" claim',
  'receiver-skips-subject-checks':
    'takes any subject: a SET without "sub_id", a malformed phone number or URI in the subject',
  'receiver-requires-short-typ':
    'refuses "typ": "application/secevent+jwt", taking only the short form "secevent+jwt"',
  'receiver-follows-jku': 'fetches the key URL a SET header names ("jku") and trusts the keys it finds there',
  'receiver-pins-the-first-key': 'trusts only the first key it verified a SET with, refusing every other kid',
  'receiver-accepts-short-rsa-keys': 'verifies SETs signed with an RSA key shorter than 2048 bits',
  'receiver-keeps-withdrawn-keys':
    'keeps every key it ever fetched, so a key withdrawn from the JWKS still verifies SETs',
  'receiver-processes-refused-sets': 'acts on every SET pushed to it before judging it, the refused ones too',
  'receiver-creates-no-stream': 'never creates its stream at the transmitter it is told to subscribe to',
  'receiver-requests-no-verification': 'creates its stream but never asks for a Verification event',
  'receiver-refuses-verification': 'answers 400 to every Verification event on its stream',
  'receiver-accepts-any-state': 'accepts a Verification event whatever its "state"',
  'receiver-keeps-its-stream': 'never deletes its stream',
};
