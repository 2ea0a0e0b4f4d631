/**
 * A served lab to load, for `ssf-lab load`'s tests: `ssf-lab serve` in-process (https, its CA in the
 * manifest), a harness signing key, and target files naming mock Okta's SET receiver through the
 * okta-receiver plan (the issuer registered as a provider with Okta's API, the JWKS served by the
 * harness), trusting the lab's CA, with mock Okta's processed SET ids (`/_lab/security-events/processed`) as
 * the processed list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabManifest } from '../lab/index.ts';
import { generateSigningKey } from '../protocol/index.ts';
import { type Serving, serveInProcess } from './cli.testing.ts';

export interface ServedLoadLab {
  readonly dir: string;
  readonly manifest: LabManifest;
  /** The environment the target files read their secrets from. */
  readonly env: Record<string, string>;
  /** Writes a target file whose `load` section is `load` (plan and processed list filled in). */
  targetFile(name: string, load: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function serveLoadLab(devices = 2): Promise<ServedLoadLab> {
  const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-load-'));
  const serving: Serving = serveInProcess([
    '--manifest',
    join(dir, 'manifest.json'),
    '--devices',
    String(devices),
  ]);
  const manifest = await serving.manifest;
  // Okta verifies RS256 only.
  const { privateJwk } = await generateSigningKey('RS256');
  const env = {
    LOAD_KEY: JSON.stringify(privateJwk),
    OKTA_TOKEN: manifest.okta.apiToken,
    LAB_AUTH: `Bearer ${manifest.lab?.adminToken ?? ''}`,
  };
  const okta = manifest.okta.url;
  return {
    dir,
    manifest,
    env,
    targetFile(name, load) {
      const file = join(dir, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          name: `mock Okta (${name})`,
          harness: { listenHost: '127.0.0.1' },
          tls: { caFile: manifest.tls?.caFile },
          plans: {
            'okta-receiver': {
              pushEndpoint: `${okta}/security/api/v1/security-events`,
              audience: okta,
              issuer: `https://load-${name}.ssf-lab.test`,
              privateJwk: { env: 'LOAD_KEY' },
              jwksPath: '/jwks.json',
              registerProvider: true,
              okta: { url: okta, apiToken: { env: 'OKTA_TOKEN' } },
            },
          },
          load: {
            plan: 'okta-receiver',
            processedSets: {
              url: `${okta}/_lab/security-events/processed?iss=${encodeURIComponent(`https://load-${name}.ssf-lab.test`)}`,
              authorization: { env: 'LAB_AUTH' },
            },
            ...load,
          },
        }),
      );
      return file;
    },
    async close() {
      serving.stop();
      await serving.done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
