// verify --json --report whose page cannot be written at the end: the error is one line (and one
// {"error"} record), not a crash of the report's digest, which was final before the write.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PreconditionError } from '../../src/core/errors.js';
import { offlineServices } from '../../src/deps.js';
import { run } from '../../src/program.js';
import { record, renderDelivery, writeDeliveryDir } from '../int/support/inventory-delivery.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';

const B = 'data-1';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-vr-fail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a report write that fails after the records: exit 3, one error line, no crash', async () => {
  const folder = new Date(Date.now() - 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';
  await writeDeliveryDir(
    dir,
    renderDelivery([record(B, 'a', { EncryptionStatus: 'SSE-S3' })], {
      sourceBucket: B,
      destinationBucket: 'inv',
      prefix: '',
      id: 'cfg',
      folder,
    }),
  );
  let stdout = '';
  let stderr = '';
  const code = await run(
    [
      '--json',
      'verify',
      '--bucket',
      B,
      '--kms-key',
      keyDesc().arn,
      '--from-dir',
      dir,
      '--report',
      join(dir, 'r.html'),
    ],
    {
      env: { AWS_REGION: 'us-east-1' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      signal: new AbortController().signal,
      services: fakeServices(fakeWorld()),
      offline: {
        ...offlineServices,
        evidence: {
          check: offlineServices.evidence.check,
          write: () =>
            Promise.reject(
              new PreconditionError(
                'CannotWriteReport',
                'cannot write --report r.html: no space left',
                'free space',
              ),
            ),
        },
      },
      cwd: dir,
    },
  );
  expect(code, stderr).toBe(3);
  expect(stderr).toMatch(/^error: cannot write --report r\.html: no space left: free space$/m);
  expect(stderr).not.toMatch(/Digest already called|ERR_CRYPTO/);
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.at(-1)).toMatchObject({ error: { code: 'CannotWriteReport' } });
});
