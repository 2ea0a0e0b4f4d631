/**
 * Target files: a good one resolves its secrets from the environment; each kind of mistake fails at once
 * with the file, line:column and the field named — and never echoes a secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { findTargetFile, loadTarget, parseTarget, positionOf, TargetError } from './target.ts';

const SCHEMAS = {
  'ssf-transmitter': {
    type: 'object',
    required: ['issuer', 'token'],
    additionalProperties: false,
    properties: {
      issuer: { type: 'string', format: 'uri' },
      token: { type: 'string' },
      delivery: { enum: ['push', 'poll'] },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  'universal-logout': {
    type: 'object',
    required: ['endpoint'],
    properties: { endpoint: { type: 'string', format: 'uri' }, authorization: { type: 'string' } },
  },
};

const ENV = { ACME_TOKEN: 'tok-123456789', LOGOUT_AUTH: 'Bearer abc' };

function errorOf(text: string, env: Record<string, string> = ENV): TargetError {
  try {
    parseTarget(text, 'acme.target.json', SCHEMAS, env);
  } catch (error) {
    expect(error).toBeInstanceOf(TargetError);
    return error as TargetError;
  }
  throw new Error('did not throw');
}

const GOOD = `{
  "name": "Acme staging",
  "harness": { "publicUrl": "https://abc.tunnel.example", "listenPort": 8443 },
  "plans": {
    "ssf-transmitter": {
      "issuer": "https://ssf.acme.example",
      "token": { "env": "ACME_TOKEN" },
      "delivery": "push"
    }
  },
  "ledger": "ledger.json"
}`;

test('a good target file: secrets resolved from the environment, the ledger beside the file', () => {
  const target = parseTarget(GOOD, '/srv/acme/acme.target.json', SCHEMAS, ENV);
  expect(target.name).toBe('Acme staging');
  expect(target.file).toBe('/srv/acme/acme.target.json');
  expect(target.harness).toEqual({ publicUrl: 'https://abc.tunnel.example', listenPort: 8443 });
  expect(target.plans['ssf-transmitter']).toEqual({
    issuer: 'https://ssf.acme.example',
    token: 'tok-123456789',
    delivery: 'push',
  });
  expect(target.ledger).toBe('/srv/acme/ledger.json');
  expect(target.secretPaths).toEqual(['plans.ssf-transmitter.token']);
});

test('a plan option that is wrong is named by its path and position', () => {
  const e = errorOf(GOOD.replace('"https://ssf.acme.example"', '"not a url"'));
  expect(e.message).toBe(
    'acme.target.json:6:17: plans.ssf-transmitter.issuer: must be a URL (found "not a url")',
  );
  expect(e.field).toBe('plans.ssf-transmitter.issuer');
  expect(errorOf(GOOD.replace('"push"', '"carrier-pigeon"')).message).toContain(
    'plans.ssf-transmitter.delivery: must be one of "push", "poll"',
  );
  expect(errorOf(GOOD.replace('"delivery"', '"delivary"')).message).toContain(
    'plans.ssf-transmitter.delivary: is not a known member (known: issuer, token, delivery, headers)',
  );
  expect(errorOf(GOOD.replace('"issuer": "https://ssf.acme.example",', '')).message).toMatch(
    /:5:24: plans\.ssf-transmitter\.issuer: is required$/,
  );
});

test('a secret is never literal and never echoed', () => {
  const literal = errorOf(GOOD.replace('{ "env": "ACME_TOKEN" }', '"tok-literal-99"'));
  expect(literal.message).toContain('plans.ssf-transmitter.token: holds a literal secret');
  expect(literal.message).toContain('{ "env": "SOME_VARIABLE" }');
  expect(literal.message).not.toContain('tok-literal-99');
  const header = errorOf(GOOD.replace('"delivery": "push"', '"headers": { "x-auth": "SSWS 00abcdef" }'));
  expect(header.message).toContain('plans.ssf-transmitter.headers.x-auth: holds a literal credential');
  expect(header.message).not.toContain('00abcdef');
  const jwk = errorOf(GOOD.replace('"push"', '{ "kty": "EC", "d": "secret-d" }'));
  expect(jwk.message).toContain('plans.ssf-transmitter.delivery: holds a literal private key');
  // A value from the environment that fails the schema is not shown back.
  const wrong = errorOf(GOOD.replace('"https://ssf.acme.example"', '{ "env": "ACME_TOKEN" }'));
  expect(wrong.message).toContain('plans.ssf-transmitter.issuer: must be a URL');
  expect(wrong.message).not.toContain('tok-123456789');
});

test('a missing environment variable names the field and the variable', () => {
  const e = errorOf(GOOD, {});
  expect(e.message).toBe(
    'acme.target.json:7:16: plans.ssf-transmitter.token: the environment variable ACME_TOKEN is not set (the target file reads this value from it)',
  );
  expect(errorOf(GOOD.replace('"ACME_TOKEN"', '"not a name"')).message).toContain(
    'plans.ssf-transmitter.token.env: "not a name" is not an environment variable name',
  );
});

test('unknown plans, a bad envelope, broken JSON and duplicate members', () => {
  expect(errorOf(GOOD.replace('"ssf-transmitter": {', '"ssf-transmiter": {')).message).toContain(
    'plans.ssf-transmiter: is not a plan this ssf-lab knows; the plans are: ssf-transmitter, universal-logout',
  );
  expect(errorOf(GOOD.replace('"https://abc.tunnel.example"', '"ftp://x.example"')).message).toContain(
    'harness.publicUrl: must be an http(s) URL (found "ftp://x.example")',
  );
  expect(errorOf(GOOD.replace('8443', '70000')).message).toContain('harness.listenPort: must be <= 65535');
  expect(errorOf(GOOD.replace('"name"', '"nmae"')).message).toContain('nmae: is not a known member');
  expect(errorOf('{"name": "x", "plans": {}}').message).toContain('plans: must name at least 1 member(s)');
  expect(errorOf('[]').message).toContain('a target file is a JSON object');
  expect(errorOf('{"name": ').message).toMatch(/^acme\.target\.json(:\d+:\d+)?: not valid JSON/);
  expect(
    errorOf(GOOD.replace('"delivery": "push"', '"delivery": "push", "delivery": "poll"')).message,
  ).toContain('plans.ssf-transmitter.delivery: appears twice');
});

test('positionOf finds nested values and falls back to the enclosing one', () => {
  const text = '{\n  "a": [1, {"b": "x"}],\n  "c": 2\n}';
  expect(positionOf(text, ['a', 1, 'b'])).toEqual({ line: 2, column: 18 });
  expect(positionOf(text, ['c'])).toEqual({ line: 3, column: 8 });
  expect(positionOf(text, ['a', 1, 'missing'])).toEqual({ line: 2, column: 12 });
  expect(positionOf(text, [])).toEqual({ line: 1, column: 1 });
});

const dir = mkdtempSync(join(tmpdir(), 'ssf-lab-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('findTargetFile: SSF_LAB_TARGET wins, then ./ssf-lab.target.json, else the lab', async () => {
  expect(findTargetFile(dir, {})).toBeUndefined();
  writeFileSync(join(dir, 'ssf-lab.target.json'), GOOD);
  expect(findTargetFile(dir, {})).toBe(join(dir, 'ssf-lab.target.json'));
  expect(findTargetFile(dir, { SSF_LAB_TARGET: 'other.json' })).toBe(join(dir, 'other.json'));
  expect(findTargetFile(dir, { SSF_LAB_TARGET: ' ' })).toBe(join(dir, 'ssf-lab.target.json'));
  const target = await loadTarget(join(dir, 'ssf-lab.target.json'), SCHEMAS, ENV);
  expect(target.ledger).toBe(join(dir, 'ledger.json'));
  await expect(loadTarget(join(dir, 'other.json'), SCHEMAS, ENV)).rejects.toThrow(
    /cannot read target file ".*other\.json": no such file/,
  );
});

test('secret names, writeOnly overrides, and JSON objects from the environment', () => {
  const schemas = {
    keyed: {
      type: 'object',
      properties: {
        privateJwk: { type: 'object', required: ['kty', 'd'] },
        secondToken: { type: 'string' },
        sets: {
          type: 'array',
          items: { oneOf: [{ type: 'object', properties: { token: { type: 'string', writeOnly: false } } }] },
        },
        note: { type: 'string', writeOnly: true },
      },
    },
  };
  const env = {
    JWK: ' {"kty":"EC","crv":"P-256","d":"dd-secret","x":"x","y":"y"}',
    BAD: '{not json',
    TEXT: 'abc',
  };
  const parse = (plan: unknown) =>
    parseTarget(JSON.stringify({ name: 'n', plans: { keyed: plan } }), 't.json', schemas, env).plans.keyed;
  const fails = (plan: unknown): string => {
    try {
      parse(plan);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('did not throw');
  };
  expect(parse({ privateJwk: { env: 'JWK' } })).toEqual({
    privateJwk: { kty: 'EC', crv: 'P-256', d: 'dd-secret', x: 'x', y: 'y' },
  });
  expect(fails({ privateJwk: { env: 'BAD' } })).toContain(
    'plans.keyed.privateJwk: the environment variable BAD starts with "{" but is not a JSON object',
  );
  const text = fails({ privateJwk: { env: 'TEXT' } });
  expect(text).toContain('plans.keyed.privateJwk: must be an object (put the JSON object itself');
  expect(text).not.toContain('abc');
  expect(fails({ secondToken: 'literal' })).toContain('plans.keyed.secondToken: holds a literal secret');
  expect(fails({ note: 'literal' })).toContain('plans.keyed.note: holds a literal secret');
  expect(parse({ sets: [{ token: 'eyJ.a.b' }] })).toEqual({ sets: [{ token: 'eyJ.a.b' }] });
  expect(fails({ privateJwk: { kty: 'EC', d: 'x' } })).toContain('holds a literal private key');
});

test('tls.caFile: resolved beside the target file and read by loadTarget; a file that is no certificate is refused', async () => {
  const withCa = (caFile: string): string =>
    GOOD.replace('"ledger": "ledger.json"', `"tls": { "caFile": "${caFile}" }`);
  const parsed = parseTarget(withCa('lab.ca.pem'), '/srv/acme/acme.target.json', SCHEMAS, ENV);
  expect(parsed.tls).toEqual({ caFile: '/srv/acme/lab.ca.pem' });
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  writeFileSync(join(dir, 'lab.ca.pem'), pem);
  writeFileSync(join(dir, 'tls.target.json'), withCa('lab.ca.pem'));
  expect((await loadTarget(join(dir, 'tls.target.json'), SCHEMAS, ENV)).tls).toEqual({
    caFile: join(dir, 'lab.ca.pem'),
    caCert: pem,
  });
  writeFileSync(join(dir, 'not-a-ca.pem'), 'hello');
  writeFileSync(join(dir, 'bad-ca.target.json'), withCa('not-a-ca.pem'));
  await expect(loadTarget(join(dir, 'bad-ca.target.json'), SCHEMAS, ENV)).rejects.toThrow(
    /tls\.caFile.*holds no PEM certificate/,
  );
  expect(errorOf(GOOD.replace('"ledger": "ledger.json"', '"tls": { "ca": "x" }')).message).toMatch(/tls/);
});
