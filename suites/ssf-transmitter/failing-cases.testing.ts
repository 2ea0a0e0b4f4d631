/**
 * The `ssf-transmitter` plan's failing cases: for every check of every module, at least one capture in
 * which it fails — a transmitter doing what the check's requirement forbids. Each module's cases live
 * next to it (`<module>.cases.testing.ts`, with the conforming capture they are made from); the SET
 * checks' cases are real SETs judged by the validator (`set-checks.cases.testing.ts`).
 */
import type { FailingCase } from '../core/failing.testing.ts';
import type { TransmitterCase } from './checks.testing.ts';
import { ERRORS_CASES } from './errors.cases.testing.ts';
import { EVENTS_CASES } from './events.cases.testing.ts';
import { INACTIVITY_CASES } from './inactivity.cases.testing.ts';
import { METADATA_CASES } from './metadata.cases.testing.ts';
import { RETRY_CASES } from './retry.cases.testing.ts';
import { STATUS_CASES } from './status.cases.testing.ts';
import { STREAMS_CASES } from './streams.cases.testing.ts';
import { SUBJECTS_CASES } from './subjects.cases.testing.ts';
import { VERIFICATION_POLL_CASES } from './verification-poll.cases.testing.ts';
import { VERIFICATION_PUSH_CASES } from './verification-push.cases.testing.ts';

/** The cases by module id (the plan's `modules[].id`). */
export const FAILING_CASES_BY_MODULE: Readonly<Record<string, readonly TransmitterCase[]>> = {
  metadata: METADATA_CASES,
  streams: STREAMS_CASES,
  errors: ERRORS_CASES,
  status: STATUS_CASES,
  subjects: SUBJECTS_CASES,
  'verification-push': VERIFICATION_PUSH_CASES,
  'verification-poll': VERIFICATION_POLL_CASES,
  retry: RETRY_CASES,
  inactivity: INACTIVITY_CASES,
  events: EVENTS_CASES,
};

export const FAILING_CASES: readonly FailingCase[] = Object.values(FAILING_CASES_BY_MODULE).flat();
