import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';
import type { JsonFiles } from '../../core/plan/ports.js';
import { decodeUtf8 } from '../stream/utf8.js';

/** Local JSON files named by flags: the --prices override table, build-manifest's summary.json. */
/** Relative paths resolve against the process's working directory, as a shell user expects. */
export function jsonFiles(): JsonFiles {
  return {
    async readJson(path, flag) {
      let bytes: Buffer;
      try {
        // Only regular files: reading a FIFO waits for a writer that may never come.
        const st = await stat(path);
        if (!st.isFile())
          throw Object.assign(new Error('not a regular file'), {
            code: st.isDirectory() ? 'EISDIR' : 'ESPIPE',
          });
        bytes = await readFile(path);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const why = e.code === 'ENOENT' ? 'no such file' : fileProblem(e.code, e.message);
        throw new UsageError(
          `cannot read ${flag} ${path}: ${why}`,
          `give the path of a readable JSON file`,
          'UnreadableFile',
          {
            cause: err,
          },
        );
      }
      const text = decodeUtf8(bytes, {
        where: `${flag} ${path}`,
        fix: 'save it as UTF-8; it must be one JSON object',
        code: 'InvalidJson',
      });
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new UsageError(
          `${flag} ${path} is not valid JSON (${(err as Error).message.split('\n')[0]})`,
          'fix the file; it must be one JSON object',
          'InvalidJson',
          { cause: err },
        );
      }
    },
  };
}
