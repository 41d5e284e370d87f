import { closeSync, open, writeSync } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import type { ReportSink } from '../../core/encrypt/ports.js';
import { resultRecord } from '../../core/encrypt/record.js';
import type { ObjectResult } from '../../core/encrypt/types.js';
import { checkPath, makeDirs, pathError, pathFsError, type CheckedPath, type PathUse } from './user-path.js';

const REPORT: PathUse = {
  flag: '--report',
  fix: 'give a writable file path (or /dev/stdout); nothing was changed',
  code: 'BadReportPath',
};

/**
 * Refuses a --report path before any request, creating nothing: see checkPath(). An existing
 * regular file is replaced only when it is empty or an earlier report (its first line is one of
 * its records): anything else is someone's file, e.g. a mistyped --report notes.txt.
 * /dev/stdout, /dev/stderr and /dev/null are allowed.
 */
export async function checkReportPath(path: string): Promise<void> {
  await checkedReport(path);
}

async function checkedReport(path: string): Promise<CheckedPath> {
  const checked = await checkPath(path, 'file', REPORT, { allowStdio: true });
  if (checked.exists && !(await isReplaceable(path)))
    throw pathError(
      {
        ...REPORT,
        fix: 'choose another path, or delete the file if it is no longer needed; nothing was changed',
      },
      path,
      "it holds something other than an encrypt report (its first line is not one of the report's records), and the run would replace it",
    );
  return checked;
}

/** Empty, not a regular file (/dev/stdout, a FIFO), or an earlier report: its first line a record. */
async function isReplaceable(path: string): Promise<boolean> {
  let size: number;
  try {
    // stat, not open: opening a FIFO to read would wait for a writer that never comes.
    const st = await stat(path);
    if (!st.isFile()) return true;
    size = st.size;
  } catch {
    return true; // opening it for writing reports the problem, naming it
  }
  if (size === 0) return true;
  try {
    const file = await openFile(path, 'r');
    try {
      const head = Buffer.alloc(Math.min(size, 64 * 1024));
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      const first = head.subarray(0, bytesRead).toString('utf8').split('\n', 1)[0] ?? '';
      const r = JSON.parse(first) as unknown;
      return (
        typeof r === 'object' &&
        r !== null &&
        ['key', 'action', 'outcome'].every((k) => typeof (r as Record<string, unknown>)[k] === 'string')
      );
    } finally {
      await file.close();
    }
  } catch {
    return false;
  }
}

/** Buffered before a write: 64 KiB of lines, a few hundred objects. */
const FLUSH_AT = 64 * 1024;

/**
 * --report FILE: one JSON line per object (key, versionId, action, outcome, reason, bytes, ms).
 * Opened (and truncated) before any object is touched, so an unwritable path stops the run
 * before it changes anything. Directories are made one at a time, asynchronously (a recursive
 * mkdir under /proc never returns).
 */
export async function openReport(path: string): Promise<ReportSink> {
  const checked = await checkedReport(path);
  await makeDirs(checked, REPORT, path);
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) =>
      open(path, 'w', (err, fd) => (err ? reject(err) : resolve(fd))),
    );
  } catch (err) {
    throw pathFsError(REPORT, path, err);
  }
  let buffer = '';
  const flush = (): void => {
    if (buffer.length === 0) return;
    try {
      writeSync(fd, buffer);
    } catch (err) {
      throw pathFsError(REPORT, path, err);
    }
    buffer = '';
  };
  return {
    write(r: ObjectResult) {
      buffer += `${JSON.stringify(resultRecord(r))}\n`;
      if (buffer.length >= FLUSH_AT) flush();
    },
    close() {
      flush();
      closeSync(fd);
      return Promise.resolve();
    },
  };
}
