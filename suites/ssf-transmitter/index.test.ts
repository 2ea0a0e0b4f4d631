import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { ssfTransmitterPlan } from './index.ts';
import { resolveOptions } from './options.ts';
import { wellKnownUrl } from './wire.ts';

describe('the ssf-transmitter plan', () => {
  const checks = ssfTransmitterPlan.modules.flatMap((m) => m.checks);

  test('check ids are unique, prefixed transmitter-, and titles are sentences', () => {
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    for (const c of checks) {
      expect(c.id).toMatch(/^transmitter-[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(c.title, c.id).toMatch(/^[A-Z"].*\.$/);
    }
  });

  test('its options schema compiles and accepts what the lab passes, rejecting a missing token', () => {
    const ajv = new Ajv2020({ strict: false });
    (ajvFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
    const validate = ajv.compile(ssfTransmitterPlan.optionsSchema);
    expect(validate({ issuer: 'https://tx.example/iss', token: 't', retry: { timeoutCase: true } })).toBe(
      true,
    );
    expect(validate({ issuer: 'https://tx.example/iss' })).toBe(false);
    expect(validate({ issuer: 'https://tx.example/iss', token: 't', delivery: 'carrier-pigeon' })).toBe(
      false,
    );
  });

  test('defaults: both delivery methods, 15 s for events, the retry timeout case off', () => {
    const o = resolveOptions({ issuer: 'https://tx.example', token: 't' });
    expect(o.delivery).toBe('both');
    expect(o.eventTimeoutMs).toBe(15_000);
    expect(o.retry.timeoutCase).toBe(false);
    expect(o.allowHttp).toBe(false);
  });

  test('the metadata URL is made by path insertion, the trailing slash removed', () => {
    expect(wellKnownUrl('https://tx.example')).toBe('https://tx.example/.well-known/ssf-configuration');
    expect(wellKnownUrl('https://tx.example/iss1/')).toBe(
      'https://tx.example/.well-known/ssf-configuration/iss1',
    );
    expect(wellKnownUrl('http://127.0.0.1:9/sse/abc')).toBe(
      'http://127.0.0.1:9/.well-known/ssf-configuration/sse/abc',
    );
  });
});
