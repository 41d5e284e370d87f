/**
 * Field boundaries of S3 Inventory CSV rows, found by the inflate worker so the main thread (the
 * bottleneck of build-manifest) only slices fields out instead of searching for them. The worker
 * was idle most of the time; scanning bytes there costs less than indexOf on the main thread.
 *
 * inflate-worker.ts imports this file: under vitest Node loads it from src/ by stripping its
 * types, so it imports nothing and keeps to TypeScript that Node can strip.
 */

/**
 * Records, for each row of `buf[0, length)`, the position of every field's closing quote in
 * `ends` (row r, field i at `ends[r * fields + i]`) and returns the row count. Returns -1 unless
 * every row is `"..."` fields separated by `,`, exactly `fields` of them, ending in `\n`, with
 * no quote, newline or non-ASCII byte inside a field: the rows InventoryCsvParser's fast path
 * reads (CRLF, empty lines and escapes are left to the parser). Returns -2 when `ends` is too
 * small.
 */
export function indexQuotedLines(buf: Uint8Array, length: number, fields: number, ends: Int32Array): number {
  // The last byte being '\n' bounds every inner loop below without a length check per byte.
  if (length === 0 || buf[length - 1] !== 10 || fields < 1) return -1;
  const cap = ends.length;
  const v = new DataView(buf.buffer, buf.byteOffset, length);
  const words = length - 4;
  let i = 0;
  let k = 0;
  while (i < length) {
    if (buf[i] !== 34) return -1;
    i++;
    for (let f = 1; ; f++) {
      // Four bytes at a time while none is a quote, a newline or non-ASCII (most of a field).
      while (i <= words && plain(v.getInt32(i, true))) i += 4;
      let c = buf[i] as number;
      while (c !== 34) {
        if (c === 10 || c > 127) return -1;
        c = buf[++i] as number;
      }
      if (k === cap) return -2;
      ends[k++] = i;
      if (f === fields) break;
      if (buf[i + 1] !== 44 || buf[i + 2] !== 34) return -1;
      i += 3;
    }
    if (buf[i + 1] !== 10) return -1;
    i += 2;
  }
  return k / fields;
}

/** Whether no byte of the word `x` is '"' or '\n' and none has its high bit set (SWAR zero-byte tests). */
function plain(x: number): boolean {
  const q = x ^ 0x22222222;
  const n = x ^ 0x0a0a0a0a;
  return ((((q - 0x01010101) & ~q) | ((n - 0x01010101) & ~n) | x) & 0x80808080) === 0;
}

/** Where row `row` of an indexed batch starts (the byte after the previous row's '\n'). */
export function rowStart(ends: Int32Array, fields: number, row: number): number {
  return row === 0 ? 0 : (ends[row * fields - 1] as number) + 2;
}

/**
 * The row after the last one that fits, with the rows from `from`, in `max` bytes (at least one
 * row): decoded text is kept below V8's large-object size, as the unindexed path does.
 */
export function rowsThatFit(
  ends: Int32Array,
  fields: number,
  from: number,
  rows: number,
  max: number,
): number {
  const limit = rowStart(ends, fields, from) + max;
  let to = from + 1;
  while (to < rows && (ends[(to + 1) * fields - 1] as number) + 2 <= limit) to++;
  return to;
}
