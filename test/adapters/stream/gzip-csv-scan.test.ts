import { parse } from 'csv-parse/sync';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanGzipCsv } from '../../../src/adapters/stream/gzip-csv-scan.js';
import { Col, columnsFromSchema, type ColumnLayout } from '../../../src/core/inventory/columns.js';

const layout = columnsFromSchema('Bucket, Key, ObjectOwner, EncryptionStatus', 'm');

async function scan(text: string, over: { md5?: string; size?: number; gz?: Buffer; pieces?: number } = {}) {
  const gz = over.gz ?? gzipSync(Buffer.from(text, 'utf8'));
  const keys: string[] = [];
  const pieces = over.pieces ?? 1;
  const step = Math.ceil(gz.length / pieces);
  const body = Readable.from(Array.from({ length: pieces }, (_, i) => gz.subarray(i * step, (i + 1) * step)));
  await scanGzipCsv(body, {
    file: {
      key: 'data/x.csv.gz',
      MD5checksum: over.md5 ?? createHash('md5').update(gz).digest('hex'),
      size: over.size ?? gz.length,
    },
    layout,
    visitor: { row: (v) => keys.push(v[Col.Key] ?? ''), ready: () => undefined },
    signal: new AbortController().signal,
  });
  return keys;
}

describe('scanGzipCsv', () => {
  it('keeps multi-byte characters whole across inflate chunks (UTF-8 path) and reads ASCII fast', async () => {
    // ~200 KB of rows with 3-byte characters: chunk boundaries fall inside characters.
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `"b","k${i}-日本語-ñ","owner-é-${'x'.repeat(i % 7)}","NOT-SSE"\n`,
    );
    const ascii = Array.from({ length: 3000 }, (_, i) => `"b","ascii-${i}","o","SSE-S3"\n`);
    const text = [...ascii, ...rows, ...ascii].join('');
    const keys = await scan(text, { pieces: 7 });
    expect(keys).toHaveLength(9000);
    expect(keys.slice(3000, 6000)).toEqual(Array.from({ length: 3000 }, (_, i) => `k${i}-日本語-ñ`));
    expect(keys[8999]).toBe('ascii-2999');
  });

  it('names the file on a size or MD5 mismatch, and on broken gzip', async () => {
    const text = '"b","k","o","NOT-SSE"\n';
    await expect(scan(text, { size: 1 })).rejects.toThrow(
      /data\/x.csv.gz is \d+ bytes, but manifest.json says 1/,
    );
    await expect(scan(text, { md5: '0'.repeat(32) })).rejects.toThrow(
      /data\/x.csv.gz has MD5 [0-9a-f]{32}, but manifest.json says 0{32}/,
    );
    const gz = gzipSync(Buffer.from(text));
    await expect(scan(text, { gz: gz.subarray(0, gz.length - 5) })).rejects.toThrow(
      /data\/x.csv.gz is truncated/,
    );
    await expect(scan(text, { gz: Buffer.from('not gzip at all') })).rejects.toThrow(
      /data\/x.csv.gz is not valid gzip/,
    );
  });
});

describe('scanGzipCsv of a local file (read, and handed back to be hashed, by the worker)', () => {
  it('checks the MD5 and size of every byte read, over many reads of reused buffers', async () => {
    // Rows of random hex: about 2.5 MB that gzip cannot shrink much, so many 128 KiB reads.
    const text = Array.from(
      { length: 40_000 },
      (_, i) => `"b","k${i}-${randomBytes(24).toString('hex')}","o","NOT-SSE"\n`,
    ).join('');
    const gz = gzipSync(Buffer.from(text, 'latin1'));
    expect(gz.length).toBeGreaterThan(8 * 128 * 1024);
    const path = join(mkdtempSync(join(tmpdir(), 's3e-scan-')), 'x.csv.gz');
    writeFileSync(path, gz);
    const run = (md5: string, size = gz.length) => {
      let rows = 0;
      return scanGzipCsv(
        { localPath: path },
        {
          file: { key: 'data/x.csv.gz', MD5checksum: md5, size },
          layout,
          visitor: {
            row: () => rows++,
            indexed: { rows: (_b, _e, from, count) => ((rows += count - from), count) },
            ready: () => undefined,
          },
          signal: new AbortController().signal,
        },
      ).then(() => rows);
    };
    const md5 = createHash('md5').update(gz).digest('hex');
    // Twice: the second run reads into buffers the first handed back.
    expect(await run(md5)).toBe(40_000);
    expect(await run(md5.toUpperCase())).toBe(40_000);
    const wrong = createHash('md5').update(gz.subarray(1)).digest('hex');
    await expect(run(wrong)).rejects.toThrow(`data/x.csv.gz has MD5 ${md5}, but manifest.json says ${wrong}`);
    await expect(run(md5, gz.length + 1)).rejects.toThrow(
      `data/x.csv.gz is ${gz.length} bytes, but manifest.json says ${gz.length + 1}`,
    );
  });
});

describe('scanGzipCsv on rows the inflate worker indexes', () => {
  /** Bucket, Key and EncryptionStatus of every row, and the rows csv-parse did. */
  async function scanAll(text: string, lay: ColumnLayout) {
    const gz = gzipSync(Buffer.from(text, 'utf8'));
    const got: string[][] = [];
    const slow = await scanGzipCsv(Readable.from([gz]), {
      file: {
        key: 'data/x.csv.gz',
        MD5checksum: createHash('md5').update(gz).digest('hex'),
        size: gz.length,
      },
      layout: lay,
      visitor: {
        row: (v) => got.push([v[Col.Bucket] ?? '', v[Col.Key] ?? '', v[Col.EncryptionStatus] ?? '']),
        ready: () => undefined,
      },
      signal: new AbortController().signal,
    });
    return { got, slow };
  }
  function reference(text: string, lay: ColumnLayout): string[][] {
    const at = (c: string) => lay.names.indexOf(c);
    return (parse(text, { skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][]).map(
      (r) => [r[at('Bucket')] ?? '', r[at('Key')] ?? '', r[at('EncryptionStatus')] ?? ''],
    );
  }

  it('matches csv-parse over many batches with escapes, quoted newlines, CRLF and UTF-8 among them', async () => {
    const row = (i: number) => `"b","k${i}/${'x'.repeat(i % 90)}","owner","NOT-SSE"\n`;
    const odd = [
      '"b","a""quoted""key","o","SSE-S3"\n',
      '"b","two\nlines","o","SSE-S3"\n',
      '"b","crlf","o","SSE-S3"\r\n',
      '"b","日本語-ñ","o","SSE-KMS"\n',
      '\n',
    ];
    const parts: string[] = [];
    for (let i = 0; i < 30_000; i++)
      parts.push(i % 6_000 === 7 ? (odd[Math.floor(i / 6_000) % odd.length] ?? '') : row(i));
    const text = parts.join('');
    const { got, slow } = await scanAll(text, layout);
    expect(got).toEqual(reference(text, layout));
    expect(slow).toBeLessThan(30);
  });

  it('keeps reading a record whose quoted newlines span a batch that looks simple', async () => {
    // Inside a quoted field, a line of empty fields (`"","",...,""`) is escaped quotes and
    // commas: csv-parse reads all of it as one key. Such lines fill more than a whole batch.
    const names = ['Bucket', 'Key', 'EncryptionStatus', ...Array.from({ length: 1997 }, (_, i) => `F${i}`)];
    const wide = columnsFromSchema(names.join(', '), 'm');
    const fill = (v: string) =>
      Array.from({ length: 2000 }, (_, i) => (i === 0 ? `"b"` : `"${v}"`)).join(',');
    const empties = `${Array.from({ length: 2000 }, () => '""').join(',')}\n`;
    const text = [
      ...Array.from({ length: 50 }, (_, i) => `${fill(`v${i}`)}\n`),
      `"b","open\n${empties.repeat(120)}","NOT-SSE"${',"x"'.repeat(1997)}\n`,
      ...Array.from({ length: 50 }, (_, i) => `${fill(`w${i}`)}\n`),
    ].join('');
    const { got } = await scanAll(text, wide);
    const want = reference(text, wide);
    expect(want).toHaveLength(101);
    expect(got).toEqual(want);
  });
});
