// build-manifest's progress line on a terminal: data files read of the delivery's total.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineServices } from '../../src/deps.js';
import { run } from '../../src/program.js';
import { record, renderDelivery, writeDeliveryDir } from '../int/support/inventory-delivery.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';

const B = 'data-1';
let dir: string;
let out: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-bmp-in-'));
  out = join(await mkdtemp(join(tmpdir(), 's3e-bmp-out-')), 'out');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(out, '..'), { recursive: true, force: true });
});

async function onTerminal(argv: string[], tty: boolean) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env: { AWS_REGION: 'us-east-1' },
    stdout: { write: (s: string) => (stdout += s), isTTY: tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty, columns: 120 },
    signal: new AbortController().signal,
    services: fakeServices(fakeWorld()),
    offline: offlineServices,
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

describe('build-manifest progress', () => {
  const records = Array.from({ length: 30 }, (_, i) => record(B, `k/${i}`));
  const argv = () => [
    'build-manifest',
    '--bucket',
    B,
    '--from-dir',
    dir,
    '--out',
    out,
    '--kms-key',
    keyDesc().arn,
  ];

  it('on a terminal, counts data files read of the delivery total, on stderr', async () => {
    await writeDeliveryDir(
      dir,
      renderDelivery(records, {
        sourceBucket: B,
        destinationBucket: 'inv-dest',
        prefix: 'inv',
        id: 'cfg',
        folder: '2026-05-03T00-00Z',
        files: 3,
      }),
    );
    const r = await onTerminal(argv(), true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[#+\]\s+100%\s+3\/3 data files/);
    expect(r.stderr).toMatch(/\d+%\s+[12]\/3 data files/);
    expect(r.stderr).toContain('30 rows');
    expect(r.stdout).not.toMatch(/\/3 data files/);
  });

  it('draws nothing when stderr is not a terminal', async () => {
    await writeDeliveryDir(
      dir,
      renderDelivery(records, {
        sourceBucket: B,
        destinationBucket: 'inv-dest',
        prefix: 'inv',
        id: 'cfg',
        folder: '2026-05-03T00-00Z',
        files: 3,
      }),
    );
    const r = await onTerminal(argv(), false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).not.toMatch(/\/3 data files/);
    expect(r.stderr).not.toContain('\r');
  });
});
