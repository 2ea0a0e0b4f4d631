/**
 * Reading the CLI's inputs: a token from a file or stdin, JSON given inline or as @file, a private JWK
 * file, and a JWKS from a file or URL. Every failure is a HarnessError with the file and the reason.
 */
import { readFile } from 'node:fs/promises';
import { HarnessError } from '../kernel/index.ts';
import {
  jwksFromObject,
  jwksFromUrl,
  type KeySource,
  parseJwks,
  parseStrictJson,
  type RemoteJwksOptions,
} from '../protocol/index.ts';

/** Inputs larger than this are refused before reading (the validator's own limit is far smaller). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface InputIo {
  readonly readStdin: () => Promise<Buffer>;
  readonly stdinIsTty: boolean;
}

/** Reads a UTF-8 file of at most `maxBytes`, with the reason in words when it cannot be read. */
export async function readFileBounded(
  path: string,
  what: string,
  maxBytes = MAX_INPUT_BYTES,
): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new HarnessError('ERR_INPUT_UNREADABLE', `cannot read ${what} "${path}": ${why}`, { cause: error });
  }
  if (data.length > maxBytes) {
    throw new HarnessError(
      'ERR_INPUT_UNREADABLE',
      `${what} "${path}" is ${data.length} bytes; more than ${maxBytes} is not read`,
    );
  }
  return data.toString('utf8');
}

/** Reads a token from FILE, or from stdin for "-" or no argument. Surrounding whitespace is dropped. */
export async function readTokenInput(source: string | undefined, io: InputIo): Promise<string> {
  let text: string;
  if (source === undefined || source === '-') {
    if (source === undefined && io.stdinIsTty) {
      throw new HarnessError(
        'ERR_USAGE',
        'no token given: pass a FILE, or pipe the token on stdin (use "-" to read stdin explicitly)',
      );
    }
    const data = await io.readStdin();
    if (data.length > MAX_INPUT_BYTES) {
      throw new HarnessError(
        'ERR_INPUT_UNREADABLE',
        `stdin carried ${data.length} bytes; more than ${MAX_INPUT_BYTES} is not read`,
      );
    }
    text = data.toString('utf8');
  } else {
    text = await readFileBounded(source, 'token file');
  }
  const token = text.trim();
  if (token.length === 0)
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `the ${source === undefined || source === '-' ? 'input on stdin' : `file "${source}"`} is empty`,
    );
  return token;
}

/** Parses JSON given inline or, with a leading "@", read from a file. */
export async function readJsonOption(value: string, option: string): Promise<unknown> {
  const text = value.startsWith('@') ? await readFileBounded(value.slice(1), `--${option} file`) : value;
  const parsed = parseStrictJson(text, 32);
  if (!parsed.ok)
    throw new HarnessError('ERR_INPUT_INVALID', `--${option} is not valid JSON: ${parsed.message}`);
  if (parsed.duplicates.length > 0) {
    throw new HarnessError(
      'ERR_INPUT_INVALID',
      `--${option} has member "${parsed.duplicates[0]?.name}" twice`,
    );
  }
  return parsed.value;
}

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readFileBounded(path, what);
  const parsed = parseStrictJson(text, 32);
  if (!parsed.ok)
    throw new HarnessError('ERR_INPUT_INVALID', `${what} "${path}" is not valid JSON: ${parsed.message}`);
  return parsed.value;
}

/** A key source for `--jwks`: an http(s) URL is fetched (bounded); anything else is a file. */
export async function resolveJwksOption(value: string, remote: RemoteJwksOptions = {}): Promise<KeySource> {
  if (/^https?:\/\//i.test(value)) return jwksFromUrl(value, remote);
  const json = await readJsonFile(value, 'JWKS file');
  const parsed = parseJwks(json);
  if (!parsed.ok) throw new HarnessError('ERR_INPUT_INVALID', `JWKS file "${value}": ${parsed.message}`);
  return jwksFromObject(parsed.jwks, value);
}
