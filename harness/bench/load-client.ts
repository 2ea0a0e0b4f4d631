/**
 * The second process of the receiver load benchmark: reads SETs (one per line) from a file and pushes
 * them to a receiver URL with a fixed number in flight over keep-alive connections, then prints one JSON
 * line: how many were sent, how long it took, and the statuses seen.
 * Run as `node load-client.js URL FILE IN_FLIGHT [AUTHORIZATION]`. It uses node:http rather than fetch:
 * on Node 20 fetch adds about three times the client cost per request, which would measure the client.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [url, file, inFlightText, authorization] = process.argv.slice(2);
if (!url || !file) {
  process.stderr.write('usage: load-client URL FILE [IN_FLIGHT] [AUTHORIZATION]\n');
  process.exit(2);
}
const target = new URL(url);
const tokens = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const inFlight = Number(inFlightText ?? '16');
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const statuses: Record<number, number> = {};
let next = 0;

function push(token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/secevent+jwt',
          accept: 'application/json',
          'content-length': Buffer.byteLength(token),
          ...(authorization ? { authorization } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(token);
  });
}

async function worker(): Promise<void> {
  while (next < tokens.length) {
    const status = await push(tokens[next++] as string);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

const start = performance.now();
await Promise.all(Array.from({ length: inFlight }, worker));
const ms = performance.now() - start;
agent.destroy();
process.stdout.write(`${JSON.stringify({ count: tokens.length, ms, statuses })}\n`);
