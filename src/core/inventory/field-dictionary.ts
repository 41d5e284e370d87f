/**
 * The few distinct values of one inventory column (Bucket, EncryptionStatus, StorageClass, ...),
 * met as bytes and compared in place: build-manifest's byte path names the values of a kind's
 * first row by small ids, and makes a string of each value once. Later rows of a kind are found
 * by kind-table.ts and never come here. Only ASCII is ever given here (the rows were indexed:
 * see adapters/stream/line-index.ts).
 */
export class FieldDictionary {
  private readonly values: Uint8Array[] = [];
  /** The value of each id as a string. */
  readonly strings: string[] = [];

  constructor(
    /** Ids handed out at most; a value past them gets -1. */
    private readonly max: number,
    /** Longest value kept, in bytes; a longer one gets -1. */
    private readonly maxLength = 64,
  ) {}

  /** The id of `b[s, e)`, added when new; -1 when it cannot be kept (see max, maxLength). */
  id(b: Uint8Array, s: number, e: number): number {
    const values = this.values;
    for (let i = 0; i < values.length; i++) if (same(values[i] as Uint8Array, b, s, e)) return i;
    if (values.length >= this.max || e - s > this.maxLength) return -1;
    // A copy: `b` may be a Node Buffer, whose slice() is a view of memory about to be reused.
    values.push(Uint8Array.prototype.slice.call(b, s, e));
    this.strings.push(ascii(b, s, e));
    return values.length - 1;
  }
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
