import { readFile, stat } from 'node:fs/promises';
import type { ListFiles } from '../../core/audit/ports.js';
import { UsageError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';
import { decodeUtf8 } from '../stream/utf8.js';

/** Small list files named by flags (audit's --accounts, --buckets): the lines, as UTF-8 text. */
export function listFiles(): ListFiles {
  return {
    async readLines(path, flag) {
      let bytes: Buffer;
      try {
        // Only regular files: reading a FIFO waits for a writer that may never come.
        const st = await stat(path);
        if (!st.isFile())
          throw Object.assign(new Error('not a regular file'), {
            code: st.isDirectory() ? 'EISDIR' : 'ESPIPE',
          });
        if (st.size > MAX_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
        bytes = await readFile(path);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const why =
          e.code === 'ENOENT'
            ? 'no such file'
            : e.code === 'EFBIG'
              ? `over ${MAX_BYTES / 1024 / 1024} MiB`
              : fileProblem(e.code, e.message);
        throw new UsageError(
          `cannot read ${flag} ${path}: ${why}`,
          'give the path of a readable text file, one entry a line',
          'UnreadableFile',
          {
            cause: err,
          },
        );
      }
      const text = decodeUtf8(bytes, {
        where: `${flag} ${path}`,
        fix: 'save it as UTF-8 text, one entry a line',
        code: 'InvalidListFile',
      });
      return text.split(/\r?\n/);
    },
  };
}

const MAX_BYTES = 16 * 1024 * 1024;
