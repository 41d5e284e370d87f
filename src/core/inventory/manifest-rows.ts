import { USED_COLUMNS, Col } from './columns.js';
import { FieldDictionary } from './field-dictionary.js';
import { manifestName, type InventoryTally } from './inventory-tally.js';
import { allIn, byteSet, writeManifestKey } from './key-bytes.js';
import { KindTable } from './kind-table.js';
import { COPY_LIMIT_BYTES, place, Placement, toRow, type InventoryRow } from './placement.js';
import type { IndexedRowsVisitor, ManifestWriter } from './ports.js';
import { rowPasses, type IndexedFile } from './scan.js';

/**
 * build-manifest's byte path: the rows of an indexed CSV batch are classified and written as
 * bytes, with no string per field, key or line (strings, their slicing, their encoding and their
 * garbage were most of the main thread's time; see BENCHMARKS.md, "build-manifest against
 * DuckDB"). It decides nothing itself. Each distinct combination of a row's repeating fields
 * (bucket, IsLatest, IsDeleteMarker, class, status, bucket key, tier, and size over 5 GiB or
 * not) is a "kind", met once as strings and put through the same toRow, rowPasses, place and
 * manifestName as every other row; the kind's rows are then counted together and their lines
 * copied from the input. Any row the bytes cannot settle (a key or version id that needs
 * re-encoding, an odd size, a kind that fails a check, a column with too many values) goes to
 * the string path whole, which decides and reports it as it always did. A row's kind is found
 * by the bytes of its kind fields (kind-table.ts); only its first row meets the dictionaries.
 */

/** The columns whose values make a row's kind: few distinct values each. */
const KIND_COLUMNS = [
  Col.Bucket,
  Col.IsLatest,
  Col.IsDeleteMarker,
  Col.StorageClass,
  Col.EncryptionStatus,
  Col.BucketKeyStatus,
  Col.IntelligentTieringAccessTier,
] as const;
/** Values kept per column: a column with more sends its rows to the string path. */
const IDS = 64;
/** Kinds kept per data file (real inventories have tens); rows of further kinds take the string path. */
const MAX_KINDS = 4096;

/** encodeURIComponent leaves these as they are (no '/'): version ids made only of them are copied. */
const UNRESERVED = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()");
const COMMA = 44;
const NEWLINE = 10;
const NULL_VERSION = [110, 117, 108, 108]; // null

/** Lines are gathered per manifest in buffers of this size and handed to the writer when full. */
const LINES = 64 * 1024;

interface Lines {
  name: string;
  buf: Uint8Array;
  view: DataView;
  used: number;
}

interface Kind {
  /** The rows of this kind go to the string path. */
  slow: boolean;
  row: InventoryRow;
  placement: Placement;
  /** Where its lines go, if it goes into a manifest. */
  lines: Lines | undefined;
  withVersion: boolean;
  /** Counted since the last flush. */
  objects: number;
  bytes: number;
}

export interface ManifestRowsInput {
  file: IndexedFile;
  bucket: string;
  tally: InventoryTally;
  writer: ManifestWriter;
}

export function manifestRows({ file, bucket, tally, writer }: ManifestRowsInput): IndexedRowsVisitor {
  const { layout, index: part } = file;
  const fields = layout.fieldCount;
  const fieldOf = new Array<number>(USED_COLUMNS.length).fill(-1);
  layout.slotOfField.forEach((slot, i) => {
    if (slot >= 0) fieldOf[slot] = i;
  });
  const kindFields = KIND_COLUMNS.map((c) => fieldOf[c] as number);
  const dictionaries = KIND_COLUMNS.map(() => new FieldDictionary(IDS));
  const keyField = fieldOf[Col.Key] as number;
  const versionField = fieldOf[Col.VersionId] as number;
  const sizeField = fieldOf[Col.Size] as number;
  /** `bucket,`: every line's start, padded to whole words (what follows it overwrites the padding). */
  const leadLength = bucket.length + 1;
  const leadWords = Math.ceil(leadLength / 4) * 4;
  const lead = new DataView(
    Uint8Array.from(`${bucket},`.padEnd(leadWords), (c) => c.charCodeAt(0) & 0xff).buffer,
  );
  const kinds = new KindTable<Kind>(kindFields.filter((f) => f >= 0));
  let kindCount = 0;
  /**
   * The kinds counted since the last flush, in the order of their first row since then: that is
   * the order in which the string path would have met any counter key they bring.
   */
  const counted: Kind[] = [];
  const lines = new Map<string, Lines>();

  const linesOf = (name: string): Lines => {
    let l = lines.get(name);
    if (!l) {
      const buf = new Uint8Array(LINES);
      lines.set(name, (l = { name, buf, view: new DataView(buf.buffer), used: 0 }));
    }
    return l;
  };

  const newKind = (ids: number[], large: boolean): Kind | undefined => {
    // A hand-made file can mix its columns' values into millions of kinds: past the cap, rows of
    // new kinds take the string path, and memory stays flat.
    if (kindCount >= MAX_KINDS) return undefined;
    kindCount++;
    const v = new Array<string>(USED_COLUMNS.length).fill('');
    KIND_COLUMNS.forEach((c, i) => {
      const id = ids[i] as number;
      v[c] = id < 0 ? '' : ((dictionaries[i] as FieldDictionary).strings[id] as string);
    });
    v[Col.Size] = large ? String(COPY_LIMIT_BYTES + 1) : '0';
    const row = toRow(v, layout.has);
    const placement = place(row);
    const name = manifestName(placement, row);
    const kind: Kind = {
      // COPY without a StorageClass column is refused by the string path, with its message.
      slow:
        !rowPasses(row, v[Col.IsLatest] as string, layout, bucket) ||
        (placement === Placement.COPY && !layout.has.StorageClass),
      row,
      placement,
      lines: name === undefined ? undefined : linesOf(name),
      withVersion: placement === Placement.UPDATE && layout.has.VersionId,
      objects: 0,
      bytes: 0,
    };
    return kind;
  };

  /** Counts and lines so far go to the tally and the writer (before any row of the string path). */
  const flush = (): void => {
    for (const k of counted) {
      tally.addMany(k.row, k.placement, k.objects, k.bytes);
      k.objects = 0;
      k.bytes = 0;
    }
    counted.length = 0;
    for (const l of lines.values()) {
      if (l.used === 0) continue;
      writer.appendBytes(l.name, l.buf, 0, l.used, part);
      l.used = 0;
    }
  };

  const ids: number[] = new Array<number>(KIND_COLUMNS.length).fill(-1);

  return {
    rows(b, ends, from, count) {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      let r = from;
      while (r < count && settle(b, v, ends, r)) r++;
      // Counted and written before the string path takes row r: its counters and lines follow.
      flush();
      return r;
    },
  };

  /** Counts and writes row r of the batch; false (nothing done) when the string path must take it. */
  function settle(b: Uint8Array, v: DataView, ends: Int32Array, r: number): boolean {
    const at = r * fields;
    const start = r === 0 ? 0 : (ends[at - 1] as number) + 2;
    let size = 0;
    if (sizeField >= 0) {
      const s = fieldStart(ends, at, sizeField, start);
      const e = ends[at + sizeField] as number;
      // Up to 15 digits is exact in a double; anything else is sizeOf's to read.
      if (e - s > 15) return false;
      for (let p = s; p < e; p++) {
        const d = (b[p] as number) - 48;
        if (d < 0 || d > 9) return false;
        size = size * 10 + d;
      }
    }
    const large = size > COPY_LIMIT_BYTES ? 1 : 0;
    let kind = kinds.find(b, v, ends, at, start, large);
    if (kind === undefined) {
      kind = firstOfKind(b, ends, at, start, large);
      if (kind === undefined) return false;
      kinds.add(b, large, kind);
    }
    if (kind.slow) return false;
    const out = kind.lines;
    if (out !== undefined && !writeLine(b, v, ends, at, start, out, kind.withVersion)) return false;
    if (kind.objects++ === 0) counted.push(kind);
    kind.bytes += size;
    return true;
  }

  /** The kind of a row that kinds.find() does not know, made from its columns' values; undefined: the string path's. */
  function firstOfKind(
    b: Uint8Array,
    ends: Int32Array,
    at: number,
    start: number,
    large: number,
  ): Kind | undefined {
    for (let i = 0; i < KIND_COLUMNS.length; i++) {
      const f = kindFields[i] as number;
      let id = -1;
      if (f >= 0) {
        id = (dictionaries[i] as FieldDictionary).id(
          b,
          fieldStart(ends, at, f, start),
          ends[at + f] as number,
        );
        if (id < 0) return undefined;
      }
      ids[i] = id;
    }
    return newKind(ids, large === 1);
  }

  /** bucket,key[,versionId]\n from the row's bytes; false (nothing written) when a field needs re-encoding. */
  function writeLine(
    b: Uint8Array,
    v: DataView,
    ends: Int32Array,
    at: number,
    start: number,
    out: Lines,
    withVersion: boolean,
  ): boolean {
    const ks = fieldStart(ends, at, keyField, start);
    const ke = ends[at + keyField] as number;
    let vs = 0;
    let ve = 0;
    if (withVersion) {
      vs = fieldStart(ends, at, versionField, start);
      ve = ends[at + versionField] as number;
    }
    // + 3: the lead is written in whole words.
    const room = leadWords + 3 * (ke - ks) + (withVersion ? 1 + Math.max(ve - vs, 4) : 0) + 1 + 3;
    if (room > LINES) return false;
    if (out.used + room > LINES) {
      writer.appendBytes(out.name, out.buf, 0, out.used, part);
      out.used = 0;
    }
    const buf = out.buf;
    const ov = out.view;
    let w = out.used;
    // The row's bucket is `bucket`: its kind passed rowPasses.
    for (let i = 0; i < leadWords; i += 4) ov.setInt32(w + i, lead.getInt32(i, true), true);
    w = writeManifestKey(b, v, ks, ke, buf, ov, w + leadLength);
    if (w < 0) return false;
    if (withVersion) {
      buf[w++] = COMMA;
      // Objects written before versioning was enabled have an empty VersionId: Batch's `null`.
      if (ve === vs) for (const x of NULL_VERSION) buf[w++] = x;
      let p = vs;
      for (; p + 4 <= ve; p += 4) {
        const x = v.getInt32(p, true);
        if (!allIn(UNRESERVED, x)) return false;
        ov.setInt32(w, x, true);
        w += 4;
      }
      for (; p < ve; p++) {
        const c = b[p] as number;
        if (UNRESERVED[c] !== 1) return false;
        buf[w++] = c;
      }
    }
    buf[w++] = NEWLINE;
    out.used = w;
    return true;
  }
}

/** Where field `f` of the row at `ends[at]` (starting at batch position `start`) begins. */
function fieldStart(ends: Int32Array, at: number, f: number, start: number): number {
  return f === 0 ? start + 1 : (ends[at + f - 1] as number) + 3;
}
