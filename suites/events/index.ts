/**
 * The `events` plan: schema validation of every event type under each validation profile. It needs no
 * target — its modules build one well-formed SET per event type per profile (from the protocol core's
 * examples) plus broken variants written from the specs, sign them, and judge them with `validateSet`. With
 * the `sets` option it also judges SETs captured from a real transmitter, fetching the transmitter's JWKS
 * through the context when a `jwksUri` is given, so the same plan grades real output.
 * @module
 */
import { HarnessError } from '../../harness/kernel/index.ts';
import {
  type Finding,
  fetchJwks,
  isProfileName,
  jwksFromObject,
  PROFILE_NAMES,
  type ProfileName,
  validateSet,
} from '../../harness/protocol/index.ts';
import { defineModule, definePlan, SkipModule } from '../core/index.ts';
import { judgeProfile, type ProfileCapture, runKey } from './build.ts';
import { CAPTURED_CHECKS, type CapturedCapture, type JudgedSet, PROFILE_CHECKS } from './checks.ts';

export * from './build.ts';
export * from './checks.ts';
export { mutationsFor, NOT_AN_OBJECT, OKTA_MUTATIONS, SSF_MUTATIONS } from './negatives.ts';

/** A SET captured from a transmitter, with what to judge it against. */
export interface CapturedSet {
  readonly set: string;
  /** Judge it under this profile only (default: every selected profile). */
  readonly profile?: ProfileName;
  readonly issuer?: string;
  readonly audience?: string;
  /** The transmitter's JWKS; without it the signature is not checked. */
  readonly jwksUri?: string;
}

export interface EventsOptions {
  /** Profiles to judge under (default all: ssf, caep-interop, okta). */
  readonly profiles?: readonly ProfileName[];
  /** SETs captured from a real transmitter, as compact JWS strings or with their expectations. */
  readonly sets?: readonly (string | CapturedSet)[];
}

export const EVENTS_OPTIONS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'events plan options',
  type: 'object',
  additionalProperties: false,
  properties: {
    profiles: { type: 'array', items: { enum: PROFILE_NAMES }, minItems: 1, uniqueItems: true },
    sets: {
      type: 'array',
      items: {
        oneOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            required: ['set'],
            additionalProperties: false,
            properties: {
              set: { type: 'string', minLength: 1 },
              profile: { enum: PROFILE_NAMES },
              issuer: { type: 'string' },
              audience: { type: 'string' },
              jwksUri: { type: 'string', format: 'uri' },
            },
          },
        ],
      },
    },
  },
} as const;

function selectedProfiles(options: EventsOptions | undefined): readonly ProfileName[] {
  const profiles = options?.profiles ?? PROFILE_NAMES;
  const unknown = profiles.find((p) => !isProfileName(p));
  if (unknown !== undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `events: unknown profile "${unknown}"; use ${PROFILE_NAMES.join(', ')}`,
    );
  return profiles;
}

const profileModule = (profile: ProfileName) =>
  defineModule<EventsOptions | undefined, ProfileCapture>({
    id: `${profile}-profile`,
    title: `Every event type under the ${profile} profile`,
    async run(ctx, options) {
      if (!selectedProfiles(options).includes(profile)) return { profile, selected: false, results: {} };
      return { profile, selected: true, results: await judgeProfile(profile, await runKey(), ctx.now()) };
    },
    checks: PROFILE_CHECKS[profile],
  });

const capturedSets = defineModule<EventsOptions | undefined, CapturedCapture>({
  id: 'captured-sets',
  title: 'Captured SETs judged under their profile',
  async run(ctx, options) {
    const sets = options?.sets ?? [];
    if (sets.length === 0) throw new SkipModule('no captured SETs given (option "sets")');
    const profiles = selectedProfiles(options);
    const judged: JudgedSet[] = [];
    const jwks = new Map<string, ReturnType<typeof fetchJwks>>();
    for (const [index, entry] of sets.entries()) {
      const set: CapturedSet = typeof entry === 'string' ? { set: entry } : entry;
      let keys: ReturnType<typeof jwksFromObject> | undefined;
      let jwksProblem: string | undefined;
      if (set.jwksUri !== undefined) {
        let pending = jwks.get(set.jwksUri);
        if (pending === undefined) {
          pending = fetchJwks(set.jwksUri, { fetch: ctx.fetch });
          jwks.set(set.jwksUri, pending);
        }
        const fetched = await pending;
        if (fetched.ok) keys = jwksFromObject(fetched.jwks, set.jwksUri);
        else jwksProblem = fetched.message;
      }
      for (const profile of set.profile ? [set.profile] : profiles) {
        const result = await validateSet(set.set, {
          profile,
          clock: { now: () => ctx.now() },
          ...(keys ? { keys } : {}),
          ...(set.issuer === undefined ? {} : { expectedIssuer: set.issuer }),
          ...(set.audience === undefined ? {} : { expectedAudience: set.audience }),
        });
        const findings: readonly Finding[] = result.findings;
        judged.push({ index, profile, findings, ...(jwksProblem === undefined ? {} : { jwksProblem }) });
      }
    }
    return { judged };
  },
  checks: CAPTURED_CHECKS,
});

export const eventsPlan = definePlan<EventsOptions | undefined>({
  name: 'events',
  title: 'Events: every event type’s schema under every profile',
  role: 'The harness builds and judges SETs itself (and judges SETs captured from a transmitter); no target is called unless a JWKS must be fetched.',
  optionsSchema: EVENTS_OPTIONS_SCHEMA,
  modules: [...PROFILE_NAMES.map(profileModule), capturedSets],
});
