import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { PreconditionError } from '../../core/errors.js';
import { parquetColumnName, USED_COLUMNS, type ColumnLayout } from '../../core/inventory/columns.js';
import { corrupt } from './parquet-errors.js';
import { chunkStart, CODECS } from './parquet-page-cursor.js';
import type { ParquetScan, ParquetSource } from './parquet-scan.js';

/**
 * What a Parquet inventory file's footer says, checked before any row is read: the columns to
 * read, and where each row group's bytes lie.
 */

/** First footer read: S3 inventory footers are a few KiB; a longer one costs a second read. */
const TAIL = 64 * 1024;
/** A footer this large is no inventory's: refuse it rather than allocate it. */
const MAX_FOOTER = 64 * 1024 * 1024;

export interface RowGroupWindow {
  index: number;
  /** Byte range of all its column chunks. */
  start: number;
  end: number;
  /** Index of its first row in the file. */
  firstRow: number;
  rows: number;
}

/** The footer, after checking the real length against manifest.json (a short file fails here). */
export async function readFooter(
  source: ParquetSource,
  s: ParquetScan,
): Promise<{ metadata: FileMetaData; length: number }> {
  const file = s.file.key;
  const { bytes: tail, length } = await source.tail(TAIL, s.signal);
  if (length !== s.file.size)
    throw corrupt(`${file} is ${length} bytes, but manifest.json says ${s.file.size}`);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (tail.length < 12 || view.getUint32(tail.length - 4, true) !== 0x31524150) {
    throw corrupt(`${file} is not a Parquet file (it does not end with PAR1)`);
  }
  const footerLength = view.getUint32(tail.length - 8, true) + 8;
  if (footerLength > length - 4 || footerLength > MAX_FOOTER) {
    throw corrupt(
      `${file} is not a valid Parquet file (footer length ${footerLength - 8} in a ${length}-byte file)`,
    );
  }
  const footer =
    footerLength <= tail.length
      ? tail.subarray(tail.length - footerLength)
      : await source.range(length - footerLength, length, s.signal);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(footer);
  } catch (err) {
    throw corrupt(`${file} is not a valid Parquet file (${(err as Error).message})`, err);
  }
  return { metadata, length };
}

/** For each used column the file has (per the layout): its slot and its Parquet name. */
export interface NeededColumn {
  slot: number;
  name: string;
}

export function neededColumns(metadata: FileMetaData, layout: ColumnLayout, file: string): NeededColumn[] {
  const inFile = new Set(metadata.schema.slice(1).map((e) => e.name));
  const needed: NeededColumn[] = [];
  layout.names.forEach((csvName, i) => {
    const slot = layout.slotOfField[i] ?? -1;
    if (slot < 0) return;
    const name = parquetColumnName(USED_COLUMNS[slot] ?? csvName);
    if (!inFile.has(name)) {
      throw corrupt(
        `${file} has no column ${name}, which manifest.json fileSchema names (columns: ${[...inFile].join(', ')})`,
      );
    }
    needed.push({ slot, name });
  });
  for (const rg of metadata.row_groups) {
    for (const c of rg.columns) {
      const codec = c.meta_data?.codec;
      if (
        codec !== undefined &&
        !CODECS.has(codec) &&
        needed.some((n) => n.name === c.meta_data?.path_in_schema[0])
      ) {
        throw new PreconditionError(
          'UnsupportedInventoryFile',
          `${file} is compressed with ${codec}; s3-encrypt reads Parquet compressed with SNAPPY (what S3 writes), GZIP or nothing`,
          'S3 Inventory writes SNAPPY: check that --inventory and --id name an S3 Inventory delivery',
        );
      }
    }
  }
  return needed;
}

/** Each row group's byte range, in file order, checked to lie inside the file's data. */
export function rowGroupWindows(metadata: FileMetaData, length: number, file: string): RowGroupWindow[] {
  const windows: RowGroupWindow[] = [];
  let firstRow = 0;
  metadata.row_groups.forEach((rg, index) => {
    const rows = Number(rg.num_rows);
    // A row group with no rows has nothing to decode, and writers place its chunks loosely
    // (pyarrow: data_page_offset 0 for an empty table's one row group): not read, not placed.
    if (rows === 0) return;
    let start = Infinity;
    let end = -Infinity;
    for (const c of rg.columns) {
      const from = chunkStart(c);
      const to = from + Number(c.meta_data?.total_compressed_size ?? Number.NaN);
      start = Math.min(start, from);
      end = Math.max(end, to);
    }
    if (!(start >= 4 && end > start && end <= length)) {
      throw corrupt(`${file}: row group ${index + 1} points outside the file`);
    }
    const previous = windows.at(-1);
    if (previous && start < previous.end) {
      throw corrupt(
        `${file}: row group ${index + 1} is not after row group ${previous.index + 1} in the file`,
      );
    }
    windows.push({ index, start, end, firstRow, rows });
    firstRow += rows;
  });
  if (firstRow !== Number(metadata.num_rows)) {
    throw corrupt(`${file}: its row groups hold ${firstRow} rows, but its footer says ${metadata.num_rows}`);
  }
  return windows;
}
