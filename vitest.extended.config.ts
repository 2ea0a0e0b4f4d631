import { defineConfig } from 'vitest/config';

/**
 * `npm run test:extended`, which CI runs after `npm test` (.ci/run): the tests kept out of `npm test` —
 * the container test (`*.container.test.ts`: it builds the image and starts Docker containers, so it
 * needs a Docker engine; `npm run test:container` runs it alone) and the slow black-box runs of what
 * users copy (`*.extended.test.ts`: the CI templates step by step, the README's examples from the packed
 * package, every plan against a served lab as a black box, `ssf-lab load`'s 10,000-SET run and its Artillery
 * export run by Artillery), which would push `npm test` past its
 * three minutes on two cores. vitest.config.ts excludes both.
 */
export default defineConfig({
  test: {
    include: ['harness/**/*.container.test.ts', 'harness/**/*.extended.test.ts'],
    exclude: ['node_modules', 'dist'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // One file at a time: the container test's image build and start-ups want the whole machine.
    maxWorkers: 1,
    env: {
      // Machines whose Docker has no bridge network and no registry (see ARCHITECTURE.md "Machines"):
      // Ryuk's image cannot be pulled, and the host is reached on loopback. Set either to override.
      TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
      TESTCONTAINERS_HOST_OVERRIDE: process.env.TESTCONTAINERS_HOST_OVERRIDE ?? '127.0.0.1',
    },
  },
});
