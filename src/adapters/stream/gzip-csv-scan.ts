import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { PreconditionError, S3EncryptError } from '../../core/errors.js';
import { USED_COLUMNS, type ColumnLayout } from '../../core/inventory/columns.js';
import type { RowVisitor } from '../../core/inventory/ports.js';
import { InventoryCsvParser } from './inventory-csv.js';

export interface GzipCsvScan {
  /** files[].key, for messages. */
  file: string;
  /** files[].MD5checksum: checked over the compressed bytes as they stream past. */
  md5: string;
  /** files[].size: a short or long read is reported before the MD5. */
  size: number;
  layout: ColumnLayout;
  visitor: RowVisitor;
  signal: AbortSignal;
}

const DAMAGED = 'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one';

/** Large inflate chunks: fewer, longer parser passes. */
const CHUNK = 64 * 1024;

/**
 * gunzip -> decode -> parse one data file while hashing its compressed bytes. Memory stays at a
 * few chunks whatever the file size. Every failure names the file.
 */
export async function scanGzipCsv(
  body: AsyncIterable<Uint8Array> | Readable,
  s: GzipCsvScan,
): Promise<number> {
  const hash = createHash('md5');
  let bytes = 0;
  const parser = new InventoryCsvParser(shapeOf(s.layout), s.file, s.visitor.row.bind(s.visitor));
  const decoder = new StringDecoder('utf8');
  try {
    await pipeline(
      body instanceof Readable ? body : Readable.from(body),
      async function* hashTap(source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createGunzip({ chunkSize: CHUNK }),
      async function parse(source: AsyncIterable<Buffer>) {
        // Inventory CSV is ASCII (keys are URL-encoded): latin1 is then an exact and much cheaper
        // decoding. A chunk with other bytes, and the chunk after it (which may finish a character
        // split across the two), goes through the UTF-8 decoder.
        let afterUtf8 = false;
        for await (const chunk of source) {
          const ascii = isAscii(chunk);
          parser.push(ascii && !afterUtf8 ? chunk.toString('latin1') : decoder.write(chunk));
          afterUtf8 = !ascii;
          const wait = s.visitor.ready();
          if (wait) await wait;
        }
        parser.push(decoder.end());
        parser.end();
      },
      { signal: s.signal },
    );
  } catch (err) {
    throw scanError(err, s.file);
  }
  if (bytes !== s.size) {
    throw new PreconditionError(
      'InventoryFileCorrupt',
      `${s.file} is ${bytes} bytes, but manifest.json says ${s.size}`,
      DAMAGED,
    );
  }
  const md5 = hash.digest('hex');
  if (md5 !== s.md5.toLowerCase()) {
    throw new PreconditionError(
      'InventoryFileCorrupt',
      `${s.file} has MD5 ${md5}, but manifest.json says ${s.md5}`,
      DAMAGED,
    );
  }
  return parser.slowRows;
}

export function shapeOf(layout: ColumnLayout): { fieldCount: number; slotOfField: number[]; slots: number } {
  return { fieldCount: layout.fieldCount, slotOfField: layout.slotOfField, slots: USED_COLUMNS.length };
}

/** zlib and stream errors become one line naming the file; ours pass through. */
export function scanError(err: unknown, file: string): unknown {
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
