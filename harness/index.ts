/**
 * ssf-lab's public entry point (`import … from 'ssf-lab'`). The protocol core is re-exported here;
 * the lab, mocks and suites join it as they land.
 * @module
 */
export * from './protocol/index.ts';
export * from './ssf/index.ts';
