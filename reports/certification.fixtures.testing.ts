/**
 * Certification records for the reporters' tests: one check of each status, a warning, a ledger problem,
 * a failed cleanup — and hostile strings and planted credentials where a system under test could put them.
 */
import {
  CERTIFICATION_RECORD_SCHEMA,
  type CertificationRecord,
  type CheckResult,
  type ExchangeRecord,
} from '../harness/protocol/index.ts';

/** Credentials planted in the record; none may appear in any report. */
export const PLANTED = {
  bearer: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIzNDU2',
  ssws: '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd',
  clientSecret: 'cs-very-secret-value-42',
} as const;

export const HOSTILE = `<script>alert("x")</script> & ' | \` ]]> --> \u0000\u0007 *bold* [link](javascript:alert(1))`;

const base = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: `The ${id} holds.`,
  plan: 'ssf-transmitter',
  module: 'stream-create',
  requirement: 'RFC7515-4',
  level: 'failure',
  status,
  findings: [],
  ...extra,
});

const exchanges: ExchangeRecord[] = [
  {
    seq: 1,
    at: 1_700_000_000_000,
    from: 'harness',
    to: 'ssf.acme.example',
    method: 'POST',
    url: `https://ssf.acme.example/streams?access_token=${PLANTED.bearer}`,
    requestHeaders: {
      authorization: `Bearer ${PLANTED.bearer}`,
      'content-type': 'application/json',
      'x-note': HOSTILE,
    },
    requestBody: JSON.stringify({ client_secret: PLANTED.clientSecret, delivery: { method: HOSTILE } }),
    status: 201,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: JSON.stringify({ stream_id: HOSTILE, apiToken: `SSWS ${PLANTED.ssws}` }),
    durationMs: 12,
  },
  {
    seq: 2,
    at: 1_700_000_000_100,
    from: 'harness',
    to: 'okta.example',
    method: 'GET',
    url: 'https://okta.example/api/v1/users',
    requestHeaders: { authorization: `SSWS ${PLANTED.ssws}` },
    error: `connect ECONNREFUSED while sending SSWS ${PLANTED.ssws}`,
    durationMs: 3,
  },
];

/** A failing record with every status, hostile strings and planted credentials. */
export function hostileRecord(): CertificationRecord {
  return {
    schema: CERTIFICATION_RECORD_SCHEMA,
    tool: { name: 'ssf-lab', version: '0.1.0' },
    target: { name: `Acme ${HOSTILE}`, kind: 'file', file: '/srv/acme.target.json' },
    startedAt: '2026-11-28T19:00:00.000Z',
    durationMs: 1234,
    dryRun: false,
    passed: false,
    plans: [
      {
        name: 'ssf-transmitter',
        title: `SSF transmitter ${HOSTILE}`,
        modules: [
          {
            id: 'stream-create',
            title: `Create a stream ${HOSTILE}`,
            plan: 'ssf-transmitter',
            startedAt: '2026-11-28T19:00:00.100Z',
            durationMs: 500,
            cleanup: [
              { what: 'delete stream s-1', ok: true },
              { what: `delete stream ${HOSTILE}`, ok: false, error: `403 for Bearer ${PLANTED.bearer}` },
            ],
            exchanges,
            checks: [
              base('create-answers-201', 'passed'),
              base('create-echoes-delivery', 'failed', {
                findings: [
                  {
                    check: 'create-echoes-delivery',
                    requirement: 'RFC7515-4',
                    level: 'failure',
                    message: `delivery came back as ${HOSTILE} with Bearer ${PLANTED.bearer}`,
                    evidence: { token: PLANTED.clientSecret, header: `SSWS ${PLANTED.ssws}`, note: HOSTILE },
                  },
                ],
              }),
              base('create-has-txn', 'failed', {
                requirement: 'SSF-4.1.9',
                level: 'warning',
                findings: [
                  { check: 'create-has-txn', requirement: 'SSF-4.1.9', level: 'warning', message: 'no txn' },
                ],
              }),
              base('create-is-tolerated', 'tolerated', {
                findings: [
                  {
                    check: 'create-is-tolerated',
                    requirement: 'RFC7515-4',
                    level: 'failure',
                    message: 'answers 200',
                    toleratedBecause: `vendor ticket ${HOSTILE}`,
                  },
                ],
              }),
              base('create-is-skipped', 'skipped', { reason: `no poll endpoint ${HOSTILE}` }),
              base('create-is-error', 'error', { reason: `the check threw: ${HOSTILE}` }),
            ],
          },
        ],
      },
    ],
    ledgerProblems: [
      {
        entry: { check: 'gone-check', reason: HOSTILE },
        message: 'the ledger entry for "gone-check" matched no finding: remove it if the failure is fixed',
      },
    ],
  };
}

/** A passing record with one module of passing checks. */
export function passingRecord(): CertificationRecord {
  const record = hostileRecord();
  const module = record.plans[0]?.modules[0];
  if (module === undefined) throw new Error('fixture');
  return {
    ...record,
    target: { name: 'the lab (in-process)', kind: 'lab' },
    passed: true,
    plans: [
      {
        name: 'ssf-transmitter',
        title: 'SSF transmitter',
        modules: [
          {
            ...module,
            title: 'Create a stream',
            cleanup: [],
            exchanges: [],
            checks: [base('create-answers-201', 'passed')],
          },
        ],
      },
    ],
    ledgerProblems: [],
  };
}
