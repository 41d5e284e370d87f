// --report naming the very file stdout (or stderr) is redirected to: `--json --report r > r`.
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEvidenceReportPath } from '../../../src/adapters/fs/evidence-report-file.js';
import { UsageError } from '../../../src/core/errors.js';

describe('--report and the run’s own stdout/stderr', () => {
  it('refuses the file stdout goes to, though the shell left it empty (replaceable otherwise)', async () => {
    const d = mkdtempSync(join(tmpdir(), 's3e-evidence-stdio-'));
    const path = join(d, 'out.jsonl');
    writeFileSync(path, ''); // what `> out.jsonl` leaves before the run starts
    const fd = openSync(path, 'a');
    try {
      const err = await checkEvidenceReportPath(path, [fd]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(/out\.jsonl: it is the file descriptor \d+ is written to/);
      // Through another name for the same file (a hard link is the same inode), too.
      const other = join(d, 'other.html');
      writeFileSync(other, '');
      await expect(checkEvidenceReportPath(other, [fd])).resolves.toBeUndefined();
      expect(readFileSync(path, 'utf8')).toBe('');
    } finally {
      closeSync(fd);
    }
  });

  it('accepts an empty file that is neither stdout nor stderr', async () => {
    const d = mkdtempSync(join(tmpdir(), 's3e-evidence-stdio-'));
    const path = join(d, 'r.html');
    writeFileSync(path, '');
    // fd 1 of this test process is not that file: accepted.
    await expect(checkEvidenceReportPath(path, [1, 2])).resolves.toBeUndefined();
  });
});
