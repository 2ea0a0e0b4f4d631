/**
 * The one way ssf-lab replaces a file it writes (a manifest, a key, a report): written to a temporary
 * file beside it — with its final mode from the first byte — flushed, and renamed over it, so a reader
 * never sees it half-written and a failure leaves nothing behind. Errors are the file system's, as
 * thrown: callers say what the file was.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomically(
  path: string,
  text: string,
  options: { readonly mode?: number } = {},
): Promise<void> {
  const mode = options.mode ?? 0o644;
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', mode);
    // The umask may have taken bits away from the mode, never added any; set it exactly.
    await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
