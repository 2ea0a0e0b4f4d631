/**
 * A run reads Okta's System Log from its own start: on a lab that was busy a moment before (a previous
 * run, a threat raised from the console, the same user), the events already in the log — however close
 * to the run's start — are not the run's; the ones the run causes are. (The default margin of a second
 * before the start, for a remote org's clock, is narrowed to just after the log's newest event.)
 */
import { expect, test } from 'vitest';
import { RunContext } from './context.ts';
import { readSystemLog } from './okta-log.ts';
import { labTarget } from './target.ts';

test('a run reads the System Log from just after its newest event at the start, not a second earlier', async () => {
  const target = await labTarget({ devices: 3 });
  try {
    await target.configure?.();
    const admin = new RunContext(target);
    const users = (await admin.call('okta', 'okta: users', '/api/v1/users')).body as {
      profile: { login: string };
    }[];
    const [first, second] = users.map((u) => u.profile.login);
    const signIn = (ctx: RunContext, login: string | undefined) =>
      ctx.call('okta', 'lab: sign a user in', '/_lab/sessions', { method: 'POST', json: { login } });
    // What happened just before the run: a sign-in.
    await signIn(admin, first);
    const run = new RunContext(target);
    const starts = async () =>
      (await readSystemLog(run))
        .filter((e) => e.eventType === 'user.session.start')
        .map((e) => e.actor?.alternateId);
    // Without the mark, the run would start a second earlier and take that sign-in for its own.
    expect(await starts()).toContain(first);
    await run.skipSetUp();
    expect(await readSystemLog(run)).toEqual([]);
    // What the run causes is read.
    await signIn(run, second);
    expect(await starts()).toEqual([second]);
  } finally {
    await target.close();
  }
});
