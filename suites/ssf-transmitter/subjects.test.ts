import { describe, test } from 'vitest';
import { expectAllHold, expectEachFails } from './checks.testing.ts';
import { type SubjectsCapture, subjectsChecks } from './subjects.ts';
import type { Captured } from './wire.ts';

const at = (status: number): Captured => ({ method: 'POST', url: 'https://tx.example/subjects', status });
const good: SubjectsCapture = { add: at(200), remove: at(204), addUnknownStream: at(404) };

describe('subject checks', () => {
  test('all hold over a conforming conversation', () => expectAllHold(subjectsChecks, good));
  test('a 204 to an add is tolerated (SSF §9.1 mentions it)', () =>
    expectAllHold(subjectsChecks, { ...good, add: at(204) }));
  test('each fails over a conversation that breaks it', () =>
    expectEachFails(subjectsChecks, {
      'transmitter-add-subject-answers-200': { ...good, add: at(201) },
      'transmitter-remove-subject-answers-204': { ...good, remove: at(200) },
      'transmitter-add-subject-to-unknown-stream-is-404': { ...good, addUnknownStream: at(200) },
    }));
  test('absent endpoints skip', () =>
    expectAllHold(
      subjectsChecks,
      {},
      subjectsChecks.map((c) => c.id),
    ));
});
