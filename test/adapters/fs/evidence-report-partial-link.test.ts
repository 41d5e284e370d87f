// The report is written to ".NAME.partial" beside the target, then renamed over it. A symbolic
// link left at that partial name (by another user of a shared directory such as /tmp, or by
// anyone who can write there) was followed: the page was written into whatever file it named.
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeEvidenceReport } from '../../../src/adapters/fs/evidence-report-file.js';
import { EVIDENCE_REPORT_HEAD } from '../../../src/core/evidence-mark.js';

it('a symbolic link at the partial file name is not followed', async () => {
  const d = mkdtempSync(join(tmpdir(), 's3e-evidence-partial-'));
  const victim = join(d, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  symlinkSync(victim, join(d, '.r.html.partial'));
  const page = `${EVIDENCE_REPORT_HEAD}<html><body>ok</body></html>\n`;
  await writeEvidenceReport(join(d, 'r.html'), page);
  expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  expect(lstatSync(join(d, 'r.html')).isFile()).toBe(true);
  expect(readFileSync(join(d, 'r.html'), 'utf8')).toBe(page);
});
