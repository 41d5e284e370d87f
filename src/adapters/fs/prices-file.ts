import { UsageError } from '../../core/errors.js';
import type { JsonFiles } from '../../core/plan/ports.js';
import { decodeUtf8 } from '../stream/utf8.js';
import { readFlagFile } from './flag-file.js';

/** Local JSON files named by flags: the --prices override table, build-manifest's summary.json. */
/** Relative paths resolve against the process's working directory, as a shell user expects. */
export function jsonFiles(): JsonFiles {
  return {
    async readJson(path, flag) {
      const bytes = await readFlagFile(path, flag, 'give the path of a readable JSON file');
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
