/**
 * The lab's timeline over real traffic: who called whom, in order, with secrets redacted wherever they
 * travelled (Basic and Bearer headers, form secrets, tokens in responses) and each pushed SET decoded.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { REDACTED } from '../kernel/index.ts';
import { type Lab, startLab } from './start-lab.ts';

let lab: Lab;
const secrets: string[] = [];

beforeAll(async () => {
  lab = await startLab({ seed: 4, devices: 3, intercept: false });
});
afterAll(async () => {
  await lab.close();
});

test('a connector set-up and a pushed SET are recorded in order, redacted, the SET decoded', async () => {
  const app = lab.jsc.apps[0];
  const client = jamfProOf(lab.jamfPro).credentials.clients[0];
  if (!app || !client) throw new Error('the mocks have no credentials');
  secrets.push(app.appSecret, client.clientSecret);
  const login = await lab.fetch(`${lab.urls.jamfSecurityCloud}/v1/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${app.appId}:${app.appSecret}`).toString('base64')}` },
  });
  const token = ((await login.json()) as { token: string }).token;
  secrets.push(token);
  const call = (path: string, body: unknown) =>
    lab.fetch(`${lab.urls.jamfSecurityCloud}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const connector = await call('/uem-connect/v1/connectors', {
    vendor: 'JAMF_PRO',
    url: lab.urls.jamfPro,
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client.clientId, clientSecret: client.clientSecret },
  });
  expect(connector.status).toBe(201);
  const stream = await call('/sse/v1/stream', {
    audience: lab.urls.apps.salesforce,
    endpointUrl: `${lab.urls.apps.salesforce}/not-a-receiver`,
    events: ['RISK_LEVEL_CHANGED'],
    format: 'ssf',
  });
  expect(stream.status).toBe(201);
  const device = lab.jsc.tenant.devices()[0];
  const threat = await lab.fetch(`${lab.urls.jamfSecurityCloud}/_lab/threats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device: device?.udid, category: 'Malware', severity: 'HIGH' }),
  });
  expect(threat.status).toBe(201);
  await expect.poll(() => lab.timeline.entries.some((e) => e.set !== undefined)).toBe(true);

  const entries = lab.timeline.entries;
  expect(entries.map((e) => e.seq)).toEqual([...entries.keys()].map((i) => (entries[0]?.seq ?? 0) + i));
  const tokenCall = entries.find(
    (e) => e.from === 'jamf-security-cloud' && e.url.endsWith('/api/oauth/token'),
  );
  expect(tokenCall).toMatchObject({ to: 'jamf-pro', method: 'POST', status: 200 });
  expect(tokenCall?.requestBody).toContain(`client_secret=${encodeURIComponent(REDACTED)}`);
  expect(JSON.parse(tokenCall?.responseBody ?? '{}').access_token).toBe(REDACTED);
  expect(entries.find((e) => e.url.endsWith('/v1/login'))?.requestHeaders.authorization).toBe(
    `Basic ${REDACTED}`,
  );
  const push = entries.find((e) => e.set !== undefined);
  expect(push).toMatchObject({ from: 'jamf-security-cloud', to: 'salesforce', method: 'POST' });
  expect(push?.set?.header).toMatchObject({ typ: 'secevent+jwt', alg: 'RS256' });
  expect(push?.set?.claims).toMatchObject({ iss: lab.jsc.issuer, aud: lab.urls.apps.salesforce });
  // No secret, in any form, anywhere in the timeline.
  const everything = JSON.stringify(entries);
  for (const secret of secrets) {
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(encodeURIComponent(secret));
  }
});

test('a call that gets no answer is recorded with its error, and the error still reaches the caller', async () => {
  await expect(lab.fetch('https://nowhere.lab/x')).rejects.toThrow(/fetch failed/);
  const last = lab.timeline.entries.at(-1);
  expect(last).toMatchObject({ from: 'harness', to: 'https://nowhere.lab', method: 'GET' });
  expect(last?.status).toBeUndefined();
  // Outside the lab's origins the request went to the network, where the name does not resolve.
  expect(last?.error).toMatch(/ENOTFOUND|EAI_AGAIN/);
});
