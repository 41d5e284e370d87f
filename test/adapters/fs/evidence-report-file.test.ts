import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkEvidenceReportPath,
  writeEvidenceReport,
} from '../../../src/adapters/fs/evidence-report-file.js';
import { EVIDENCE_REPORT_HEAD } from '../../../src/core/evidence-mark.js';
import { UsageError } from '../../../src/core/errors.js';

const dir = () => mkdtempSync(join(tmpdir(), 's3e-evidence-'));
const page = (body: string) => `${EVIDENCE_REPORT_HEAD}<html><body>${body}</body></html>\n`;

async function refusal(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('--report FILE.html', () => {
  it('writes a new file, making missing directories, and leaves no partial file', async () => {
    const d = dir();
    const path = join(d, 'a', 'b', 'r.html');
    await checkEvidenceReportPath(path);
    expect(existsSync(join(d, 'a'))).toBe(false); // the check creates nothing
    expect(await writeEvidenceReport(path, page('one'))).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(page('one'));
    expect(readdirSync(join(d, 'a', 'b'))).toEqual(['r.html']);
  });

  it('replaces an earlier report, and an empty file', async () => {
    const d = dir();
    const path = join(d, 'r.html');
    writeFileSync(path, page('old'));
    await checkEvidenceReportPath(path);
    await writeEvidenceReport(path, page('new'));
    expect(readFileSync(path, 'utf8')).toBe(page('new'));
    const empty = join(d, 'empty.html');
    writeFileSync(empty, '');
    await writeEvidenceReport(empty, page('x'));
    expect(readFileSync(empty, 'utf8')).toBe(page('x'));
  });

  it('never replaces a file that is not a report of this tool (a typo must not eat a manifest)', async () => {
    const d = dir();
    const path = join(d, 'manifest.json');
    writeFileSync(path, '{"sourceBucket":"b"}');
    const e = await refusal(checkEvidenceReportPath(path));
    expect(e.message).toBe(
      `--report ${path}: the file exists and is not an s3-encrypt evidence report, so it is not replaced`,
    );
    expect(e.code).toBe('BadReportPath');
    await refusal(writeEvidenceReport(path, page('x')));
    expect(readFileSync(path, 'utf8')).toBe('{"sourceBucket":"b"}');
    const html = join(d, 'other.html');
    writeFileSync(html, '<!DOCTYPE html>\n<p>an auditor’s own notes</p>');
    await refusal(checkEvidenceReportPath(html));
  });

  it('writes through a symbolic link to an earlier report, leaving the link', async () => {
    const d = dir();
    const target = join(d, 'real.html');
    writeFileSync(target, page('old'));
    const link = join(d, 'link.html');
    symlinkSync(target, link);
    await writeEvidenceReport(link, page('new'));
    expect(readFileSync(target, 'utf8')).toBe(page('new'));
    expect(readdirSync(d).sort()).toEqual(['link.html', 'real.html']);
  });

  it('refuses a directory, a FIFO, a parent that is a file, /dev/stdout and /proc before any request', async () => {
    const d = dir();
    expect((await refusal(checkEvidenceReportPath(d))).message).toContain(
      'it is a directory, not a regular file',
    );
    const fifo = join(d, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal(checkEvidenceReportPath(fifo))).message).toContain('FIFO');
    const file = join(d, 'f');
    writeFileSync(file, '');
    expect((await refusal(checkEvidenceReportPath(join(file, 'r.html')))).message).toContain(
      'not a directory',
    );
    // HTML on stdout would break --json's promise that stdout is JSON only.
    expect((await refusal(checkEvidenceReportPath('/dev/stdout'))).message).toContain('system file system');
    await refusal(checkEvidenceReportPath('/proc/self/r.html'));
  });

  it('a write that fails leaves the earlier report in place, with one line naming the problem', async () => {
    const d = dir();
    const sub = join(d, 'ro');
    mkdirSync(sub);
    const path = join(sub, 'r.html');
    writeFileSync(path, page('old'));
    // A partial file name that is a directory makes the write fail after the checks passed.
    mkdirSync(join(sub, '.r.html.partial'));
    const err = await writeEvidenceReport(path, page('new')).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; hint: string },
    );
    expect(err?.code).toBe('CannotWriteReport');
    expect(err?.message).toBe(`cannot write --report ${path}: it is a directory (EISDIR)`);
    expect(readFileSync(path, 'utf8')).toBe(page('old'));
  });
});
