/**
 * The Artillery export without Artillery: the script parses as the test Artillery expects (target, one
 * phase of the run's size, the push with the processor's hooks), and the processor — loaded as Artillery
 * loads it, a CommonJS module — signs SETs that ssf-lab's own validator accepts under the plan's profile
 * with the harness JWKS (each with its own jti), while the invalid share is signed by another key under
 * the trusted kid and fails verification. The key comes from the environment and is in neither file.
 * (The export run by `artillery run` against the lab is in the extended suite.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import {
  generateSigningKey,
  importSigningKey,
  jwksFromObject,
  publicJwks,
  validateSet,
} from '../../harness/protocol/index.ts';
import type { SsfReceiverOptions } from '../ssf-receiver/index.ts';
import { ARTILLERY_KEY_ENV, ARTILLERY_PROCESSOR, artilleryExport } from './artillery.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-artillery-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the export is an Artillery test whose processor signs valid SETs and the invalid share with an unknown key', async () => {
  const { privateJwk } = await generateSigningKey('ES256');
  const receiver: SsfReceiverOptions = {
    pushEndpoint: 'https://receiver.example:8443/ssf/events?stream=1',
    audience: 'https://receiver.example',
    issuer: 'https://harness.example',
    privateJwk,
  };
  const files = await artilleryExport(receiver, { count: 200, rate: 40, invalidShare: 0.25 });
  const script = parse(files.script) as {
    config: { target: string; phases: unknown; processor: string };
    scenarios: { flow: { post: { url: string; headers: Record<string, string> } }[] }[];
  };
  expect(script.config.target).toBe('https://receiver.example:8443');
  expect(script.config.phases).toEqual([{ duration: 5, arrivalCount: 200 }]);
  expect(script.config.processor).toBe(`./${ARTILLERY_PROCESSOR}`);
  const post = script.scenarios[0]?.flow[0]?.post;
  expect(post).toMatchObject({
    url: '/ssf/events?stream=1',
    beforeRequest: 'signSet',
    afterResponse: 'countAnswer',
  });
  expect(post?.headers['content-type']).toBe('application/secevent+jwt');
  expect(files.script + files.processor).not.toContain(String(privateJwk.d));

  const file = join(dir, ARTILLERY_PROCESSOR);
  writeFileSync(file, files.processor);
  const environment = { [ARTILLERY_KEY_ENV]: JSON.stringify(privateJwk) };
  const processor = createRequire(import.meta.url)(file) as {
    setFor(
      index: number,
      environment: Record<string, string>,
    ): { set: string; invalid: boolean; jti: string };
    signSet(
      params: Record<string, unknown>,
      context: { vars: Record<string, unknown> },
      events: unknown,
      next: () => void,
    ): void;
  };
  const keys = jwksFromObject(publicJwks(await importSigningKey(privateJwk)));
  const made = Array.from({ length: 8 }, (_, i) => processor.setFor(i, environment));
  expect(made.map((m) => m.invalid)).toEqual([false, false, false, true, false, false, false, true]);
  expect(new Set(made.map((m) => m.jti)).size).toBe(8);
  for (const m of made) {
    const result = await validateSet(m.set, {
      profile: 'ssf',
      keys,
      expectedIssuer: receiver.issuer,
      expectedAudience: receiver.audience,
    });
    const failures = result.findings.filter((f) => f.level === 'failure').map((f) => f.message);
    if (m.invalid) {
      expect(result.signature).not.toBe('valid');
    } else {
      expect(result.signature).toBe('valid');
      expect(failures).toEqual([]);
    }
  }
  // The hook Artillery calls: the body is the SET, and the answer is counted by validity.
  const params: Record<string, unknown> = { headers: {} };
  const context = { vars: { $processEnvironment: environment } as Record<string, unknown> };
  let called = false;
  processor.signSet(params, context, undefined, () => {
    called = true;
  });
  expect(called).toBe(true);
  expect(String(params.body).split('.')).toHaveLength(3);
  expect(context.vars.ssfLabInvalid).toBe(false);
});
