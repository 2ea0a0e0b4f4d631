/**
 * The last part of the seed's set-up: people start working. Each device activates Jamf Trust (its user
 * signs in through Okta, which binds the user to the device in JSC and opens an Okta session), and each
 * user signs in to the SaaS apps.
 *
 * The first INDIVIDUAL_ACTIVATIONS devices do it one by one, exactly as a person would: JSC's activation
 * control runs the OIDC sign-in through Okta's public APIs. Every device after those is activated in bulk,
 * as a deployment through the UEM activates a fleet (JSC's `POST /_lab/devices/activate`: the identity of
 * each device's user comes from Jamf Pro's inventory), with one Okta session per device and the apps'
 * sessions made by the services' bulk sign-in controls — BULK_CHUNK devices a request. One sign-in through
 * the identity provider costs Okta two RS256 signatures and the lab nine HTTP exchanges, so a fleet of
 * 10,000 signing in one by one took over two minutes; in bulk it takes about a second. Every lab up to
 * INDIVIDUAL_ACTIVATIONS devices (the default fleet, every scenario) is set up exactly as before.
 */
import { OKTA_LAB_PASSWORD } from '../../mocks/okta/index.ts';
import { type ApiAnswer, apiCall, type CallOptions, field, StepFailedError } from './api-call.ts';
import { APP_KINDS_IN_LAB, type Lab } from './start-lab.ts';

/** Devices activated one by one through the identity provider before the rest go in bulk. */
export const INDIVIDUAL_ACTIVATIONS = 20;

/** Devices (and Okta sign-ins, and app sign-ins) per bulk request: bodies of tens of kB. */
export const BULK_CHUNK = 1_000;

export interface FleetActivationOptions {
  /** Devices to activate, by UDID (default every device JSC has). */
  readonly activate?: readonly string[];
  /** Sign the activated devices' users in to every SaaS app (default true). */
  readonly signInToApps?: boolean;
  /** Called once, as the per-device part starts (one progress line, whatever the fleet's size). */
  readonly onStep?: (step: string) => void;
}

/** Calls Okta's API with the admin's token (a `/_lab/` path with the lab admin token instead). */
export type OktaCall = (step: string, path: string, options?: CallOptions) => Promise<ApiAnswer>;

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Activates the devices and signs their users in; returns the UDIDs activated and the emails signed in. */
export async function activateFleet(
  lab: Lab,
  okta: OktaCall,
  activationProfileId: string,
  options: FleetActivationOptions = {},
): Promise<{ activated: string[]; signedIn: string[] }> {
  // One index instead of a scan of every device per device (quadratic at 10,000).
  const byUdid = new Map(lab.jsc.tenant.devices().map((d) => [d.udid.toLowerCase(), d]));
  const wanted = options.activate ?? [...byUdid.values()].map((d) => d.udid);
  const devices = wanted.map((udid) => {
    const device = byUdid.get(udid.toLowerCase());
    const email = device?.uem?.email;
    if (!device || !email)
      throw new StepFailedError(
        `jamf trust: activation on ${udid}`,
        'no such device with a user in JSC (was it synced?)',
      );
    return { udid: device.udid, email };
  });
  const one = devices.slice(0, INDIVIDUAL_ACTIVATIONS);
  const bulk = devices.slice(INDIVIDUAL_ACTIVATIONS);
  const apps = options.signInToApps !== false;
  options.onStep?.(
    `jamf trust: activation on ${count(devices.length, 'device')}${
      bulk.length === 0 ? '' : ` (${one.length} one by one, ${bulk.length.toLocaleString('en-US')} in bulk)`
    }${apps ? ", and the users' sign-ins to the apps" : ''}`,
  );

  const activated: string[] = [];
  const signedIn = new Set<string>();
  const jsc = lab.urls.jamfSecurityCloud;
  for (const { udid, email } of one) {
    let step = `jamf trust: activation on ${udid}`;
    await apiCall(lab.fetch, step, `${jsc}/_lab/devices/${udid}/activate`, {
      json: { activationProfileId, username: email, password: OKTA_LAB_PASSWORD },
    });
    activated.push(udid);
    if (!apps || signedIn.has(email)) continue;
    step = `apps: ${email} signs in`;
    const user = await okta(step, `/api/v1/users/${encodeURIComponent(email)}`);
    const oktaUserId = field(user, step, 'id');
    for (const kind of APP_KINDS_IN_LAB)
      await apiCall(lab.fetch, step, `${lab.urls.apps[kind]}/_lab/sessions`, { json: { email, oktaUserId } });
    signedIn.add(email);
  }

  for (const part of chunks(bulk, BULK_CHUNK)) {
    let step = `jamf trust: activation on ${count(part.length, 'device')} in bulk`;
    await apiCall(lab.fetch, step, `${jsc}/_lab/devices/activate`, {
      json: { activationProfileId, devices: part.map((d) => d.udid) },
    });
    for (const d of part) activated.push(d.udid);
    // What each device's sign-in leaves in Okta: a session of its own (as one by one, one per device).
    step = `okta: ${count(part.length, 'sign-in')} in bulk`;
    const sessions = await okta(step, '/_lab/sessions', { json: { logins: part.map((d) => d.email) } });
    if (!apps) continue;
    const idOf = new Map<string, string>();
    const users = (sessions.body as { users?: unknown } | undefined)?.users;
    if (Array.isArray(users))
      for (const s of users as { login?: unknown; userId?: unknown }[])
        if (typeof s.login === 'string' && typeof s.userId === 'string')
          idOf.set(s.login.toLowerCase(), s.userId);
    const fresh: { email: string; oktaUserId: string }[] = [];
    for (const { email } of part) {
      if (signedIn.has(email)) continue;
      const oktaUserId = idOf.get(email.toLowerCase());
      if (oktaUserId === undefined)
        throw new StepFailedError(step, `Okta's answer names no session for ${email}`);
      signedIn.add(email);
      fresh.push({ email, oktaUserId });
    }
    if (fresh.length === 0) continue;
    step = `apps: ${count(fresh.length, 'user')} sign in, in bulk`;
    for (const kind of APP_KINDS_IN_LAB)
      await apiCall(lab.fetch, step, `${lab.urls.apps[kind]}/_lab/sessions`, { json: { sessions: fresh } });
  }
  return { activated, signedIn: [...signedIn] };
}
