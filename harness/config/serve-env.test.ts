import { expect, test } from 'vitest';
import { isHarnessError } from '../kernel/index.ts';
import { CREDENTIAL_ENV, SERVE_SETTING_ENV, serveEnvironment } from './serve-env.ts';

test('nothing set: no settings, every credential random', () => {
  expect(serveEnvironment({})).toEqual({ settings: {}, credentials: {} });
  expect(serveEnvironment({ PATH: '/usr/bin', SSF_LAB_TARGET: 'x.json' })).toEqual({
    settings: {},
    credentials: {},
  });
});

test('settings come back as given (trimmed), with the variable each came from; empty ones are unset', () => {
  const env = serveEnvironment({
    SSF_LAB_HOST: ' 0.0.0.0 ',
    SSF_LAB_PORT: '4400',
    SSF_LAB_PUBLIC_HOST: 'ssf-lab',
    SSF_LAB_SEED: 'not checked here',
    SSF_LAB_DEVICES: '',
  });
  expect(env.settings).toEqual({
    host: { value: '0.0.0.0', variable: 'SSF_LAB_HOST' },
    port: { value: '4400', variable: 'SSF_LAB_PORT' },
    publicHost: { value: 'ssf-lab', variable: 'SSF_LAB_PUBLIC_HOST' },
    seed: { value: 'not checked here', variable: 'SSF_LAB_SEED' },
  });
  expect(Object.values(SERVE_SETTING_ENV).every((name) => name.startsWith('SSF_LAB_'))).toBe(true);
});

test('every credential can be fixed', () => {
  const values = {
    SSF_LAB_OKTA_API_TOKEN: '00abcdefghijklmnopqrstuvwxyz',
    SSF_LAB_JAMF_PRO_PASSWORD: 'Pass.word_~+/=-0123',
    SSF_LAB_JAMF_PRO_CLIENT_SECRET: 'c'.repeat(256),
    SSF_LAB_JSC_APP_SECRET: 'jsc-app-secret-0123',
    SSF_LAB_STREAM_TOKEN: 'stream-token-0123456789',
    SSF_LAB_ADMIN_TOKEN: 'lab-admin-token-0123456789',
  };
  expect(serveEnvironment(values).credentials).toEqual({
    oktaApiToken: values.SSF_LAB_OKTA_API_TOKEN,
    jamfProPassword: values.SSF_LAB_JAMF_PRO_PASSWORD,
    jamfProClientSecret: values.SSF_LAB_JAMF_PRO_CLIENT_SECRET,
    jscAppSecret: values.SSF_LAB_JSC_APP_SECRET,
    streamToken: values.SSF_LAB_STREAM_TOKEN,
    adminToken: values.SSF_LAB_ADMIN_TOKEN,
  });
  expect(Object.values(CREDENTIAL_ENV).sort()).toEqual(Object.keys(values).sort());
});

const RULE = '16 to 256 characters from A-Z a-z 0-9 . _ ~ + / = -';

test.each([
  ['SSF_LAB_OKTA_API_TOKEN', 'short-secret-15', 'its value is not shown'],
  ['SSF_LAB_JAMF_PRO_PASSWORD', 'has a space in it, too', 'its value is not shown'],
  ['SSF_LAB_JAMF_PRO_CLIENT_SECRET', 'x'.repeat(257), 'its value is not shown'],
  ['SSF_LAB_JSC_APP_SECRET', 'quote"and:colon-0123', 'its value is not shown'],
  ['SSF_LAB_STREAM_TOKEN', 'line\nbreak-0123456789', 'its value is not shown'],
  ['SSF_LAB_STREAM_TOKEN', 'ünïcödé-0123456789', 'its value is not shown'],
  ['SSF_LAB_OKTA_API_TOKEN', '', 'it is empty'],
])('%s = a bad value is a usage error naming the variable, never the value', (variable, value, why) => {
  let error: unknown;
  try {
    serveEnvironment({ [variable]: value });
  } catch (caught) {
    error = caught;
  }
  expect(isHarnessError(error) && error.code).toBe('ERR_USAGE');
  const message = (error as Error).message;
  expect(message).toBe(`${variable} must be ${RULE} (${why})`);
  if (value !== '') expect(message).not.toContain(value);
});
