// A Parquet inventory file with no rows (an empty bucket, or one file of a split delivery that got
// none). pyarrow writes one row group of 0 rows whose column chunks say data_page_offset 0; the
// scanner refused that as "row group 1 points outside the file" (a damaged delivery, exit 3).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { scanParquet } from '../../../src/adapters/stream/parquet-scan.js';
import { columnsFromParquetSchema } from '../../../src/core/inventory/columns.js';
import { parquetFileSchema, runParquetWriter } from '../support/inventory-parquet.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function written(rows: string[][]) {
  const dir = mkdtempSync(join(tmpdir(), 's3e-pq-zero-'));
  dirs.push(dir);
  const path = join(dir, 'f.parquet');
  runParquetWriter({
    fields: ['bucket', 'key', 'size', 'encryption_status'],
    compression: 'snappy',
    row_group_size: 1024,
    files: [{ path, rows }],
  });
  const bytes = readFileSync(path);
  return {
    bytes,
    file: {
      key: 'inv/data/f.parquet',
      size: bytes.length,
      MD5checksum: createHash('md5').update(bytes).digest('hex'),
    },
  };
}

async function scan(bytes: Buffer, file: { key: string; size: number; MD5checksum: string }) {
  const got: string[][] = [];
  await scanParquet(
    {
      tail: async (n) => ({ bytes: bytes.subarray(Math.max(0, bytes.length - n)), length: bytes.length }),
      range: async (a, b) => bytes.subarray(a, b),
      body: async () => Readable.from([bytes]),
    },
    {
      file,
      layout: columnsFromParquetSchema(parquetFileSchema(['Bucket', 'Key', 'Size', 'EncryptionStatus']), 'm'),
      visitor: { row: (v) => void got.push([...v]), ready: () => undefined },
      signal: new AbortController().signal,
    },
  );
  return got;
}

it('a file of 0 rows is read as no rows, not refused as damaged', async () => {
  const { bytes, file } = written([]);
  await expect(scan(bytes, file)).resolves.toEqual([]);
});

it('its checks still hold: a wrong size in manifest.json is refused', async () => {
  const { bytes, file } = written([]);
  await expect(scan(bytes, { ...file, size: file.size + 1 })).rejects.toMatchObject({ exitCode: 3 });
});
