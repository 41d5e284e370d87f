// audit's progress: the total it announces is the number of bucket rows it then reports, with
// 0 buckets, 1,000 buckets, and --buckets names no account shows (those rows were reported as
// done but not counted in the total: "3/2 buckets").
import { expect, it } from 'vitest';
import { runAudit } from '../../../src/core/audit/run-audit.js';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import { fakeAuditDirectory, kmsKey } from '../../support/audit-fakes.js';

const A = '111111111111';

async function progress(bucketCount: number, named?: string[]) {
  const buckets: Record<string, object> = {};
  for (let i = 0; i < bucketCount; i++) buckets[`b-${String(i).padStart(4, '0')}`] = {};
  const world = {
    profiles: { '': A, other: '222222222222' },
    calls: [] as string[],
    accounts: [
      { id: A, keys: { 'us-east-1': { 'alias/app': kmsKey(A, 'us-east-1', 'k') } }, buckets },
      { id: '222222222222', buckets: {} },
    ],
  };
  let total: number | undefined;
  let done = 0;
  let maxDone = 0;
  const { summary } = await runAudit(fakeAuditDirectory(world), {
    kmsKey: 'alias/app',
    // Two profiles: --buckets names are then matched against ListBuckets, not used as given.
    accounts: { kind: 'profiles', profiles: [undefined, 'other'] },
    buckets: named,
    concurrency: 8,
    prices: DEFAULT_PRICES,
    toolVersion: '0.1.0',
    now: () => new Date('2026-12-07T00:00:00Z'),
    onTotal: (n) => (total = n),
    onRecord: (r) => {
      if (r.type === 'bucket') done++;
      maxDone = Math.max(maxDone, done);
    },
  });
  return { total, done, maxDone, buckets: summary.buckets, exitCode: summary.exitCode };
}

it('0 buckets: total 0, nothing done, exit 1', async () => {
  expect(await progress(0)).toEqual({ total: 0, done: 0, maxDone: 0, buckets: 0, exitCode: 1 });
});

it('1,000 buckets: total 1,000, each done once', async () => {
  expect(await progress(1000)).toMatchObject({ total: 1000, done: 1000, buckets: 1000 });
});

it('--buckets names no account shows are rows of the total too', async () => {
  const r = await progress(2, ['b-0000', 'b-0001', 'no-such-1']);
  expect(r).toMatchObject({ total: 3, done: 3, maxDone: 3, buckets: 3 });
});
