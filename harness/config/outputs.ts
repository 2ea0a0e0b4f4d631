/**
 * Writing the CLI's outputs to files. A file that holds secrets is private (mode 600) from its first byte
 * and replaced atomically: it is written to a temporary file beside it and renamed over it, so a reader
 * never sees it half-written and nothing else is ever left behind.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HarnessError } from '../kernel/index.ts';

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

/** Writes `text` to `path` with mode 600, replacing any file there in one step. */
export async function writePrivateFileAtomically(path: string, text: string, what: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', 0o600);
    // The umask may have taken bits away from 600, never added any; set it exactly.
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new HarnessError('ERR_INPUT_UNREADABLE', `cannot write ${what} "${path}": ${why(error)}`, {
      cause: error,
    });
  }
}
