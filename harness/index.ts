/**
 * ssf-lab's public entry point (`import … from 'ssf-lab'`): the protocol core, the records, the SSF
 * engines, the lab and the scenario runner. (`ssf-lab/protocol`, protocol-entry.ts, is the protocol core
 * with its records alone, without the mocks' dependencies.) Like protocol-entry.ts it belongs to no floor:
 * it only re-exports the units' indexes.
 * @module
 */

export * from './lab/index.ts';
export * from './protocol/index.ts';
export * from './records/index.ts';
export * from './runner/index.ts';
export * from './ssf/index.ts';
