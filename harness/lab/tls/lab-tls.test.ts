/**
 * A loopback lab on https: every URL and issuer is https, the lab's own calls (the seed's set-up, JSC's
 * JWKS and pushes, Okta's calls to the apps) trust its CA — also when it is advertised under a name that
 * resolves nowhere and dials itself at the bind address — a client trusting only the CA reaches it, and
 * one that does not is refused. Every server listens on 127.0.0.1 and is closed by the test.
 */
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isHarnessError } from '../../kernel/index.ts';
import { createHttpFetch } from '../../ssf/index.ts';
import { withLabAdminToken } from '../lab-admin.ts';
import { dialLabOrigins, READY_PATH } from '../listen.ts';
import { labManifest } from '../manifest.ts';
import { configureSeed } from '../seed-setup.ts';
import { type Lab, startLab } from '../start-lab.ts';
import { createCertificateAuthority, issueServerCertificate } from './certificates.ts';
import { httpsFront, labServerNames } from './lab-tls.ts';

const ca = createCertificateAuthority();
const caKey = ca.key.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('a loopback lab with tls', () => {
  let lab: Lab;
  /** A client outside the lab that trusts only node's roots and the lab's CA, dialing the name at 127.0.0.1. */
  let outside: typeof fetch;

  beforeAll(async () => {
    lab = await startLab({
      transport: 'loopback',
      publicHost: 'ssf-lab.invalid',
      tls: { ca: ca.certPem, key: caKey },
      seed: 3,
      devices: 4,
    });
    const origins = [
      lab.urls.okta,
      lab.urls.jamfPro,
      lab.urls.jamfSecurityCloud,
      ...Object.values(lab.urls.apps),
    ];
    outside = dialLabOrigins(createHttpFetch({ ca: lab.caCert ?? '' }), origins, '127.0.0.1');
  }, 20_000);
  afterAll(() => lab?.close());

  test('advertises https everywhere and hands out the CA it was given, never a key', () => {
    for (const url of [lab.urls.okta, lab.urls.jamfPro, lab.urls.jamfSecurityCloud, lab.urls.apps.office365])
      expect(url).toMatch(/^https:\/\/ssf-lab\.invalid:\d+$/);
    expect(lab.jsc.issuer).toMatch(/^https:\/\/ssf-lab\.invalid:\d+/);
    expect(lab.caCert).toBe(ca.certPem);
    expect(lab.caCert).not.toContain('PRIVATE');
  });

  test('sets itself up over https (its own calls trust the CA) and serves SSF metadata with https URLs', async () => {
    await configureSeed(lab);
    const manifest = labManifest(lab);
    const metadata = await outside(manifest.jamfSecurityCloud.wellKnownUrl);
    expect(metadata.status).toBe(200);
    const body = (await metadata.json()) as Record<string, unknown>;
    expect(body.issuer).toBe(lab.jsc.issuer);
    for (const key of ['jwks_uri', 'configuration_endpoint'])
      expect(String(body[key])).toMatch(/^https:\/\/ssf-lab\.invalid:/);
    const ready = await outside(`${lab.urls.okta}${READY_PATH}`);
    expect(ready.status).toBe(200);
    await ready.body?.cancel();
    // The admin-gated controls too, with the token.
    const controls = withLabAdminToken(outside, [new URL(lab.urls.okta).origin], lab.adminToken);
    const timeline = await controls(`${lab.urls.okta}/_lab/timeline`);
    expect(timeline.status).toBe(200);
    await timeline.body?.cancel();
  }, 20_000);

  test('refuses a client that does not trust its CA, and does not speak plain http', async () => {
    const port = new URL(lab.urls.okta).port;
    const stranger = createHttpFetch({ ca: createCertificateAuthority().certPem });
    await expect(stranger(`https://127.0.0.1:${port}${READY_PATH}`)).rejects.toMatchObject({
      cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' },
    });
    // node's own fetch with only its bundled roots is refused the same way: no silent downgrade.
    await expect(globalThis.fetch(`https://127.0.0.1:${port}${READY_PATH}`)).rejects.toThrow();
    const plain = await globalThis
      .fetch(`http://127.0.0.1:${port}${READY_PATH}`)
      .catch((error: Error) => error);
    expect(plain instanceof Response ? plain.status : 'refused').not.toBe(200);
  });

  test('serves an attached endpoint over https too', async () => {
    const app = Fastify();
    app.get('/hello', async () => ({ hello: 'tls' }));
    const attached = await lab.attach('tls-probe', app);
    expect(attached.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await createHttpFetch({ ca: lab.caCert ?? '' })(`${attached.url}/hello`);
    expect(await answer.json()).toEqual({ hello: 'tls' });
    await attached.detach();
  });
});

describe('the tls option', () => {
  test('applies to the loopback transport only', async () => {
    await expect(startLab({ tls: true })).rejects.toThrow(/tls applies to the loopback transport only/);
  });

  test('refuses a CA key that is not the certificate’s, before anything listens', async () => {
    const other = createCertificateAuthority().key.export({ type: 'pkcs8', format: 'pem' }) as string;
    const error = await startLab({ transport: 'loopback', tls: { ca: ca.certPem, key: other } }).catch(
      (e: unknown) => e,
    );
    expect(isHarnessError(error) && error.code).toBe('ERR_USAGE');
    expect(String(error)).toMatch(/does not belong/);
  });

  test('names localhost, the loopback addresses, the public host and a specific bind address', () => {
    expect(labServerNames('10.0.0.5', 'lab.example')).toEqual({
      dnsNames: ['localhost', 'lab.example'],
      ipAddresses: ['127.0.0.1', '::1', '10.0.0.5'],
    });
    expect(labServerNames('0.0.0.0', '[fe80::1]')).toEqual({
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1', '::1', 'fe80::1'],
    });
  });
});

describe('httpsFront', () => {
  test('hands requests to the app and cuts a client that never finishes its handshake', async () => {
    const app = createServer((_request, response) => response.end('from the app'));
    const names = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
    const front = httpsFront(app, issueServerCertificate(ca, names), 200);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = front.address() as AddressInfo;
      const answer = await createHttpFetch({ ca: ca.certPem })(`https://127.0.0.1:${port}/`);
      expect(await answer.text()).toBe('from the app');
      // A TCP connection that sends nothing: closed by the server once the handshake deadline passes.
      const started = Date.now();
      const silent = connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => silent.once('close', resolve));
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    }
  });
});
