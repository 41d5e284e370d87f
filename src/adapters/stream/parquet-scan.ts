import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetRead, type ColumnChunk, type FileMetaData } from 'hyparquet';
import { PreconditionError, S3EncryptError } from '../../core/errors.js';
import { parquetColumnName, USED_COLUMNS, type ColumnLayout } from '../../core/inventory/columns.js';
import type { InventoryDataFile } from '../../core/inventory/manifest.js';
import type { RowVisitor } from '../../core/inventory/ports.js';

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

const DAMAGED = 'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one';

/** First footer read: S3 inventory footers are a few KiB; a longer one costs a second read. */
const TAIL = 64 * 1024;
/** A footer this large is no inventory's: refuse it rather than allocate it. */
const MAX_FOOTER = 64 * 1024 * 1024;
/** Rows handed over between two backpressure checks. */
const ROWS_PER_TURN = 4096;

/**
 * Codecs read here. S3 writes inventory Parquet with SNAPPY (hyparquet's own decoder); GZIP
 * is node:zlib's. Others are refused by name before any page is read.
 */
const COMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) };
const CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP']);

/**
 * Read one Parquet inventory file: the footer by a ranged read, then the whole file ONCE in
 * order, MD5-hashed as it passes, decoding each row group as soon as its bytes are in and
 * dropping them after. Memory holds one row group (compressed and decoded), whatever the file
 * size. The size is checked before the first row and the MD5 after the last, as for CSV: rows
 * of a file that then fails are thrown away by the caller.
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
    /** Bytes kept for the next row group: pieces from `keptFrom` on. */
    let kept: Uint8Array[] = [];
    let keptFrom = groups[0]?.start ?? length;
    const decodeReady = async (): Promise<void> => {
      while (next < groups.length && pos >= (groups[next]?.end ?? 0)) {
        const g = groups[next] as RowGroupWindow;
        const window = gather(kept, keptFrom, g.start, g.end);
        rowNo = await decodeGroup(window, g, metadata, needed, s, rowNo);
        next++;
        const from = groups[next]?.start ?? length;
        if (from < g.start) throw corrupt(`${file}: its row groups are not in file order`);
        kept = trim(kept, keptFrom, from);
        keptFrom = Math.max(keptFrom, from);
      }
    };
    for await (const chunk of await source.body(s.signal)) {
      md5.update(chunk);
      const end = pos + chunk.length;
      const want = groups[next]?.start ?? length;
      if (end > want && next < groups.length) {
        if (kept.length === 0) keptFrom = Math.max(pos, want);
        kept.push(pos >= keptFrom ? chunk : chunk.subarray(keptFrom - pos));
      }
      pos = end;
      await decodeReady();
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

interface RowGroupWindow {
  index: number;
  /** Byte range of all its column chunks. */
  start: number;
  end: number;
  /** Index of its first row in the file. */
  firstRow: number;
  rows: number;
}

/** The footer, after checking the real length against manifest.json (a short file fails here). */
async function readFooter(
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
interface NeededColumn {
  slot: number;
  name: string;
}

function neededColumns(metadata: FileMetaData, layout: ColumnLayout, file: string): NeededColumn[] {
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

function chunkStart(c: ColumnChunk): number {
  const m = c.meta_data;
  if (!m) return Number.NaN;
  const dict = m.dictionary_page_offset;
  return Number(dict !== undefined && dict > 0n && dict < m.data_page_offset ? dict : m.data_page_offset);
}

/** Each row group's byte range, in file order, checked to lie inside the file's data. */
function rowGroupWindows(metadata: FileMetaData, length: number, file: string): RowGroupWindow[] {
  const windows: RowGroupWindow[] = [];
  let firstRow = 0;
  metadata.row_groups.forEach((rg, index) => {
    const rows = Number(rg.num_rows);
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
    if (rows > 0) windows.push({ index, start, end, firstRow, rows });
    firstRow += rows;
  });
  if (firstRow !== Number(metadata.num_rows)) {
    throw corrupt(`${file}: its row groups hold ${firstRow} rows, but its footer says ${metadata.num_rows}`);
  }
  return windows;
}

/** Copy [start, end) out of the kept pieces (which begin at file offset `from`). */
function gather(pieces: Uint8Array[], from: number, start: number, end: number): ArrayBuffer {
  const out = new Uint8Array(end - start);
  let at = from;
  for (const p of pieces) {
    const s = Math.max(start, at);
    const e = Math.min(end, at + p.length);
    if (e > s) out.set(p.subarray(s - at, e - at), s - start);
    at += p.length;
  }
  return out.buffer;
}

/** Drop pieces that end before `from`. */
function trim(pieces: Uint8Array[], keptFrom: number, from: number): Uint8Array[] {
  let at = keptFrom;
  const out: Uint8Array[] = [];
  for (const p of pieces) {
    const end = at + p.length;
    if (end > from) out.push(at >= from ? p : p.subarray(from - at));
    at = end;
  }
  return out;
}

/**
 * Keys are UTF-8 in the file and handed over as they are: a fatal decoder refuses bytes that
 * are not UTF-8 (U+FFFD would name another object), and ignoreBOM keeps a key's leading U+FEFF.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode one row group from its bytes and hand its rows to the visitor; returns the last row number. */
async function decodeGroup(
  window: ArrayBuffer,
  g: RowGroupWindow,
  metadata: FileMetaData,
  needed: NeededColumn[],
  s: ParquetScan,
  rowNo: number,
): Promise<number> {
  const file = s.file.key;
  const columns = new Map<string, unknown[][]>();
  await parquetRead({
    file: {
      byteLength: Number(s.file.size),
      slice(start: number, end?: number): ArrayBuffer {
        const e = end ?? g.end;
        if (start < g.start || e > g.end)
          throw corrupt(`${file}: row group ${g.index + 1} reads outside its bytes`);
        return window.slice(start - g.start, e - g.start);
      },
    },
    metadata,
    rowStart: g.firstRow,
    rowEnd: g.firstRow + g.rows,
    columns: needed.map((n) => n.name),
    compressors: COMPRESSORS,
    parsers: {
      stringFromBytes(bytes: Uint8Array): string {
        try {
          return utf8.decode(bytes);
        } catch (err) {
          throw corrupt(`${file} holds a string that is not valid UTF-8 (row group ${g.index + 1})`, err);
        }
      },
    },
    onChunk(chunk) {
      const list = columns.get(chunk.columnName) ?? [];
      list.push(chunk.columnData as unknown[]);
      columns.set(chunk.columnName, list);
    },
  });
  const data = needed.map((n) => {
    const pieces = columns.get(n.name) ?? [];
    const all = pieces.length === 1 ? (pieces[0] as unknown[]) : pieces.flatMap((p) => Array.from(p));
    if (all.length !== g.rows) {
      throw corrupt(
        `${file}: column ${n.name} of row group ${g.index + 1} has ${all.length} values for ${g.rows} rows`,
      );
    }
    return all;
  });
  const values = new Array<string>(USED_COLUMNS.length).fill('');
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < needed.length; c++) {
      const n = needed[c] as NeededColumn;
      values[n.slot] = text((data[c] as unknown[])[r], n.name, file);
    }
    s.visitor.row(values, ++rowNo);
    if (r % ROWS_PER_TURN === ROWS_PER_TURN - 1) {
      if (s.signal.aborted) throw abortError();
      const wait = s.visitor.ready();
      if (wait) await wait;
    }
  }
  const wait = s.visitor.ready();
  if (wait) await wait;
  return rowNo;
}

/**
 * A Parquet value as the CSV delivery writes it: strings as they are, booleans true/false,
 * integers in decimal, null as ''. Anything else is not an inventory column's type.
 */
export function text(v: unknown, column: string, file: string): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      if (Number.isSafeInteger(v)) return String(v);
      break;
    case 'undefined':
      return '';
    default:
      if (v === null) return '';
  }
  throw corrupt(
    `${file}: column ${column} holds ${v instanceof Uint8Array ? 'bytes that are not a UTF-8 string' : `a ${typeof v === 'object' ? (v?.constructor?.name ?? 'object') : typeof v}`}, not an S3 Inventory value`,
  );
}

function corrupt(message: string, cause?: unknown): PreconditionError {
  return new PreconditionError(
    'InventoryFileCorrupt',
    message,
    DAMAGED,
    cause === undefined ? {} : { cause },
  );
}

function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

/** Ours and aborts pass through; a decoder's error becomes one line naming the file. */
function parquetError(err: unknown, file: string): unknown {
  if (err instanceof S3EncryptError) return err;
  const e = err as { name?: string; message?: string };
  if (e.name === 'AbortError') return err;
  if (err instanceof Error && !('$metadata' in err) && !('code' in err)) {
    return corrupt(
      `${file} is not a Parquet file s3-encrypt can read (${e.message?.split('\n')[0] ?? 'unknown error'})`,
      err,
    );
  }
  return err;
}
