import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchCsvRows, openLocal } from '../../../src/adapters/fs/batch-csv-reader.js';
import { openReport } from '../../../src/adapters/fs/report-writer.js';

const dir = () => mkdtempSync(join(tmpdir(), 's3e-report-'));
const notADir = () => {
  const f = join(dir(), 'file');
  writeFileSync(f, '');
  return f;
};

describe('report file', () => {
  it('writes one JSON line per object with the documented fields', async () => {
    const path = join(dir(), 'r.jsonl');
    const r = await openReport(path);
    r.write({ key: 'a b', action: 'copy', outcome: 'done', bytes: 5, ms: 12.4, before: 'NOT-SSE' });
    r.write({
      key: 'c',
      versionId: 'v1',
      action: 'skip',
      outcome: 'skipped',
      reason: 'archived: GLACIER',
      bytes: 1,
      ms: 3,
    });
    await r.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      {
        key: 'a b',
        versionId: null,
        action: 'copy',
        outcome: 'done',
        reason: null,
        bytes: 5,
        ms: 12,
        before: 'NOT-SSE',
      },
      {
        key: 'c',
        versionId: 'v1',
        action: 'skip',
        outcome: 'skipped',
        reason: 'archived: GLACIER',
        bytes: 1,
        ms: 3,
      },
    ]);
  });
  it('refuses an unwritable path before anything runs', async () => {
    // A path under a regular file: ENOTDIR, at once (mkdir -p under /proc hangs Node 20 and 22).
    await expect(openReport(join(notADir(), 'r.jsonl'))).rejects.toThrow(
      /--report .*r\.jsonl: .*file is a file, not a directory/,
    );
  });
});

describe('Batch CSV reader', () => {
  it('streams decoded rows, quoted fields included', async () => {
    const path = join(dir(), 'm.csv');
    writeFileSync(path, 'b,plain\r\n"b","with%2Ccomma%20and%20space"\nb,v%C3%BC,ver1\n\n');
    const rows = [];
    for await (const r of batchCsvRows(() => openLocal(path), path)) rows.push(r);
    expect(rows).toEqual([
      { bucket: 'b', key: 'plain', versionId: undefined, line: 1 },
      { bucket: 'b', key: 'with,comma and space', versionId: undefined, line: 2 },
      { bucket: 'b', key: 'vü', versionId: 'ver1', line: 3 },
    ]);
  });
  it('names a missing file and a bad row', async () => {
    const missing = join(dir(), 'missing.csv');
    const it1 = batchCsvRows(() => openLocal(missing), missing)[Symbol.asyncIterator]();
    await expect(it1.next()).rejects.toThrow(/cannot read manifest .*missing\.csv: no such file/);
    const bad = join(dir(), 'bad.csv');
    writeFileSync(bad, 'b,ok\nb\n');
    const rows: unknown[] = [];
    await expect(
      (async () => {
        for await (const r of batchCsvRows(() => openLocal(bad), bad)) rows.push(r);
      })(),
    ).rejects.toThrow(/bad\.csv line 2 is not a Batch manifest row/);
    expect(rows).toHaveLength(1);
  });
});
