import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InventoryCsvParser, type CsvShape } from '../../../src/adapters/stream/inventory-csv.js';
import { indexQuotedLines, rowStart } from '../../../src/adapters/stream/line-index.js';

const ALL3: CsvShape = { fieldCount: 3, slotOfField: [0, 1, 2], slots: 3 };

function run(text: string, shape: CsvShape = ALL3, chunkSizes: number[] = [text.length]) {
  const rows: string[][] = [];
  const p = new InventoryCsvParser(shape, 'data/f.csv.gz', (v, n) => rows.push([String(n), ...v]));
  let pos = 0;
  let i = 0;
  while (pos < text.length) {
    const size = chunkSizes[i++ % chunkSizes.length] as number;
    p.push(text.slice(pos, pos + size));
    pos += size;
  }
  p.end();
  return { rows, slow: p.slowRows };
}

/** What csv-parse alone makes of the whole text: the reference the fast path must match. */
function reference(text: string): string[][] {
  return (parse(text, { skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][]).map(
    (r, i) => [String(i + 1), ...r],
  );
}

// Each of these is a single row the fast path must refuse, and csv-parse must read.
const TRICKY = [
  '"b","a""quoted""key","x"\n', // escaped quote inside a field
  '"b","comma,inside","x"\n', // comma inside a quoted field (still simple? no: the "," rule)
  '"b","two\nlines","x"\n', // newline inside a quoted field
  '"b","blank\n\nline","x"\n', // empty line inside a quoted field
  'b,unquoted,x\n', // no quotes at all
  '"b",half-quoted,"x"\n',
  '"b","","x"\n', // empty field (fast path)
  '"b","crlf","x"\r\n', // CRLF ending (fast path)
  '"b","ends with quote""","x"\n',
  '"b","comma"",""like a separator","x"\n',
];

describe('InventoryCsvParser', () => {
  it('reads simply quoted rows on the fast path, only the slotted fields', () => {
    const shape: CsvShape = { fieldCount: 4, slotOfField: [1, -1, 0, -1], slots: 2 };
    const r = run('"b","k1","x","y"\n"b","k2","x2","y2"\n', shape);
    expect(r.rows).toEqual([
      ['1', 'x', 'b'],
      ['2', 'x2', 'b'],
    ]);
    expect(r.slow).toBe(0);
  });

  it.each(TRICKY.map((t) => [JSON.stringify(t), t]))("gives csv-parse's result for %s", (_name, row) => {
    const text = `"b","plain","1"\n${row}"b","after","2"\n`;
    expect(run(text).rows).toEqual(reference(text));
  });

  it('agrees with csv-parse on all tricky rows at every chunk boundary', () => {
    const text = `"b","plain","1"\n${TRICKY.join('')}"b","last","2"`;
    const want = reference(text);
    for (let size = 1; size <= 40; size++)
      expect(run(text, ALL3, [size]).rows, `chunks of ${size}`).toEqual(want);
    expect(run(text, ALL3, [3, 17, 1, 64]).rows).toEqual(want);
  });

  it('only falls back for rows it cannot prove simple', () => {
    const simple = ['"b","plain","1"\n', '"b","","x"\n', '"b","crlf","x"\r\n'];
    expect(run(simple.join('')).slow).toBe(0);
    expect(run(`${simple.join('')}${TRICKY[0]}${TRICKY[2]}`).slow).toBe(2);
  });

  it('names the file and row of a row with too few or too many fields', () => {
    expect(() => run('"b","k","x"\n"b","k"\n')).toThrow(
      'data/f.csv.gz row 2 has 2 fields, but manifest.json fileSchema names 3',
    );
    expect(() => run('"b","k","x"\n"b","k","x"\n"b","k","x","extra"\n')).toThrow(/row 3 has 4 fields/);
    expect(() => run('"b","k","x",\n')).toThrow(/row 1 has 4 fields/);
  });

  it('reports a quote that never closes, with its row', () => {
    expect(() => run('"b","k","x"\n"b","k","never closes\nstill open\n')).toThrow(
      /row 2 \(from line 2\) has a quoted field that never closes/,
    );
    expect(() => run('"b","k"x,"y"\n')).toThrow(/row 1: not valid CSV/);
  });

  it('reports a line that is not CSV at all', () => {
    expect(() => run('"b","k"x,"y"\n')).toThrow(/data\/f.csv.gz row 1: not valid CSV/);
  });

  it('skips blank lines and reads a last line without a newline', () => {
    expect(run('\n"b","k","x"\n\n"b","k2","y"').rows).toEqual([
      ['1', 'b', 'k', 'x'],
      ['2', 'b', 'k2', 'y'],
    ]);
  });

  describe('pushIndexed', () => {
    /** Feeds `before` as text, then `batch` as an indexed batch in pieces of `perPiece` rows. */
    function indexed(before: string, batch: string, shape: CsvShape = ALL3, perPiece = 1) {
      const rows: string[][] = [];
      const p = new InventoryCsvParser(shape, 'data/f.csv.gz', (v, n) => rows.push([String(n), ...v]));
      p.push(before);
      const buf = Buffer.from(batch, 'latin1');
      const ends = new Int32Array(1024);
      const count = indexQuotedLines(buf, buf.length, shape.fieldCount, ends);
      expect(count).toBeGreaterThan(0);
      for (let r = 0; r < count; r += perPiece) {
        const to = Math.min(r + perPiece, count);
        const base = rowStart(ends, shape.fieldCount, r);
        p.pushIndexed(batch.slice(base, rowStart(ends, shape.fieldCount, to)), base, ends, r, to);
      }
      p.end();
      return rows;
    }

    it('cuts the slotted fields out of indexed rows, piece by piece, numbering rows on', () => {
      const shape: CsvShape = { fieldCount: 4, slotOfField: [1, -1, 0, -1], slots: 2 };
      const batch = '"b","k1","x","y"\n"b","","x2","y2"\n"b","k3","","y3"\n';
      const want = [
        ['1', 'x0', 'b'],
        ['2', 'x', 'b'],
        ['3', 'x2', 'b'],
        ['4', '', 'b'],
      ];
      for (const perPiece of [1, 2, 3])
        expect(indexed('"b","k0","x0","y0"\n', batch, shape, perPiece)).toEqual(want);
    });

    it('continues a part line carried from the previous text instead of reading the batch alone', () => {
      // One line `"b","k","x","y"`: four fields, an error, not a row `"k","x","y"`.
      expect(() => indexed('"b",', '"k","x","y"\n')).toThrow(/row 1 has 4 fields/);
    });

    it('continues a record with a quoted newline, even when the batch looks simple', () => {
      // `"","",""` inside a quoted field is two literal `",` and a `"`: csv-parse reads one record.
      const text = '"b","k\n"","",""\n","z"\n';
      const rows: string[][] = [];
      const p = new InventoryCsvParser(ALL3, 'data/f.csv.gz', (v, n) => rows.push([String(n), ...v]));
      p.push('"b","k\n');
      const batch = Buffer.from('"","",""\n');
      const ends = new Int32Array(16);
      expect(indexQuotedLines(batch, batch.length, 3, ends)).toBe(1);
      p.pushIndexed(batch.toString('latin1'), 0, ends, 0, 1);
      p.push('","z"\n');
      p.end();
      expect(rows).toEqual(reference(text));
      expect(rows).toEqual([['1', 'b', 'k\n",","\n', 'z']]);
    });
  });
});
