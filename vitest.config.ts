import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, started first: with two workers, a long file that starts last is a tail one worker
 * runs alone. vitest orders by the last run's durations when it has them; a clean clone (CI) has none and
 * orders by file size, which puts these anywhere. Longest first.
 */
const SLOW_FIRST = [
  'harness/distribution/package.test.ts',
  'harness/certify/self-test/self-test.test.ts',
  'harness/runner/scenarios-loopback.test.ts',
  'harness/runner/scenarios-in-process.test.ts',
  'harness/certify/certify-events-logout.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = SLOW_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['{harness,mocks,suites,scenarios,reports}/**/*.test.ts'],
    // Docker's and the slowest black-box tests: `npm run test:extended` (vitest.extended.config.ts), in CI.
    exclude: ['node_modules', 'dist', '**/*.container.test.ts', '**/*.extended.test.ts'],
    // Tests never reach the internet; a slow machine gets generous but finite time.
    testTimeout: 20_000,
    // vitest leaves one core to the main process by default; on a 2-core machine that halves the speed of
    // a suite whose files spend most of their time importing. Two workers take the suite from ~105 s to ~70 s.
    maxWorkers: 2,
    // Test files share their worker's module graph instead of re-importing fastify, jose, ajv and every
    // compiled schema per file: the suite went from ~137 s to ~66 s. Tests therefore must not depend on
    // fresh module state — each starts and stops what it uses (labs, servers, msw interception).
    isolate: false,
    hookTimeout: 20_000,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
