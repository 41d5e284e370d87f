import { describe, expect, it } from 'vitest';
import { indexQuotedLines } from '../../../src/adapters/stream/line-index.js';
import { columnsFromSchema } from '../../../src/core/inventory/columns.js';
import { InventoryTally } from '../../../src/core/inventory/inventory-tally.js';
import { manifestRows } from '../../../src/core/inventory/manifest-rows.js';
import type { ManifestWriter } from '../../../src/core/inventory/ports.js';

const SCHEMA = [
  'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, StorageClass, EncryptionStatus',
  'BucketKeyStatus, IntelligentTieringAccessTier',
].join(', ');
const B = 'data-1';
const row = (
  key: string,
  v: string,
  size: string,
  cls: string,
  status: string,
  latest = 'true',
  bk = '',
  tier = '',
) => `"${B}","${key}","${v}","${latest}","false","${size}","${cls}","${status}","${bk}","${tier}"\n`;

/** One indexed batch through the byte path: the lines written, the rows (1-based) left to strings, the tally. */
function run(text: string) {
  const layout = columnsFromSchema(SCHEMA, 'test');
  const b = Buffer.from(text, 'latin1');
  const ends = new Int32Array(text.length);
  const count = indexQuotedLines(b, b.length, layout.fieldCount, ends);
  expect(count).toBeGreaterThan(0);
  const written: Record<string, string> = {};
  const slow: number[] = [];
  const tally = new InventoryTally();
  const writer = {
    appendBytes(name: string, bytes: Uint8Array, start: number, end: number) {
      written[name] = (written[name] ?? '') + Buffer.from(bytes.subarray(start, end)).toString('latin1');
    },
  } as unknown as ManifestWriter;
  const visitor = manifestRows({ file: { index: 0, layout }, bucket: B, tally, writer });
  // As the reader does: a row left to the string path is taken there (here: its number noted).
  for (let r = 0; r < count;) {
    const to = visitor.rows(b, ends, r, count);
    if (to === count) break;
    slow.push(to + 1);
    r = to + 1;
  }
  return { written, slow, tally };
}

describe('manifestRows (build-manifest byte path)', () => {
  it('writes and counts the rows S3 writes without a string per row', () => {
    const { written, slow, tally } = run(
      row('logs%2F2026%2Fa+b.txt', 'v1', '10', 'STANDARD', 'NOT-SSE') +
        row('img%2Fx.jpg', '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY', '20', 'STANDARD', 'SSE-S3') +
        row('img%2Fy.jpg', '', '30', 'STANDARD_IA', 'SSE-S3') +
        row('old', 'v0', '5', 'STANDARD', 'NOT-SSE', 'false') +
        row('kms', 'v2', '7', 'STANDARD', 'SSE-KMS', 'true', 'ENABLED') +
        row('big', 'v3', String(5 * 1024 ** 3 + 1), 'STANDARD', 'NOT-SSE'),
    );
    expect(slow).toEqual([]);
    expect(written).toEqual({
      'copy-STANDARD': `${B},logs/2026/a%20b.txt\n`,
      'update-encryption': `${B},img/x.jpg,3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY\n${B},img/y.jpg,null\n`,
      large: `${B},big\n`,
    });
    expect(tally.rows).toBe(6);
    expect(tally.stats().byEncryptionStatus).toEqual({
      'NOT-SSE': { objects: 2, bytes: 10 + 5 * 1024 ** 3 + 1 },
      'SSE-S3': { objects: 2, bytes: 50 },
      'SSE-KMS': { objects: 1, bytes: 7 },
    });
    expect(tally.stats().noncurrent).toEqual({ objects: 1, bytes: 5 });
  });

  it('leaves to the string path, by row number, what the bytes cannot settle', () => {
    const { slow, written } = run(
      row('ok', 'v1', '1', 'STANDARD', 'NOT-SSE') +
        row('euro%E2%82%AC', 'v1', '1', 'STANDARD', 'NOT-SSE') +
        row('vid', 'has+plus', '1', 'STANDARD', 'SSE-S3') +
        row('size', 'v1', '1e3', 'STANDARD', 'NOT-SSE') +
        `"other","k","v","true","false","1","STANDARD","NOT-SSE","",""\n` +
        row('latest', 'v1', '1', 'STANDARD', 'NOT-SSE', 'maybe') +
        row('ok2', 'v1', '1', 'STANDARD', 'NOT-SSE'),
    );
    expect(slow).toEqual([2, 3, 4, 5, 6]);
    expect(written).toEqual({ 'copy-STANDARD': `${B},ok\n${B},ok2\n` });
  });

  it('keeps at most 4,096 kinds per file: rows of further kinds take the string path', () => {
    // 5,000 rows, each its own mix of class, status and tier (60 x 60 x 5 are possible).
    let text = '';
    for (let i = 0; i < 5000; i++)
      text += row(
        `k${i}`,
        'v',
        '1',
        `C${i % 60}`,
        `S${Math.floor(i / 60) % 60}`,
        'true',
        '',
        `T${Math.floor(i / 3600)}`,
      );
    const { slow, tally } = run(text);
    expect(slow).toHaveLength(5000 - 4096);
    expect(slow[0]).toBe(4097);
    expect(tally.rows).toBe(4096);
  });
});
