/**
 * Writing the CLI's outputs to files. A file that holds secrets is private (mode 600) from its first byte
 * and replaced atomically: it is written to a temporary file beside it and renamed over it, so a reader
 * never sees it half-written and nothing else is ever left behind.
 */
import { HarnessError, writeFileAtomically } from '../kernel/index.ts';

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
