/**
 * The lab's own SETs pass the strict `ssf` profile on loopback too, once the lab has TLS (issue 15's
 * "the lab's SETs pass `--profile ssf`"): a loopback lab with `tls`, as `ssf-lab serve` starts it, reached
 * only through its manifest and a fetch trusting its CA — the events plan's set-up opens a poll stream
 * with the manifest's stream token (it does so only for an https issuer), raises a test threat and
 * polls; every SET polled validates under `ssf` with no `iss-is-https-url` finding and no failure.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  configureSeed,
  type Lab,
  type LabManifest,
  labManifest,
  manifestOrigins,
  startLab,
  withLabAdminToken,
} from '../lab/index.ts';
import { validateSet } from '../protocol/index.ts';
import { createHttpFetch } from '../ssf/index.ts';
import { capturedLabSets, fleetSubjects, signalSubject } from './lab-targets/set-up.ts';

let lab: Lab;
let manifest: LabManifest;

beforeAll(async () => {
  lab = await startLab({ transport: 'loopback', tls: true, seed: 4, devices: 4, intercept: false });
  await configureSeed(lab);
  manifest = labManifest(lab);
}, 30_000);
afterAll(() => lab?.close());

test("the lab's SETs, polled from a stream of a receiver's own, pass the ssf profile", async () => {
  expect(manifest.jamfSecurityCloud.issuer).toMatch(/^https:/);
  const trusting = createHttpFetch({ ca: manifest.tls?.caCert ?? '' });
  const fetchImpl = withLabAdminToken(trusting, manifestOrigins(manifest), manifest.lab?.adminToken);
  const device = signalSubject(await fleetSubjects(fetchImpl, manifest.jamfSecurityCloud));
  const polled = (await capturedLabSets(fetchImpl, manifest, device)).filter((c) => c.profile === 'ssf');
  // On plain http there would be none: the poll stream is opened for an https issuer only.
  expect(polled.length).toBeGreaterThan(0);
  for (const c of polled) {
    const result = await validateSet(c.set, {
      profile: 'ssf',
      ...(c.issuer === undefined ? {} : { expectedIssuer: c.issuer }),
      ...(c.audience === undefined ? {} : { expectedAudience: c.audience }),
    });
    expect(result.payload?.iss).toBe(manifest.jamfSecurityCloud.issuer);
    expect(result.findings.map((f) => f.check)).not.toContain('iss-is-https-url');
    expect(result.findings.filter((f) => f.level === 'failure')).toEqual([]);
  }
}, 30_000);
