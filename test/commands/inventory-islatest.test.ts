// An All-versions inventory row whose IsLatest is neither true nor false (empty: what a Parquet
// null reads as) was taken as a noncurrent version, which verify and audit let pass: a current
// NOT-SSE object vanished from the offenders and verify --inventory exited 0.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { record, renderDelivery, writeDeliveryDir } from '../int/support/inventory-delivery.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const B = 'data-1';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-islatest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deliver(isLatest: string): Promise<void> {
  const folder = new Date(Date.now() - 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';
  await writeDeliveryDir(
    dir,
    renderDelivery(
      [
        record(B, 'ok', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED', VersionId: 'v1' }),
        record(B, 'plain', { EncryptionStatus: 'NOT-SSE', VersionId: 'v2', IsLatest: isLatest }),
      ],
      { sourceBucket: B, destinationBucket: 'inv', prefix: '', id: 'cfg', folder },
    ),
  );
}

const verify = () =>
  runCli(['verify', '--bucket', B, '--kms-key', keyDesc().arn, '--from-dir', dir], fakeServices(fakeWorld()));

for (const odd of ['', 'yes', '0'])
  it(`IsLatest ${JSON.stringify(odd)}: the delivery is refused as damaged (exit 3), naming the row`, async () => {
    await deliver(odd);
    const r = await verify();
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(`row 2: IsLatest is ${JSON.stringify(odd)}, neither true nor false \\(key "plain"\\)`),
    );
  });

it('IsLatest false and FALSE are noncurrent versions, as before (a warning, exit 0)', async () => {
  for (const v of ['false', 'FALSE']) {
    await deliver(v);
    const r = await verify();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 noncurrent versions are not encrypted/);
  }
});
