/**
 * The `ssf-receiver` plan against the lab: the receiver is mock Okta's SET endpoint. Before the plan runs,
 * the builder does what an Okta admin does for a new security events provider: the harness gets a fresh
 * signing key, its JWKS is served where Okta reaches it (`lab.attach`), and the issuer is registered
 * through Okta's Security Events Providers API (issuer + jwks_url, Okta's form that needs no SSF metadata).
 * The SETs are about a seeded user on one of their devices, named as Okta expects (`okta` profile).
 */
import Fastify from 'fastify';
import type { SsfReceiverOptions } from '../../../suites/ssf-receiver/index.ts';
import { ssfReceiverPlan } from '../../../suites/ssf-receiver/index.ts';
import type { Lab, LabManifest } from '../../lab/index.ts';
import { generateSigningKey, publicJwks } from '../../protocol/index.ts';
import type { PlanEntry } from '../certify.ts';

export const SET_ENDPOINT_PATH = '/security/api/v1/security-events';
const JWKS_PATH = '/jwks.json';

export interface HarnessKeys {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly privateJwk: Readonly<Record<string, unknown>>;
}

/** A fresh key whose JWKS the lab can fetch at `https://<name>.harness.lab/jwks.json` (or a local port). */
export async function serveHarnessKeys(lab: Lab, name: string): Promise<HarnessKeys> {
  const { key, privateJwk } = await generateSigningKey('RS256');
  const app = Fastify({ logger: false });
  const jwks = publicJwks(key);
  app.get(JWKS_PATH, async () => jwks);
  const { url } = await lab.attach(name, app);
  return { issuer: `${url}/${name}`, jwksUrl: `${url}${JWKS_PATH}`, privateJwk };
}

/** Registers the harness issuer in Okta as an admin would, with the manifest's SSWS token. */
export async function registerProvider(
  lab: Lab,
  manifest: LabManifest,
  keys: HarnessKeys,
  name: string,
): Promise<string> {
  const response = await lab.fetch(`${manifest.okta.url}/api/v1/security-events-providers`, {
    method: 'POST',
    headers: {
      authorization: `SSWS ${manifest.okta.apiToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({
      name,
      type: 'ssf-lab',
      settings: { issuer: keys.issuer, jwks_url: keys.jwksUrl },
    }),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(
      `lab set-up: registering the harness as a security events provider answered ${response.status}: ${text}`,
    );
  return String((JSON.parse(text) as { id: unknown }).id);
}

/**
 * Okta's subject for a seeded user on an activated device: the `fromEnd`-th distinct user counted from the
 * end of the fleet (0 the last). The receiver plans take users from the end so that they never touch the
 * fleet's first user, whom other plans' lab set-ups sign in to the apps — and each other's: the okta plan's
 * HIGH report logs its user out.
 */
export function labSubject(lab: Lab, fromEnd: number): Record<string, unknown> {
  const devices = lab.jsc.tenant
    .devices()
    .filter((d) => d.activation !== undefined && d.uem?.email !== undefined);
  const byUser = new Map<string, (typeof devices)[number]>();
  for (const d of devices)
    if (d.uem?.email !== undefined && !byUser.has(d.uem.email)) byUser.set(d.uem.email, d);
  const users = [...byUser.values()];
  const device = users[Math.max(0, users.length - 1 - fromEnd)];
  if (!device?.uem?.email) throw new Error('lab set-up: no activated device with a user');
  return {
    user: { format: 'email', email: device.uem.email },
    device: { format: 'opaque', id: device.id },
  };
}

export async function ssfReceiverLabOptions(lab: Lab, manifest: LabManifest): Promise<SsfReceiverOptions> {
  const keys = await serveHarnessKeys(lab, 'receiver-keys');
  await registerProvider(lab, manifest, keys, 'ssf-lab-ssf-receiver');
  return {
    pushEndpoint: `${manifest.okta.url}${SET_ENDPOINT_PATH}`,
    audience: manifest.okta.url,
    issuer: keys.issuer,
    privateJwk: keys.privateJwk,
    profile: 'okta',
    subject: labSubject(lab, 1),
  };
}

export const ssfReceiverEntry: PlanEntry = { plan: ssfReceiverPlan, lab: ssfReceiverLabOptions };
