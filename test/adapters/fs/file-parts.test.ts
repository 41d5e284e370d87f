import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileParts, uploadEtagOf } from '../../../src/adapters/fs/file-parts.js';

const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

describe('file parts and the upload ETag', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3e-parts-'));
  const file = (name: string, bytes: Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('an empty file is one empty part with the MD5 of nothing', async () => {
    const p = file('empty', Buffer.alloc(0));
    const parts: number[] = [];
    for await (const part of fileParts(p, 4)) parts.push(part.length);
    expect(parts).toEqual([0]);
    expect(await uploadEtagOf(p, 4)).toBe(md5(Buffer.alloc(0)).toString('hex'));
  });

  it('at or below the part size: the MD5 of the bytes', async () => {
    const bytes = Buffer.from('abcd');
    expect(await uploadEtagOf(file('four', bytes), 4)).toBe(md5(bytes).toString('hex'));
  });

  it('above it: MD5 of the concatenated part MD5s, dash, the part count (last part short)', async () => {
    const bytes = Buffer.from('abcdefghij');
    const p = file('ten', bytes);
    const parts: string[] = [];
    for await (const part of fileParts(p, 4)) parts.push(part.toString());
    expect(parts).toEqual(['abcd', 'efgh', 'ij']);
    const want = md5(Buffer.concat([bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)].map(md5)));
    expect(await uploadEtagOf(p, 4)).toBe(`${want.toString('hex')}-3`);
  });
});
