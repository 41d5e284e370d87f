/**
 * The kinds of build-manifest's byte path (manifest-rows.ts), found by the bytes of a row's kind
 * fields in one hash lookup. The fields of a kind are compared in place, four bytes at a time:
 * one lookup per row instead of one dictionary per column and a walk down a tree took the
 * byte path's main-thread time from about 380 to 270 ms per 2,000,000 rows (BENCHMARKS.md).
 * A row is matched only when every byte of its kind fields, and its size class, equals an entry's:
 * the hash only chooses where to compare. The table knows nothing of what a kind means; the
 * caller decides each one once, on the first row of it, and adds it here (and bounds how many:
 * MAX_KINDS in manifest-rows.ts).
 */

export class KindTable<K> {
  /** Each run of adjacent kind fields: first and last field index (a run's bytes include its `","`s). */
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  /** The current row's runs, found by find() and kept for add(). */
  private readonly starts: Int32Array;
  private readonly stops: Int32Array;
  private slot = 0;
  private size = 0;
  private mask = 255;
  private kinds: (K | undefined)[] = new Array<K | undefined>(256);
  /** Per entry: its runs' bytes one after the other, their lengths, and its size class. */
  private bytes: DataView[] = new Array<DataView>(256);
  private lengths: Int32Array[] = new Array<Int32Array>(256);
  private large: Uint8Array = new Uint8Array(256);

  /** `fields`: the field positions whose values make a kind (any order; none repeated). */
  constructor(fields: readonly number[]) {
    const sorted = [...fields].sort((a, b) => a - b);
    const first: number[] = [];
    const last: number[] = [];
    for (const f of sorted) {
      if (last.length > 0 && last[last.length - 1] === f - 1) last[last.length - 1] = f;
      else {
        first.push(f);
        last.push(f);
      }
    }
    this.first = Int32Array.from(first);
    this.last = Int32Array.from(last);
    this.starts = new Int32Array(first.length);
    this.stops = new Int32Array(first.length);
  }

  /**
   * The kind of the row whose fields end at `ends[at...]` (row start `start`, batch `b` with its
   * view `v`), or undefined for one not added yet. `large` is the row's size class (0 or 1).
   */
  find(
    b: Uint8Array,
    v: DataView,
    ends: Int32Array,
    at: number,
    start: number,
    large: number,
  ): K | undefined {
    const runs = this.first.length;
    let h = large + 1;
    for (let k = 0; k < runs; k++) {
      const f = this.first[k] as number;
      const s = f === 0 ? start + 1 : (ends[at + f - 1] as number) + 3;
      const e = ends[at + (this.last[k] as number)] as number;
      this.starts[k] = s;
      this.stops[k] = e;
      const n = e - s;
      h =
        n === 0
          ? mix(h, 0, 0, 0, 0)
          : mix(h, n, b[s] as number, b[s + (n >> 1)] as number, b[e - 1] as number);
    }
    const mask = this.mask;
    for (let slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
      const kind = this.kinds[slot];
      this.slot = slot;
      if (kind === undefined) return undefined;
      if (this.large[slot] === large && this.same(slot, b, v)) return kind;
    }
  }

  /** Adds `kind` for the row find() was last given and did not know (its bytes are copied). */
  add(b: Uint8Array, large: number, kind: K): void {
    const runs = this.first.length;
    const lengths = new Int32Array(runs);
    let total = 0;
    for (let k = 0; k < runs; k++)
      total += lengths[k] = (this.stops[k] as number) - (this.starts[k] as number);
    const copy = new Uint8Array(total);
    for (let k = 0, o = 0; k < runs; o += lengths[k] as number, k++)
      copy.set(b.subarray(this.starts[k], this.stops[k]), o);
    this.put(this.slot, new DataView(copy.buffer), lengths, large, kind);
    if (++this.size * 2 > this.mask + 1) this.grow();
  }

  /** Whether the current row's runs equal entry `slot`'s, byte for byte. */
  private same(slot: number, b: Uint8Array, v: DataView): boolean {
    const bytes = this.bytes[slot] as DataView;
    const lengths = this.lengths[slot] as Int32Array;
    for (let k = 0, o = 0; k < lengths.length; k++) {
      const s = this.starts[k] as number;
      const n = (this.stops[k] as number) - s;
      if (n !== lengths[k]) return false;
      if (n < 4) {
        for (let i = 0; i < n; i++) if (bytes.getUint8(o + i) !== b[s + i]) return false;
      } else {
        // Four bytes at a time; the last four overlap the ones before when n is not a multiple.
        for (let i = 0; i + 4 <= n; i += 4)
          if (bytes.getInt32(o + i, true) !== v.getInt32(s + i, true)) return false;
        if (bytes.getInt32(o + n - 4, true) !== v.getInt32(s + n - 4, true)) return false;
      }
      o += n;
    }
    return true;
  }

  private put(slot: number, bytes: DataView, lengths: Int32Array, large: number, kind: K): void {
    this.kinds[slot] = kind;
    this.bytes[slot] = bytes;
    this.lengths[slot] = lengths;
    this.large[slot] = large;
  }

  /** Twice the slots, every entry placed again (by its stored bytes' hash, which is find()'s). */
  private grow(): void {
    const { kinds, bytes, lengths, large } = this;
    const n = this.mask + 1;
    this.mask = n * 2 - 1;
    this.kinds = new Array<K | undefined>(n * 2);
    this.bytes = new Array<DataView>(n * 2);
    this.lengths = new Array<Int32Array>(n * 2);
    this.large = new Uint8Array(n * 2);
    for (let i = 0; i < n; i++) {
      const kind = kinds[i];
      if (kind === undefined) continue;
      const v = bytes[i] as DataView;
      const l = lengths[i] as Int32Array;
      const c = large[i] as number;
      let h = c + 1;
      for (let k = 0, o = 0; k < l.length; o += l[k] as number, k++) {
        const n = l[k] as number;
        h =
          n === 0
            ? mix(h, 0, 0, 0, 0)
            : mix(h, n, v.getUint8(o), v.getUint8(o + (n >> 1)), v.getUint8(o + n - 1));
      }
      let slot = spread(h) & this.mask;
      while (this.kinds[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.put(slot, v, l, c, kind);
    }
  }
}

const FNV = 0x01000193;

/**
 * One run into the hash: its length and its first, middle and last bytes (0s when empty). That
 * tells the few kinds of a file apart; kinds alike in these are told apart by same().
 */
function mix(h: number, n: number, first: number, middle: number, last: number): number {
  h = Math.imul(h ^ n, FNV);
  h = Math.imul(h ^ first, FNV);
  h = Math.imul(h ^ middle, FNV);
  return Math.imul(h ^ last, FNV);
}

/** The hash's high bits into the low ones, which choose the slot. */
function spread(h: number): number {
  return h ^ (h >>> 15);
}
