import { expect, test } from 'vitest';
import { narrator } from './narrate.ts';

test('the narrator tells the chain from the first step on, and each verdict', () => {
  const lines: string[] = [];
  const on = narrator((l) => lines.push(l));
  on({ type: 'setup', title: 'okta: Jamf Trust OIDC app', elapsedMs: 5 });
  on({ type: 'setup', title: 'jsc: Okta identity provider', elapsedMs: 9 });
  on({
    type: 'step',
    phase: 'start',
    step: { index: 0, kind: 'threat', title: 'Malware threat on mac' },
    elapsedMs: 100,
  });
  on({
    type: 'exchange',
    elapsedMs: 112,
    exchange: {
      seq: 1,
      at: 0,
      from: 'jamf-security-cloud',
      to: 'okta',
      method: 'POST',
      url: 'https://acme.okta.lab/security/api/v1/security-events',
      requestHeaders: {},
      set: {
        header: {},
        claims: {
          events: {
            'https://schemas.okta.com/secevent/okta/event-type/device-risk-change': {
              previous_level: 'secure',
              current_level: 'high',
            },
          },
        },
      },
      status: 202,
      durationMs: 3,
    },
  });
  on({
    type: 'exchange',
    elapsedMs: 113,
    exchange: {
      seq: 2,
      at: 0,
      from: 'harness',
      to: 'okta',
      method: 'GET',
      url: 'https://acme.okta.lab/api/v1/logs',
      requestHeaders: {},
      status: 200,
      durationMs: 1,
    },
  });
  on({
    type: 'log',
    elapsedMs: 114,
    entry: {
      published: '',
      eventType: 'user.risk.detect',
      displayMessage: null,
      outcome: 'SUCCESS',
      actor: null,
      targets: ['User: Ann Lee'],
      traceId: 't',
    },
  });
  on({
    type: 'log',
    elapsedMs: 114,
    entry: {
      published: '',
      eventType: 'user.session.start',
      displayMessage: null,
      outcome: 'SUCCESS',
      actor: null,
      targets: [],
      traceId: null,
    },
  });
  on({
    type: 'exchange',
    elapsedMs: 120,
    exchange: {
      seq: 3,
      at: 0,
      from: 'okta',
      to: 'office365',
      method: 'POST',
      url: 'https://o/gtr',
      requestHeaders: {},
      error: 'ECONNREFUSED',
      durationMs: 1,
    },
  });
  on({
    type: 'step',
    phase: 'end',
    step: {
      index: 1,
      kind: 'wait',
      title: 'w',
      startedMs: 0,
      durationMs: 1,
      ok: false,
      error: 'wait: timed out',
    },
    elapsedMs: 130,
  });
  const check = {
    plan: 'scenarios',
    module: 'm',
    requirement: 'OKTA-ITP-RECEIVE',
    level: 'failure',
    findings: [],
  } as const;
  on({
    type: 'check',
    result: { ...check, id: 'scenario-sets-accepted', title: '1 SET.', status: 'passed' },
  });
  on({
    type: 'check',
    result: {
      ...check,
      id: 'scenario-app-logouts',
      title: 'logout.',
      requirement: 'OKTA-ITP-APP-LOGOUT',
      status: 'failed',
      findings: [
        {
          check: 'scenario-app-logouts',
          requirement: 'OKTA-ITP-APP-LOGOUT',
          level: 'failure',
          message: 'office365: none, not partial',
        },
      ],
    },
  });
  on({
    type: 'check',
    result: {
      ...check,
      id: 'scenario-flow-within-bound',
      title: 'bound.',
      requirement: 'LAB-E2E-LATENCY',
      level: 'warning',
      status: 'failed',
      findings: [{ check: 'x', requirement: 'LAB-E2E-LATENCY', level: 'warning', message: 'it took 9 ms' }],
    },
  });
  expect(lines).toEqual([
    "   set-up  the seed's configuration: 2 steps through the services' APIs, 100 ms",
    '+    0 ms  ▶ Malware threat on mac',
    '+   12 ms  jamf-security-cloud → okta: SET device-risk-change secure → high — 202',
    '+   14 ms  System Log user.risk.detect — Okta detected a risk on the user (Ann Lee)',
    '+   20 ms  okta → office365: Universal Logout — ECONNREFUSED',
    '+   30 ms  ✗ wait: timed out',
    '           ✓ 1 SET.',
    '           ✗ logout. [scenario-app-logouts, OKTA-ITP-APP-LOGOUT]: office365: none, not partial',
    '           ! bound. [scenario-flow-within-bound, LAB-E2E-LATENCY]: it took 9 ms',
  ]);
});

test('a configure step tells each set-up call as it happens instead of summarising it', () => {
  const lines: string[] = [];
  const on = narrator((l) => lines.push(l));
  on({
    type: 'step',
    phase: 'start',
    step: { index: 0, kind: 'configure', title: "the seed's configuration" },
    elapsedMs: 10,
  });
  on({ type: 'setup', title: 'okta: Jamf Trust OIDC app', elapsedMs: 15 });
  on({ type: 'setup', title: 'jsc: SSF stream to Okta', elapsedMs: 40 });
  on({
    type: 'step',
    phase: 'start',
    step: { index: 1, kind: 'call', title: 'GET okta /api/v1/apps' },
    elapsedMs: 60,
  });
  expect(lines).toEqual([
    "+    0 ms  ▶ the seed's configuration",
    '+    5 ms    · okta: Jamf Trust OIDC app',
    '+   30 ms    · jsc: SSF stream to Okta',
    '+   50 ms  ▶ GET okta /api/v1/apps',
  ]);
});
