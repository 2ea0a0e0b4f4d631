/**
 * A lab manifest as a client reads it back from a file (`ssf-lab serve --manifest FILE` writes one): what
 * `ssf-lab run --target FILE` drives a running lab with. Checked member by member, so a wrong file says
 * what is missing rather than failing at the first call.
 */
import { HarnessError } from '../kernel/index.ts';
import type { LabManifest } from './manifest.ts';

const REQUIRED: readonly (readonly string[])[] = [
  ['okta', 'url'],
  ['okta', 'apiToken'],
  ['jamfPro', 'url'],
  ['jamfPro', 'clientId'],
  ['jamfPro', 'clientSecret'],
  ['jamfSecurityCloud', 'url'],
  ['jamfSecurityCloud', 'issuer'],
  ['jamfSecurityCloud', 'wellKnownUrl'],
  ['jamfSecurityCloud', 'appId'],
  ['jamfSecurityCloud', 'appSecret'],
];

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** The manifest in `value`, or a HarnessError naming the first thing wrong with it. */
export function manifestFrom(value: unknown, file: string): LabManifest {
  const wrong = (what: string): HarnessError =>
    new HarnessError(
      'ERR_INPUT_INVALID',
      `manifest "${file}": ${what} (write one with ssf-lab serve --manifest FILE)`,
    );
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw wrong('it is not a JSON object');
  for (const path of REQUIRED)
    if (typeof at(value, path) !== 'string' || at(value, path) === '')
      throw wrong(`${path.join('.')} is missing or not a string`);
  for (const path of [
    ['okta', 'url'],
    ['jamfPro', 'url'],
    ['jamfSecurityCloud', 'url'],
  ]) {
    const url = at(value, path) as string;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw wrong(`${path.join('.')} is not an http(s) URL`);
  }
  const apps = (value as { apps?: unknown }).apps;
  if (!Array.isArray(apps)) throw wrong('apps is missing or not a list');
  for (const [i, app] of apps.entries()) {
    for (const key of ['name', 'kind', 'url'])
      if (typeof at(app, [key]) !== 'string') throw wrong(`apps[${i}].${key} is missing or not a string`);
    if (!URL.canParse(at(app, ['url']) as string)) throw wrong(`apps[${i}].url is not a URL`);
  }
  const userPassword = at(value, ['okta', 'userPassword']);
  if (userPassword !== undefined && (typeof userPassword !== 'string' || userPassword === ''))
    throw wrong('okta.userPassword is not a string');
  const lab = (value as { lab?: unknown }).lab;
  if (lab !== undefined && (typeof at(lab, ['adminToken']) !== 'string' || at(lab, ['adminToken']) === ''))
    throw wrong('lab.adminToken is missing or not a string (leave "lab" out for a lab with open controls)');
  const tls = (value as { tls?: unknown }).tls;
  if (tls !== undefined) {
    const caCert = at(tls, ['caCert']);
    if (typeof caCert !== 'string' || !caCert.includes('-----BEGIN CERTIFICATE-----'))
      throw wrong('tls.caCert is missing or not a PEM certificate (leave "tls" out for a lab on plain http)');
    const caFile = at(tls, ['caFile']);
    if (caFile !== undefined && typeof caFile !== 'string') throw wrong('tls.caFile is not a string');
  }
  return value as LabManifest;
}
