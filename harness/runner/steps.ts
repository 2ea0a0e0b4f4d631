/**
 * The steps a scenario can take, each through a service's public API or the lab's documented `/_lab/`
 * controls (threats, faults, idleness), and time: on a lab ssf-lab started, virtual time that a wait moves
 * on; on a running lab, real time. A step either finishes or throws a StepFailedError saying what went
 * wrong.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { fillFromTrigger, type HttpRequestSpec } from '../../suites/integration/index.ts';
import { apiCall, field, StepFailedError } from '../lab/index.ts';
import { EVENT_URIS } from '../protocol/index.ts';
import type { RunContext } from './context.ts';
import { readSystemLog, targetsUser } from './okta-log.ts';
import { durationMs, type Step, type WaitCondition } from './scenario.ts';

const DEFAULT_WAIT_MS = 30_000;
/** However far virtual time may go, a wait on a lab's virtual time gives up after this much real time. */
const REAL_WAIT_CAP_MS = 20_000;
/** How often a wait on real time looks again. */
const REAL_POLL_MS = 100;

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isOk(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** Whether the condition holds now. */
async function holds(ctx: RunContext, condition: WaitCondition): Promise<boolean> {
  if (('delivered' in condition || 'attempts' in condition || 'idle' in condition) && !ctx.target.labControls)
    throw new StepFailedError(
      'wait',
      `${ctx.target.name} is real endpoints: ${Object.keys(condition)[0]} is seen only in a lab (its timeline and /_lab/idle)`,
    );
  if ('delivered' in condition) {
    const { to, count = 1 } = condition.delivered;
    return ctx.exchanges().filter((e) => e.set && e.to === to && isOk(e.status)).length >= count;
  }
  if ('attempts' in condition) {
    const { to, count } = condition.attempts;
    return ctx.exchanges().filter((e) => e.set && e.to === to).length >= count;
  }
  if ('risk' in condition) {
    const userId = await ctx.oktaUserId(condition.risk.user);
    const risk = await ctx.call('okta', 'wait: user risk', `/api/v1/users/${userId}/risk`);
    return (risk.body as { riskLevel?: string } | undefined)?.riskLevel === condition.risk.level;
  }
  if ('logout' in condition) {
    const userId = await ctx.oktaUserId(condition.logout);
    const events = await readSystemLog(ctx);
    return events.some(
      (e) => e.eventType === 'user.authentication.universal_logout' && targetsUser(e, userId),
    );
  }
  // idle: JSC has nothing left to signal or send and Okta nothing left to process.
  const jsc = await ctx.call('jamf-security-cloud', 'wait: JSC idle', '/_lab/idle?timeoutMs=5000', {
    expect: [204, 503],
  });
  if (jsc.status !== 204) return false;
  const okta = await ctx.call('okta', 'wait: Okta idle', '/_lab/entity-risk/idle?timeoutMs=5000', {
    expect: [204, 503],
  });
  return okta.status === 204;
}

/**
 * Waits for a condition, letting lab time pass: while nothing is happening (no new exchange), virtual
 * time jumps to the next timer due within the bound (a retry's backoff, a poll), so waiting for a
 * minute-long backoff takes milliseconds.
 */
async function waitFor(ctx: RunContext, condition: WaitCondition, withinMs: number): Promise<void> {
  const clock = ctx.target.clock;
  if (clock.advance === undefined || clock.nextAt === undefined) {
    // Real time: look again until the bound passes.
    const realDeadline = performance.now() + withinMs;
    for (;;) {
      await ctx.poll();
      if (await holds(ctx, condition)) return;
      if (performance.now() > realDeadline) break;
      await realSleep(REAL_POLL_MS);
    }
    throw new StepFailedError('wait', `${JSON.stringify(condition)} did not happen within ${withinMs} ms`);
  }
  const deadline = clock.now() + withinMs;
  const realDeadline = performance.now() + REAL_WAIT_CAP_MS;
  // The runner's own reads (it polls Okta's API) are not activity: only exchanges between the services are.
  // The lab's timeline is read once per turn, after the pause, and both the condition and the quiet count
  // go by that read.
  await ctx.poll();
  let seen = ctx.serviceExchanges;
  let quiet = 0;
  for (;;) {
    if (await holds(ctx, condition)) return;
    await realSleep(quiet < 3 ? 1 : 5);
    await ctx.poll();
    const now = ctx.serviceExchanges;
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
    if (quiet >= 3) {
      const next = clock.nextAt();
      if (next !== undefined && next <= deadline) {
        await clock.advance(Math.max(0, next - clock.now()));
        quiet = 0;
      } else if (quiet >= 20) {
        break; // nothing is running and nothing is due before the bound
      }
    }
    if (performance.now() > realDeadline) break;
  }
  await ctx.poll();
  if (await holds(ctx, condition)) return;
  throw new StepFailedError(
    'wait',
    `${JSON.stringify(condition)} did not happen within ${withinMs} ms of lab time`,
  );
}

/** Runs one step; `onSubStep` hears of the seed set-up's own steps. */
export async function runStep(
  ctx: RunContext,
  step: Step,
  onSubStep?: (title: string) => void,
): Promise<void> {
  if ('threat' in step && ctx.target.standIns) {
    // Real endpoints: the target file's trigger raises the threat on its user's device.
    const answer = await ctx.send("threat (the target file's trigger)", ctx.target.standIns.trigger);
    const name = step.threat.as ?? `threat-${ctx.threats.size + 1}`;
    ctx.triggered.set(name, answer.body);
    ctx.threats.set(name, name);
    ctx.threats.set('last', name);
    ctx.openThreats.push(name);
    return;
  }
  if ('threat' in step) {
    const device = await ctx.device(step.threat.device);
    const answer = await ctx.call('jamf-security-cloud', 'threat', '/_lab/threats', {
      json: {
        device: device.udid,
        category: step.threat.category,
        ...(step.threat.severity ? { severity: step.threat.severity } : {}),
      },
    });
    const id = field(answer, 'threat', 'id');
    ctx.threats.set(step.threat.as ?? `threat-${ctx.threats.size + 1}`, id);
    ctx.threats.set('last', id);
    ctx.openThreats.push(id);
    return;
  }
  if ('resolve' in step) {
    const name = step.resolve.threat;
    const ids = name === 'all' ? [...ctx.openThreats] : [ctx.threats.get(name)];
    if (ids.some((id) => id === undefined))
      throw new StepFailedError('resolve', `no threat named "${name}" was raised`);
    for (const id of ids as string[]) {
      await resolveThreat(ctx, id);
      ctx.openThreats.splice(ctx.openThreats.indexOf(id), 1);
    }
    return;
  }
  if ('override' in step) {
    const device = await ctx.device(step.override.device);
    await ctx.call('jamf-security-cloud', 'override', '/risk/v1/override', {
      method: 'PUT',
      json: { risk: step.override.risk, source: step.override.source ?? 'MANUAL', deviceIds: [device.jscId] },
    });
    return;
  }
  if ('down' in step) {
    const { service, path, status, retryAfterSeconds } = step.down;
    await ctx.control('down', `/_lab/faults/${service}`, {
      method: 'PUT',
      json: {
        ...(path === undefined ? {} : { path }),
        ...(status === undefined ? {} : { status }),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
    });
    ctx.faults.add(service);
    return;
  }
  if ('up' in step) {
    await ctx.control('up', `/_lab/faults/${step.up.service}`, { method: 'DELETE' });
    ctx.faults.delete(step.up.service);
    return;
  }
  if ('wait' in step) {
    await waitFor(ctx, step.wait.until, durationMs(step.wait.within ?? DEFAULT_WAIT_MS) ?? DEFAULT_WAIT_MS);
    return;
  }
  if ('advance' in step) {
    const { advance } = ctx.target.clock;
    if (advance === undefined)
      throw new StepFailedError(
        'advance',
        `${ctx.target.name} keeps real time: lab time can only be moved on in a lab ssf-lab starts for the run`,
      );
    await advance(durationMs(step.advance) ?? 0);
    return;
  }
  if ('call' in step) {
    const { service, method, path, json, status } = step.call;
    let resolved = path;
    for (const m of path.matchAll(/\{(user|email|policy|rule):([^}]+)\}/g)) {
      const value =
        m[1] === 'user'
          ? await ctx.oktaUserId(m[2] ?? '')
          : m[1] === 'policy'
            ? await policyId(ctx, m[2] ?? '')
            : m[1] === 'rule'
              ? await entityRiskRuleId(ctx, m[2] ?? '')
              : encodeURIComponent(await ctx.email(m[2] ?? ''));
      resolved = resolved.replace(m[0], value);
    }
    await ctx.call(service, `call ${method ?? 'GET'} ${path}`, resolved, {
      ...(method ? { method } : {}),
      ...(json === undefined ? {} : { json }),
      ...(status === undefined ? {} : { expect: [status] }),
    });
    return;
  }
  if ('configure' in step) {
    const { configure } = ctx.target;
    if (configure === undefined)
      throw new StepFailedError(
        'configure',
        `${ctx.target.name} is configured by whoever started it; the seed's configuration runs only in a lab ssf-lab starts`,
      );
    await configure({ ...(onSubStep ? { onStep: onSubStep } : {}) });
    await ctx.devices(true);
    return;
  }
  if ('forge' in step) {
    await forge(ctx, step.forge.device, step.forge.level);
    return;
  }
  throw new StepFailedError('step', `unknown step ${JSON.stringify(step)}`);
}

/**
 * The id of the org's policy of a type (`{policy:ENTITY_RISK}` in a call's path), read through Okta's
 * Policies API: Okta makes the ENTITY_RISK policy itself and its id differs from org to org, so a scenario
 * that adds a rule to it names it by type.
 */
async function policyId(ctx: RunContext, type: string): Promise<string> {
  if (!/^[A-Z_]{1,64}$/.test(type))
    throw new StepFailedError(
      'call',
      `{policy:${type}}: a policy type is Okta's PolicyType, e.g. ENTITY_RISK`,
    );
  const answer = await ctx.call('okta', `call: the ${type} policy`, `/api/v1/policies?type=${type}`);
  const id = (answer.body as { id?: unknown }[] | undefined)?.[0]?.id;
  if (typeof id !== 'string')
    throw new StepFailedError('call', `{policy:${type}}: Okta lists no policy of type ${type}`);
  return id;
}

/**
 * The id of the Entity Risk Policy's rule of that name (`{rule:NAME}`), so a scenario can remove the rule
 * it added — against a running lab the rule would otherwise outlive the run.
 */
async function entityRiskRuleId(ctx: RunContext, name: string): Promise<string> {
  const policy = await policyId(ctx, 'ENTITY_RISK');
  const answer = await ctx.call(
    'okta',
    'call: the Entity Risk Policy rules',
    `/api/v1/policies/${policy}/rules`,
  );
  const rule = ((answer.body as { id?: unknown; name?: unknown }[] | undefined) ?? []).find(
    (r) => r.name === name,
  );
  if (typeof rule?.id !== 'string')
    throw new StepFailedError('call', `{rule:${name}}: the Entity Risk Policy has no rule named "${name}"`);
  return rule.id;
}

/**
 * A device-risk-change SET that looks like Jamf Security Cloud's — its issuer, the org as audience, the
 * device's user — but is signed with a key of the forger's, pushed straight to Okta's receiver. Okta
 * must refuse it; the answer is in the timeline.
 */
async function forge(ctx: RunContext, ref: string, level: string): Promise<void> {
  const device = await ctx.device(ref);
  const email = await ctx.email(ref);
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(ctx.target.clock.now() / 1000);
  // The kid of JSC's published key (anyone can read the metadata and the JWKS), so only the signature
  // gives the forgery away.
  const jsc = ctx.target.manifest.jamfSecurityCloud;
  if (!jsc) throw new StepFailedError('forge', `${ctx.target.name} names no Jamf Security Cloud to forge`);
  const metadata = await apiCall(ctx.target.fetch, 'forge: transmitter metadata', jsc.wellKnownUrl);
  const jwksUri = field(metadata, 'forge: transmitter metadata', 'jwks_uri');
  const jwks = await apiCall(ctx.target.fetch, 'forge: transmitter JWKS', jwksUri);
  const kid = (jwks.body as { keys?: { kid?: string }[] } | undefined)?.keys?.[0]?.kid ?? 'forged';
  const token = await new SignJWT({
    jti: crypto.randomUUID(),
    events: {
      [EVENT_URIS.oktaDeviceRiskChange]: {
        event_timestamp: now,
        initiating_entity: 'policy',
        reason_admin: { en: 'forged' },
        previous_level: 'secure',
        current_level: level,
        subject: { user: { format: 'email', email }, device: { format: 'opaque', id: device.jscId } },
      },
    },
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt', kid })
    .setIssuer(jsc.issuer)
    .setAudience(ctx.target.manifest.okta.url)
    .setIssuedAt(now)
    .sign(privateKey);
  await ctx.call('okta', 'forge', '/security/api/v1/security-events', {
    method: 'POST',
    body: token,
    headers: { 'content-type': 'application/secevent+jwt' },
    expect: [202, 400],
  });
}

/**
 * Resolves a threat the run raised: the lab's `DELETE /_lab/threats/{id}`, or on real endpoints the target
 * file's `resolve` request filled from its trigger's answer.
 */
export async function resolveThreat(ctx: RunContext, id: string): Promise<void> {
  const standIns = ctx.target.standIns;
  if (!standIns) {
    await ctx.call('jamf-security-cloud', 'resolve', `/_lab/threats/${id}`, { method: 'DELETE' });
    return;
  }
  if (!standIns.resolve)
    throw new StepFailedError('resolve', `${ctx.target.name} names no resolve request to undo its trigger`);
  let request: HttpRequestSpec;
  try {
    request = fillFromTrigger(standIns.resolve, ctx.triggered.get(id));
  } catch (error) {
    throw new StepFailedError('resolve', (error as Error).message);
  }
  await ctx.send("resolve (the target file's resolve)", request);
}
