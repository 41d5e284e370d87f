import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateOffThread, type GzipSource } from '../../../src/adapters/stream/inflate-off-thread.js';

const dir = mkdtempSync(join(tmpdir(), 's3e-inflate-'));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Compressible, but not trivially: several MB inflated, many batches. */
function sample(mb: number): Buffer {
  const line = (i: number) => `"bucket","key-${i}-${randomBytes(6).toString('hex')}","NOT-SSE"\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length;
  }
  return Buffer.from(parts.join(''));
}

async function* pieces(b: Buffer, n: number): AsyncGenerator<Uint8Array> {
  const step = Math.ceil(b.length / n);
  for (let i = 0; i < b.length; i += step) yield b.subarray(i, i + step);
}

async function drain(source: GzipSource, signal = new AbortController().signal, slow = false) {
  const inflated = inflateOffThread(source, signal);
  const out: Buffer[] = [];
  for await (const batch of inflated.batches) {
    out.push(Buffer.from(batch.bytes)); // a copy: the batch's memory goes back to the worker
    if (slow) await new Promise((r) => setTimeout(r, 1));
  }
  return { data: Buffer.concat(out), ...inflated.compressed() };
}

describe('inflateOffThread', () => {
  const text = sample(3);
  const gz = gzipSync(text);
  const path = join(dir, 'a.csv.gz');
  writeFileSync(path, gz);

  it('inflates a local file and a stream to the same bytes, with the MD5 and size of the gzip', async () => {
    const fromFile = await drain({ localPath: path });
    const fromStream = await drain(pieces(gz, 37));
    for (const r of [fromFile, fromStream]) {
      expect(r.data.equals(text)).toBe(true);
      expect(r.md5).toBe(md5(gz));
      expect(r.bytes).toBe(gz.length);
    }
  });

  it('serves several files at once on the one worker, each in order, a slow reader included', async () => {
    const other = sample(2);
    const otherGz = gzipSync(other);
    const [a, b, c] = await Promise.all([
      drain({ localPath: path }, undefined, true),
      drain(pieces(otherGz, 5)),
      drain(pieces(gz, 200)),
    ]);
    expect(a.data.equals(text)).toBe(true);
    expect(b.data.equals(other)).toBe(true);
    expect(c.data.equals(text)).toBe(true);
  });

  it('reports damaged gzip with zlib error codes, and a missing file', async () => {
    await expect(drain(pieces(gz.subarray(0, gz.length - 100), 3))).rejects.toMatchObject({
      code: 'Z_BUF_ERROR',
      message: expect.stringMatching(/unexpected end of file/),
    });
    const bad = Buffer.from(gz);
    bad.fill(7, 100, 200);
    await expect(drain(pieces(bad, 3))).rejects.toMatchObject({ code: expect.stringMatching(/^Z_/) });
    await expect(drain({ localPath: join(dir, 'nope.gz') })).rejects.toMatchObject({ code: 'ENOENT' });
    // The worker is still usable afterwards.
    expect((await drain({ localPath: path })).data.equals(text)).toBe(true);
  });

  it('stops on abort (also when already aborted) and when the reader stops early', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(drain({ localPath: path }, aborted.signal)).rejects.toMatchObject({ name: 'AbortError' });

    const ac = new AbortController();
    const inflated = inflateOffThread({ localPath: path }, ac.signal);
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of inflated.batches) if (++seen === 2) ac.abort();
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(2);

    const early = inflateOffThread(pieces(gz, 50), new AbortController().signal);
    for await (const _ of early.batches) break;
    expect((await drain({ localPath: path })).data.equals(text)).toBe(true);
  });

  it('passes on an error of the source stream', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gz.subarray(0, 1000);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    await expect(drain(failing())).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('inflateOffThread with indexFields', () => {
  async function batches(text: string, fields: number) {
    const inflated = inflateOffThread(pieces(gzipSync(Buffer.from(text)), 9), new AbortController().signal, {
      indexFields: fields,
    });
    const out: { text: string; rows: number; ends: number[] }[] = [];
    for await (const b of inflated.batches)
      out.push({
        text: b.bytes.toString('latin1'),
        rows: b.lines?.rows ?? -1,
        ends: b.lines ? [...b.lines.ends.subarray(0, b.lines.rows * fields)] : [],
      });
    return out;
  }
  const row = (i: number) => `"bucket","key-${i}-${'x'.repeat(i % 50)}","NOT-SSE"\n`;
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i)).join('');

  it('cuts batches after a newline and marks where every field of every row closes', async () => {
    const text = rows(0, 40_000);
    const got = await batches(text, 3);
    expect(got.length).toBeGreaterThan(3);
    expect(got.map((b) => b.text).join('')).toBe(text);
    for (const b of got) {
      expect(b.text.endsWith('\n')).toBe(true);
      const lines = b.text.split('\n').slice(0, -1);
      expect(b.rows).toBe(lines.length);
      // Each closing quote is followed by a separator or the line end.
      const wrong = b.ends.filter((e) => !['",', '"\n'].includes(b.text.slice(e, e + 2)));
      expect(wrong).toEqual([]);
      expect(b.ends.length).toBe(lines.length * 3);
    }
  });

  it('leaves a batch unindexed for a non-ASCII row, and indexes the ones around it', async () => {
    const text = `${rows(0, 10_000)}"bucket","clé","NOT-SSE"\n${rows(10_000, 10_000)}`;
    const got = await batches(text, 3);
    expect(got.map((b) => b.text).join('')).toBe(Buffer.from(text).toString('latin1'));
    const unindexed = got.filter((b) => b.rows < 0);
    expect(unindexed).toHaveLength(1);
    expect(unindexed[0]?.text).toContain(Buffer.from('clé').toString('latin1'));
    expect(got.filter((b) => b.rows > 0).length).toBe(got.length - 1);
  });

  it('sends a line longer than a batch whole and unindexed, and indexes again after it', async () => {
    const long = `"bucket","${'k'.repeat(700_000)}","NOT-SSE"\n`;
    const text = `${rows(0, 5_000)}${long}${rows(5_000, 10_000)}`;
    const got = await batches(text, 3);
    expect(got.map((b) => b.text).join('')).toBe(text);
    for (const b of got) if (b.rows >= 0) expect(b.text.endsWith('\n')).toBe(true);
    expect(got[0]?.rows).toBeGreaterThan(0);
    expect(got.at(-1)?.rows).toBeGreaterThan(0);
    expect(got.some((b) => b.rows < 0)).toBe(true);
  });

  it('leaves a last line without a newline, and a file with a wrong field count, to the parser', async () => {
    const last = await batches(`${rows(0, 3_000)}"bucket","end","NOT-SSE"`, 3);
    expect(last.at(-1)?.rows).toBe(-1);
    expect(last.at(-1)?.text.endsWith('"end","NOT-SSE"')).toBe(true);
    expect((await batches(rows(0, 3_000), 4)).every((b) => b.rows === -1)).toBe(true);
  });

  it('indexes nothing without indexFields', async () => {
    const gz = gzipSync(sample(1));
    for await (const b of inflateOffThread(pieces(gz, 3), new AbortController().signal).batches)
      expect(b.lines).toBeUndefined();
  });
});
