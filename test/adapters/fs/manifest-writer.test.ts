import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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

  it('waits for the disk through many backpressure rounds without piling up listeners', async () => {
    process.on('warning', onWarning);
    const dir = join(mkdtempSync(join(tmpdir(), 's3e-mw-')), 'out');
    const w = manifestWriter({ dir, keep: true });
    await w.open();
    const line = `b,${'k'.repeat(1000)}\n`;
    let waits = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 2000; i++) w.append('copy-STANDARD', line, 0);
      const wait = w.ready();
      if (wait) {
        waits++;
        await wait;
      }
    }
    const files = await w.finish();
    expect(waits).toBeGreaterThan(11);
    expect(readFileSync(files.get('copy-STANDARD') ?? '').length).toBe(40 * 2000 * line.length);
    await new Promise((r) => setImmediate(r));
    expect(warnings.map((x) => x.message)).toEqual([]);
  });
});
