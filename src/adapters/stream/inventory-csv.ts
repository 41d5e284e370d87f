import { parse } from 'csv-parse/sync';
import { PreconditionError } from '../../core/errors.js';

/** What a parser needs to know about the file's columns (see core/inventory/columns.ts). */
export interface CsvShape {
  fieldCount: number;
  /** Per field position: the output slot, or -1 to skip the field. */
  slotOfField: readonly number[];
  /** Length of each values array handed out. */
  slots: number;
}

/** `values` is one array reused for every row: read it during the call, do not keep it. */
export type RowHandler = (values: string[], row: number) => void;

/** No CSV line in an inventory comes close; a file without newlines must not eat memory. */
const MAX_LINE = 8 * 1024 * 1024;

const DAMAGED = 'the delivery is damaged: wait for the next one, or pass --date to pick an earlier one';

/**
 * Incremental parser for S3 Inventory CSV (no header, every field double-quoted, `\n` rows).
 *
 * The fast path reads a line only when it can prove every field is simply quoted: it finds each
 * closing quote with indexOf and requires `","` (or the line end) right after it, so no field
 * can hold a quote, and none a newline since lines are split on `\n`. It copies out only the
 * fields that have a slot. Any other line (escaped `""`, unquoted fields, a quoted newline, a
 * wrong field count) goes to csv-parse, which also collects records that span lines.
 */
export class InventoryCsvParser {
  private carry = '';
  /** A record that csv-parse found unterminated (a quoted newline), waiting for its next line. */
  private pending: string | undefined;
  private pendingFrom = 0;
  private rows = 0;
  private lines = 0;
  /** Lines the fast path could not prove simple (for tests and --verbose). */
  slowRows = 0;
  /** Reused for every row: slotted fields are all overwritten, unslotted ones stay ''. */
  private readonly values: string[];

  constructor(
    private readonly shape: CsvShape,
    private readonly file: string,
    private readonly onRow: RowHandler,
  ) {
    this.values = new Array<string>(shape.slots).fill('');
  }

  /** Feed decoded text; complete lines are parsed now, the rest waits for the next chunk. */
  push(chunk: string): void {
    let text = chunk;
    if (this.carry.length > 0) {
      // Finish the carried line on its own: gluing it to the whole chunk would copy the chunk.
      const nl = chunk.indexOf('\n');
      if (nl < 0) text = this.carry + chunk;
      else {
        const line = this.carry + chunk.slice(0, nl);
        this.carry = '';
        this.line(line, 0, line.length);
        text = chunk.slice(nl + 1);
      }
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text, start, nl);
      start = nl + 1;
    }
    this.carry = start === 0 ? text : text.slice(start);
    if (this.carry.length > MAX_LINE) {
      throw new PreconditionError(
        'InvalidInventoryRow',
        `${this.file} row ${this.rows + 1} is longer than ${MAX_LINE / 1024 / 1024} MiB without a line break: not an S3 Inventory CSV file`,
        DAMAGED,
      );
    }
  }

  /**
   * Rows [from, to) of a batch the inflate worker indexed (see line-index.ts): `ends` holds each
   * field's closing quote as a batch position, and `text` the rows' bytes from batch position
   * `base`. Their fields are sliced out without searching. With a line still open here (a
   * carried part line, or a record with a quoted newline), the text takes the searching path:
   * the worker could not know the rows continue it.
   */
  pushIndexed(text: string, base: number, ends: Int32Array, from: number, to: number): void {
    if (this.carry.length > 0 || this.pending !== undefined) {
      this.push(text);
      return;
    }
    const { fieldCount, slotOfField } = this.shape;
    const values = this.values;
    for (let r = from; r < to; r++) {
      const at = r * fieldCount;
      let p = (r === 0 ? 0 : (ends[at - 1] as number) + 2) - base + 1;
      for (let i = 0; i < fieldCount; i++) {
        const q = (ends[at + i] as number) - base;
        const slot = slotOfField[i] as number;
        if (slot >= 0) values[slot] = text.slice(p, q);
        p = q + 3;
      }
      this.lines++;
      this.onRow(values, ++this.rows);
    }
  }

  /** No part line or unfinished record is waiting: the next rows may be read by someone else. */
  get idle(): boolean {
    return this.carry.length === 0 && this.pending === undefined;
  }

  /** `rows` whole rows were read elsewhere (the byte path): numbering goes on after them. */
  skip(rows: number): void {
    this.rows += rows;
    this.lines += rows;
  }

  /** End of file: the last line may lack its newline; an unterminated quote is an error. */
  end(): number {
    if (this.carry.length > 0) this.line(this.carry, 0, this.carry.length);
    this.carry = '';
    if (this.pending !== undefined) {
      throw new PreconditionError(
        'InvalidInventoryRow',
        `${this.file} row ${this.rows + 1} (from line ${this.pendingFrom}) has a quoted field that never closes`,
        DAMAGED,
      );
    }
    return this.rows;
  }

  private line(text: string, s: number, e: number): void {
    this.lines++;
    if (this.pending !== undefined) {
      this.pending += `\n${text.slice(s, e)}`;
      this.slow();
      return;
    }
    let end = e;
    if (end > s && text.charCodeAt(end - 1) === 13) end--;
    if (end === s) return;
    if (this.fast(text, s, end)) return;
    this.pending = text.slice(s, e);
    this.pendingFrom = this.lines;
    this.slow();
  }

  private fast(text: string, s: number, end: number): boolean {
    if (text.charCodeAt(s) !== 34) return false;
    const { fieldCount, slotOfField } = this.shape;
    const values = this.values;
    let p = s + 1;
    const last = fieldCount - 1;
    for (let i = 0; i < fieldCount; i++) {
      const q = text.indexOf('"', p);
      if (q < 0 || q >= end) return false;
      const slot = slotOfField[i] as number;
      if (slot >= 0) values[slot] = text.slice(p, q);
      if (i === last) {
        if (q !== end - 1) return false;
      } else {
        if (text.charCodeAt(q + 1) !== 44 || text.charCodeAt(q + 2) !== 34) return false;
        p = q + 3;
      }
    }
    this.onRow(values, ++this.rows);
    return true;
  }

  private slow(): void {
    const text = this.pending as string;
    let records: string[][];
    try {
      records = parse(text, {
        relax_column_count: true,
        skip_empty_lines: true,
        record_delimiter: ['\r\n', '\n'],
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'CSV_QUOTE_NOT_CLOSED') {
        if (text.length > MAX_LINE) {
          throw new PreconditionError(
            'InvalidInventoryRow',
            `${this.file} row ${this.rows + 1} (from line ${this.pendingFrom}) has a quoted field that does not close within ${MAX_LINE / 1024 / 1024} MiB`,
            DAMAGED,
          );
        }
        return;
      }
      throw new PreconditionError(
        'InvalidInventoryRow',
        `${this.file} row ${this.rows + 1}: not valid CSV (${(err as Error).message.split('\n')[0]})`,
        DAMAGED,
      );
    }
    this.pending = undefined;
    this.slowRows++;
    const { fieldCount, slotOfField } = this.shape;
    for (const rec of records) {
      const n = ++this.rows;
      if (rec.length !== fieldCount) {
        throw new PreconditionError(
          'InvalidInventoryRow',
          `${this.file} row ${n} has ${rec.length} fields, but manifest.json fileSchema names ${fieldCount}`,
          DAMAGED,
        );
      }
      const values = this.values;
      for (let i = 0; i < fieldCount; i++) {
        const slot = slotOfField[i] as number;
        if (slot >= 0) values[slot] = rec[i] as string;
      }
      this.onRow(values, n);
    }
  }
}
