/**
 * ssf-lab's public entry point (`import … from 'ssf-lab'`): the protocol core, the SSF engines, the lab
 * and the scenario runner. (`ssf-lab/protocol` is the protocol core alone, without the mocks' dependencies.)
 * @module
 */

export * from './lab/index.ts';
export * from './protocol/index.ts';
export * from './runner/index.ts';
export * from './ssf/index.ts';
