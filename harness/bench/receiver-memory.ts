/**
 * Receiver memory after 100,000 SETs (issue 3 target: RSS ≤ 300 MB). Run in its own process so the
 * figure is the receiver's, not the rest of the benchmark's: `node receiver-memory.js [COUNT]`. Every SET
 * goes through the full intake (validation, EdDSA signature, de-duplication, processing log); the jti
 * cache and the processing log are the bounded structures (caps: 100,000 and 10,000).
 */
import {
  buildEventSet,
  EVENT_URIS,
  generateSigningKey,
  jwksFromObject,
  publicJwks,
  signSet,
} from '../protocol/index.ts';
import { SetIntake } from '../ssf/index.ts';

const count = Number(process.argv[2] ?? '100000');
const { key } = await generateSigningKey('EdDSA', { kid: 'mem' });
const intake = new SetIntake({
  profile: 'ssf',
  keys: jwksFromObject(publicJwks(key)),
  expectedIssuer: 'https://tx.bench.test/t1',
  expectedAudience: 'https://rx.bench.test',
  onSet: () => undefined,
});
const rssStart = process.memoryUsage().rss;
let peak = rssStart;
const batch = 200;
for (let done = 0; done < count; done += batch) {
  const tokens = await Promise.all(
    Array.from({ length: Math.min(batch, count - done) }, (_, j) =>
      signSet(
        buildEventSet({
          iss: 'https://tx.bench.test/t1',
          aud: 'https://rx.bench.test',
          eventType: EVENT_URIS.sessionRevoked,
          payload: { event_timestamp: 1767225590 },
          subject: { format: 'email', email: `user${done + j}@acme.example` },
          txn: `txn-${done + j}`,
        }),
        key,
      ),
    ),
  );
  await Promise.all(tokens.map((t) => intake.accept(t, 'push')));
  peak = Math.max(peak, process.memoryUsage().rss);
}
await intake.idle();
const stats = intake.stats;
process.stdout.write(
  `${JSON.stringify({ count, accepted: stats.accepted, rssStartMb: rssStart / 2 ** 20, rssPeakMb: peak / 2 ** 20, processedLog: intake.processed.length })}\n`,
);
