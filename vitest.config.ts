import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{harness,mocks,suites,scenarios,reports}/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    // Tests never reach the internet; a slow machine gets generous but finite time.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
