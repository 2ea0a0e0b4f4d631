import { expect, test } from 'vitest';
import {
  IssuedSecrets,
  issuedSecrets,
  MIN_ISSUED_SECRET_LENGTH,
  rememberIssuedSecret,
} from './issued-secrets.ts';
import { REDACTED, redactBody, redactHeaders, redactJson, redactUrl } from './redact.ts';

const SESSION_ID = '102AbCdEfGhIjKlMnOpQrStUv';
const SESSION_TOKEN = '20111xYz0123456789abcdefghijkl';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

test('a remembered value is replaced wherever it stands; everything else is kept byte for byte', () => {
  const s = new IssuedSecrets();
  s.add(SESSION_ID);
  s.add(SESSION_TOKEN);
  s.add(JWT);
  expect(s.redact(`sid=${SESSION_ID}; Path=/`)).toBe(`sid=${REDACTED}; Path=/`);
  expect(s.redact(`/api/v1/sessions/${SESSION_ID}/lifecycle/refresh`)).toBe(
    `/api/v1/sessions/${REDACTED}/lifecycle/refresh`,
  );
  expect(s.redact(`{"sessionToken":"${SESSION_TOKEN}","id":"${SESSION_ID}"}`)).toBe(
    `{"sessionToken":"${REDACTED}","id":"${REDACTED}"}`,
  );
  expect(s.redact(`Bearer ${JWT}`)).toBe(`Bearer ${REDACTED}`);
  expect(s.redact(`id_token=${JWT}&state=abc`)).toBe(`id_token=${REDACTED}&state=abc`);
  expect(s.redact(`the session ${SESSION_ID}. Then`)).toBe(`the session ${REDACTED}. Then`);
  const untouched = `{"id":"102AbCdEfGhIjKlMnOpQrStUx","note":"${SESSION_ID}0 is not it"}`;
  expect(s.redact(untouched)).toBe(untouched);
});

test('values too short to be credentials are not remembered; the registry is bounded, oldest first', () => {
  const s = new IssuedSecrets(3);
  s.add('short');
  expect(s.size).toBe(0);
  expect(s.redact('a short word')).toBe('a short word');
  for (const v of ['secret-value-0001', 'secret-value-0002', 'secret-value-0003', 'secret-value-0004'])
    s.add(v);
  expect(s.size).toBe(3);
  expect(s.has('secret-value-0001')).toBe(false);
  expect(s.redact('secret-value-0001 secret-value-0004')).toBe(`secret-value-0001 ${REDACTED}`);
  expect('secret-value-0001'.length).toBeGreaterThanOrEqual(MIN_ISSUED_SECRET_LENGTH);
});

test('redaction is one pass: ten thousand remembered values over a large text stay fast', () => {
  const s = new IssuedSecrets();
  for (let i = 0; i < 10_000; i++) s.add(`issued-secret-${i.toString().padStart(8, '0')}`);
  const text = `${'x-okta-request-id: abcdefghijklmnop '.repeat(20_000)}issued-secret-00004242`;
  const started = performance.now();
  const out = s.redact(text);
  expect(out.endsWith(REDACTED)).toBe(true);
  expect(performance.now() - started).toBeLessThan(1000);
});

test('the key-name redactor also replaces the credentials the lab issued, by value', () => {
  rememberIssuedSecret(SESSION_ID);
  rememberIssuedSecret(SESSION_TOKEN);
  expect(issuedSecrets.has(SESSION_ID)).toBe(true);
  // An Okta session object: its secret is its `id`.
  expect(redactJson({ id: SESSION_ID, userId: '00u1', status: 'ACTIVE' })).toEqual({
    id: REDACTED,
    userId: '00u1',
    status: 'ACTIVE',
  });
  expect(redactUrl(`https://acme.okta.lab/api/v1/sessions/${SESSION_ID}`)).toBe(
    `https://acme.okta.lab/api/v1/sessions/${REDACTED}`,
  );
  expect(redactHeaders({ location: `https://app.lab/cb?sid=${SESSION_ID}` })).toEqual({
    location: `https://app.lab/cb?sid=${REDACTED}`,
  });
  expect(redactBody(`<p>${SESSION_TOKEN}</p>`, 'text/html')).toBe(`<p>${REDACTED}</p>`);
  expect(redactBody(`{"broken": "${SESSION_TOKEN}"`, 'application/json')).toBe(`{"broken": "${REDACTED}"`);
  // A target file's session ids and the lab admin token by name too.
  expect(redactJson({ oktaSessionIds: ['anything'], adminToken: 'x' })).toEqual({
    oktaSessionIds: [REDACTED],
    adminToken: REDACTED,
  });
});

test("a lab's own credentials are kept however many session credentials follow them", () => {
  const secrets = new IssuedSecrets(100);
  const apiToken = '00LabApiToken0123456789abcdef';
  secrets.add(apiToken, { keep: true });
  const first = 'session-0000-aaaaaaaaaaaa';
  secrets.add(first);
  for (let i = 1; i <= 500; i++) secrets.add(`session-${String(i).padStart(4, '0')}-aaaaaaaaaaaa`);
  // The oldest session credential was forgotten to stay within the cap; the API token was not.
  expect(secrets.has(first)).toBe(false);
  expect(secrets.redact(`SSWS ${apiToken}`)).toBe('SSWS [redacted]');
  expect(secrets.size).toBe(101);
});
