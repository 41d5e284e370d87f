// audit on a bucket whose newest inventory delivery is older than its schedule allows: the
// deliveries stopped (a destination policy, a deleted configuration), and objects written since,
// under whatever encryption their writers asked for, are not counted. Such a delivery used to
// prove the bucket compliant (exit 0) however old it was, with only a warning on the row.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/core/audit/run-audit.js';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import type { InventoryConfigInfo } from '../../../src/core/plan/ports.js';
import { fakeAuditDirectory, kmsKey } from '../../support/audit-fakes.js';
import { record, renderDelivery, writeDeliveryDir } from '../../int/support/inventory-delivery.js';

const A = '111111111111';
const KEY = kmsKey(A, 'us-east-1', '1234abcd-0000-0000-0000-111111111111');
const NOW = new Date('2026-12-07T12:00:00Z');
const kms = {
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
      BucketKeyEnabled: true,
    },
  ],
};
const inv = (frequency?: string): InventoryConfigInfo => ({
  id: 'inv',
  enabled: true,
  format: 'CSV',
  includedVersions: 'All',
  optionalFields: ['Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus'],
  destinationBucket: 'arn:aws:s3:::dest',
  destinationPrefix: 'inv',
  ...(frequency ? { frequency } : {}),
});
const ok = { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED', Size: '10' };
/** The delivery folder `hours` before NOW. */
const ago = (hours: number) =>
  new Date(NOW.getTime() - hours * 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3e-audit-stale-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function auditOne(
  hours: number,
  frequency: string | undefined,
  rows: Record<string, string>[] = [ok, ok],
) {
  const bucket = 'b-1';
  const dir = join(root, `${hours}-${frequency ?? 'none'}-${rows.length}`);
  await writeDeliveryDir(
    dir,
    renderDelivery(
      rows.map((r, i) => record(bucket, `k${i}`, r)),
      { sourceBucket: bucket, destinationBucket: 'dest', prefix: 'inv', id: 'inv', folder: ago(hours) },
    ),
  );
  const world = {
    profiles: { '': A },
    calls: [],
    accounts: [
      {
        id: A,
        keys: { 'us-east-1': { 'alias/app': KEY } },
        buckets: { [bucket]: { encryption: kms, inventories: [inv(frequency)], deliveryDir: dir } },
      },
    ],
  };
  const r = await runAudit(fakeAuditDirectory(world), {
    kmsKey: 'alias/app',
    accounts: { kind: 'profiles', profiles: [undefined] },
    concurrency: 2,
    prices: DEFAULT_PRICES,
    toolVersion: '0.1.0',
    now: () => NOW,
  });
  const row = r.records.find((x) => x.type === 'bucket');
  if (row?.type !== 'bucket') throw new Error('no bucket row');
  return { row, exitCode: r.summary.exitCode };
}

describe('audit: a delivery older than its schedule proves nothing compliant', () => {
  it('Daily: 30 h old is compliant; 72 h old is unknown, exit 1, and the next step is verify --live', async () => {
    expect((await auditOne(30, 'Daily')).row.verdict).toBe('compliant');
    const { row, exitCode } = await auditOne(72, 'Daily');
    expect(row.verdict).toBe('unknown');
    expect(exitCode).toBe(1);
    expect(row.reasons.join('\n')).toMatch(
      /newest delivery \(.*\) is 72 h old, though a Daily inventory delivers every 24 h/,
    );
    expect(row.next).toMatch(/verify --bucket b-1 .*--live/);
  });

  it('Weekly: 6 days old is compliant; 10 days old is unknown', async () => {
    expect((await auditOne(6 * 24, 'Weekly')).row.verdict).toBe('compliant');
    expect((await auditOne(10 * 24, 'Weekly')).row.verdict).toBe('unknown');
  });

  it('no frequency read: judged as Daily, the stricter', async () => {
    expect((await auditOne(72, undefined)).row.verdict).toBe('unknown');
  });

  it('an old delivery that shows offenders still proves work needed', async () => {
    const { row } = await auditOne(24 * 30, 'Daily', [ok, { EncryptionStatus: 'SSE-S3', Size: '5' }]);
    expect(row.verdict).toBe('needs-work');
  });
});
