/**
 * Mock Jamf Security Cloud over mock Jamf Pro, wired by an inject fetch as the lab wires them, with a Radar
 * API session and a UEM Connect connector to Jamf Pro: the start the JSC tests share. `routes` takes more
 * origins (a test's receivers). Test set-up only.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildJamfProMock, jamfProOf } from '../../mocks/jamf-pro/index.ts';
import { buildJscMock, type JscMock } from '../../mocks/jamf-security-cloud/index.ts';
import type { FleetOptions } from '../fleet/index.ts';
import { generateSigningKey } from '../protocol/index.ts';
import { createInjectFetch } from '../ssf/index.ts';

export interface JscOverJamfPro {
  readonly jamfPro: FastifyInstance;
  readonly jsc: JscMock;
  readonly routes: Map<string, { inject: FastifyInstance['inject'] }>;
  readonly fetch: typeof fetch;
  /** A Radar API call with the session's bearer token and a JSON body. */
  radarCall(method: 'GET' | 'POST', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function jscOverJamfPro(fleet: FleetOptions, kid: string): Promise<JscOverJamfPro> {
  const routes = new Map<string, { inject: FastifyInstance['inject'] }>();
  const fetchVia = createInjectFetch(routes as never);
  const jamfPro = await buildJamfProMock({ fleet });
  const jsc = await buildJscMock({
    fleet,
    fetch: fetchVia,
    signingKey: (await generateSigningKey('RS256', { kid })).key,
    apps: [{ appId: 'a', appSecret: 'b' }],
  });
  routes.set('https://jamf-pro.lab', jamfPro);
  routes.set('https://jsc.lab', jsc.app);
  const login = await jsc.app.inject({
    method: 'POST',
    url: '/v1/login',
    headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
  });
  const radar = login.json().token as string;
  const radarCall = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    jsc.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${radar}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const client = jamfProOf(jamfPro).credentials.clients[0];
  const connector = await radarCall('POST', '/uem-connect/v1/connectors', {
    vendor: 'JAMF_PRO',
    url: 'https://jamf-pro.lab',
    authStrategy: 'JAMF_PRO_OAUTH',
    deviceSyncAuth: { clientId: client?.clientId, clientSecret: client?.clientSecret },
  });
  if (connector.statusCode !== 201)
    throw new Error(`the UEM connector was answered ${connector.statusCode}: ${connector.body}`);
  return {
    jamfPro,
    jsc,
    routes,
    fetch: fetchVia,
    radarCall,
    close: async () => {
      await jsc.close();
      await jamfPro.close();
    },
  };
}
