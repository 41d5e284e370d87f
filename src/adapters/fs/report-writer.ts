import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReportSink } from '../../core/encrypt/ports.js';
import { resultRecord } from '../../core/encrypt/record.js';
import type { ObjectResult } from '../../core/encrypt/types.js';
import { UsageError } from '../../core/errors.js';

/** Buffered before a write: 64 KiB of lines, a few hundred objects. */
const FLUSH_AT = 64 * 1024;

/**
 * --report FILE: one JSON line per object (key, versionId, action, outcome, reason, bytes, ms).
 * Opened (and truncated) before any object is touched, so an unwritable path stops the run
 * before it changes anything.
 */
export async function openReport(path: string): Promise<ReportSink> {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot write --report ${path} (${e.code ?? e.message})`,
      'give a writable file path',
      'BadReportPath',
      {
        cause: err,
      },
    );
  }
  let buffer = '';
  const flush = (): void => {
    if (buffer.length === 0) return;
    writeSync(fd, buffer);
    buffer = '';
  };
  return {
    write(r: ObjectResult) {
      buffer += `${JSON.stringify(resultRecord(r))}\n`;
      if (buffer.length >= FLUSH_AT) flush();
    },
    async close() {
      flush();
      closeSync(fd);
    },
  };
}
