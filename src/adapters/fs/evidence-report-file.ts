import { fstatSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { EVIDENCE_REPORT_HEAD, isReplaceableReport } from '../../core/evidence-mark.js';
import { PreconditionError } from '../../core/errors.js';
import { fileProblem } from '../../core/file-errors.js';
import { checkPath, makeDirs, pathError, pathFsError, type CheckedPath, type PathUse } from './user-path.js';
import { writeAtomically } from './atomic-write.js';

const REPORT: PathUse = {
  flag: '--report',
  fix: 'give the path of a new .html file (or of an earlier s3-encrypt report to replace); nothing was written',
  code: 'BadReportPath',
};

/**
 * Refuses a --report FILE.html path before any request, creating nothing. On top of checkPath()
 * (no /proc, /sys, /dev, so no /dev/stdout either: HTML in stdout would break --json; no
 * directory, FIFO or device; writable), a file that exists must be empty or an earlier report of
 * this tool: a typo must not replace a manifest or a state file.
 */
export async function checkEvidenceReportPath(
  path: string,
  stdio: readonly number[] = STDIO_FDS,
): Promise<void> {
  await usable(path, stdio);
}

/** The run's stdout and stderr. */
const STDIO_FDS = [1, 2] as const;

async function usable(path: string, stdio: readonly number[] = STDIO_FDS): Promise<CheckedPath> {
  const checked = await checkPath(path, 'file', REPORT);
  if (checked.exists) {
    // `--json --report r.html > r.html`: the shell has emptied the file stdout goes to, and an
    // empty file is replaceable, so the report would be renamed over the JSON records (the
    // records then go to an unlinked file, and the report's SHA-256 covers lines no one kept).
    const stream = await sameAsStdio(checked.abs, stdio, path);
    if (stream)
      throw pathError(
        REPORT,
        path,
        `it is the file ${stream} is written to; the report would replace what the run prints`,
      );
    const head = await firstBytes(checked.abs, path);
    if (!isReplaceableReport(head))
      throw pathError(
        REPORT,
        path,
        'the file exists and is not an s3-encrypt evidence report, so it is not replaced',
      );
  }
  return checked;
}

/** 'stdout' or 'stderr' when `abs` is the file that descriptor writes to; undefined otherwise. */
async function sameAsStdio(abs: string, stdio: readonly number[], path: string): Promise<string | undefined> {
  let st;
  try {
    st = await stat(abs);
  } catch (err) {
    throw pathFsError(REPORT, path, err);
  }
  for (const fd of stdio) {
    let out;
    try {
      out = fstatSync(fd);
    } catch {
      continue; // closed: nothing is written there
    }
    if (out.isFile() && out.dev === st.dev && out.ino === st.ino)
      return fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : `descriptor ${fd}`;
  }
  return undefined;
}

async function firstBytes(abs: string, path: string): Promise<string> {
  try {
    const fd = await open(abs, 'r');
    try {
      const buf = Buffer.alloc(Buffer.byteLength(EVIDENCE_REPORT_HEAD));
      const { bytesRead } = await fd.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fd.close();
    }
  } catch (err) {
    throw pathFsError(REPORT, path, err);
  }
}

/**
 * Writes the report: the path is checked again (it may have changed during the run), missing
 * directories are made one at a time, and the page goes to a partial file renamed over the
 * target, so a reader never sees half a report and a failed write leaves the old one. Returns
 * the absolute path written.
 */
export async function writeEvidenceReport(path: string, html: string): Promise<string> {
  const checked = await usable(path);
  await makeDirs(checked, REPORT, path);
  // Through a symbolic link, the file it names is replaced, not the link.
  const target = checked.exists ? await realpath(checked.abs).catch(() => checked.abs) : checked.abs;
  try {
    await writeAtomically(target, html);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new PreconditionError(
      'CannotWriteReport',
      `cannot write --report ${path}: ${fileProblem(e.code, e.message)}`,
      'free space or fix permissions and run again; the verdict printed above stands, only the report is missing',
      { cause: err },
    );
  }
  return target;
}
