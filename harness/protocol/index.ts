/**
 * The protocol core of ssf-lab: schemas, the SET codec, the validator and the requirement and check
 * registries. It stands on the kernel alone (time, ids, errors, redaction — re-exported here, as they
 * always were) and imports nothing else in the repository. Importing it compiles no schema: each compiles
 * on its first validation.
 * @module
 */

// The kernel's time, ids, errors and redaction, as the protocol core has always offered them.
export {
  type Clock,
  fixedClock,
  HARNESS_ERROR_CODES,
  HarnessError,
  type HarnessErrorCode,
  type IdSource,
  isHarnessError,
  isSecretHeader,
  isSecretKey,
  REDACTED,
  randomIds,
  redactBody,
  redactHeaders,
  redactJson,
  redactUrl,
  secondsNow,
  sequentialIds,
  systemClock,
} from '../kernel/index.ts';
export { type CatalogueRow, checkCatalogue, renderCatalogueMarkdown } from './catalogue.ts';
export {
  CHECK_IDS,
  CHECKS,
  type CheckDefinition,
  type CheckId,
  isCheckId,
  type PushErrorCode,
  RETIRED_CHECK_IDS,
} from './checks.ts';
export {
  allEventUris,
  type EventExample,
  EXAMPLE_STREAM_ID,
  exampleEvent,
  exampleEventFor,
} from './event-examples.ts';
export {
  EVENT_TYPES,
  EVENT_URIS,
  type EventFamily,
  type EventType,
  eventType,
  OKTA_ACCEPTED_EVENT_URIS,
} from './event-types.ts';
export { countByLevel, type Finding, hasFailures, makeFinding } from './findings.ts';
export { isJsonObject, parseStrictJson, type StrictJsonResult } from './json/strict-json.ts';
export { pushErrorFor } from './push-error.ts';
export {
  type FindingLevel,
  isRequirementId,
  type Keyword,
  levelForKeyword,
  REQUIREMENTS,
  RETIRED_REQUIREMENT_IDS,
  type Requirement,
  type RequirementId,
  requirement,
  SPECS,
  type SpecId,
} from './requirements.ts';
export { parseRetryAfter } from './retry-after.ts';
export { GTR_REQUEST_SCHEMA_ID } from './schemas/gtr-request.ts';
export type { JsonSchema } from './schemas/json-schema.ts';
export {
  getValidator,
  hasSchema,
  type SchemaError,
  type SchemaResult,
  schemaIds,
  validateWithSchema,
} from './schemas/registry.ts';
export { SET_CLAIMS_SCHEMA_ID, SET_HEADER_SCHEMA_ID } from './schemas/set-claims.ts';
export * from './schemas/ssf-wire.ts';
export {
  SIMPLE_SUBJECT_ID_SCHEMA_ID,
  SUBJECT_ID_SCHEMA_ID,
  subjectFormatSchemaId,
} from './schemas/subject-identifiers.ts';
export {
  buildEventSet,
  buildSetClaims,
  type EventSetInput,
  type SetClaimsInput,
  type SubjectPlacement,
  signSet,
} from './set/build.ts';
export { DEFAULT_MAX_TOKEN_BYTES } from './set/decode.ts';
export {
  type CandidateKey,
  fetchJwks,
  type JwkSet,
  jwksFromObject,
  jwksFromUrl,
  type KeyLookup,
  type KeySource,
  parseJwks,
  type RemoteJwksOptions,
} from './set/jwks.ts';
export {
  generateSigningKey,
  importSigningKey,
  isSigningAlgorithm,
  publicJwks,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  type SigningKey,
} from './set/keys.ts';
// Tokens signed from raw text, for negative tests: what no well-behaved library would produce.
export { base64url, signCompactInput, signHmacRaw, signRaw } from './set/raw.ts';
export type { JsonObject, JsonValue, SetClaims, SetHeader } from './types/set.ts';
export type * from './types/ssf-wire.ts';
export type * from './types/subject-identifiers.ts';
export {
  getProfile,
  isProfileName,
  PROFILE_NAMES,
  PROFILES,
  type Profile,
  type ProfileName,
} from './validator/profiles.ts';
export {
  decodeSet,
  lintSet,
  type SetValidationResult,
  type ValidateSetOptions,
  validateSet,
} from './validator/validate-set.ts';
