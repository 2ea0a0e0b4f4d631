/**
 * `ssf-lab load --export artillery`: the same load as an Artillery test, for users who outgrow one
 * machine (Artillery runs it unchanged locally with `artillery run` and on its distributed runners). Two
 * files: `ssf-lab-load.yml` (target, one phase, the push) and `ssf-lab-set-processor.cjs`, a processor
 * that signs a fresh SET before each request with node:crypto — the claims the load plan would send
 * (from the same factory, so the profile's shape is the same), with a new `jti`, `iat` and `txn` and the
 * events' `event_timestamp` made current; an `invalidShare` of them signed by a key made at start that the
 * receiver cannot know. The private key is never written: the processor reads it from the environment
 * Artillery hands each scenario (`context.vars.$processEnvironment`): `SSF_LAB_LOAD_KEY` (the private JWK
 * as JSON), and the Authorization value from `SSF_LAB_LOAD_AUTH`; each
 * answer is counted as `ssf_lab.valid.<status>` / `ssf_lab.invalid.<status>` in Artillery's report.
 */
import type { SsfReceiverOptions } from '../ssf-receiver/index.ts';
import { eventsOf, setFactory } from '../ssf-receiver/index.ts';
import type { LoadKnobs } from './options.ts';
import { setsToSign } from './options.ts';

export const ARTILLERY_KEY_ENV = 'SSF_LAB_LOAD_KEY';
export const ARTILLERY_AUTH_ENV = 'SSF_LAB_LOAD_AUTH';
export const ARTILLERY_SCRIPT = 'ssf-lab-load.yml';
export const ARTILLERY_PROCESSOR = 'ssf-lab-set-processor.cjs';
/** The rate an export uses when the target file sets none (Artillery's phases are rates over time). */
export const ARTILLERY_DEFAULT_RATE = 50;

export interface ArtilleryFiles {
  readonly script: string;
  readonly processor: string;
  /** The command to run it, with the environment it needs. */
  readonly command: string;
}

/** A YAML scalar: JSON strings are valid YAML double-quoted scalars. */
const y = (value: string): string => JSON.stringify(value);

export async function artilleryExport(
  receiver: SsfReceiverOptions,
  load: LoadKnobs,
): Promise<ArtilleryFiles> {
  const factory = await setFactory(receiver, Date.now);
  const eventType = eventsOf(receiver)[0] as string;
  // A template only: the processor renews jti, iat, txn and each event's event_timestamp per request.
  const template = factory.claims(eventType);
  const header = factory.header();
  const count = setsToSign(load);
  const rate = load.rate ?? ARTILLERY_DEFAULT_RATE;
  const duration = load.duration ?? Math.max(1, Math.ceil(count / rate));
  const url = new URL(receiver.pushEndpoint);
  const phase =
    load.duration !== undefined
      ? `    - duration: ${duration}\n      arrivalRate: ${rate}\n`
      : `    - duration: ${duration}\n      arrivalCount: ${count}\n`;
  const script = `# Written by ssf-lab load --export artillery: ${count} SETs to ${url.pathname}.
# Run: ${ARTILLERY_KEY_ENV}='<private JWK as JSON>'${receiver.authorization === undefined ? '' : ` ${ARTILLERY_AUTH_ENV}='<Authorization value>'`} artillery run ${ARTILLERY_SCRIPT}
# (for a lab's own CA: NODE_EXTRA_CA_CERTS=<the manifest's tls.caFile>)
config:
  target: ${y(url.origin)}
  phases:
${phase}  http:
    timeout: ${Math.max(1, Math.ceil((load.timeoutMs ?? 10_000) / 1000))}
  processor: ${y(`./${ARTILLERY_PROCESSOR}`)}
scenarios:
  - name: ${y('push one SET (RFC 8935)')}
    flow:
      - post:
          url: ${y(`${url.pathname}${url.search}`)}
          headers:
            accept: "application/json"
            content-type: "application/secevent+jwt"
          beforeRequest: "signSet"
          afterResponse: "countAnswer"
`;
  const config = {
    header,
    template,
    invalidShare: load.invalidShare ?? 0,
    keyEnv: ARTILLERY_KEY_ENV,
    authEnv: receiver.authorization === undefined ? null : ARTILLERY_AUTH_ENV,
  };
  const processor = `'use strict';
// Written by ssf-lab load --export artillery. Signs a fresh SET before each request (node:crypto only);
// the private key comes from the environment (${ARTILLERY_KEY_ENV}), never from this file.
const { createPrivateKey, generateKeyPairSync, randomUUID, sign, constants } = require('node:crypto');

const CONFIG = ${JSON.stringify(config, null, 2)};

let key;
let forger;
let sent = 0;

function b64url(value) {
  return Buffer.from(value).toString('base64url');
}

/** Whether the SET at this index is one of the invalid share: spread evenly through the run. */
function isInvalidAt(index, share) {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return Math.floor((index + 1) * share) > Math.floor(index * share);
}

function signWith(alg, data, privateKey) {
  switch (alg) {
    case 'RS256':
      return sign('sha256', data, privateKey);
    case 'PS256':
      return sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, privateKey);
    default:
      throw new Error('ssf-lab processor: unsupported alg ' + alg);
  }
}

function forgerFor(alg) {
  if (alg === 'RS256' || alg === 'PS256') return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return generateKeyPairSync('ed25519').privateKey;
}

// Artillery hands every scenario the process environment as context.vars.$processEnvironment.
function setFor(index, environment) {
  if (key === undefined) {
    const text = environment[CONFIG.keyEnv];
    if (!text) throw new Error('ssf-lab processor: set ' + CONFIG.keyEnv + ' to the private JWK (JSON)');
    key = createPrivateKey({ key: JSON.parse(text), format: 'jwk' });
  }
  const invalid = isInvalidAt(index, CONFIG.invalidShare);
  if (invalid && forger === undefined) forger = forgerFor(CONFIG.header.alg);
  const now = Math.floor(Date.now() / 1000);
  const claims = JSON.parse(JSON.stringify(CONFIG.template));
  claims.jti = 'ssf-lab-' + randomUUID();
  claims.iat = now;
  if (typeof claims.txn === 'string') claims.txn = randomUUID();
  for (const event of Object.values(claims.events || {}))
    if (event && typeof event === 'object' && 'event_timestamp' in event) event.event_timestamp = now;
  const input = b64url(JSON.stringify(CONFIG.header)) + '.' + b64url(JSON.stringify(claims));
  const signature = signWith(CONFIG.header.alg, Buffer.from(input), invalid ? forger : key);
  return { set: input + '.' + b64url(signature), invalid, jti: claims.jti };
}

function signSet(requestParams, context, _events, next) {
  const environment = context.vars.$processEnvironment || context.vars.$env || {};
  const { set, invalid } = setFor(sent++, environment);
  requestParams.body = set;
  if (CONFIG.authEnv !== null && environment[CONFIG.authEnv])
    requestParams.headers = Object.assign({}, requestParams.headers, { authorization: environment[CONFIG.authEnv] });
  context.vars.ssfLabInvalid = invalid;
  return next();
}

function countAnswer(_requestParams, response, context, events, next) {
  events.emit('counter', 'ssf_lab.' + (context.vars.ssfLabInvalid ? 'invalid' : 'valid') + '.' + response.statusCode, 1);
  return next();
}

module.exports = { signSet, countAnswer, setFor };
`;
  const command = `${ARTILLERY_KEY_ENV}='<private JWK as JSON>'${receiver.authorization === undefined ? '' : ` ${ARTILLERY_AUTH_ENV}='<Authorization value>'`} artillery run ${ARTILLERY_SCRIPT}`;
  return { script, processor, command };
}
