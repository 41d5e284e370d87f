import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/output/output.js';
import { RecordsDigest } from '../../src/output/records-digest.js';

describe('RecordsDigest', () => {
  it('is the SHA-256 of exactly the bytes --json writes on stdout, in either mode', () => {
    const records = [
      { key: 'ünï <&>', class: 'NOT-SSE' },
      { key: '日本', class: 'SSE-S3' },
      { summary: { checked: 2 } },
    ];
    for (const json of [true, false]) {
      let stdout = '';
      const out = new Output(
        { write: (s: string) => (stdout += s) },
        { write: () => true },
        { json, color: false, verbose: false },
      );
      const digest = new RecordsDigest();
      out.observe({ record: (line) => digest.add(line) });
      for (const r of records) out.record(r);
      const want = records.map((r) => `${JSON.stringify(r)}\n`).join('');
      if (json) expect(stdout).toBe(want);
      else expect(stdout).toBe('');
      const got = digest.finish();
      expect(got).toEqual({
        sha256: createHash('sha256').update(Buffer.from(want, 'utf8')).digest('hex'),
        lines: 3,
        bytes: Buffer.byteLength(want, 'utf8'),
      });
    }
  });

  it('observers see warnings too', () => {
    const out = new Output(
      { write: () => true },
      { write: () => true },
      { json: false, color: false, verbose: false },
    );
    const seen: string[] = [];
    out.observe({ warn: (t) => seen.push(t) });
    out.warn('stale');
    expect(seen).toEqual(['stale']);
  });
});
