/**
 * SET validation throughput: lint + RS256 verify next to raw jose `jwtVerify` of the same token (issue 2
 * target ≥ 0.8×), one at a time and with 16 in flight.
 */
import { importJWK, jwtVerify } from 'jose';
import {
  buildEventSet,
  EVENT_URIS,
  exampleEventFor,
  generateSigningKey,
  jwksFromObject,
  lintSet,
  publicJwks,
  signSet,
  validateSet,
} from '../protocol/index.ts';
import { compare, type Row } from './measure.ts';

export async function setValidationBench(): Promise<Row[]> {
  const { key } = await generateSigningKey('RS256', { kid: 'bench-1' });
  const example = exampleEventFor(EVENT_URIS.oktaDeviceRiskChange, 'okta');
  const iss = 'https://jsc.example.test/ssf/tenant-1';
  const aud = 'https://acme.okta.example';
  const claims = buildEventSet({
    iss,
    aud,
    eventType: EVENT_URIS.oktaDeviceRiskChange,
    payload: example.payload,
    subject: example.subject,
    placement: 'in-event',
  });
  const token = await signSet(claims, key);
  const publicKey = await importJWK(key.publicJwk, 'RS256');
  const keys = jwksFromObject(publicJwks(key));
  const options = { profile: 'okta' as const, keys, expectedIssuer: iss, expectedAudience: aud };

  const check = await validateSet(token, options);
  if (check.signature !== 'valid' || check.findings.length > 0) {
    throw new Error(`bench token does not validate cleanly: ${JSON.stringify(check.findings)}`);
  }

  const rawVerify = () => jwtVerify(token, publicKey, { issuer: iss, audience: aud, typ: 'secevent+jwt' });
  const verify = await compare('validateSet', rawVerify, () => validateSet(token, options));
  const lint = await compare('lintSet', rawVerify, () => lintSet(token, options));
  const loaded = await compare('validateSet ×16', rawVerify, () => validateSet(token, options), 16);
  const per = (r: { opsPerSec: number }): string => `${r.opsPerSec.toFixed(0)}/s`;
  return [
    { measure: 'raw jose jwtVerify, RS256 (baseline)', value: per(verify.baseline) },
    {
      measure: 'SET lint + RS256 verify (validateSet, okta profile)',
      value: per(verify.subject),
      ratio: `${verify.ratio.toFixed(2)}×`,
      target: '≥ 0.80×',
      ok: verify.ratio >= 0.8,
    },
    { measure: 'SET lint alone (lintSet)', value: per(lint.subject), ratio: `${lint.ratio.toFixed(2)}×` },
    { measure: 'raw jose jwtVerify, 16 in flight (baseline)', value: per(loaded.baseline) },
    {
      measure: 'validateSet, 16 in flight',
      value: per(loaded.subject),
      ratio: `${loaded.ratio.toFixed(2)}×`,
    },
  ];
}
