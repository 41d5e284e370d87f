import { closeSync, open, writeSync } from 'node:fs';
import type { ReportSink } from '../../core/encrypt/ports.js';
import { resultRecord } from '../../core/encrypt/record.js';
import type { ObjectResult } from '../../core/encrypt/types.js';
import {
  checkPath,
  makeDirs,
  pathFsError,
  refuseUnlessOurs,
  type CheckedPath,
  type PathUse,
} from './user-path.js';

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
  await refuseUnlessOurs(path, REPORT, 'an encrypt report', isReportRecord);
  return checked;
}

/** A line of an earlier report: a JSON object with the record's key, action and outcome. */
function isReportRecord(line: string): boolean {
  try {
    const r = JSON.parse(line) as unknown;
    return (
      typeof r === 'object' &&
      r !== null &&
      ['key', 'action', 'outcome'].every((k) => typeof (r as Record<string, unknown>)[k] === 'string')
    );
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
