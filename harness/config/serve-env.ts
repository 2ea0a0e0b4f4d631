/**
 * `ssf-lab serve`'s settings from the environment. A container is configured by its environment more
 * easily than by its command (a GitHub Actions service container cannot be given one at all), and a CI
 * configuration that fixes the lab's credentials can then be static: the same token in the lab and in
 * the target file that grades it.
 *
 * Settings are returned as given (the command validates them, naming the variable); credentials are
 * validated here and never quoted back, not even in an error.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { HarnessError, writeFileAtomically } from '../kernel/index.ts';
import { readFileBounded } from './inputs.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables that stand for `serve`'s options (an option on the command line wins). */
export const SERVE_SETTING_ENV = {
  host: 'SSF_LAB_HOST',
  port: 'SSF_LAB_PORT',
  publicHost: 'SSF_LAB_PUBLIC_HOST',
  seed: 'SSF_LAB_SEED',
  devices: 'SSF_LAB_DEVICES',
  /** `--http`: 1 or true for plain http, 0 or false for the default (https). */
  http: 'SSF_LAB_HTTP',
  /** `--ca-cert`: a file, or the PEM itself. */
  caCert: 'SSF_LAB_CA_CERT',
  /** `--ca-key`: a file, or the PEM itself (a secret: never quoted back). */
  caKey: 'SSF_LAB_CA_KEY',
  /** `--console-port`: the lab console's port (default BASE+6 with a base port, else a free one). */
  consolePort: 'SSF_LAB_CONSOLE_PORT',
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

// ——— the lab's CA ———

/*
 * The files of a lab's CA for `ssf-lab serve`: a CA somebody gives it (`--ca-cert FILE --ca-key FILE`
 * or `SSF_LAB_CA_CERT`/`SSF_LAB_CA_KEY`, each a file or the PEM itself — a container's environment can
 * carry the PEM where mounting a file is awkward), and where serve writes the CA certificate its clients
 * trust. The CA key is read, never written, and never named in an error beyond where it came from.
 */

/** A value and what it came from (`--ca-cert`, `SSF_LAB_CA_KEY`), for errors. */
export interface CaSource {
  readonly value: string;
  readonly label: string;
}

/** A PEM file is small; this caps what a mistaken path (a disk image) could make serve read. */
const MAX_PEM_BYTES = 64 * 1024;

async function pemOf(source: CaSource, what: string): Promise<string> {
  // The PEM itself (from a variable), or the name of a file that holds it.
  const text = source.value.trimStart().startsWith('-----BEGIN')
    ? source.value
    : await readFileBounded(source.value, `${what} (${source.label})`, MAX_PEM_BYTES);
  if (!text.includes('-----BEGIN'))
    throw new HarnessError(
      'ERR_USAGE',
      `${source.label}: the ${what} is not in PEM form (its content is not shown)`,
    );
  return text;
}

/** The given CA's certificate and key, PEM, read; both or neither must be given. */
export async function readLabCa(
  cert: CaSource | undefined,
  key: CaSource | undefined,
): Promise<{ readonly ca: string; readonly key: string } | undefined> {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined)
    throw new HarnessError(
      'ERR_USAGE',
      `${cert?.label ?? key?.label} needs its pair: a CA is given as its certificate and its key (--ca-cert FILE --ca-key FILE)`,
    );
  return { ca: await pemOf(cert, 'CA certificate'), key: await pemOf(key, 'CA key') };
}

/** Where the CA certificate goes beside a manifest file: `lab.json` → `lab.ca.pem`. */
export function caFileBeside(manifestFile: string): string {
  const path = resolve(manifestFile);
  const name = basename(path).replace(/\.json$/i, '');
  return join(dirname(path), `${name}.ca.pem`);
}

/** Writes the CA certificate (public: mode 644, replaced atomically). */
export async function writeCaCertificate(path: string, pem: string): Promise<void> {
  try {
    await writeFileAtomically(path, pem, { mode: 0o644 });
  } catch (error) {
    throw new HarnessError(
      'ERR_INPUT_UNREADABLE',
      `cannot write the CA certificate "${path}": ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** A fresh private directory for the CA certificate of a serve without `--manifest`, and its removal. */
export async function temporaryCaDir(): Promise<{ readonly file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ssf-lab-ca-'));
  // A certificate is public: whoever reaches the lab on this machine may read it (mkdtemp makes 700).
  await chmod(dir, 0o755);
  return {
    file: join(dir, 'ca.pem'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
