/**
 * The few distinct values of one inventory column (Bucket, EncryptionStatus, StorageClass, ...),
 * met as bytes and compared in place: build-manifest's byte path turns each row's repeating
 * fields into small ids without making a string per field. Only ASCII is ever given here (the
 * rows were indexed: see adapters/stream/line-index.ts).
 */
export class FieldDictionary {
  private readonly values: Uint8Array[] = [];
  /** The value of each id as a string. */
  readonly strings: string[] = [];
  private last = -1;
  /** A likely id by length and end bytes (see hint()), or -1: most values are found at once. */
  private readonly hinted = new Int16Array(256).fill(-1);

  constructor(
    /** Ids handed out at most; a value past them gets -1. */
    private readonly max: number,
    /** Longest value kept, in bytes; a longer one gets -1. */
    private readonly maxLength = 64,
  ) {}

  /** The id of `b[s, e)`, added when new; -1 when it cannot be kept (see max, maxLength). */
  id(b: Uint8Array, s: number, e: number): number {
    const last = this.last;
    // Consecutive rows mostly repeat a value: try the last one first.
    if (last >= 0 && same(this.values[last] as Uint8Array, b, s, e)) return last;
    const values = this.values;
    const h = hint(b, s, e);
    const guess = this.hinted[h] as number;
    if (guess >= 0 && same(values[guess] as Uint8Array, b, s, e)) return (this.last = guess);
    for (let i = 0; i < values.length; i++) {
      if (i !== last && same(values[i] as Uint8Array, b, s, e)) {
        this.last = i;
        return i;
      }
    }
    if (values.length >= this.max || e - s > this.maxLength) return -1;
    // A copy: `b` may be a Node Buffer, whose slice() is a view of memory about to be reused.
    values.push(Uint8Array.prototype.slice.call(b, s, e));
    this.strings.push(ascii(b, s, e));
    const id = values.length - 1;
    if (this.hinted[h] === -1) this.hinted[h] = id;
    return (this.last = id);
  }
}

function hint(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  return n === 0 ? 0 : (n * 31 + (b[s] as number) * 7 + (b[e - 1] as number)) & 255;
}

function same(v: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (v.length !== n) return false;
  for (let i = 0; i < n; i++) if (v[i] !== b[s + i]) return false;
  return true;
}

/** `b[s, e)` as a string, one character per byte (the bytes are ASCII). */
function ascii(b: Uint8Array, s: number, e: number): string {
  let out = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = s; at < e; at += 8192) out += String.fromCharCode(...b.subarray(at, Math.min(e, at + 8192)));
  return out;
}
