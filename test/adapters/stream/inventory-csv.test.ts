import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InventoryCsvParser, type CsvShape } from '../../../src/adapters/stream/inventory-csv.js';

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
});
