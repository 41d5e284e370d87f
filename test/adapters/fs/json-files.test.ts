// --prices and plan --summary: a JSON file the user names is read strictly (UTF-8, a regular file).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonFiles } from '../../../src/adapters/fs/prices-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 's3e-json-'));

describe('jsonFiles', () => {
  it('reads JSON (a BOM is fine)', async () => {
    const p = join(dir(), 'p.json');
    writeFileSync(p, '\ufeff{"a":"ü"}');
    expect(await jsonFiles().readJson(p, '--prices')).toEqual({ a: 'ü' });
  });

  it('refuses bytes that are not UTF-8 with where they are, a directory and a FIFO', async () => {
    const d = dir();
    const p = join(d, 'p.json');
    writeFileSync(p, Buffer.concat([Buffer.from('{\n"a":"'), Buffer.from([0xff]), Buffer.from('"}')]));
    await expect(jsonFiles().readJson(p, '--prices')).rejects.toMatchObject({
      exitCode: 2,
      message: `--prices ${p} line 2 (byte 6 of the line, offset 7 in the file) is not valid UTF-8: it has byte 0xff`,
    });
    await expect(jsonFiles().readJson(d, '--summary')).rejects.toThrow(
      /cannot read --summary .*: it is a directory/,
    );
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(jsonFiles().readJson(fifo, '--summary')).rejects.toThrow(
      /cannot read --summary .*fifo: not a regular file/,
    );
  });
});
