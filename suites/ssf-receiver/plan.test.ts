/**
 * The plan's shape: check ids unique and prefixed, titles sentences citing known requirements, the options
 * schema compiling and taking what the lab builder passes.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { expect, test } from 'vitest';
import { ssfReceiverPlan } from './index.ts';

const checks = ssfReceiverPlan.modules.flatMap((m) => m.checks);

test('check ids are unique, prefixed receiver-, and titles are sentences', () => {
  expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  for (const c of checks) {
    expect(c.id).toMatch(/^receiver-[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(c.title, c.id).toMatch(/^[A-Z"].*\.$/);
  }
});

test('the options schema takes the lab options and refuses a missing key or an unknown profile', () => {
  const ajv = new Ajv2020({ strict: false });
  (ajvFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  const validate = ajv.compile(ssfReceiverPlan.optionsSchema);
  const lab = {
    pushEndpoint: 'https://acme.okta.lab/security/api/v1/security-events',
    audience: 'https://acme.okta.lab',
    issuer: 'https://receiver-keys.harness.lab/receiver-keys',
    privateJwk: { kty: 'RSA', d: 'x' },
    profile: 'okta',
    subject: { user: { format: 'email', email: 'pat@acme.example' } },
  };
  expect(validate(lab), JSON.stringify(validate.errors)).toBe(true);
  const { privateJwk: _key, ...keyless } = lab;
  expect(validate(keyless)).toBe(false);
  expect(validate({ ...lab, profile: 'lenient' })).toBe(false);
  expect(validate({ ...lab, jwksPath: 'keys.json' })).toBe(false);
});
