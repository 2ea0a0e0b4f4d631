/** The subjects module's conforming capture and its failing cases. */
import { casesFor, type TransmitterCase } from './checks.testing.ts';
import { type SubjectsCapture, subjectsChecks } from './subjects.ts';
import type { Captured } from './wire.ts';

export const at = (status: number): Captured => ({
  method: 'POST',
  url: 'https://tx.example/subjects',
  status,
});

export const good: SubjectsCapture = { add: at(200), remove: at(204), addUnknownStream: at(404) };

const fails = casesFor(subjectsChecks);

export const SUBJECTS_CASES: readonly TransmitterCase[] = [
  fails(
    'transmitter-add-subject-answers-200',
    { ...good, add: at(201) },
    'Adding a subject answers 201 instead of 200.',
    /add subject answered HTTP 201, not 200/,
  ),
  fails(
    'transmitter-add-subject-answers-200',
    { ...good, add: at(400) },
    'Adding a well-formed email subject to the stream is refused with 400.',
    /add subject answered HTTP 400, not 200/,
  ),
  fails(
    'transmitter-remove-subject-answers-204',
    { ...good, remove: at(200) },
    'Removing a subject answers 200 instead of 204.',
    /remove subject answered HTTP 200, not 204/,
  ),
  fails(
    'transmitter-add-subject-to-unknown-stream-is-404',
    { ...good, addUnknownStream: at(200) },
    'Adding a subject to a stream that does not exist answers 200.',
    /answered HTTP 200, not 404/,
  ),
];
