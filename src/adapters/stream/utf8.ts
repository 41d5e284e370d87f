import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { UsageError } from '../../core/errors.js';

/**
 * Strict UTF-8 for files users hand us (manifests, summaries). A lenient decoder turns bad bytes
 * into U+FFFD, and a key with U+FFFD in it names another object: a run then reports "gone" for
 * an object it never looked at. Bad bytes are refused instead, with where they are.
 */
export interface Utf8Use {
  /** The file as the user named it. */
  where: string;
  /** What to do about it. */
  fix: string;
  /** Stable error code for --json. */
  code: string;
}

/** Index of the first byte of the first invalid sequence in `b` (WHATWG rules), or -1. */
export function firstInvalidByte(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < lo || d > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/** Length of the prefix of `b` that ends on a character boundary (at most 3 bytes are held back). */
function wholeCharacters(b: Uint8Array): number {
  const n = b.length;
  for (let k = 0; k < Math.min(3, n); k++) {
    const c = b[n - 1 - k] as number;
    if ((c & 0xc0) === 0x80) continue;
    if (c < 0x80) return n;
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return k + 1 < len ? n - 1 - k : n;
  }
  return n;
}

function countNewlines(b: Uint8Array, from: number, to: number): { count: number; last: number } {
  let count = 0;
  let last = -1;
  for (let i = b.indexOf(10, from); i >= 0 && i < to; i = b.indexOf(10, i + 1)) {
    count++;
    last = i;
  }
  return { count, last };
}

function invalidError(
  use: Utf8Use,
  line: number,
  offset: number,
  column: number,
  byte: number | undefined,
): UsageError {
  const what =
    byte === undefined ? 'ends inside a character' : `has byte 0x${byte.toString(16).padStart(2, '0')}`;
  return new UsageError(
    `${use.where} line ${line} (byte ${column} of the line, offset ${offset} in the file) is not valid UTF-8: it ${what}`,
    use.fix,
    use.code,
  );
}

/**
 * A pass-through stream that fails on the first byte that is not UTF-8, naming the line (1-based)
 * and the byte offset (0-based, in the file). Valid input costs one native isUtf8() and a newline
 * count per chunk; the bytes are passed on unchanged.
 */
export function utf8Checker(use: Utf8Use): Transform {
  let carry: Buffer = Buffer.alloc(0);
  /** File offset of the first byte of `carry` (of the next chunk when carry is empty). */
  let offset = 0;
  let lines = 0;
  /** File offset where the current line starts. */
  let lineStart = 0;
  const fail = (b: Uint8Array, at: number, truncated = false): UsageError => {
    const nl = countNewlines(b, 0, at);
    const line = lines + nl.count + 1;
    const start = nl.last >= 0 ? offset + nl.last + 1 : lineStart;
    return invalidError(use, line, offset + at, offset + at - start + 1, truncated ? undefined : b[at]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const b = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const cut = wholeCharacters(b);
      const head = b.subarray(0, cut);
      if (!isUtf8(head)) return done(fail(head, Math.max(0, firstInvalidByte(head))));
      const nl = countNewlines(head, 0, head.length);
      lines += nl.count;
      if (nl.last >= 0) lineStart = offset + nl.last + 1;
      offset += cut;
      carry = Buffer.from(b.subarray(cut));
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      if (carry.length === 0) return done();
      // Held back: a character cut short by the end of the file, or a byte that starts none.
      const lead = carry[0] as number;
      done(fail(carry, 0, lead >= 0xc2 && lead <= 0xf4));
    },
  });
}

/** Decodes a whole small file strictly (summary.json, a retry manifest); refuses bad bytes as utf8Checker does. */
export function decodeUtf8(bytes: Uint8Array, use: Utf8Use): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = Math.max(0, firstInvalidByte(bytes));
    const nl = countNewlines(bytes, 0, at);
    const start = nl.last >= 0 ? nl.last + 1 : 0;
    throw invalidError(use, nl.count + 1, at, at - start + 1, bytes[at]);
  }
}
