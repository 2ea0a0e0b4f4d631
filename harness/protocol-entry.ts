/**
 * `ssf-lab/protocol`: the protocol core (schemas, the SET codec, the validator, the requirement and check
 * registries, with the kernel's time, ids, errors and redaction) and the records a run leaves (the
 * timeline, the certification record) — without the SSF engines, the lab or the mocks' dependencies.
 * The records stand above the protocol core, so this entry point, not harness/protocol/index.ts, puts
 * them together; like harness/index.ts it belongs to no floor and only re-exports the units' indexes.
 * @module
 */

export * from './protocol/index.ts';
export * from './records/index.ts';
