import { describe, expect, it } from 'vitest';
import { indexQuotedLines } from '../../../src/adapters/stream/line-index.js';
import { KindTable } from '../../../src/core/inventory/kind-table.js';

/** Rows of `fields` quoted fields, indexed as the inflate worker does. */
function batch(rows: string[][]) {
  const fields = (rows[0] as string[]).length;
  const text = rows.map((r) => `${r.map((f) => `"${f}"`).join(',')}\n`).join('');
  // After 3 bytes of something else: the views must honour the batch's offset in its memory.
  const b = Buffer.from(`xyz${text}`, 'latin1').subarray(3);
  const ends = new Int32Array(rows.length * fields);
  expect(indexQuotedLines(b, b.length, fields, ends)).toBe(rows.length);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const start = (r: number) => (r === 0 ? 0 : (ends[r * fields - 1] as number) + 2);
  return {
    find: (t: KindTable<string>, r: number, large = 0) => t.find(b, v, ends, r * fields, start(r), large),
    add: (t: KindTable<string>, kind: string, large = 0) => t.add(b, large, kind),
  };
}

describe('KindTable', () => {
  it('tells apart kinds alike in length and in their first, middle and last bytes', () => {
    // Same hash for each pair: only the bytes compared in full tell them apart.
    const pairs = [
      ['SXAYD', 'SYAXD'], // 5 bytes, a difference in the first word
      ['abcdXf', 'abcdYf'], // 6 bytes, a difference only the last word (overlapping the first) holds
      ['abXdefgh', 'abcdefgh'], // a difference in the first word only
      ['abcdefXhij', 'abcdeYghij'], // in the second word and in the overlapping last
      ['aXc', 'aYc'], // under a word: byte by byte
    ];
    for (const [x, y] of pairs) {
      const rows = batch([
        ['bkt', 'key1', x as string, 'v'],
        ['bkt', 'key2', y as string, 'v'],
      ]);
      const t = new KindTable<string>([0, 2]);
      expect(rows.find(t, 0)).toBeUndefined();
      rows.add(t, `kind ${x}`);
      expect(rows.find(t, 1), `${x} / ${y}`).toBeUndefined();
      rows.add(t, `kind ${y}`);
      expect(rows.find(t, 0)).toBe(`kind ${x}`);
      expect(rows.find(t, 1)).toBe(`kind ${y}`);
    }
  });

  it('reads only the kind fields, in runs of adjacent ones, and the size class', () => {
    const rows = batch([
      ['bkt', 'key-one', 'STANDARD', 'SSE-S3', '1'],
      ['bkt', 'another-key', 'STANDARD', 'SSE-S3', '2'],
      ['bkt', 'key-one', 'STANDARD', 'SSE-KMS', '1'],
      ['bkt2', 'key-one', 'STANDARD', 'SSE-S3', '1'],
    ]);
    const t = new KindTable<string>([3, 0, 2]);
    expect(rows.find(t, 0)).toBeUndefined();
    rows.add(t, 'standard s3');
    expect(rows.find(t, 1)).toBe('standard s3'); // another key, another size: same kind
    expect(rows.find(t, 1, 1)).toBeUndefined(); // over 5 GiB: another kind
    expect(rows.find(t, 2)).toBeUndefined(); // another status
    expect(rows.find(t, 3)).toBeUndefined(); // another bucket
  });

  it('keeps finding every kind as it grows', () => {
    const values = Array.from({ length: 3000 }, (_, i) => `C${i}`);
    const rows = batch(values.map((c, i) => ['bkt', c, i % 2 === 0 ? '' : 'x']));
    const t = new KindTable<string>([1, 2]);
    values.forEach((c, i) => {
      expect(rows.find(t, i)).toBeUndefined();
      rows.add(t, c);
    });
    values.forEach((c, i) => expect(rows.find(t, i)).toBe(c));
  });
});
