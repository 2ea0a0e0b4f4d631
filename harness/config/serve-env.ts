/**
 * `ssf-lab serve`'s settings from the environment. A container is configured by its environment more
 * easily than by its command (a GitHub Actions service container cannot be given one at all), and a CI
 * configuration that fixes the lab's credentials can then be static: the same token in the lab and in
 * the target file that grades it.
 *
 * Settings are returned as given (the command validates them, naming the variable); credentials are
 * validated here and never quoted back, not even in an error.
 */
import { HarnessError } from '../kernel/index.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables that stand for `serve`'s options (an option on the command line wins). */
export const SERVE_SETTING_ENV = {
  host: 'SSF_LAB_HOST',
  port: 'SSF_LAB_PORT',
  publicHost: 'SSF_LAB_PUBLIC_HOST',
  seed: 'SSF_LAB_SEED',
  devices: 'SSF_LAB_DEVICES',
} as const;

/**
 * The variables that fix the lab's credentials (each one unset stays random). `SSF_LAB_STREAM_TOKEN` and
 * `SSF_LAB_OKTA_API_TOKEN` are also the names the black-box target file reads them by, so one variable
 * feeds both the lab and the file that grades it.
 */
export const CREDENTIAL_ENV = {
  oktaApiToken: 'SSF_LAB_OKTA_API_TOKEN',
  jamfProPassword: 'SSF_LAB_JAMF_PRO_PASSWORD',
  jamfProClientSecret: 'SSF_LAB_JAMF_PRO_CLIENT_SECRET',
  jscAppSecret: 'SSF_LAB_JSC_APP_SECRET',
  streamToken: 'SSF_LAB_STREAM_TOKEN',
  adminToken: 'SSF_LAB_ADMIN_TOKEN',
} as const;

export type ServeSettingName = keyof typeof SERVE_SETTING_ENV;
export type CredentialName = keyof typeof CREDENTIAL_ENV;

/**
 * What a fixed credential may be: long enough not to be guessed on a lab that listens beyond loopback,
 * and only characters that go into an `Authorization` header, a form body and HTTP Basic unescaped.
 */
const CREDENTIAL = /^[A-Za-z0-9._~+/=-]{16,256}$/;
export const CREDENTIAL_RULE = '16 to 256 characters from A-Z a-z 0-9 . _ ~ + / = -';

export interface ServeEnvironment {
  /** Each setting's raw value and the variable it came from, when set (an empty value counts as unset). */
  readonly settings: Partial<Record<ServeSettingName, { readonly value: string; readonly variable: string }>>;
  /** The fixed credentials, validated. */
  readonly credentials: Partial<Record<CredentialName, string>>;
}

/**
 * Reads `serve`'s variables from `env` (default the process's). A credential that is set but not
 * `CREDENTIAL_RULE` — empty included: an unset CI secret must not silently become a random one — is a
 * usage error naming the variable, never its value.
 */
export function serveEnvironment(env: Env = process.env): ServeEnvironment {
  const settings: Record<string, { value: string; variable: string }> = {};
  for (const [name, variable] of Object.entries(SERVE_SETTING_ENV)) {
    const value = env[variable]?.trim();
    if (value !== undefined && value !== '') settings[name] = { value, variable };
  }
  const credentials: Record<string, string> = {};
  for (const [name, variable] of Object.entries(CREDENTIAL_ENV)) {
    const value = env[variable];
    if (value === undefined) continue;
    if (!CREDENTIAL.test(value))
      throw new HarnessError(
        'ERR_USAGE',
        `${variable} must be ${CREDENTIAL_RULE} (${value === '' ? 'it is empty' : 'its value is not shown'})`,
      );
    credentials[name] = value;
  }
  return { settings, credentials };
}
