import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  ipBytes,
  issueServerCertificate,
  loadCertificateAuthority,
  type ServerCertificate,
} from './certificates.ts';

// One CA and one leaf for the whole file: key generation is cheap, but there is no need to repeat it.
const ca = createCertificateAuthority();
const names = { dnsNames: ['localhost', 'lab.example'], ipAddresses: ['127.0.0.1', '::1'] };
const server = issueServerCertificate(ca, names);
const leafPem = server.cert.slice(0, server.cert.indexOf('-----END CERTIFICATE-----') + 26);
const leaf = new X509Certificate(leafPem);

const openssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GET https://127.0.0.1:<port>/ trusting `trust` only; the status, or the TLS error code. */
function get(port: number, trust: string, servername?: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', ca: trust, ...(servername ? { servername } : {}), agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

async function withServer<T>(certificate: ServerCertificate, body: (port: number) => Promise<T>): Promise<T> {
  const https = createServer({ cert: certificate.cert, key: certificate.key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  try {
    return await body((https.address() as AddressInfo).port);
  } finally {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
  }
}

describe('the lab CA', () => {
  it('is a self-signed CA node can read: CA:true, its own signature, a year long', () => {
    expect(ca.certificate.ca).toBe(true);
    expect(ca.certificate.verify(ca.certificate.publicKey)).toBe(true);
    expect(ca.certificate.subject).toMatch(/^O=ssf-lab\nCN=ssf-lab CA [0-9a-f]{8}$/);
    const days = (Date.parse(ca.certificate.validTo) - Date.parse(ca.certificate.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    expect(ca.certPem).not.toContain('PRIVATE KEY');
  });

  it('gives each CA its own name and serial', () => {
    const other = createCertificateAuthority();
    expect(other.certificate.subject).not.toBe(ca.certificate.subject);
    expect(other.certificate.serialNumber).not.toBe(ca.certificate.serialNumber);
  });
});

describe('a server certificate', () => {
  it('is signed by the CA, for the names asked, serverAuth only, 30 days', () => {
    expect(leaf.verify(ca.certificate.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca.certificate)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe(
      'DNS:localhost, DNS:lab.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(leaf.checkHost('lab.example')).toBe('lab.example');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('other.example')).toBeUndefined();
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(Math.round(days * 24)).toBe(30 * 24 + 1);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('never outlives its CA', () => {
    const shortCa = createCertificateAuthority({ validDays: 2 });
    const cert = new X509Certificate(issueServerCertificate(shortCa, names).cert);
    expect(Date.parse(cert.validTo)).toBe(Date.parse(shortCa.certificate.validTo));
  });

  it('refuses to be issued for no name', () => {
    expect(() => issueServerCertificate(ca, { dnsNames: [], ipAddresses: [] })).toThrow(/at least one name/);
  });

  it('encodes IPv4, IPv6 and mapped addresses as 4 and 16 bytes', () => {
    expect([...ipBytes('10.1.2.3')]).toEqual([10, 1, 2, 3]);
    expect(Buffer.from(ipBytes('::1')).toString('hex')).toBe('00000000000000000000000000000001');
    expect(Buffer.from(ipBytes('fe80::1:2')).toString('hex')).toBe('fe800000000000000000000000010002');
    expect(Buffer.from(ipBytes('::ffff:1.2.3.4')).toString('hex')).toBe('00000000000000000000ffff01020304');
  });
});

describe('over TLS with node', () => {
  it('is trusted by a client that trusts only the CA, by IP and by name', async () => {
    await withServer(server, async (port) => {
      expect(await get(port, ca.certPem)).toBe(200);
      expect(await get(port, ca.certPem, 'localhost')).toBe(200);
    });
  });

  it('is refused by a client that trusts another CA, and for a name it does not cover', async () => {
    await withServer(server, async (port) => {
      expect(await get(port, createCertificateAuthority().certPem)).toBe('SELF_SIGNED_CERT_IN_CHAIN');
      expect(await get(port, ca.certPem, 'elsewhere.example')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    });
  });
});

describe.skipIf(!openssl)('with openssl (skipped: no openssl on this machine)', () => {
  it('parses both certificates and verifies the chain', () => {
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'leaf.pem'), leafPem);
    const caText = execFileSync('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(caText).toMatch(/CA:TRUE, pathlen:0/);
    expect(caText).toMatch(/Certificate Sign, CRL Sign/);
    expect(caText).toMatch(/ecdsa-with-SHA256/);
    const leafText = execFileSync('openssl', ['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(leafText).toMatch(
      /DNS:localhost, DNS:lab.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1/,
    );
    expect(leafText).toMatch(/TLS Web Server Authentication/);
    const verify = spawnSync(
      'openssl',
      [
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        '-CAfile',
        join(dir, 'ca.pem'),
        join(dir, 'leaf.pem'),
      ],
      { encoding: 'utf8' },
    );
    expect(verify.stdout.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
    const strangerCa = join(dir, 'stranger.pem');
    writeFileSync(strangerCa, createCertificateAuthority().certPem);
    expect(spawnSync('openssl', ['verify', '-CAfile', strangerCa, join(dir, 'leaf.pem')]).status).not.toBe(0);
  });

  it('signs with an RSA CA openssl made, and the chain verifies', async () => {
    const key = join(dir, 'rsa-ca.key');
    const cert = join(dir, 'rsa-ca.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=Someone Else CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign',
      ],
      { stdio: 'ignore' },
    );
    const { readFileSync } = await import('node:fs');
    const given = loadCertificateAuthority(readFileSync(cert, 'utf8'), readFileSync(key, 'utf8'));
    const issued = issueServerCertificate(given, names);
    writeFileSync(join(dir, 'rsa-leaf.pem'), issued.cert);
    const verify = spawnSync(
      'openssl',
      ['verify', '-x509_strict', '-CAfile', cert, join(dir, 'rsa-leaf.pem')],
      {
        encoding: 'utf8',
      },
    );
    expect(verify.stdout.trim()).toMatch(/: OK$/);
    await withServer(issued, async (port) => expect(await get(port, given.certPem)).toBe(200));
  });
});

describe('a given CA', () => {
  const caKey = ca.key.export({ type: 'pkcs8', format: 'pem' }) as string;

  it('is taken with its own key and signs chains node trusts', async () => {
    const given = loadCertificateAuthority(ca.certPem, caKey);
    expect(Buffer.from(given.subject).equals(Buffer.from(ca.subject))).toBe(true);
    expect(given.keyId && Buffer.from(given.keyId).equals(Buffer.from(ca.keyId ?? []))).toBe(true);
    await withServer(issueServerCertificate(given, names), async (port) =>
      expect(await get(port, ca.certPem)).toBe(200),
    );
  });

  it('is refused with a reason, never quoting the key', () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(() => loadCertificateAuthority(ca.certPem, otherKey)).toThrow(/does not belong/);
    expect(() => loadCertificateAuthority('not a cert', caKey)).toThrow(/not a PEM X.509/);
    expect(() => loadCertificateAuthority(ca.certPem, 'nope')).toThrow(/not an unencrypted PEM private key/);
    // A leaf is not a CA.
    expect(() => loadCertificateAuthority(leafPem, server.key)).toThrow(/not a CA's/);
    const expired = () =>
      loadCertificateAuthority(ca.certPem, caKey, new Date(Date.now() + 400 * 86_400_000));
    expect(expired).toThrow(/not valid now/);
    try {
      loadCertificateAuthority(ca.certPem, otherKey);
    } catch (error) {
      expect(String(error)).not.toContain('PRIVATE');
    }
  });
});
