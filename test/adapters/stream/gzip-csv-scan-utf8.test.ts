// Inventory data files are ASCII (S3 URL-encodes keys); UTF-8 keys still decode, but bytes that
// are not UTF-8 at all mean a damaged or hand-made delivery: refused, naming the file, instead of
// becoming U+FFFD (a key that names another object).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanGzipCsv } from '../../../src/adapters/stream/gzip-csv-scan.js';
import { Col, columnsFromSchema } from '../../../src/core/inventory/columns.js';

const layout = columnsFromSchema('Bucket, Key, ObjectOwner, EncryptionStatus', 'm');

async function scan(bytes: Buffer): Promise<string[]> {
  const gz = gzipSync(bytes);
  const keys: string[] = [];
  await scanGzipCsv(Readable.from([gz]), {
    file: { key: 'data/x.csv.gz', MD5checksum: createHash('md5').update(gz).digest('hex'), size: gz.length },
    layout,
    visitor: { row: (v) => keys.push(v[Col.Key] ?? ''), ready: () => undefined },
    signal: new AbortController().signal,
  });
  return keys;
}

describe('scanGzipCsv and bytes that are not UTF-8', () => {
  it('refuses them with the file and the offset in the unzipped data', async () => {
    const good = Buffer.from('"b","ascii","o","NOT-SSE"\n'.repeat(100));
    const bad = Buffer.concat([
      Buffer.from('"b","k'),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from('","o","NOT-SSE"\n'),
    ]);
    await expect(scan(Buffer.concat([good, bad, good]))).rejects.toMatchObject({
      code: 'InventoryFileCorrupt',
      exitCode: 3,
      message: `data/x.csv.gz is not valid UTF-8 (byte ${good.length + 6} of the unzipped data): S3 Inventory files are ASCII, with URL-encoded keys`,
    });
    await expect(
      scan(Buffer.concat([good, Buffer.from('"b","k'), Buffer.from([0xe2, 0x82])])),
    ).rejects.toThrow(/data\/x\.csv\.gz is not valid UTF-8 \(it ends inside a character\)/);
  });

  it('still reads UTF-8 that is valid', async () => {
    expect(await scan(Buffer.from('"b","k-ü€","o","NOT-SSE"\n"b","plain","o","SSE-S3"\n'))).toEqual([
      'k-ü€',
      'plain',
    ]);
  });
});
