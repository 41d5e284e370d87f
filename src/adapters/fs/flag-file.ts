import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';

/**
 * The bytes of a small file a flag names (--prices, --accounts, --buckets, a local summary.json),
 * or one UsageError line naming the flag, the path, the problem and `fix`. Only regular files:
 * reading a FIFO waits for a writer that may never come.
 */
export async function readFlagFile(
  path: string,
  flag: string,
  fix: string,
  maxBytes?: number,
): Promise<Buffer> {
  try {
    const st = await stat(path);
    if (!st.isFile())
      throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'ESPIPE' });
    if (maxBytes !== undefined && st.size > maxBytes)
      throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EFBIG' && maxBytes !== undefined
          ? `over ${maxBytes / 1024 / 1024} MiB`
          : fileProblem(e.code, e.message);
    throw new UsageError(`cannot read ${flag} ${path}: ${why}`, fix, 'UnreadableFile', { cause: err });
  }
}
