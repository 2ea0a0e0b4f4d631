import { defineConfig } from 'vitest/config';

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
  },
});
