/**
 * The route schemas of the app mocks (Salesforce, Google Workspace, Office 365: one code): every route's
 * request parts and answers, by status. None of these vendors publishes a description of the endpoints
 * the lab needs, so the schemas are written from what the mock implements:
 *
 * - the Global Token Revocation endpoint declares the draft's request body as the protocol core's
 *   GTR_REQUEST_SCHEMA_ID (`{sub_id | subject: <email or iss_sub identifier>}`), judged by gtr-request.ts on
 *   the raw body after the caller is authenticated — its answers are 204 and the draft's errors;
 * - `/oauth/token` takes RFC 6749 §6's form; `/api/me` and `/logout` read the session cookie or bearer token;
 * - the `/_lab/` controls take the JSON bodies their modules document.
 *
 * Every error is the apps' `{error, error_description}` (errors.ts). A body a schema refuses is a 400
 * `invalid_request` naming the member (`validationDescription`).
 */
import type { FastifyError } from 'fastify';
import { GTR_REQUEST_SCHEMA_ID, type JsonSchema } from '../../harness/protocol/index.ts';
import { addSchemaDocuments, validationCauses } from '../../harness/ssf/index.ts';

const DOC = 'urn:ssf-lab:apps';
const def = (name: string): JsonSchema => ({ $ref: `${DOC}#/$defs/${name}` });
const str = { type: 'string' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const int = { type: 'integer', minimum: 0 } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const object = (required: readonly string[], properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: [...required],
  properties,
});
const state = { enum: ['active', 'expired', 'revoked'] } as const;
const endedBy = { enum: ['universal-logout', 'sign-out'] } as const;
const email = { type: 'string', minLength: 1, pattern: '\\S' } as const;
const oktaUserId = { type: 'string', minLength: 1, maxLength: 256 } as const;

addSchemaDocuments([
  {
    $id: DOC,
    $defs: {
      Error: object(['error', 'error_description'], { error: nonEmpty, error_description: str }),
      Credential: object(['id', 'state', 'issuedAt', 'expiresAt'], {
        id: nonEmpty,
        state,
        issuedAt: isoTime,
        expiresAt: isoTime,
        revokedAt: isoTime,
        revokedBy: endedBy,
      }),
      // sessions.ts SessionView: states and times only, never a cookie or token value.
      Session: {
        ...object(['sessionId', 'email', 'state', 'createdAt', 'expiresAt', 'accessTokens', 'refreshToken'], {
          sessionId: nonEmpty,
          email: str,
          oktaUserId: str,
          state,
          createdAt: isoTime,
          expiresAt: isoTime,
          revokedAt: isoTime,
          revokedBy: endedBy,
          accessTokens: { type: 'array', items: def('Credential') },
          refreshToken: def('Credential'),
        }),
        not: {
          anyOf: [
            { required: ['sessionCookie'] },
            { required: ['accessToken'] },
            { required: ['cookieValue'] },
          ],
        },
      },
      Behaviour: object(['failWith', 'emails'], {
        failWith: { enum: [422, 500, 503, null] },
        emails: { anyOf: [{ type: 'null' }, { type: 'array', items: str }] },
      }),
      GtrSummary: object(['total', 'kept', 'byStatus'], {
        total: int,
        kept: int,
        byStatus: { type: 'object', additionalProperties: int },
      }),
      TrustedIssuer: object(['issuer', 'clientId'], { issuer: str, clientId: str, jwksUri: str, keys: int }),
    },
  },
]);

const errors = { '4xx': def('Error'), '5xx': def('Error') } as const;
const noBody: JsonSchema = { description: 'No body.' };

/** A token request as the app's form parser hands it on: the parameters, and those sent twice (http.ts). */
const tokenForm: JsonSchema = {
  type: 'object',
  required: ['params', 'repeated'],
  properties: {
    // RFC 6749 §6: grant_type=refresh_token and refresh_token; the handler answers OAuth's own error
    // codes (`invalid_request`, `unsupported_grant_type`, `invalid_grant`) for what is missing or wrong.
    params: {
      type: 'object',
      properties: { grant_type: str, refresh_token: str, scope: str },
      additionalProperties: str,
    },
    repeated: { type: 'array', items: str },
  },
};

const signIn = object([], {
  email,
  oktaUserId,
});

export const APP_ROUTE_SCHEMAS = {
  me: {
    response: {
      200: object(['email', 'name', 'givenName', 'familyName', 'department', 'sessionId', 'via'], {
        email: str,
        name: str,
        givenName: { type: ['string', 'null'] },
        familyName: { type: ['string', 'null'] },
        department: { type: ['string', 'null'] },
        sessionId: nonEmpty,
        via: { enum: ['access-token', 'session-cookie'] },
      }),
      ...errors,
    },
  },
  token: {
    // Only the form is validated here; any other media type reaches the handler, which says to send a form.
    body: { content: { 'application/x-www-form-urlencoded': { schema: tokenForm } } },
    response: {
      200: object(['access_token', 'token_type', 'expires_in'], {
        access_token: nonEmpty,
        token_type: { const: 'Bearer' },
        expires_in: { type: 'integer', minimum: 1 },
      }),
      ...errors,
    },
  },
  logout: {
    body: { description: 'Ignored: the session to end is the one of the cookie.' },
    response: { 204: noBody, ...errors },
  },
  gtr: {
    body: { $ref: GTR_REQUEST_SCHEMA_ID },
    // 204: revoked. The draft's errors: 400, 401, 403, 404 (unknown user), 422 (cannot log out); 503 when
    // Okta's keys cannot be fetched, and 500/503 when the lab forces a failure.
    response: { 204: noBody, ...errors },
  },
  gtrOtherMethods: {
    body: { description: 'Ignored: answered 405 whatever it holds.' },
    response: { 405: def('Error') },
  },
  signIn: {
    // One user (`email`, `oktaUserId`) or a fleet's first sign-in (`sessions`); lab-routes.ts picks the form
    // and names an unknown member itself, so the object stays open here.
    body: {
      type: 'object',
      properties: {
        email,
        oktaUserId,
        sessions: { type: 'array', minItems: 1, maxItems: 1000, items: signIn },
      },
    },
    response: {
      201: {
        anyOf: [
          object(['signedIn'], { signedIn: { type: 'integer', minimum: 1 } }),
          object(
            ['sessionId', 'email', 'sessionCookie', 'accessToken', 'refreshToken', 'tokenType', 'expiresIn'],
            {
              sessionId: nonEmpty,
              email: str,
              oktaUserId: str,
              sessionCookie: nonEmpty,
              accessToken: nonEmpty,
              refreshToken: nonEmpty,
              tokenType: { const: 'Bearer' },
              expiresIn: { type: 'integer', minimum: 1 },
            },
          ),
        ],
      },
      ...errors,
    },
  },
  sessions: {
    querystring: object([], { email: str }),
    response: {
      200: object(['sessions'], { email: str, sessions: { type: 'array', items: def('Session') } }),
      ...errors,
    },
  },
  users: {
    response: {
      200: object(['users'], {
        users: {
          type: 'array',
          items: object(['email', 'name'], { email: str, name: str, oktaUserId: str }),
        },
      }),
      ...errors,
    },
  },
  state: {
    response: {
      200: object(
        [
          'kind',
          'label',
          'origin',
          'gtrEndpoint',
          'clientId',
          'oktaIssuer',
          'jwksUrl',
          'subjectFormat',
          'partial',
          'lifetimes',
          'behaviour',
          'users',
          'credentials',
          'gtr',
        ],
        {
          kind: { enum: ['salesforce', 'google-workspace', 'office365'] },
          subjectFormat: { enum: ['email', 'iss_sub'] },
          partial: { type: 'boolean' },
          behaviour: def('Behaviour'),
          users: object(['count', 'fleetSeed'], { count: int, fleetSeed: { type: 'integer' } }),
          gtr: def('GtrSummary'),
        },
      ),
      ...errors,
    },
  },
  gtrRequests: {
    querystring: object([], { since: { type: 'string', pattern: '^\\d{1,15}$' } }),
    response: {
      200: {
        allOf: [
          def('GtrSummary'),
          object(['requests'], {
            // gtr-ledger.ts: never the Authorization header or the token.
            requests: {
              type: 'array',
              items: {
                ...object(['seq', 'at', 'status', 'outcome'], {
                  seq: { type: 'integer', minimum: 1 },
                  at: isoTime,
                  status: { type: 'integer' },
                  outcome: str,
                }),
                not: { anyOf: [{ required: ['authorization'] }, { required: ['token'] }] },
              },
            },
          }),
        ],
      },
      ...errors,
    },
  },
  readBehaviour: { response: { 200: def('Behaviour'), ...errors } },
  setBehaviour: {
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        failWith: { enum: [422, 500, 503, null] },
        emails: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 10_000, items: email }] },
      },
    },
    response: { 200: def('Behaviour'), ...errors },
  },
  reset: {
    body: { description: 'Ignored: this call reads no body.' },
    response: { 204: noBody, ...errors },
  },
  trustIssuer: {
    body: {
      type: 'object',
      required: ['issuer'],
      additionalProperties: false,
      properties: {
        issuer: { type: 'string', maxLength: 2048 },
        clientId: nonEmpty,
        jwksUri: { type: 'string', maxLength: 2048 },
        jwks: object(['keys'], { keys: { type: 'array' } }),
      },
    },
    response: { 201: def('TrustedIssuer'), ...errors },
  },
  trustedIssuers: {
    response: {
      200: object(['issuers', 'adminActs'], {
        issuers: { type: 'array', items: def('TrustedIssuer') },
        adminActs: {
          type: 'array',
          items: object(['seq', 'at', 'actor', 'control', 'act'], { seq: int, at: isoTime, actor: str }),
        },
      }),
      ...errors,
    },
  },
  forgetIssuers: { response: { 204: noBody, ...errors } },
} as const;

/** Fastify's schema-validation error as the apps describe it, or undefined when `error` is not one. */
export function validationDescription(error: FastifyError): string | undefined {
  const causes = validationCauses(error);
  if (causes === undefined) return undefined;
  return [
    ...new Set(
      causes.map((c) => {
        const where = c.part === 'querystring' ? 'query parameter' : c.part === 'body' ? 'member' : c.part;
        if (c.field === '')
          return `the ${c.part === 'body' ? 'body' : c.part} ${c.message === 'must be object' ? 'must be a JSON object' : c.message}`;
        return c.message === 'is not a recognised member'
          ? `unknown member "${c.field.slice(0, 40)}"`
          : `${where} "${c.field.slice(0, 60)}" ${c.message}`;
      }),
    ),
  ].join('; ');
}
