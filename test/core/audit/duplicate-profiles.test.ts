// Several --profile that reach one account (a profile given twice, or two roles of one account):
// each bucket was audited once per profile, so the summary counted its buckets, objects and cost
// twice over.
import { expect, it } from 'vitest';
import { runAudit } from '../../../src/core/audit/run-audit.js';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import { fakeAuditDirectory, kmsKey, type FakeAuditWorld } from '../../support/audit-fakes.js';

const A = '111111111111';
const B = '222222222222';

it('each account once, whichever profiles reach it; the repeat is said', async () => {
  const world: FakeAuditWorld = {
    profiles: { prod: A, 'prod-admin': A, staging: B },
    calls: [] as string[],
    accounts: [
      {
        id: A,
        keys: { 'us-east-1': { 'alias/app': kmsKey(A, 'us-east-1', 'ka') } },
        buckets: { 'a-1': {}, 'a-2': {} },
      },
      { id: B, keys: { 'us-east-1': { 'alias/app': kmsKey(B, 'us-east-1', 'kb') } }, buckets: { 'b-1': {} } },
    ],
  };
  const { records, summary } = await runAudit(fakeAuditDirectory(world), {
    kmsKey: 'alias/app',
    accounts: { kind: 'profiles', profiles: ['prod', 'prod-admin', 'staging', 'prod'] },
    concurrency: 2,
    prices: DEFAULT_PRICES,
    toolVersion: '0.1.0',
    now: () => new Date('2026-12-07T00:00:00Z'),
  });
  expect(records.map((r) => (r.type === 'bucket' ? `${r.bucket} ${r.via}` : r.type))).toEqual([
    'a-1 profile prod',
    'a-2 profile prod',
    'b-1 profile staging',
  ]);
  expect(summary.buckets).toBe(3);
  expect(summary.accounts.map((a) => a.account)).toEqual([A, B]);
  expect(summary.skippedAccounts).toEqual([
    { account: A, status: 'reached again through profile prod-admin (audited through profile prod)' },
    { account: A, status: 'reached again through profile prod (audited through profile prod)' },
  ]);
});
