/**
 * Writing the CLI's outputs to files. A file that holds secrets is private (mode 600) from its first byte
 * and replaced atomically: it is written to a temporary file beside it and renamed over it, so a reader
 * never sees it half-written and nothing else is ever left behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError, writeFileAtomically } from '../kernel/index.ts';

/** Where `run`, `demo` and `report` write their reports unless told `--out DIR`. */
export const DEFAULT_REPORTS_DIR = join('reports', 'out');

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

/** Writes `text` to `path` with mode 600, replacing any file there in one step. */
export async function writePrivateFileAtomically(path: string, text: string, what: string): Promise<void> {
  try {
    await writeFileAtomically(path, text, { mode: 0o600 });
  } catch (error) {
    throw new HarnessError('ERR_INPUT_UNREADABLE', `cannot write ${what} "${path}": ${why(error)}`, {
      cause: error,
    });
  }
}

/**
 * Makes sure reports can be written to `dir` before a run starts, rather than finding out after a whole
 * certification: creates it when missing, then creates and removes a file in it — exclusively, so an
 * existing file or a planted symlink is never touched (`create: false` for a file's directory, which must
 * exist). Throws a usage error that says what was wrong.
 */
export async function prepareOutputDir(
  dir: string,
  what: string,
  options: {
    readonly create?: boolean /** The file to be written there, named in an error. */;
    readonly file?: string;
  } = {},
): Promise<void> {
  const root = resolve(dir);
  const probe = join(root, `.ssf-lab-write-check-${randomBytes(6).toString('hex')}`);
  try {
    if (options.create !== false) await mkdir(root, { recursive: true });
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such directory'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'it is not a directory'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : why(error);
    const where = options.file === undefined ? `to "${dir}"` : `"${options.file}"`;
    throw new HarnessError('ERR_USAGE', `cannot write ${what} ${where}: ${reason}`, { cause: error });
  }
}
