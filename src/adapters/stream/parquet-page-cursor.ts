import { gunzipSync } from 'node:zlib';
import type { ColumnChunk, ColumnMetaData } from 'hyparquet';
import { parquetHeader, readPage } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import type { ColumnDecoder, DecodedArray } from 'hyparquet/src/types.js';

/**
 * Codecs read here. S3 writes inventory Parquet with SNAPPY (hyparquet's own decoder); GZIP
 * is node:zlib's. Others are refused by name before any page is read.
 */
export const COMPRESSORS = { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) };
export const CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP']);

/** Where a column chunk's bytes start in the file: at its dictionary page, if it has one. */
export function chunkStart(c: ColumnChunk): number {
  const m = c.meta_data;
  if (!m) return Number.NaN;
  const dict = m.dictionary_page_offset;
  return Number(dict !== undefined && dict > 0n && dict < m.data_page_offset ? dict : m.data_page_offset);
}

/**
 * One column chunk of one row group, decoded a page at a time: only the current page (and the
 * chunk's dictionary) is ever decoded, so memory does not grow with the rows of a row group.
 * hyparquet's own readers decode whole column chunks; its page reader (readPage, exported as
 * hyparquet/src/column.js) is used instead, which is why the version is pinned exactly.
 */
export class PageCursor {
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
