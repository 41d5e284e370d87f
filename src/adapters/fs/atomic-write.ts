import { rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `target` all or nothing: to `.NAME.partial` beside it, then renamed over it.
 * A leftover partial (or a symbolic link planted at its name in a shared directory) is removed
 * first and the new one created exclusively: O_EXCL follows no link at the last component. On a
 * failure the partial is removed and the error thrown as it came.
 */
export async function writeAtomically(target: string, data: string, mode = 0o644): Promise<void> {
  const partial = join(dirname(target), `.${basename(target)}.partial`);
  try {
    await unlink(partial).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await writeFile(partial, data, { encoding: 'utf8', mode, flag: 'wx' });
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  }
}
