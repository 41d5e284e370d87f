import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import type { JsonFiles } from '../../core/plan/ports.js';

/** Local JSON files named by flags: the --prices override table, build-manifest's summary.json. */
/** Relative paths resolve against the process's working directory, as a shell user expects. */
export function jsonFiles(): JsonFiles {
  return {
    async readJson(path, flag) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        const why =
          code === 'ENOENT'
            ? 'no such file'
            : code === 'EACCES'
              ? 'permission denied'
              : code === 'EISDIR'
                ? 'it is a directory'
                : code;
        throw new UsageError(
          `cannot read ${flag} ${path}: ${why}`,
          `give the path of a readable JSON file`,
          'UnreadableFile',
          {
            cause: err,
          },
        );
      }
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
