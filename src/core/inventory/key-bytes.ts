/**
 * inventoryToManifestKey (keys.ts) on bytes, for build-manifest's byte path: an inventory CSV
 * key (form-encoded: `+` is a space, `%XX` an escaped byte, '/' often `%2F`) becomes the Batch
 * manifest key (encodeURIComponent with '/' literal) without a string. Keys with an escaped
 * non-ASCII byte (UTF-8, which decodeURIComponent checks), a malformed escape or a raw byte
 * that needs escaping are left to the string path, which decodes them or reports them.
 */

/** Bytes encodeURIComponent leaves as they are, and '/': copied as they are. */
const PLAIN = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()/");
const PLUS = 43;
const PERCENT = 37;
const HEX = '0123456789ABCDEF';

/**
 * Writes the manifest key of the inventory key `b[s, e)` into `out` from `w` and returns where
 * it ends, or -1 for a key the string path must take (what was written is then garbage).
 * `out` needs room for 3 * (e - s) bytes from `w`: no byte of the key becomes more than three.
 * `bv` and `ov` are views of `b` and `out`: four bytes that are all copied as they are (most of
 * a key) go in one read and one write, which took a third off the byte path's line writing.
 */
export function writeManifestKey(
  b: Uint8Array,
  bv: DataView,
  s: number,
  e: number,
  out: Uint8Array,
  ov: DataView,
  w: number,
): number {
  let p = s;
  while (p + 4 <= e) {
    const x = bv.getInt32(p, true);
    if (allIn(PLAIN, x)) {
      ov.setInt32(w, x, true);
      w += 4;
      p += 4;
      continue;
    }
    // One byte, or one %XY escape, the byte way; then words again.
    const n = b[p] === PERCENT ? 3 : 1;
    w = writeBytes(b, p, Math.min(e, p + n), out, w);
    if (w < 0) return -1;
    p += n;
  }
  return p < e ? writeBytes(b, p, e, out, w) : w;
}

/** Whether each of the four bytes of `x` is in `set` (a byteSet). */
export function allIn(set: Uint8Array, x: number): boolean {
  return (
    ((set[x & 255] as number) &
      (set[(x >>> 8) & 255] as number) &
      (set[(x >>> 16) & 255] as number) &
      (set[x >>> 24] as number)) ===
    1
  );
}

/** writeManifestKey one byte at a time. */
function writeBytes(b: Uint8Array, s: number, e: number, out: Uint8Array, w: number): number {
  for (let p = s; p < e; p++) {
    const c = b[p] as number;
    if (PLAIN[c] === 1) out[w++] = c;
    else if (c === PLUS) w = percent(out, w, 32);
    else {
      const v = c === PERCENT ? escaped(b, p, e) : -1;
      if (v < 0) return -1;
      p += 2;
      if (PLAIN[v] === 1) out[w++] = v;
      else w = percent(out, w, v);
    }
  }
  return w;
}

/** The ASCII byte `%XY` at `p` stands for, or -1 (not two hex digits, or not ASCII). */
function escaped(b: Uint8Array, p: number, e: number): number {
  if (p + 2 >= e) return -1;
  const hi = hexValue(b[p + 1] as number);
  const lo = hexValue(b[p + 2] as number);
  if (hi < 0 || lo < 0 || hi > 7) return -1;
  return hi * 16 + lo;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** `%XY` in upper case, as encodeURIComponent writes it. */
function percent(out: Uint8Array, w: number, v: number): number {
  out[w] = PERCENT;
  out[w + 1] = HEX.charCodeAt(v >> 4);
  out[w + 2] = HEX.charCodeAt(v & 15);
  return w + 3;
}

export function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}
