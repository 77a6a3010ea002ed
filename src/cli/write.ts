/**
 * Replacing a file atomically: the new content goes to a temporary file beside it, which
 * is then renamed over it. A run that fails or is killed leaves the original intact.
 */
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PmcError } from '../core/base/diagnostics.js';

/** The file operations the replacement makes, injectable so that a test can fail each one. */
export type WriteFs = Pick<typeof nodeFs, 'chmod' | 'open' | 'realpath' | 'rename' | 'stat' | 'unlink'>;

export async function replaceFileAtomically(given: string, content: string, fs: WriteFs = nodeFs): Promise<void> {
  await replaceFileStreaming(given, (write) => write(content), fs);
}

/**
 * The same, with the content written piece by piece as `produce` makes it (pmc customize
 * --stream --in-place): the file is replaced only when `produce` ends without an error, so a
 * failure halfway leaves the original as it was and no temporary file.
 */
export async function replaceFileStreaming(given: string, produce: (write: (piece: string) => Promise<void>) => Promise<void>, fs: WriteFs = nodeFs): Promise<void> {
  // Through a symbolic link to its target: the link stays a link, the target gets the content.
  const path = await fs.realpath(given).catch(() => given);
  const temp = join(dirname(path), `.${basename(path)}.pmc-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const { mode } = await fs.stat(path);
    const handle = await fs.open(temp, 'wx', mode & 0o777);
    try {
      // writeFile on a handle writes from its current position: each piece after the last.
      await produce(async (piece) => {
        await handle.writeFile(piece, 'utf8');
      });
      // On disk before the rename, so a crash cannot leave an empty file in its place.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(temp, mode & 0o7777);
    await fs.rename(temp, path);
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined);
    // What the content's producer refused (a document pmc cannot customize) is its own error.
    if (e instanceof PmcError) throw e;
    throw new PmcError('PMC_WRITE', `cannot replace the file: ${(e as Error).message}`, { location: { source: path } });
  }
}
