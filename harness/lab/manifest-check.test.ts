/**
 * Reading a manifest back: the `tls` member a served lab on https writes (its CA certificate, and the
 * file serve wrote it to) is accepted; a `tls` that names no PEM certificate is refused, saying so.
 */
import { expect, test } from 'vitest';
import { manifestFrom } from './manifest-check.ts';

const MANIFEST = {
  okta: { url: 'https://127.0.0.1:4400', apiToken: 'okta-token-0123456789' },
  jamfPro: { url: 'https://127.0.0.1:4401', clientId: 'c', clientSecret: 's' },
  jamfSecurityCloud: {
    url: 'https://127.0.0.1:4402',
    issuer: 'https://127.0.0.1:4402/sse/t',
    wellKnownUrl: 'https://127.0.0.1:4402/.well-known/ssf-configuration/sse/t',
    appId: 'lab-app',
    appSecret: 'app-secret',
  },
  apps: [],
};
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('a manifest with the CA certificate (and its file) is read back as it is', () => {
  const value = { ...MANIFEST, tls: { caCert: PEM, caFile: '/tmp/lab.ca.pem' } };
  expect(manifestFrom(value, 'lab.json').tls).toEqual({ caCert: PEM, caFile: '/tmp/lab.ca.pem' });
  expect(manifestFrom(MANIFEST, 'lab.json').tls).toBeUndefined();
});

test.each([
  [{ caFile: '/tmp/lab.ca.pem' }, /tls\.caCert is missing or not a PEM certificate/],
  [{ caCert: 'hello' }, /tls\.caCert is missing or not a PEM certificate/],
  [{ caCert: PEM, caFile: 7 }, /tls\.caFile is not a string/],
])('tls %j is refused', (tls, message) => {
  expect(() => manifestFrom({ ...MANIFEST, tls }, 'lab.json')).toThrow(message);
});

// Issue 15: the lab users' sign-in password is in the manifest (`okta.userPassword`); read back as written,
// optional for a manifest written before it, refused when it is not a string.
test('okta.userPassword is read back; absent is fine; a non-string or empty one is refused', () => {
  const withPassword = { ...MANIFEST, okta: { ...MANIFEST.okta, userPassword: 'Okta-Lab-Passw0rd-15' } };
  expect(manifestFrom(withPassword, 'lab.json').okta.userPassword).toBe('Okta-Lab-Passw0rd-15');
  expect(manifestFrom(MANIFEST, 'lab.json').okta.userPassword).toBeUndefined();
  for (const userPassword of [42, ''])
    expect(() => manifestFrom({ ...MANIFEST, okta: { ...MANIFEST.okta, userPassword } }, 'lab.json')).toThrow(
      /okta\.userPassword is not a string/,
    );
});
