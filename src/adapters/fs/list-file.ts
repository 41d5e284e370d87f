import type { ListFiles } from '../../core/audit/ports.js';
import { decodeUtf8 } from '../stream/utf8.js';
import { readFlagFile } from './flag-file.js';

/** Small list files named by flags (audit's --accounts, --buckets): the lines, as UTF-8 text. */
export function listFiles(): ListFiles {
  return {
    async readLines(path, flag) {
      const bytes = await readFlagFile(
        path,
        flag,
        'give the path of a readable text file, one entry a line',
        MAX_BYTES,
      );
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
