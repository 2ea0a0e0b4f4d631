/**
 * A receiver in its own process for the push benchmark: serves the reference push endpoint on a loopback
 * port, validating SETs against the public JWK passed in, and reports its URL, then the number of SETs it
 * accepted and the CPU it has used when asked.
 * Run as `node receiver-server.js PUBLIC_JWK_JSON ISSUER AUDIENCE`.
 */
import Fastify from 'fastify';
import { jwksFromObject } from '../protocol/index.ts';
import { SetIntake, ssfPushEndpoint } from '../ssf/index.ts';

const [jwkText, issuer, audience] = process.argv.slice(2);
if (!jwkText || !issuer || !audience) {
  process.stderr.write('usage: receiver-server PUBLIC_JWK_JSON ISSUER AUDIENCE\n');
  process.exit(2);
}
const intake = new SetIntake({
  profile: 'ssf',
  keys: jwksFromObject({ keys: [JSON.parse(jwkText)] }),
  expectedIssuer: issuer,
  expectedAudience: audience,
});
const app = Fastify();
await app.register(ssfPushEndpoint, { path: '/push', intake });
// CPU in µs since start, so the benchmark can put the receiver's share of each push next to the sender's.
app.get('/stats', async () => {
  const cpu = process.cpuUsage();
  return { ...intake.stats, cpuUs: cpu.user + cpu.system };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: `${address}/push`, stats: `${address}/stats` })}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
