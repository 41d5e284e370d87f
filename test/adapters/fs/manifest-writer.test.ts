import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestWriter } from '../../../src/adapters/fs/manifest-writer.js';

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('manifestWriter', () => {
  it('joins each name in data-file order, whatever order the parts were written in', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 's3e-mw-')), 'out');
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    w.append('copy-STANDARD', 'b,k2\n', 1);
    w.append('copy-STANDARD', 'b,k0\n', 0);
    w.append('update-encryption', 'b,u,v\n', 1);
    w.append('copy-STANDARD', 'b,k3\n', 1);
    await w.ready();
    w.append('copy-STANDARD', 'b,k1\n', 0);
    const files = await w.finish();
    expect(readFileSync(files.get('copy-STANDARD') ?? '', 'utf8')).toBe('b,k0\nb,k1\nb,k2\nb,k3\n');
    expect(readFileSync(files.get('update-encryption') ?? '', 'utf8')).toBe('b,u,v\n');
    expect(readdirSync(dir).sort()).toEqual(['copy-STANDARD.csv', 'update-encryption.csv']);
  });

  it('joins the parts of many data files (more than the 10 listeners Node warns at) in order', async () => {
    process.on('warning', onWarning);
    const dir = join(mkdtempSync(join(tmpdir(), 's3e-mw-')), 'out');
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    for (let part = 24; part >= 0; part--) {
      for (let i = 0; i < 3; i++) w.append('update-encryption', `b,k${part}-${i},null\n`, part);
      await w.endPart(part);
    }
    const files = await w.finish();
    const lines = readFileSync(files.get('update-encryption') ?? '', 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(75);
    expect(lines.slice(0, 4)).toEqual(['b,k0-0,null', 'b,k0-1,null', 'b,k0-2,null', 'b,k1-0,null']);
    expect(lines.at(-1)).toBe('b,k24-2,null');
    expect(readdirSync(dir)).toEqual(['update-encryption.csv']);
    await new Promise((r) => setImmediate(r));
    expect(warnings.map((x) => x.message)).toEqual([]);
  });

  it('joins parts larger than its copy buffer byte for byte, and leaves no part behind', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 's3e-mw-')), 'out');
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    const want: string[] = [];
    for (let part = 0; part < 3; part++) {
      // About 700 KiB per part: several reads of the join's 256 KiB buffer, the last one short.
      for (let i = 0; i < 30000; i++) {
        const line = `b,p${part}/key-${i}-${'x'.repeat(i % 7)},null\n`;
        want.push(line);
        w.append('update-encryption', line, part);
      }
      await w.endPart(part);
    }
    const files = await w.finish();
    expect(readFileSync(files.get('update-encryption') ?? '', 'latin1')).toBe(want.join(''));
    expect(readdirSync(dir)).toEqual(['update-encryption.csv']);
  });

  it('writes at once, byte for byte, lines and runs of bytes larger than its buffer: ready() never waits', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 's3e-mw-')), 'out');
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    const line = `b,${'k'.repeat(1000)}\n`;
    const big = Buffer.from(`b,${'x'.repeat(300 * 1024)}\n`, 'latin1');
    let want = '';
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 200; i++) w.append('copy-STANDARD', line, 0);
      w.appendBytes('copy-STANDARD', big, 0, big.length, 0);
      want += line.repeat(200) + big.toString('latin1');
      expect(w.ready()).toBeUndefined();
    }
    const files = await w.finish();
    expect(readFileSync(files.get('copy-STANDARD') ?? '', 'latin1') === want).toBe(true);
  });

  it('creates each part anew: a link planted at its name is replaced, not followed', async () => {
    const root = mkdtempSync(join(tmpdir(), 's3e-mw-'));
    const dir = join(root, 'out');
    mkdirSync(dir);
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, '.copy-STANDARD.0.part'));
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    w.append('copy-STANDARD', 'b,k\n', 0);
    const files = await w.finish();
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(readFileSync(files.get('copy-STANDARD') ?? '', 'utf8')).toBe('b,k\n');
  });

  it('a part it cannot create is one line naming the file, and nothing is left behind', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 's3e-mw-')), 'out');
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    rmSync(dir, { recursive: true });
    expect(() => w.append('copy-STANDARD', 'b,k\n', 0)).toThrow(
      expect.objectContaining({
        code: 'CannotWriteManifest',
        message: expect.stringMatching(/^cannot write .*\.copy-STANDARD\.0\.part: /),
      }),
    );
    await expect(w.finish()).rejects.toMatchObject({ code: 'CannotWriteManifest' });
    await w.cleanup();
    expect(existsSync(dir)).toBe(false);
  });
});
