/**
 * `ssf-lab serve` starts the lab console beside the lab: named in the manifest (`console.url`, and the
 * sign-in link `console.signInUrl` carrying the admin token), announced on stderr without the token,
 * refusing a request without it, and stopped with the lab.
 */
import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { serveInProcess } from './cli.testing.ts';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('serve runs the console on its own port, behind the admin token, and stops it with the lab', async () => {
  const s = serveInProcess(['--devices', '4'], { SSF_LAB_HTTP: '1' });
  try {
    const m = await s.manifest;
    const token = m.lab?.adminToken ?? '';
    expect(m.console?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = m.console?.url ?? '';
    expect(m.console?.signInUrl).toBe(`${url}?token=${encodeURIComponent(token)}`);
    const port = Number(new URL(url).port);
    expect(
      [m.okta.url, m.jamfPro.url, m.jamfSecurityCloud.url].map((u) => Number(new URL(u).port)),
    ).not.toContain(port);

    expect((await fetch(new URL('/api/fleet', url))).status).toBe(401);
    const signIn = await fetch(m.console?.signInUrl ?? '', { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const fleet = await fetch(new URL('/api/fleet', url), { headers: { cookie } });
    expect(fleet.status).toBe(200);
    expect(((await fleet.json()) as { total: number }).total).toBe(4);

    expect(s.stderr()).toContain(`Console: ${url} — open the manifest's console.signInUrl to sign in`);
    expect(s.stderr()).not.toContain(token);
    s.stop('SIGTERM');
    expect(await s.done).toBe(0);
    expect(await listening(port)).toBe(false);
  } finally {
    s.stop('SIGTERM');
    await s.done;
  }
}, 30_000);
