/**
 * The plan's shape: check ids unique and prefixed, titles sentences, the options schema compiling and
 * taking what the lab builder passes.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { expect, test } from 'vitest';
import { oktaReceiverPlan } from './index.ts';

const checks = oktaReceiverPlan.modules.flatMap((m) => m.checks);

test('check ids are unique, prefixed okta-, and titles are sentences', () => {
  expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  for (const c of checks) {
    expect(c.id).toMatch(/^okta-[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(c.title, c.id).toMatch(/^[A-Z"].*\.$/);
  }
});

test('the options schema takes the lab options and refuses an incomplete okta block', () => {
  const ajv = new Ajv2020({ strict: false });
  (ajvFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  const validate = ajv.compile(oktaReceiverPlan.optionsSchema);
  const lab = {
    pushEndpoint: 'https://acme.okta.lab/security/api/v1/security-events',
    audience: 'https://acme.okta.lab',
    issuer: 'https://okta-receiver-keys.harness.lab/okta-receiver-keys',
    privateJwk: { kty: 'RSA', d: 'x' },
    jwksUrl: 'https://okta-receiver-keys.harness.lab/jwks.json',
    subject: { user: { format: 'email', email: 'pat@acme.example' }, device: { format: 'opaque', id: 'd1' } },
    okta: { url: 'https://acme.okta.lab', apiToken: 'secret' },
    registerProvider: true,
    expectLogout: true,
    waitMs: 15000,
    settleMs: 300,
  };
  expect(validate(lab), JSON.stringify(validate.errors)).toBe(true);
  expect(validate({ ...lab, okta: { url: 'https://acme.okta.lab' } })).toBe(false);
  expect(validate({ ...lab, waitMs: -1 })).toBe(false);
});
