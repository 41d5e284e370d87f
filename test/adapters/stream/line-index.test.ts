import { describe, expect, it } from 'vitest';
import { indexQuotedLines, rowStart, rowsThatFit } from '../../../src/adapters/stream/line-index.js';

function index(text: string, fields: number, cap = 1024) {
  const buf = Buffer.from(text, 'utf8');
  const ends = new Int32Array(cap);
  const rows = indexQuotedLines(buf, buf.length, fields, ends);
  return { rows, ends: [...ends.subarray(0, Math.max(rows, 0) * fields)] };
}

/** Each field of each row, cut out of `text` with the index only. */
function fieldsOf(text: string, fields: number): string[][] {
  const { rows, ends } = index(text, fields);
  const e = Int32Array.from(ends);
  const out: string[][] = [];
  for (let r = 0; r < rows; r++) {
    let p = rowStart(e, fields, r) + 1;
    const row: string[] = [];
    for (let i = 0; i < fields; i++) {
      const q = e[r * fields + i] as number;
      row.push(text.slice(p, q));
      p = q + 3;
    }
    out.push(row);
  }
  return out;
}

describe('indexQuotedLines', () => {
  it("finds every field's closing quote in simply quoted rows, empty fields and commas included", () => {
    const text = '"b","k 1","x"\n"b","","a,b"\n"","k3",""\n';
    expect(index(text, 3).rows).toBe(3);
    expect(fieldsOf(text, 3)).toEqual([
      ['b', 'k 1', 'x'],
      ['b', '', 'a,b'],
      ['', 'k3', ''],
    ]);
  });

  // Any of these anywhere in a batch leaves the whole batch to the parser.
  it.each([
    ['a non-ASCII byte', '"b","clé","x"\n'],
    ['an escaped quote', '"b","a""b","x"\n'],
    ['a quoted newline', '"b","two\nlines","x"\n'],
    ['a CRLF ending', '"b","k","x"\r\n'],
    ['an empty line', '\n'],
    ['too few fields', '"b","k"\n'],
    ['too many fields', '"b","k","x","y"\n'],
    ['an unquoted field', '"b",k,"x"\n'],
    ['a space after a separator', '"b", "k","x"\n'],
  ])('refuses a batch with %s', (_what, bad) => {
    const ok = '"b","k","x"\n';
    expect(index(ok + bad + ok, 3).rows).toBe(-1);
    expect(index(bad + ok, 3).rows).toBe(-1);
  });

  it('finds quotes and refuses bad bytes wherever they fall in a word of four, at any memory offset', () => {
    const long = 'abcdefghijklmnopq';
    for (let shift = 0; shift < 4; shift++) {
      for (let n = 0; n <= long.length; n++) {
        const field = long.slice(0, n);
        const text = `"${field}","${long.slice(n)}","x"\n"b","${field}",""\n`;
        // The batch starts `shift` bytes into its memory: the word reads must honour that.
        const buf = Buffer.from(`${'-'.repeat(shift)}${text}`, 'latin1').subarray(shift);
        const ends = new Int32Array(6);
        expect(indexQuotedLines(buf, buf.length, 3, ends)).toBe(2);
        expect([...ends]).toEqual([
          n + 1,
          long.length + 4,
          long.length + 8,
          long.length + 12,
          long.length + n + 15,
          long.length + n + 18,
        ]);
        for (const bad of ['"', '\n', '\u0080', '\u00e9', '\u00ff']) {
          const broken = `"b","${field}${bad}${long.slice(n)}","x"\n`;
          const b = Buffer.from(`${'-'.repeat(shift)}${broken}`, 'latin1').subarray(shift);
          expect(indexQuotedLines(b, b.length, 3, new Int32Array(6)), JSON.stringify(broken)).toBe(-1);
        }
      }
    }
  });

  it('refuses a batch that does not end with a whole row, or is empty', () => {
    expect(index('"b","k","x"\n"b","k', 3).rows).toBe(-1);
    expect(index('"b","k","x"', 3).rows).toBe(-1);
    expect(index('', 3).rows).toBe(-1);
  });

  it('says when the ends array is too small', () => {
    expect(index('"b","k","x"\n"b","k","x"\n', 3, 5).rows).toBe(-2);
    expect(index('"b","k","x"\n"b","k","x"\n', 3, 6).rows).toBe(2);
  });
});

describe('rowsThatFit', () => {
  it('takes whole rows up to the limit, and always at least one', () => {
    const text = `"a","${'x'.repeat(10)}"\n"b","y"\n"c","${'z'.repeat(30)}"\n"d","w"\n`;
    const { rows, ends } = index(text, 2);
    const e = Int32Array.from(ends);
    const rowLen = (r: number) => rowStart(e, 2, r + 1) - rowStart(e, 2, r);
    expect(rows).toBe(4);
    expect(rowStart(e, 2, 4)).toBe(text.length);
    expect(rowsThatFit(e, 2, 0, rows, rowLen(0) + rowLen(1))).toBe(2);
    expect(rowsThatFit(e, 2, 0, rows, rowLen(0) + rowLen(1) - 1)).toBe(1);
    expect(rowsThatFit(e, 2, 2, rows, 1)).toBe(3);
    expect(rowsThatFit(e, 2, 1, rows, 10_000)).toBe(4);
  });
});
