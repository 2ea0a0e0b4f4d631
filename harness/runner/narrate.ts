/**
 * The live story of a run, one line per thing that matters, with elapsed milliseconds: the set-up steps,
 * each scenario step, the SET crossing from Jamf Security Cloud to Okta, each of Okta's System Log steps of
 * the chain as Okta writes them, each app's logout, and the verdict of every expectation.
 */
import { type ExchangeRecord, LAB_APPS } from '../records/index.ts';
import type { RunEvent } from './run-scenario.ts';

/** The seed's seven System Log steps, in words. */
export const LOG_STEPS: Readonly<Record<string, string>> = {
  'security.events.provider.receive_event': 'Okta received the security event from the provider',
  'user.risk.detect': 'Okta detected a risk on the user',
  'policy.entity_risk.evaluate': 'Entity Risk Policy evaluated',
  'policy.entity_risk.action': 'Entity Risk Policy action',
  'user.session.end': 'Okta session ended',
  'user.authentication.universal_logout': 'Universal Logout fired',
  'user.risk.change': "the user's risk level changed",
};

const APPS: ReadonlySet<string> = new Set(LAB_APPS);

export interface NarratorOptions {
  readonly color?: boolean;
  /** Print set-up steps too (default false: one summary line). */
  readonly verbose?: boolean;
}

function paint(color: boolean, code: number, text: string): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function eventName(exchange: ExchangeRecord): string {
  const events = exchange.set?.claims?.events;
  const uri = events && typeof events === 'object' ? Object.keys(events)[0] : undefined;
  if (!uri) return 'SET';
  const payload = (events as Record<string, Record<string, unknown>>)[uri] ?? {};
  const levels =
    payload.previous_level !== undefined || payload.current_level !== undefined
      ? ` ${String(payload.previous_level ?? '?')} → ${String(payload.current_level ?? '?')}`
      : '';
  return `${uri.split('/').at(-1)}${levels}`;
}

/** An onEvent handler writing lines to `write`. */
export function narrator(
  write: (line: string) => void,
  options: NarratorOptions = {},
): (event: RunEvent) => void {
  const color = options.color ?? false;
  // Times count from the first step, so the story reads from the moment something happens to a device.
  let zero: number | undefined;
  const at = (ms: number): string =>
    paint(color, 2, zero === undefined ? '   set-up' : `+${String(ms - zero).padStart(5)} ms`);
  let setupSteps = 0;
  let setupReported = false;
  return (event) => {
    switch (event.type) {
      case 'setup':
        // Inside a scenario step (`configure: seed`), each set-up call is the story: tell it as it happens.
        if (zero !== undefined) {
          write(`${at(event.elapsedMs)}    · ${event.title}`);
          return;
        }
        setupSteps += 1;
        if (options.verbose) write(`${at(event.elapsedMs)}  ${event.title}`);
        return;
      case 'step':
        if (!setupReported && setupSteps > 0 && !options.verbose) {
          write(
            `${at(event.elapsedMs)}  the seed's configuration: ${setupSteps} steps through the services' APIs, ${event.elapsedMs} ms`,
          );
          setupReported = true;
        }
        zero ??= event.elapsedMs;
        if (event.phase === 'start')
          write(`${at(event.elapsedMs)}  ${paint(color, 1, `▶ ${event.step.title}`)}`);
        else if ('ok' in event.step && !event.step.ok)
          write(`${at(event.elapsedMs)}  ${paint(color, 31, `✗ ${event.step.error ?? 'failed'}`)}`);
        return;
      case 'exchange': {
        const x = event.exchange;
        if (x.set) {
          write(
            `${at(event.elapsedMs)}  ${x.from} → ${x.to}: SET ${eventName(x)} — ${x.status ?? x.error ?? 'no answer'}`,
          );
        } else if (x.from === 'okta' && APPS.has(x.to)) {
          write(
            `${at(event.elapsedMs)}  okta → ${x.to}: Universal Logout — ${x.status ?? x.error ?? 'no answer'}`,
          );
        }
        return;
      }
      case 'log': {
        const words = LOG_STEPS[event.entry.eventType];
        if (!words) return;
        const target = event.entry.targets.find((t) => t.startsWith('User: '))?.slice(6);
        write(
          `${at(event.elapsedMs)}  ${paint(color, 36, 'System Log')} ${event.entry.eventType} — ${words}${target ? ` (${target})` : ''}`,
        );
        return;
      }
      case 'check': {
        const r = event.result;
        const why = r.findings[0]?.message ?? r.reason ?? r.status;
        const [mark, code] =
          r.status === 'passed'
            ? ['✓', 32]
            : r.status === 'skipped'
              ? ['–', 2]
              : r.status === 'failed' && r.level !== 'failure'
                ? ['!', 33]
                : ['✗', 31];
        write(
          r.status === 'passed'
            ? `           ${paint(color, code, mark)} ${r.title}`
            : `           ${paint(color, code, mark)} ${r.title} ${paint(color, 2, `[${r.id}, ${r.requirement}]`)}: ${why}`,
        );
        return;
      }
    }
  };
}
