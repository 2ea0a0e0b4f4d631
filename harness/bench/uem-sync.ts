/**
 * UEM Connect sync of a 10,000-device fleet (issue 4, target ≤ 5 s): mock Jamf Pro listens on loopback and
 * mock Jamf Security Cloud syncs from it over real HTTP, through the same paged public API a real
 * connector uses. The baseline, measured in the same run, is a bare client reading the same pages over the
 * same transport — so the ratio says what the sync itself (joining by UDID, compliance, groups) adds.
 */
import type { AddressInfo } from 'node:net';
import { buildJamfProMock, jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { buildJscMock } from '../../mocks/jamf-security-cloud/index.ts';
import { generateSigningKey } from '../protocol/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { median, type Row } from './measure.ts';

const DEVICES = 10_000;
const PAGE_SIZE = 500; // the connector's page size
const ROUNDS = 3;
// The sections the connector asks for, so the baseline moves the same bytes.
const COMPUTER_SECTIONS = [
  'GENERAL',
  'HARDWARE',
  'USER_AND_LOCATION',
  'OPERATING_SYSTEM',
  'GROUP_MEMBERSHIPS',
]
  .map((s) => `section=${s}`)
  .join('&');
const MOBILE_SECTIONS = ['GENERAL', 'HARDWARE', 'USER_AND_LOCATION'].map((s) => `section=${s}`).join('&');

interface Page {
  readonly totalCount: number;
  readonly results: readonly unknown[];
}

/** Reads every page of one inventory endpoint; returns how many records came back. */
async function readAll(fetchImpl: typeof fetch, base: string, token: string, path: string): Promise<number> {
  let n = 0;
  for (let page = 0; ; page++) {
    const response = await fetchImpl(`${base}${path}&page=${page}&page-size=${PAGE_SIZE}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const body = (await response.json()) as Page;
    n += body.results.length;
    if (body.results.length < PAGE_SIZE) return n;
  }
}

export async function uemSyncBench(): Promise<Row[]> {
  const jamfPro = await buildJamfProMock({ fleet: { seed: 4, devices: DEVICES } });
  await jamfPro.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(jamfPro.server.address() as AddressInfo).port}`;
  const fetchImpl = createHttpFetch();
  const jsc = await buildJscMock({
    fleet: { seed: 4, devices: DEVICES },
    signingKey: (await generateSigningKey('RS256', { kid: 'bench' })).key,
    apps: [{ appId: 'bench', appSecret: 'bench-secret' }],
  });
  try {
    const client = jamfProOf(jamfPro).credentials.clients[0];
    if (!client) throw new Error('the Jamf Pro mock has no API client');
    const tokenResponse = await fetchImpl(`${base}/api/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }).toString(),
    });
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const baseline = async (): Promise<number> =>
      (
        await Promise.all([
          readAll(fetchImpl, base, token, `/api/v1/computers-inventory?${COMPUTER_SECTIONS}&sort=id:asc`),
          readAll(
            fetchImpl,
            base,
            token,
            `/api/v2/mobile-devices/detail?${MOBILE_SECTIONS}&sort=mobileDeviceId:asc`,
          ),
        ])
      ).reduce((a, b) => a + b, 0);

    // The connector's creation runs the live test and the first sync (which creates every device).
    const created = await jsc.uem.create({
      vendor: 'JAMF_PRO',
      url: base,
      authStrategy: 'JAMF_PRO_OAUTH',
      deviceSyncAuth: { clientId: client.clientId, clientSecret: client.clientSecret },
    });
    const first = created.lastSync;
    if (!first || first.error || first.devices !== DEVICES) {
      throw new Error(`the first sync did not bring ${DEVICES} devices: ${JSON.stringify(first)}`);
    }

    const syncMs: number[] = [];
    const rawMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let start = performance.now();
      const read = await baseline();
      rawMs.push(performance.now() - start);
      if (read !== DEVICES) throw new Error(`the baseline read ${read} devices, not ${DEVICES}`);
      start = performance.now();
      const summary = await jsc.uem.sync(created.id);
      syncMs.push(performance.now() - start);
      if (summary.error || summary.devices !== DEVICES) {
        throw new Error(`a resync failed: ${JSON.stringify(summary)}`);
      }
    }
    const firstMs = first.ms;
    const resync = median(syncMs);
    const raw = median(rawMs);
    const worst = Math.max(firstMs, resync);
    return [
      {
        measure: `UEM Connect first sync, ${DEVICES.toLocaleString('en')} devices (creates them)`,
        value: `${(firstMs / 1000).toFixed(2)} s`,
        ratio: `${(firstMs / raw).toFixed(2)}× bare page reads`,
        target: '≤ 5 s',
        ok: firstMs <= 5000,
      },
      {
        measure: `UEM Connect resync, ${DEVICES.toLocaleString('en')} devices (median of ${ROUNDS})`,
        value: `${(resync / 1000).toFixed(2)} s`,
        ratio: `${(resync / raw).toFixed(2)}× bare page reads (${(raw / 1000).toFixed(2)} s)`,
        target: '≤ 5 s',
        ok: worst <= 5000,
      },
    ];
  } finally {
    await jsc.close();
    await jamfPro.close();
  }
}
