// scanParquet in-process, on files pyarrow writes in S3's exact schema (this tier has the
// .venv-moto that holds pyarrow; no server is used). The rows it hands over must be the rows the
// CSV scanner hands over for the CSV twin, field for field, except the key: CSV's is
// URL-encoded, Parquet's is the key itself.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { scanGzipCsv } from '../../../src/adapters/stream/gzip-csv-scan.js';
import { scanParquet, type ParquetSource } from '../../../src/adapters/stream/parquet-scan.js';
import { text } from '../../../src/adapters/stream/parquet-row-group.js';
import { columnsFromParquetSchema, columnsFromSchema, Col } from '../../../src/core/inventory/columns.js';
import { decodeInventoryKey } from '../../../src/core/inventory/keys.js';
import type { RowVisitor } from '../../../src/core/inventory/ports.js';
import { ALL_FIELDS, record, renderDelivery, type InventoryRecord } from '../support/inventory-delivery.js';
import {
  parquetFileSchema,
  renderParquetDelivery,
  runParquetWriter,
  snake,
} from '../support/inventory-parquet.js';

const B = 'src-bucket';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const RECORDS: InventoryRecord[] = [
  record(B, 'plain.txt', { VersionId: 'v1', Size: '0' }),
  record(B, 'with space/and+plus', { VersionId: 'v2', IsLatest: 'false', EncryptionStatus: 'SSE-S3' }),
  record(B, '100% literal %2B', { VersionId: '', EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' }),
  record(B, 'deleted', {
    VersionId: 'v3',
    IsDeleteMarker: 'true',
    Size: '',
    EncryptionStatus: '',
    StorageClass: '',
  }),
  record(B, 'ünïcødé/日本語/😀', { VersionId: 'v4', Size: String(2 ** 62), StorageClass: 'GLACIER' }),
  record(B, '\uFEFFbom', {
    VersionId: 'v5',
    IntelligentTieringAccessTier: 'ARCHIVE',
    StorageClass: 'INTELLIGENT_TIERING',
  }),
  record(B, 'quote"d,comma', { VersionId: 'v6', EncryptionStatus: 'DSSE-KMS' }),
  ...Array.from({ length: 40 }, (_, i) =>
    record(B, `bulk/${i}`, { VersionId: `b${i}`, Size: String(i * 1000) }),
  ),
];
const FIELDS = [...ALL_FIELDS];

function fileSource(bytes: Buffer, chunk = 64 * 1024): ParquetSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    tail: async (n) => {
      reads.push(`tail ${n}`);
      return { bytes: bytes.subarray(Math.max(0, bytes.length - n)), length: bytes.length };
    },
    range: async (start, end) => {
      reads.push(`range ${start}-${end}`);
      return bytes.subarray(start, end);
    },
    body: async () => {
      reads.push('body');
      return Readable.from(
        (function* () {
          for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
        })(),
      );
    },
  };
}

const collect = (into: string[][]): RowVisitor => ({
  row: (values) => void into.push([...values]),
  ready: () => undefined,
});

function parquetFile(o: { rowGroupRows?: number; compression?: 'snappy' | 'gzip' | 'none' } = {}) {
  const d = renderParquetDelivery(RECORDS, {
    sourceBucket: B,
    destinationBucket: 'dest',
    prefix: 'inv',
    id: 'id',
    fields: FIELDS,
    ...o,
  });
  const key = d.dataKeys[0] as string;
  const bytes = d.objects.get(key) as Buffer;
  const m = JSON.parse(d.objects.get(d.manifestKey)?.toString() ?? '{}') as { fileSchema: string };
  const file = { key, size: bytes.length, MD5checksum: createHash('md5').update(bytes).digest('hex') };
  return { bytes, file, layout: columnsFromParquetSchema(m.fileSchema, 'manifest.json') };
}

async function csvRows(): Promise<string[][]> {
  const d = renderDelivery(RECORDS, {
    sourceBucket: B,
    destinationBucket: 'dest',
    prefix: 'inv',
    id: 'id',
    fields: FIELDS,
  });
  const key = d.dataKeys[0] as string;
  const gz = d.objects.get(key) as Buffer;
  const rows: string[][] = [];
  await scanGzipCsv(Readable.from([gz]), {
    file: { key, size: gz.length, MD5checksum: createHash('md5').update(gz).digest('hex') },
    layout: columnsFromSchema(FIELDS.join(', '), 'm'),
    visitor: collect(rows),
    signal: new AbortController().signal,
  });
  expect(gunzipSync(gz).length).toBeGreaterThan(0);
  return rows;
}

describe('scanParquet', () => {
  it.each([
    ['one row group, SNAPPY', { rowGroupRows: 1000 }],
    ['row groups of 3 rows, SNAPPY', { rowGroupRows: 3 }],
    ['row groups of 5 rows, GZIP', { rowGroupRows: 5, compression: 'gzip' as const }],
    ['uncompressed', { rowGroupRows: 7, compression: 'none' as const }],
  ])('%s: the same fields as the CSV twin, keys as they are', async (_n, o) => {
    const { bytes, file, layout } = parquetFile(o);
    const got: string[][] = [];
    const src = fileSource(bytes);
    await scanParquet(src, { file, layout, visitor: collect(got), signal: new AbortController().signal });
    const want = (await csvRows()).map((r) => r.map((v, i) => (i === Col.Key ? decodeInventoryKey(v) : v)));
    expect(got).toEqual(want);
    // The footer in one ranged read, the file in one pass.
    expect(src.reads).toEqual(['tail 65536', 'body']);
  });

  it('rows do not depend on how the body is cut: 1-byte and 777-byte chunks', async () => {
    const { bytes, file, layout } = parquetFile({ rowGroupRows: 4 });
    const whole: string[][] = [];
    await scanParquet(fileSource(bytes), {
      file,
      layout,
      visitor: collect(whole),
      signal: new AbortController().signal,
    });
    for (const chunk of [1, 777]) {
      const got: string[][] = [];
      await scanParquet(fileSource(bytes, chunk), {
        file,
        layout,
        visitor: collect(got),
        signal: new AbortController().signal,
      });
      expect(got).toEqual(whole);
    }
    expect(whole).toHaveLength(RECORDS.length);
  });

  it('a footer longer than the first read is fetched by a second ranged read', async () => {
    const { bytes, file, layout } = parquetFile({ rowGroupRows: 1 });
    const src = fileSource(bytes);
    const small: ParquetSource = { ...src, tail: (_n, signal) => src.tail(64, signal) };
    const got: string[][] = [];
    await scanParquet(small, { file, layout, visitor: collect(got), signal: new AbortController().signal });
    expect(got).toHaveLength(RECORDS.length);
    expect(src.reads[1]).toMatch(/^range \d+-\d+$/);
  });

  it('refuses a key that is not UTF-8, naming the file (exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3e-pq-utf8-'));
    dirs.push(dir);
    const path = join(dir, 'bad.parquet');
    const fields = ['bucket', 'key', 'encryption_status'];
    runParquetWriter({
      fields,
      key_hex: true,
      files: [
        {
          path,
          rows: [
            [B, Buffer.from('ok').toString('hex'), 'NOT-SSE'],
            [B, 'c328', 'NOT-SSE'],
          ],
        },
      ],
    });
    const bytes = readFileSync(path);
    const file = {
      key: 'inv/data/bad.parquet',
      size: bytes.length,
      MD5checksum: createHash('md5').update(bytes).digest('hex'),
    };
    const layout = columnsFromParquetSchema(parquetFileSchema(['Bucket', 'Key', 'EncryptionStatus']), 'm');
    await expect(
      scanParquet(fileSource(bytes), {
        file,
        layout,
        visitor: collect([]),
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/^inv\/data\/bad\.parquet holds a string that is not valid UTF-8/),
    });
  });

  it('stops with an AbortError when the run is interrupted', async () => {
    const { bytes, file, layout } = parquetFile({ rowGroupRows: 1 });
    const ac = new AbortController();
    const seen: string[][] = [];
    const visitor: RowVisitor = {
      row: (v) => {
        seen.push([...v]);
        if (seen.length === 2) ac.abort();
      },
      ready: () => undefined,
    };
    await expect(
      scanParquet(fileSource(bytes, 16), { file, layout, visitor, signal: ac.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(seen.length).toBeLessThan(RECORDS.length);
  });

  /**
   * The file with its footer's row counts rewritten. In thrift's compact encoding a num_rows that
   * follows field 2 is the byte 0x16 then a zigzag varint, one byte (2n) for up to 63 rows; of
   * the bytes that look so, the ones that are FileMetaData.num_rows and RowGroup.num_rows are
   * found by rewriting each and reading the footer back with hyparquet.
   */
  function withRowCount(rows: number, which: 'both' | 'file') {
    const { bytes, layout } = parquetFile({ rowGroupRows: 1000 });
    const footerStart = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    const n = RECORDS.length;
    const patch = (buf: Buffer, i: number) => {
      const c = Buffer.from(buf);
      c[i] = 2 * rows;
      return c;
    };
    let fileAt = -1;
    let groupAt = -1;
    for (let i = footerStart; i < bytes.length - 8; i++) {
      if (bytes[i] !== 0x16 || bytes[i + 1] !== 2 * n) continue;
      const m = parquetMetadata(patch(bytes, i + 1).subarray(footerStart));
      if (Number(m.num_rows) === rows) fileAt = i + 1;
      else if (Number(m.row_groups[0]?.num_rows) === rows) groupAt = i + 1;
    }
    expect(fileAt).toBeGreaterThan(0);
    expect(groupAt).toBeGreaterThan(0);
    let patched = patch(bytes, fileAt);
    if (which === 'both') patched = patch(patched, groupAt);
    const file = {
      key: 'inv/data/x.parquet',
      size: patched.length,
      MD5checksum: createHash('md5').update(patched).digest('hex'),
    };
    return { bytes: patched, file, layout };
  }

  it.each([
    [
      'claims a row more than its pages hold',
      RECORDS.length + 1,
      'both' as const,
      /column bucket of row group 1 ends at row 47 of 48/,
    ],
    [
      'claims a row fewer than its pages hold',
      RECORDS.length - 1,
      'both' as const,
      /column bucket of row group 1 holds more than its 46 rows/,
    ],
    [
      'whose row groups do not add up to its row count',
      RECORDS.length - 1,
      'file' as const,
      /its row groups hold \d+ rows, but its footer says \d+/,
    ],
  ])('refuses a footer that %s (exit 3)', async (_n, rows, which, msg) => {
    const { bytes, file, layout } = withRowCount(rows, which);
    await expect(
      scanParquet(fileSource(bytes), {
        file,
        layout,
        visitor: collect([]),
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(msg) });
  });

  it.each([
    [
      'a footer length past the file',
      (b: Buffer) => {
        const c = Buffer.from(b);
        c.writeUInt32LE(b.length, b.length - 8);
        return c;
      },
      /is not a valid Parquet file \(footer length \d+ in a \d+-byte file\)/,
    ],
    [
      'a footer that is not thrift',
      (b: Buffer) => {
        const c = Buffer.from(b);
        c.fill(0xff, b.length - 8 - b.readUInt32LE(b.length - 8), b.length - 8);
        return c;
      },
      /is not a valid Parquet file \(/,
    ],
  ])('refuses %s (exit 3)', async (_n, damage, msg) => {
    const { bytes: good } = parquetFile({ rowGroupRows: 5 });
    const bytes = damage(good);
    const file = {
      key: 'x.parquet',
      size: bytes.length,
      MD5checksum: createHash('md5').update(bytes).digest('hex'),
    };
    const layout = parquetFile().layout;
    await expect(
      scanParquet(fileSource(bytes), {
        file,
        layout,
        visitor: collect([]),
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(msg) });
  });

  it('snake_case names of the helper match the reader', () => {
    expect(FIELDS.map(snake)).toContain('bucket_key_status');
  });
});

describe('text: a Parquet value as the CSV delivery writes it', () => {
  it.each([
    ['a string', 'abc', 'abc'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['an int64', 5368709121n, '5368709121'],
    ['an int64 past 2^53', 2n ** 62n, '4611686018427387904'],
    ['an int32', 42, '42'],
    ['null', null, ''],
    ['a missing value', undefined, ''],
  ])('%s', (_n, v, want) => {
    expect(text(v, 'c', 'f')).toBe(want);
  });
  it.each([
    ['bytes', new Uint8Array([1, 2])],
    ['a fraction', 1.5],
    ['a date', new Date(0)],
  ])('refuses %s (exit 3)', (_n, v) => {
    expect(() => text(v, 'size', 'f.parquet')).toThrow(
      /f\.parquet: column size holds .*not an S3 Inventory value/,
    );
  });
});
