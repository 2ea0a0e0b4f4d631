/**
 * Replay protection that does not forget (issue 14): 1,000,000 distinct SETs through the receiver's replay
 * guard, then the first SET replayed, in its own process so RSS is the receiver's. `node replay-memory.js
 * [COUNT] [SAMPLE]`. The first SAMPLE SETs (default 2,000) are signed and go through the real SetIntake —
 * full validation and EdDSA signature — which anchors the guard's cost as a ratio; the other COUNT − SAMPLE
 * go through the same ReplayGuard the intake holds, by the calls the intake makes once a SET is verified
 * (`inspect`, then `remember`), as (iss, jti, iat) triples with UUID jtis over four issuers. Then the
 * first SET, a million SETs ago, is pushed to the intake again: it must come back `duplicate`, with no
 * second call of the handler. With the default capacity (1,000,000) the store is now exactly full, so one
 * more new SET must be refused (retryable), not let in by forgetting an old id.
 */
import { randomUUID } from 'node:crypto';
import {
  buildEventSet,
  EVENT_URIS,
  generateSigningKey,
  jwksFromObject,
  publicJwks,
  signSet,
} from '../protocol/index.ts';
import { IntakeFullError, ReplayGuard, SetIntake } from '../ssf/index.ts';

const count = Number(process.argv[2] ?? '1000000');
const sample = Number(process.argv[3] ?? '2000');
const ISS = 'https://tx.bench.test/t1';
const OTHER_ISSUERS = [
  ISS,
  'https://tx.bench.test/t2',
  'https://tx.bench.test/t3',
  'https://tx.bench.test/t4',
];
// A fixed clock: every SET is inside the 24 h window, so nothing may be forgotten during the run.
const NOW = Date.UTC(2026, 0, 5, 12);
const clock = { now: () => NOW, setTimer: () => ({ cancel: () => undefined }) };
const nowSeconds = Math.floor(NOW / 1000);

const { key } = await generateSigningKey('EdDSA', { kid: 'replay' });
const guard = new ReplayGuard({ now: clock.now });
let handled = 0;
const intake = new SetIntake({
  profile: 'ssf',
  keys: jwksFromObject(publicJwks(key)),
  expectedIssuer: ISS,
  expectedAudience: 'https://rx.bench.test',
  scheduler: clock as never,
  replay: guard,
  onSet: () => {
    handled += 1;
  },
});

const sign = (i: number): Promise<string> =>
  signSet(
    buildEventSet(
      {
        iss: ISS,
        aud: 'https://rx.bench.test',
        eventType: EVENT_URIS.sessionRevoked,
        payload: { event_timestamp: nowSeconds - 5 },
        subject: { format: 'email', email: `user${i}@acme.example` },
        txn: `txn-${i}`,
      },
      { clock },
    ),
    key,
  );

const rssStart = process.memoryUsage().rss;
const tokens: string[] = [];
for (let done = 0; done < sample; done += 200)
  tokens.push(
    ...(await Promise.all(Array.from({ length: Math.min(200, sample - done) }, (_, j) => sign(done + j)))),
  );
const first = tokens[0] as string;

// The anchor: full intake (parse, validate, verify the signature, replay guard) per SET.
let t = performance.now();
for (const token of tokens) await intake.accept(token, 'push');
const intakeMs = performance.now() - t;
await intake.idle();
tokens.length = 0;

// The rest: the replay guard alone, as the intake calls it after verification.
let peak = process.memoryUsage().rss;
t = performance.now();
let newOnes = 0;
for (let i = sample; i < count; i += 1) {
  const iss = OTHER_ISSUERS[i % OTHER_ISSUERS.length] as string;
  // Flat, as JSON.parse leaves a SET's jti (randomUUID's string is built of pieces, which costs more).
  const jti = Buffer.from(randomUUID(), 'latin1').toString('latin1');
  const iat = nowSeconds - (i % 3600);
  if (guard.inspect(iss, jti, iat).kind === 'new' && guard.remember(iss, jti, iat)) newOnes += 1;
  if ((i & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
const guardMs = performance.now() - t;
peak = Math.max(peak, process.memoryUsage().rss);

// The replay, a million SETs later, through the real intake.
const handledBefore = handled;
const replay = await intake.accept(first, 'push');
await intake.idle();
// One more new SET: the store is full of live ids, so it is refused for now rather than let in.
let oneMore = 'accepted';
try {
  oneMore = (await intake.accept(await sign(count + 1), 'push')).status;
} catch (error) {
  oneMore = error instanceof IntakeFullError ? 'refused-full' : String(error);
}
peak = Math.max(peak, process.memoryUsage().rss);

process.stdout.write(
  `${JSON.stringify({
    count,
    sample,
    remembered: guard.size,
    guardNew: newOnes,
    intakeAccepted: intake.stats.accepted,
    intakePerSec: (sample * 1000) / intakeMs,
    guardPerSec: ((count - sample) * 1000) / guardMs,
    replay: replay.status,
    replayHandled: handled - handledBefore,
    oneMore,
    rssStartMb: rssStart / 2 ** 20,
    rssPeakMb: peak / 2 ** 20,
  })}\n`,
);
