import { createHash } from 'node:crypto';
import type { InventoryDataFile } from '../../core/inventory/manifest.js';
import type { ColumnLayout } from '../../core/inventory/columns.js';
import type { RowVisitor } from '../../core/inventory/ports.js';
import { parquetError, corrupt } from './parquet-errors.js';
import { neededColumns, readFooter, rowGroupWindows } from './parquet-footer.js';
import { decodeGroup } from './parquet-row-group.js';

/**
 * Whether manifest.json announces Parquet data files (core checks the manifest properly later):
 * the readers then skip starting the gunzip worker, whose thread would only cost memory.
 */
export function announcesParquet(manifestText: string): boolean {
  try {
    return (JSON.parse(manifestText) as { fileFormat?: unknown }).fileFormat === 'Parquet';
  } catch {
    return false;
  }
}

/** Where one Parquet data file's bytes come from (a GetObject, or a file on disk). */
export interface ParquetSource {
  /** The last `n` bytes (all of them when the file is shorter) and the file's real length. */
  tail(n: number, signal: AbortSignal): Promise<{ bytes: Uint8Array; length: number }>;
  /** Bytes [start, end): a footer longer than the first tail read. */
  range(start: number, end: number, signal: AbortSignal): Promise<Uint8Array>;
  /** The whole file from its first byte, in order. */
  body(signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
}

export interface ParquetScan {
  /** The manifest.json entry: `size` and `MD5checksum` are checked against the file's bytes. */
  file: Pick<InventoryDataFile, 'key' | 'size' | 'MD5checksum'>;
  layout: ColumnLayout;
  visitor: RowVisitor;
  signal: AbortSignal;
}

/**
 * Read one Parquet inventory file: the footer by a ranged read, then the whole file ONCE in
 * order, MD5-hashed as it passes, decoding each row group as soon as its bytes are in and
 * dropping them after. Memory holds one row group's bytes and one decoded page per column,
 * whatever the file size. The size is checked before the first row and the MD5 after the last,
 * as for CSV: rows of a file that then fails are thrown away by the caller.
 */
export async function scanParquet(source: ParquetSource, s: ParquetScan): Promise<void> {
  const { key: file } = s.file;
  try {
    const { metadata, length } = await readFooter(source, s);
    const needed = neededColumns(metadata, s.layout, file);
    const groups = rowGroupWindows(metadata, length, file);
    const md5 = createHash('md5');
    let pos = 0;
    let next = 0;
    let rowNo = 0;
    /** The bytes of row group `next`, filled as they stream past: the only copy kept. */
    let window: Uint8Array | undefined;
    for await (const chunk of await source.body(s.signal)) {
      md5.update(chunk);
      const chunkStart = pos;
      pos += chunk.length;
      // One chunk may finish a row group and begin the next, or hold several small ones.
      for (let g = groups[next]; g !== undefined; g = groups[next]) {
        const from = Math.max(chunkStart, g.start);
        const to = Math.min(pos, g.end);
        if (to > from) {
          window ??= new Uint8Array(g.end - g.start);
          window.set(chunk.subarray(from - chunkStart, to - chunkStart), from - g.start);
        }
        if (pos < g.end) break;
        rowNo = await decodeGroup(
          (window as Uint8Array).buffer as ArrayBuffer,
          g,
          metadata,
          needed,
          s,
          rowNo,
        );
        window = undefined;
        next++;
      }
    }
    if (pos !== s.file.size) throw corrupt(`${file} is ${pos} bytes, but manifest.json says ${s.file.size}`);
    if (next < groups.length) throw corrupt(`${file} ends before its row group ${next + 1}`);
    const md5Hex = md5.digest('hex');
    if (md5Hex !== s.file.MD5checksum.toLowerCase()) {
      throw corrupt(`${file} has MD5 ${md5Hex}, but manifest.json says ${s.file.MD5checksum}`);
    }
  } catch (err) {
    throw parquetError(err, file);
  }
}
