import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { PreconditionError, S3EncryptError } from '../../core/errors.js';
import { USED_COLUMNS, type ColumnLayout } from '../../core/inventory/columns.js';
import type { InventoryDataFile } from '../../core/inventory/manifest.js';
import type { RowVisitor } from '../../core/inventory/ports.js';
import { inflateOffThread } from './inflate-off-thread.js';
import { InventoryCsvParser } from './inventory-csv.js';
import { rowStart, rowsThatFit } from './line-index.js';
import { firstInvalidByte } from './utf8.js';

export interface GzipCsvScan {
  /**
   * The manifest.json entry: `key` names the file in messages, `size` and `MD5checksum` are
   * checked against the compressed bytes (a short or long read is reported before the MD5).
   */
  file: Pick<InventoryDataFile, 'key' | 'size' | 'MD5checksum'>;
  layout: ColumnLayout;
  visitor: RowVisitor;
  signal: AbortSignal;
}

const DAMAGED = 'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one';

/**
 * Inflated text is decoded and parsed in pieces of this size: strings of 128 KiB and more go to
 * V8's large-object space (an mmap each), and slices of a piece keep only the piece alive.
 */
const PIECE = 64 * 1024;

/**
 * gunzip (on the inflate worker; the compressed bytes are hashed here) -> decode -> parse one
 * data file. Memory stays at a few batches whatever the file size. Every failure names the file.
 */
export async function scanGzipCsv(
  body: AsyncIterable<Uint8Array> | Readable | { localPath: string },
  s: GzipCsvScan,
): Promise<number> {
  const { key: file, size, MD5checksum: expectedMd5 } = s.file;
  const parser = new InventoryCsvParser(shapeOf(s.layout), file, s.visitor.row.bind(s.visitor));
  // Fatal: S3 writes inventory CSV in ASCII (keys URL-encoded), so bytes that are not even UTF-8
  // mean a damaged or hand-made file, and U+FFFD in a key names another object. Only pieces
  // that are not ASCII come here: the fast path never decodes UTF-8.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** Inflated bytes before the current batch, to say where bad bytes are. */
  let inflatedBefore = 0;
  const source = 'localPath' in body ? body : body instanceof Readable ? body : Readable.from(body);
  const fields = s.layout.fieldCount;
  const inflated = inflateOffThread(source, s.signal, { indexFields: fields });
  let md5: string;
  let bytes: number;
  try {
    // Inventory CSV is ASCII (keys are URL-encoded): latin1 is then an exact and much cheaper
    // decoding. A piece with other bytes, and the piece after it (which may finish a character
    // split across the two), goes through the UTF-8 decoder.
    let afterUtf8 = false;
    // The UTF-8 decoder holds no part character after a '\n': only then may a batch skip it.
    let lineEnded = true;
    for await (const { bytes: batch, lines } of inflated.batches) {
      const batchStart = inflatedBefore;
      inflatedBefore += batch.length;
      if (lines && lineEnded) {
        const { ends, rows } = lines;
        const bytes = s.visitor.indexed;
        if (bytes && parser.idle) {
          // The visitor reads the rows as bytes, with no text; a row it leaves is decoded and
          // parsed here, as below, and it goes on after that row.
          for (let r = 0; r < rows;) {
            const to = bytes.rows(batch, ends, r, rows);
            parser.skip(to - r);
            if (to === rows) break;
            const base = rowStart(ends, fields, to);
            parser.pushIndexed(
              batch.toString('latin1', base, rowStart(ends, fields, to + 1)),
              base,
              ends,
              to,
              to + 1,
            );
            r = to + 1;
          }
          afterUtf8 = false;
          const wait = s.visitor.ready();
          if (wait) await wait;
          continue;
        }
        // Indexed rows are ASCII: pieces cut at row ends decode as latin1, and each row is whole.
        for (let r = 0; r < rows;) {
          const to = rowsThatFit(ends, fields, r, rows, PIECE);
          const base = rowStart(ends, fields, r);
          parser.pushIndexed(batch.toString('latin1', base, rowStart(ends, fields, to)), base, ends, r, to);
          r = to;
          const wait = s.visitor.ready();
          if (wait) await wait;
        }
        afterUtf8 = false;
        continue;
      }
      lineEnded = batch.length > 0 && batch[batch.length - 1] === 10;
      for (let at = 0; at < batch.length; at += PIECE) {
        const piece = batch.subarray(at, at + PIECE);
        const ascii = isAscii(piece);
        parser.push(
          ascii && !afterUtf8 ? piece.toString('latin1') : utf8(decoder, piece, batchStart + at, file),
        );
        afterUtf8 = !ascii;
        const wait = s.visitor.ready();
        if (wait) await wait;
      }
    }
    parser.push(utf8(decoder, undefined, inflatedBefore, file));
    parser.end();
    ({ md5, bytes } = inflated.compressed());
  } catch (err) {
    if (source instanceof Readable) source.destroy();
    throw scanError(err, file);
  }
  if (bytes !== size) {
    throw new PreconditionError(
      'InventoryFileCorrupt',
      `${file} is ${bytes} bytes, but manifest.json says ${size}`,
      DAMAGED,
    );
  }
  if (md5 !== expectedMd5.toLowerCase()) {
    throw new PreconditionError(
      'InventoryFileCorrupt',
      `${file} has MD5 ${md5}, but manifest.json says ${expectedMd5}`,
      DAMAGED,
    );
  }
  return parser.slowRows;
}

/** One piece through the fatal decoder (undefined: the end); bad bytes become one line naming the file. */
function utf8(decoder: TextDecoder, piece: Uint8Array | undefined, offset: number, file: string): string {
  try {
    return piece === undefined ? decoder.decode() : decoder.decode(piece, { stream: true });
  } catch (err) {
    const at = piece === undefined ? -1 : firstInvalidByte(piece);
    throw new PreconditionError(
      'InventoryFileCorrupt',
      `${file} is not valid UTF-8${at >= 0 ? ` (byte ${offset + at} of the unzipped data)` : ' (it ends inside a character)'}: S3 Inventory files are ASCII, with URL-encoded keys`,
      DAMAGED,
      { cause: err },
    );
  }
}

function shapeOf(layout: ColumnLayout): { fieldCount: number; slotOfField: number[]; slots: number } {
  return { fieldCount: layout.fieldCount, slotOfField: layout.slotOfField, slots: USED_COLUMNS.length };
}

/** zlib and stream errors become one line naming the file; ours pass through. */
function scanError(err: unknown, file: string): unknown {
  if (err instanceof S3EncryptError) return err;
  const e = err as { code?: string; name?: string; message?: string };
  if (e.name === 'AbortError') return err;
  if (typeof e.code === 'string' && (e.code.startsWith('Z_') || e.code === 'ERR_ZLIB_INIT_FAILED')) {
    const what = /unexpected end/i.test(e.message ?? '')
      ? 'is truncated (the gzip stream ends early)'
      : `is not valid gzip (${e.message ?? e.code})`;
    return new PreconditionError('InventoryFileCorrupt', `${file} ${what}`, DAMAGED, { cause: err });
  }
  return err;
}
