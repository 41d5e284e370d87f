import { TextDecoder } from 'node:util';
import { parquetSchema, type FileMetaData, type RowGroup, type SchemaTree } from 'hyparquet';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath } from 'hyparquet/src/schema.js';
import type { ColumnDecoder, ParquetParsers } from 'hyparquet/src/types.js';
import { USED_COLUMNS } from '../../core/inventory/columns.js';
import { abortError, corrupt } from './parquet-errors.js';
import type { NeededColumn, RowGroupWindow } from './parquet-footer.js';
import { COMPRESSORS, PageCursor } from './parquet-page-cursor.js';
import type { ParquetScan } from './parquet-scan.js';

/** Rows handed over between two backpressure checks. */
const ROWS_PER_TURN = 4096;

/**
 * Keys are UTF-8 in the file and handed over as they are: a fatal decoder refuses bytes that
 * are not UTF-8 (U+FFFD would name another object), and ignoreBOM keeps a key's leading U+FEFF
 * (hyparquet's own decoder would drop it).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode one row group from its bytes and hand its rows to the visitor; returns the last row number. */
export async function decodeGroup(
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
 * integers in decimal, null as ''. Anything else is not an inventory column's type. @internal
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
