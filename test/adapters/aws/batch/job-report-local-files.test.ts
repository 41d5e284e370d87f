// The local files around a Batch job (create-job --summary, status --retry-manifest): read strictly
// (UTF-8, regular files only) and written only where checkPath() allows, with one-line refusals.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../../src/adapters/aws/transport/clients.js';
import { batchFiles } from '../../../../src/adapters/aws/batch/job-report.js';

// Local files never reach for a client.
const files = batchFiles({ config: { region: 'us-east-1' } } as unknown as AwsClients);
const dir = () => mkdtempSync(join(tmpdir(), 's3e-jobfiles-'));

describe('batchFiles on local files', () => {
  it('refuses a summary that is not UTF-8 (line and offset), and a FIFO', async () => {
    const d = dir();
    writeFileSync(join(d, 's.json'), Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
    await expect(files.readText({ kind: 'file', path: 's.json', cwd: d })).rejects.toThrow(
      's.json line 1 (byte 3 of the line, offset 2 in the file) is not valid UTF-8: it has byte 0xc3',
    );
    execFileSync('mkfifo', [join(d, 'fifo')]);
    await expect(files.readText({ kind: 'file', path: 'fifo', cwd: d })).rejects.toThrow(
      /cannot read fifo: not a regular file/,
    );
  });

  it('refuses to write under /proc or under a file, naming the flag; makes missing directories', async () => {
    const d = dir();
    writeFileSync(join(d, 'notes'), 'mine');
    await expect(
      files.writeText(
        { kind: 'file', path: '/proc/x/retry.csv', cwd: d, flag: '--retry-manifest' },
        'b,k\n',
        'text/csv',
      ),
    ).rejects.toMatchObject({
      exitCode: 2,
      message:
        "--retry-manifest /proc/x/retry.csv: /proc is a system file system, not a place for this tool's files",
    });
    await expect(
      files.writeText(
        { kind: 'file', path: 'notes/retry.csv', cwd: d, flag: '--retry-manifest' },
        'b,k\n',
        'text/csv',
      ),
    ).rejects.toThrow(/--retry-manifest .*notes\/retry\.csv: .*notes is a file, not a directory/);
    await files.writeText({ kind: 'file', path: 'a/b/retry.csv', cwd: d }, 'b,k\n', 'text/csv');
    expect(existsSync(join(d, 'a', 'b', 'retry.csv'))).toBe(true);
  });
});
