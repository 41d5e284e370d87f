import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanGzipCsv } from '../../../src/adapters/stream/gzip-csv-scan.js';
import { Col, columnsFromSchema } from '../../../src/core/inventory/columns.js';

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
