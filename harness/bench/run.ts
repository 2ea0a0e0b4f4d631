/**
 * `npm run bench`: throughput of ssf-lab's SET validation next to raw jose in the same run. Machines are
 * noisy, so each figure is a ratio against a baseline measured in the same process, in interleaved
 * rounds, and the median round is reported. Targets come from the issues (lint+verify ≥ 0.8× of raw
 * jose jwtVerify for an RS256 SET).
 */
import { importJWK, jwtVerify } from 'jose';
import {
  buildEventSet,
  EVENT_URIS,
  exampleEventFor,
  generateSigningKey,
  jwksFromObject,
  lintSet,
  publicJwks,
  signSet,
  validateSet,
} from '../protocol/index.ts';

interface Result {
  readonly name: string;
  readonly opsPerSec: number;
}

/** Operations per second with `inFlight` callers looping concurrently for about `ms`. */
async function rate(fn: () => Promise<unknown> | unknown, ms: number, inFlight = 1): Promise<number> {
  const start = performance.now();
  let n = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      for (let i = 0; i < 20; i++) await fn();
      n += 20;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (n * 1000) / (performance.now() - start);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function compare(
  label: string,
  baseline: () => Promise<unknown> | unknown,
  subject: () => Promise<unknown> | unknown,
  inFlight = 1,
  rounds = 7,
  ms = 300,
): Promise<{ baseline: Result; subject: Result; ratio: number }> {
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  await rate(baseline, 200, inFlight); // warm-up
  await rate(subject, 200, inFlight);
  for (let r = 0; r < rounds; r++) {
    const x = await rate(baseline, ms, inFlight);
    const y = await rate(subject, ms, inFlight);
    a.push(x);
    b.push(y);
    ratios.push(y / x);
  }
  return {
    baseline: { name: `${label} baseline`, opsPerSec: median(a) },
    subject: { name: label, opsPerSec: median(b) },
    ratio: median(ratios),
  };
}

async function main(): Promise<void> {
  const { key } = await generateSigningKey('RS256', { kid: 'bench-1' });
  const example = exampleEventFor(EVENT_URIS.oktaDeviceRiskChange, 'okta');
  const iss = 'https://jsc.example.test/ssf/tenant-1';
  const aud = 'https://acme.okta.example';
  const claims = buildEventSet({
    iss,
    aud,
    eventType: EVENT_URIS.oktaDeviceRiskChange,
    payload: example.payload,
    subject: example.subject,
    placement: 'in-event',
  });
  const token = await signSet(claims, key);
  const publicKey = await importJWK(key.publicJwk, 'RS256');
  const keys = jwksFromObject(publicJwks(key));
  const options = { profile: 'okta' as const, keys, expectedIssuer: iss, expectedAudience: aud };

  const check = await validateSet(token, options);
  if (check.signature !== 'valid' || check.findings.length > 0) {
    throw new Error(`bench token does not validate cleanly: ${JSON.stringify(check.findings)}`);
  }

  const rawVerify = () => jwtVerify(token, publicKey, { issuer: iss, audience: aud, typ: 'secevent+jwt' });
  const verify = await compare('validateSet (lint + RS256 verify, okta profile)', rawVerify, () =>
    validateSet(token, options),
  );
  const lint = await compare('lintSet (no signature)', rawVerify, () => lintSet(token, options));
  // A receiver under load: 16 SETs in flight, so both sides are bound by CPU rather than latency.
  const loaded = await compare('validateSet, 16 in flight', rawVerify, () => validateSet(token, options), 16);

  const rows = [
    ['measure', 'ops/s', 'vs raw jose jwtVerify', 'target'],
    ['raw jose jwtVerify (RS256)', verify.baseline.opsPerSec.toFixed(0), '1.00×', ''],
    [verify.subject.name, verify.subject.opsPerSec.toFixed(0), `${verify.ratio.toFixed(2)}×`, '≥ 0.80×'],
    [lint.subject.name, lint.subject.opsPerSec.toFixed(0), `${lint.ratio.toFixed(2)}×`, ''],
    ['raw jose jwtVerify, 16 in flight', loaded.baseline.opsPerSec.toFixed(0), '1.00×', ''],
    [loaded.subject.name, loaded.subject.opsPerSec.toFixed(0), `${loaded.ratio.toFixed(2)}×`, ''],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  const ok = verify.ratio >= 0.8;
  console.log(
    `\nlint+verify throughput ${ok ? 'meets' : 'MISSES'} the 0.8× target (${verify.ratio.toFixed(2)}×)`,
  );
  process.exitCode = ok ? 0 : 1;
}

await main();
