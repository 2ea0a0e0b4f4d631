import { defineConfig } from 'vitest/config';

/**
 * `npm run test:container`: the container test alone — it builds the image and starts Docker containers,
 * so it needs a Docker engine and is kept out of `npm test` (vitest.config.ts excludes it).
 */
export default defineConfig({
  test: {
    include: ['harness/**/*.container.test.ts'],
    exclude: ['node_modules', 'dist'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // One file, its tests in order: they share the image the first hook builds.
    maxWorkers: 1,
    env: {
      // Machines whose Docker has no bridge network and no registry (see ARCHITECTURE.md "Machines"):
      // Ryuk's image cannot be pulled, and the host is reached on loopback. Set either to override.
      TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
      TESTCONTAINERS_HOST_OVERRIDE: process.env.TESTCONTAINERS_HOST_OVERRIDE ?? '127.0.0.1',
    },
  },
});
