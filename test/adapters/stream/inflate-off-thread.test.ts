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
    out.push(Buffer.from(batch)); // a copy: the batch's memory goes back to the worker
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
