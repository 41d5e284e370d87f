import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  parquetMetadata,
  parquetSchema,
  type ColumnChunk,
  type ColumnMetaData,
  type FileMetaData,
  type RowGroup,
  type SchemaTree,
} from 'hyparquet';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath } from 'hyparquet/src/schema.js';
import type { ColumnDecoder, DecodedArray, ParquetParsers } from 'hyparquet/src/types.js';
import { PreconditionError, S3EncryptError } from '../../core/errors.js';
import { parquetColumnName, USED_COLUMNS, type ColumnLayout } from '../../core/inventory/columns.js';
import type { InventoryDataFile } from '../../core/inventory/manifest.js';
import type { RowVisitor } from '../../core/inventory/ports.js';

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

/**
 * Keys are UTF-8 in the file and handed over as they are: a fatal decoder refuses bytes that
 * are not UTF-8 (U+FFFD would name another object), and ignoreBOM keeps a key's leading U+FEFF
 * (hyparquet's own decoder would drop it).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One column chunk of one row group, decoded a page at a time: only the current page (and the
 * chunk's dictionary) is ever decoded, so memory does not grow with the rows of a row group.
 * hyparquet's own readers decode whole column chunks; its page reader (readPage, exported as
 * hyparquet/src/column.js) is used instead, which is why the version is pinned exactly.
 */
class PageCursor {
  private readonly reader: { view: DataView; offset: number };
  private dictionary: DecodedArray | undefined;
  private page: DecodedArray = [];
  private at = 0;

  constructor(
    window: ArrayBuffer,
    windowStart: number,
    chunk: ColumnChunk,
    private readonly decoder: ColumnDecoder,
  ) {
    const m = chunk.meta_data as ColumnMetaData;
    const from = chunkStart(chunk) - windowStart;
    this.reader = { view: new DataView(window, from, Number(m.total_compressed_size)), offset: 0 };
  }

  /** The next value, or `undefined` with `done` set when the chunk has no more pages. */
  next(): { value: unknown; done: boolean } {
    while (this.at >= this.page.length) {
      if (!this.load()) return { value: undefined, done: true };
    }
    return { value: this.page[this.at++], done: false };
  }

  /** True when every page has been read. */
  get exhausted(): boolean {
    return this.at >= this.page.length && this.reader.offset >= this.reader.view.byteLength;
  }

  private load(): boolean {
    const { reader } = this;
    if (reader.offset >= reader.view.byteLength) return false;
    const header = parquetHeader(reader);
    if (reader.offset + header.compressed_page_size > reader.view.byteLength) {
      throw new Error(`a ${header.type} page runs past its column chunk`);
    }
    if (header.type === 'DICTIONARY_PAGE') {
      const { data } = readPage(reader, header, this.decoder, undefined, undefined, 0);
      if (data) this.dictionary = convert(data, this.decoder);
      return true;
    }
    const { data } = readPage(reader, header, this.decoder, this.dictionary, undefined, 0);
    this.page = data ?? [];
    this.at = 0;
    return true;
  }
}

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
  const tree = parquetSchema(metadata);
  const rg = metadata.row_groups[g.index] as RowGroup;
  const parsers: ParquetParsers = {
    ...DEFAULT_PARSERS,
    stringFromBytes(bytes: Uint8Array | undefined): string | undefined {
      if (!bytes) return undefined;
      try {
        return utf8.decode(bytes);
      } catch (err) {
        throw corrupt(`${file} holds a string that is not valid UTF-8 (row group ${g.index + 1})`, err);
      }
    },
  };
  const cursors = needed.map((n) => {
    const chunk = rg.columns.find((c) => c.meta_data?.path_in_schema.join('.') === n.name);
    if (!chunk?.meta_data) throw corrupt(`${file}: row group ${g.index + 1} has no column chunk ${n.name}`);
    const schemaPath = getTreePath(tree, [n.name]);
    if (schemaPath.length !== 2)
      throw corrupt(`${file}: column ${n.name} is nested, not an S3 Inventory column`);
    const decoder: ColumnDecoder = {
      pathInSchema: chunk.meta_data.path_in_schema,
      type: chunk.meta_data.type,
      element: (schemaPath[1] as SchemaTree).element,
      schemaPath,
      codec: chunk.meta_data.codec,
      parsers,
      compressors: COMPRESSORS,
    };
    return new PageCursor(window, g.start, chunk, decoder);
  });
  const values = new Array<string>(USED_COLUMNS.length).fill('');
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < needed.length; c++) {
      const n = needed[c] as NeededColumn;
      const { value, done } = (cursors[c] as PageCursor).next();
      if (done)
        throw corrupt(`${file}: column ${n.name} of row group ${g.index + 1} ends at row ${r} of ${g.rows}`);
      values[n.slot] = text(value, n.name, file);
    }
    s.visitor.row(values, ++rowNo);
    if (r % ROWS_PER_TURN === ROWS_PER_TURN - 1) {
      if (s.signal.aborted) throw abortError();
      const wait = s.visitor.ready();
      if (wait) await wait;
    }
  }
  cursors.forEach((cur, c) => {
    if (!cur.exhausted) {
      throw corrupt(
        `${file}: column ${needed[c]?.name} of row group ${g.index + 1} holds more than its ${g.rows} rows`,
      );
    }
  });
  // Checked per row group too: a small group may end before the next turn.
  if (s.signal.aborted) throw abortError();
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
