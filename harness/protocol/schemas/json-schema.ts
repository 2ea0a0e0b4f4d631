/**
 * The JSON Schema shape used by this project's schemas. Kept loose on purpose: ajv (strict mode) is
 * what validates the schemas themselves when the registry compiles them.
 */
export interface JsonSchema {
  readonly $id?: string;
  readonly $schema?: string;
  readonly [keyword: string]: unknown;
}
