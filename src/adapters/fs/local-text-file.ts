import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PreconditionError, UsageError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';
import { decodeUtf8 } from '../stream/utf8.js';
import { checkPath, makeDirs, pathFsError, type PathUse } from './user-path.js';

/** A local file named by a flag (create-job --summary, status --retry-manifest ...), relative to cwd. */
export interface LocalFileRef {
  path: string;
  cwd: string;
  flag?: string | undefined;
}

/** The whole file as UTF-8 text; refuses what is missing, not a regular file, or not UTF-8. */
export async function readLocalText(ref: LocalFileRef): Promise<string> {
  const path = resolve(ref.cwd, ref.path);
  let bytes: Buffer;
  try {
    // Only regular files: reading a FIFO waits for a writer that may never come.
    if (!(await stat(path)).isFile())
      throw Object.assign(new Error('not a regular file'), { code: 'ESPIPE' });
    bytes = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT')
      throw new UsageError(`file ${ref.path} does not exist`, 'check the path or s3:// URI', 'NotFound', {
        cause: err,
      });
    throw new PreconditionError(
      'FileUnreadable',
      `cannot read ${ref.path}: ${fileProblem(e.code, e.message)}`,
      'check the path and its permissions',
      { cause: err },
    );
  }
  return decodeUtf8(bytes, { where: ref.path, fix: 'save it as UTF-8', code: 'NotUtf8' });
}

/** Writes `text` to a path checked first (a directory, a device, an unwritable place are refused). */
export async function writeLocalText(ref: LocalFileRef, text: string): Promise<void> {
  const path = resolve(ref.cwd, ref.path);
  const use: PathUse = {
    flag: ref.flag ?? 'file',
    fix: 'choose another path, or an s3:// URI',
    code: 'FileUnwritable',
  };
  const checked = await checkPath(path, 'file', use);
  await makeDirs(checked, use, ref.path);
  try {
    await writeFile(path, text, 'utf8');
  } catch (err) {
    throw pathFsError(use, ref.path, err);
  }
}
