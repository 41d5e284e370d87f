// State files, manifests and output directories that are not what they should be: each is
// refused with one line (exit 2) before anything is written, and the user's file is unchanged.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchCsvRows, openLocal, readLocalManifestText } from '../../../src/adapters/fs/batch-csv-reader.js';
import { checkOutDir, manifestWriter } from '../../../src/adapters/fs/manifest-writer.js';
import { checkReportPath, openReport } from '../../../src/adapters/fs/report-writer.js';
import { checkStateFile, openState } from '../../../src/adapters/fs/state-store.js';

const header = { bucket: 'b', kmsKey: 'arn:aws:kms:us-east-1:1:key/k', inputs: 'live:' };
const dir = () => mkdtempSync(join(tmpdir(), 's3e-hostile-'));
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('a --state file that is not ours', () => {
  const junk: [string, Buffer | string][] = [
    ['random bytes and a line that is not JSON', Buffer.from([0x8f, 0x00, 0xff, 0x0a, 0x6e, 0x6f, 0x0a])],
    ['one line that is not JSON', 'not json\n'],
    ['JSON of someone else', '{"hello":1}\n'],
    ['a JSON array', '["s3encrypt","state"]\n'],
    ['blank lines only', '\n \n'],
    [
      'our header without its line end (a file of the user that happens to start alike)',
      '{"s3encrypt":"state"',
    ],
    ['records but no header', '{"t":"r","k":"a","v":null,"a":"copy","o":"done"}\n'],
  ];
  it.each(junk)('%s: refused, never written', async (_n, content) => {
    const path = join(dir(), 'state.jsonl');
    writeFileSync(path, content);
    const before = sha(path);
    await expect(openState(path, header, 1)).rejects.toThrow(
      /--state .*state\.jsonl: this file is not an s3-encrypt state file/,
    );
    await expect(checkStateFile(path, { bucket: 'b' })).rejects.toMatchObject({
      exitCode: 2,
      code: 'BadStateFile',
    });
    expect(sha(path)).toBe(before);
  });

  it('an empty file is ours to start; a state file of another bucket is refused before the key is known', async () => {
    const path = join(dir(), 'state.jsonl');
    writeFileSync(path, '');
    await checkStateFile(path, { bucket: 'b' });
    await (await openState(path, header, 1)).close();
    await checkStateFile(path, { bucket: 'b' });
    await expect(checkStateFile(path, { bucket: 'other' })).rejects.toThrow(/belongs to bucket b, not other/);
  });

  it('a directory, a FIFO and /proc are refused at once (a FIFO would block the open)', async () => {
    const d = dir();
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(openState(d, header, 1)).rejects.toThrow(/it is a directory, not a regular file/);
    await expect(openState(fifo, header, 1)).rejects.toThrow(/it is a FIFO/);
    await expect(openState('/proc/x/state.jsonl', header, 1)).rejects.toThrow(
      /\/proc is a system file system/,
    );
  });
});

describe('--report and --out paths', () => {
  it('refuses /proc, a directory and a file as --out; allows /dev/stdout for --report', async () => {
    const d = dir();
    const f = join(d, 'notes');
    writeFileSync(f, 'mine');
    await expect(openReport('/proc/x/r.jsonl')).rejects.toThrow(
      /--report \/proc\/x\/r\.jsonl: \/proc is a system/,
    );
    await expect(openReport(d)).rejects.toThrow(/it is a directory/);
    await checkReportPath('/dev/stdout');
    await expect(checkOutDir(f)).rejects.toThrow(/--out .*notes: .*notes is a file, not a directory/);
    await expect(checkOutDir('/proc/x')).rejects.toThrow(/\/proc is a system file system/);
    const w = manifestWriter({ dir: f, keep: true });
    await expect(w.open()).rejects.toMatchObject({ exitCode: 2, code: 'BadOutPath' });
    await w.cleanup();
    expect(readFileSync(f, 'utf8')).toBe('mine');
  });

  it("replaces an empty --report file or an earlier report, and refuses anyone else's file unchanged", async () => {
    const d = dir();
    const earlier = join(d, 'earlier.jsonl');
    const sink = await openReport(earlier);
    sink.write({ key: 'k', action: 'copy', outcome: 'done', bytes: 1, ms: 2 } as never);
    await sink.close();
    await checkReportPath(earlier);
    const empty = join(d, 'empty.jsonl');
    writeFileSync(empty, '');
    await checkReportPath(empty);
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(checkReportPath(fifo)).rejects.toThrow(/it is a FIFO/); // at once, never opened
    const foreign: [string, string][] = [
      ['notes.txt', 'my notes\n'],
      ['data.jsonl', '{"id":1}\n'],
      ['half.jsonl', '{"key":"k","action":"copy"'],
      ['binary', '\u0000\u00ff'],
    ];
    for (const [name, text] of foreign) {
      const f = join(d, name);
      writeFileSync(f, text);
      await expect(openReport(f)).rejects.toMatchObject({
        exitCode: 2,
        code: 'BadReportPath',
        message: expect.stringMatching(/it holds something other than an encrypt report/),
      });
      await expect(checkReportPath(f)).rejects.toThrow(/something other than an encrypt report/);
      expect(readFileSync(f, 'utf8')).toBe(text);
    }
  });

  it('makes a missing --out when kept, and removes it (and the parents it made) when the run fails', async () => {
    const d = dir();
    const out = join(d, 'a', 'b');
    const dry = manifestWriter({ dir: out, keep: false });
    await dry.open();
    expect(existsSync(join(d, 'a'))).toBe(false);
    await dry.cleanup();
    const w = manifestWriter({ dir: out, keep: true });
    await w.open();
    expect(existsSync(out)).toBe(true);
    w.append('copy-STANDARD', 'b,k\n', 0);
    await w.cleanup();
    expect(existsSync(join(d, 'a'))).toBe(false);
  });
});

describe('a manifest that is not UTF-8', () => {
  it('is refused with the line and byte offset, not read as U+FFFD', async () => {
    const path = join(dir(), 'm.csv');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from('b,a.txt\nb,'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n')]),
    );
    const rows: unknown[] = [];
    const read = async () => {
      for await (const r of batchCsvRows(() => openLocal(path), path)) rows.push(r);
    };
    await expect(read()).rejects.toMatchObject({
      exitCode: 2,
      code: 'ManifestNotUtf8',
      message: `${path} line 2 (byte 3 of the line, offset 10 in the file) is not valid UTF-8: it has byte 0xff`,
    });
    expect(JSON.stringify(rows)).not.toContain('\ufffd');
  });

  it('a summary.json: refused the same way; a FIFO or directory as --manifest is refused before it is opened', async () => {
    const d = dir();
    const path = join(d, 'summary.json');
    writeFileSync(path, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    await expect(readLocalManifestText(path)).rejects.toThrow(/summary\.json line 1 .* it has byte 0xff/);
    const fifo = join(d, 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(openLocal(fifo)).rejects.toThrow(
      /cannot read manifest .*fifo\.csv: it is not a regular file/,
    );
    await expect(openLocal(d)).rejects.toThrow(/it is a directory/);
  });
});
