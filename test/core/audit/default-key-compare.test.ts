// audit compares a bucket default's key with the target as plan and create-job do
// (judgeDefaultEncryption). It compared key ids only: a default naming an alias of the target
// key was "not the target key" (needs work, while plan says ready), and a default naming another
// key ARN that shares the target's key id (a multi-Region replica elsewhere) was the target.
import { expect, it } from 'vitest';
import type { BucketRecord } from '../../../src/core/audit/records.js';
import { runAudit } from '../../../src/core/audit/run-audit.js';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import { fakeAuditDirectory, kmsKey, type FakeAuditWorld } from '../../support/audit-fakes.js';

const A = '111111111111';
const TARGET = kmsKey(A, 'us-east-1', 'mrk-1234abcd');
const kmsDefault = (id: string) => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: id },
      BucketKeyEnabled: true,
    },
  ],
});

async function rows(): Promise<Record<string, BucketRecord>> {
  const world: FakeAuditWorld = {
    profiles: { '': A },
    calls: [],
    accounts: [
      {
        id: A,
        keys: { 'us-east-1': { 'alias/app': TARGET, 'alias/other-name': TARGET } },
        buckets: {
          'by-alias': { encryption: kmsDefault('alias/other-name') },
          'by-arn': { encryption: kmsDefault(TARGET.arn) },
          'alias-gone': { encryption: kmsDefault('alias/gone') },
          replica: { encryption: kmsDefault('arn:aws:kms:us-west-2:111111111111:key/mrk-1234abcd') },
        },
      },
    ],
  };
  const { records } = await runAudit(fakeAuditDirectory(world), {
    kmsKey: 'alias/app',
    accounts: { kind: 'profiles', profiles: [undefined] },
    concurrency: 2,
    prices: DEFAULT_PRICES,
    toolVersion: '0.1.0',
    now: () => new Date('2026-12-07T00:00:00Z'),
  });
  return Object.fromEntries(
    records.filter((r): r is BucketRecord => r.type === 'bucket').map((r) => [r.bucket, r]),
  );
}

it('a default naming an alias of the target key is the target key', async () => {
  const r = await rows();
  expect(r['by-alias']?.defaultEncryption?.targetKey).toBe(true);
  expect(r['by-arn']?.defaultEncryption?.targetKey).toBe(true);
});

it("another key ARN sharing the target's key id (a replica in another region) is not the target", async () => {
  const r = await rows();
  expect(r.replica?.defaultEncryption?.targetKey).toBe(false);
  expect(r.replica?.verdict).toBe('needs-work');
});

it('an alias DescribeKey cannot resolve leaves the default unknown, naming the problem', async () => {
  const r = await rows();
  expect(r['alias-gone']?.defaultEncryption?.targetKey).toBe(null);
  expect(r['alias-gone']?.verdict).toBe('unknown');
  expect(r['alias-gone']?.problems.map((p) => p.message)).toEqual([
    'KMS key alias/gone was not found in us-east-1 (the key the bucket default names)',
  ]);
});
