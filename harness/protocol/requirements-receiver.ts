/**
 * Requirements only the `receiver` conformance checks cite (the shared SSF and RFC ones are in
 * requirements-ssf.ts). Merged into the one registry in requirements.ts; an id is defined in one file only.
 */
import type { RequirementInput } from './requirements.ts';

export const RECEIVER_SUITE_REQUIREMENTS = {} as const satisfies Record<string, RequirementInput>;
