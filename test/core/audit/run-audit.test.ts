import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketRecord } from '../../../src/core/audit/records.js';
import { AuditRecord, AuditSummary } from '../../../src/core/audit/records.js';
import { PreconditionError, ServiceError } from '../../../src/core/errors.js';
import { runAudit, type AuditInput } from '../../../src/core/audit/run-audit.js';
import { estimateCost } from '../../../src/core/cost/estimate.js';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import { workloadFromGroups } from '../../../src/core/cost/workload.js';
import { analyzeInventory } from '../../../src/core/inventory/analyze.js';
import type { InventoryConfigInfo } from '../../../src/core/plan/ports.js';
import { offlineServices } from '../../../src/deps.js';
import {
  fakeAuditDirectory,
  kmsKey,
  type FakeAuditAccount,
  type FakeAuditWorld,
} from '../../support/audit-fakes.js';
import { head } from '../../support/fakes.js';
import { record, renderDelivery, writeDeliveryDir } from '../../int/support/inventory-delivery.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
/** Key ids are unique across accounts, as KMS makes them. */
const keyId = (acct: string) => `1234abcd-0000-0000-0000-${acct}`;
const keyArn = (acct: string, region = 'us-east-1') => `arn:aws:kms:${region}:${acct}:key/${keyId(acct)}`;
const kms = (acct: string, bucketKey = true, region = 'us-east-1') => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn(acct, region) },
      BucketKeyEnabled: bucketKey,
    },
  ],
});
const sseS3 = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] };
const inv = (id = 'inv'): InventoryConfigInfo => ({
  id,
  enabled: true,
  format: 'CSV',
  includedVersions: 'All',
  optionalFields: ['Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus'],
  destinationBucket: 'arn:aws:s3:::dest',
  destinationPrefix: 'inv',
});

let root: string;
let dirs: Record<string, string>;

async function delivery(
  name: string,
  bucket: string,
  rows: Record<string, string>[],
  folder?: string,
): Promise<string> {
  const d = renderDelivery(
    rows.map((r, i) => record(bucket, `k${i}`, r)),
    {
      sourceBucket: bucket,
      destinationBucket: 'dest',
      prefix: 'inv',
      id: 'inv',
      // An hour before the audit's clock (now, below): a delivery from its future proves nothing.
      folder: folder ?? '2026-12-06T23-00Z',
    },
  );
  return writeDeliveryDir(join(root, name), d);
}

const compliantRow = { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED', Size: '100' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's3e-audit-'));
  dirs = {
    good: await delivery('good', 'good', [compliantRow, compliantRow]),
    mixed: await delivery('mixed', 'mixed', [
      compliantRow,
      { EncryptionStatus: 'NOT-SSE', Size: '1000' },
      { EncryptionStatus: 'SSE-S3', Size: '10' },
      { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED', Size: '5' },
    ]),
    odd: await delivery('odd', 'odd', [compliantRow, { EncryptionStatus: 'SSE-NEW', Size: '1' }]),
    sses3: await delivery('sses3', 'sses3', [{ EncryptionStatus: 'SSE-S3', Size: '7' }]),
    'no-bucket-key': await delivery('no-bucket-key', 'no-bucket-key', [compliantRow]),
    denied: await delivery('denied', 'denied', [compliantRow]),
    'b-good': await delivery('b-good', 'b-good', [compliantRow]),
    old: await delivery('old', 'old', [compliantRow], '2026-11-30T00-00Z'),
    future: await delivery('future', 'future', [compliantRow], '2026-12-07T06-00Z'),
  };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function world(accounts: FakeAuditAccount[], extra: Partial<FakeAuditWorld> = {}): FakeAuditWorld {
  return { accounts, profiles: { '': A, prod: A, staging: B }, calls: [], ...extra };
}

function input(over: Partial<AuditInput> = {}): AuditInput {
  return {
    kmsKey: 'alias/app',
    accounts: { kind: 'profiles', profiles: [undefined] },
    concurrency: 4,
    prices: DEFAULT_PRICES,
    toolVersion: '0.1.0',
    now: () => new Date('2026-12-07T00:00:00Z'),
    ...over,
  };
}

const keysOf = (acct: string) => ({ 'us-east-1': { 'alias/app': kmsKey(acct, 'us-east-1', keyId(acct)) } });

function accountA(): FakeAuditAccount {
  return {
    id: A,
    keys: keysOf(A),
    buckets: {
      good: { encryption: kms(A), inventories: [inv()], deliveryDir: dirs.good, versioning: 'Enabled' },
      mixed: { encryption: kms(A), inventories: [inv()], deliveryDir: dirs.mixed },
      sses3: { encryption: sseS3, inventories: [inv()], deliveryDir: dirs.sses3 },
      'no-inventory': { encryption: kms(A) },
      'no-delivery': { encryption: kms(A), inventories: [inv()] },
      'other-key': {
        encryption: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn(B) },
              BucketKeyEnabled: true,
            },
          ],
        },
      },
      'no-bucket-key': {
        encryption: kms(A, false),
        inventories: [inv()],
        deliveryDir: dirs['no-bucket-key'],
      },
      'no-default': { objectLock: true, versioning: 'Enabled' },
      odd: { encryption: kms(A), inventories: [inv()], deliveryDir: dirs.odd },
      denied: {
        encryption: kms(A),
        inventories: [inv()],
        deliveryDir: dirs.denied,
        deny: ['s3:GetEncryptionConfiguration'],
      },
    },
  };
}

const byBucket = (records: unknown[]) =>
  Object.fromEntries(
    (records as BucketRecord[]).filter((r) => r.type === 'bucket').map((r) => [r.bucket, r] as const),
  );

describe('audit verdicts', () => {
  it('judges each bucket from its default encryption and its newest inventory delivery', async () => {
    const { records, summary } = await runAudit(fakeAuditDirectory(world([accountA()])), input());
    const r = byBucket(records);
    expect(r.good?.verdict).toBe('compliant');
    expect(r.good?.next).toBeNull();
    expect(r.good?.cost).toBeNull();
    expect(r.good?.objects).toMatchObject({ source: 'inventory', sample: false, objects: 2 });
    expect(r.good?.objects?.byClass).toEqual({ compliant: { objects: 2, bytes: 200 } });
    expect(r.mixed?.verdict).toBe('needs-work');
    expect(r.mixed?.objects?.byClass).toEqual({
      compliant: { objects: 1, bytes: 100 },
      'NOT-SSE': { objects: 1, bytes: 1000 },
      'SSE-S3': { objects: 1, bytes: 10 },
      'SSE-KMS-no-bucket-key': { objects: 1, bytes: 5 },
    });
    expect(r.mixed?.next).toBe(
      `s3-encrypt plan --bucket mixed --kms-key ${keyArn(A)} --inventory s3://dest/inv --id inv --region us-east-1`,
    );
    expect(r.sses3?.verdict).toBe('needs-work');
    expect(r['other-key']?.verdict).toBe('needs-work');
    expect(r['other-key']?.defaultEncryption?.targetKey).toBe(false);
    expect(r['no-bucket-key']?.verdict).toBe('needs-work');
    expect(r['no-default']).toMatchObject({ verdict: 'needs-work', objectLock: true, versioning: 'Enabled' });
    expect(r['no-default']?.defaultEncryption?.algorithm).toBeNull();
    // The default is right, but nothing counted the objects: unknown, never compliant.
    expect(r['no-inventory']?.verdict).toBe('unknown');
    expect(r['no-inventory']?.objects).toBeNull();
    expect(r['no-inventory']?.next).toMatch(/^s3-encrypt setup-inventory --bucket no-inventory /);
    expect(r['no-delivery']?.verdict).toBe('unknown');
    expect(r['no-delivery']?.reasons.join('\n')).toMatch(/no complete inventory delivery/);
    expect(r['no-delivery']?.next).toMatch(/^s3-encrypt verify --bucket no-delivery .* --live/);
    // A status S3 does not document proves nothing: unknown, not compliant.
    expect(r.odd?.verdict).toBe('unknown');
    expect(r.odd?.objects?.byClass.unverified).toEqual({ objects: 1, bytes: 1 });
    expect(summary).toMatchObject({ buckets: 10, compliant: 1, needsWork: 5, unknown: 4, exitCode: 1 });
    // Every record and the summary fit the published schemas.
    for (const rec of records) AuditRecord.parse(rec);
    AuditSummary.parse(summary);
  });

  it('exits 0 only when every bucket is compliant, and never with no bucket', async () => {
    const only = { id: A, keys: keysOf(A), buckets: { good: accountA().buckets.good ?? {} } };
    const ok = await runAudit(fakeAuditDirectory(world([only])), input());
    expect(ok.summary).toMatchObject({ buckets: 1, compliant: 1, exitCode: 0 });
    const none = await runAudit(fakeAuditDirectory(world([only])), input({ bucketPrefix: 'nothing-' }));
    expect(none.summary).toMatchObject({ buckets: 0, exitCode: 1 });
  });

  it('records who ran it, when, and with which version', async () => {
    const { summary } = await runAudit(fakeAuditDirectory(world([accountA()])), input());
    expect(summary.ranBy).toEqual({ account: A, arn: `arn:aws:iam::${A}:user/default` });
    expect(summary).toMatchObject({
      startedAt: '2026-12-07T00:00:00.000Z',
      toolVersion: '0.1.0',
      kmsKey: 'alias/app',
    });
  });
});

describe('audit: what may not be read is a row, never an abort', () => {
  it('names the denied permission on the bucket row and audits the rest', async () => {
    const { records } = await runAudit(fakeAuditDirectory(world([accountA()])), input());
    const d = byBucket(records).denied;
    expect(d?.verdict).toBe('unknown');
    expect(d?.denied).toEqual(['s3:GetEncryptionConfiguration']);
    expect(d?.defaultEncryption).toBeNull();
    expect(d?.next).toBe(
      'grant s3:GetEncryptionConfiguration on bucket denied to the auditing principal, then run audit again',
    );
  });

  it('still proves work needed when the default is unreadable but the inventory shows offenders', async () => {
    const acct = accountA();
    acct.buckets = { mixed: { ...acct.buckets.mixed, deny: ['s3:GetEncryptionConfiguration'] } };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input());
    expect(byBucket(records).mixed).toMatchObject({
      verdict: 'needs-work',
      denied: ['s3:GetEncryptionConfiguration'],
    });
  });

  it('a bucket whose region cannot be read is unknown, naming s3:GetBucketLocation', async () => {
    const acct = accountA();
    acct.buckets = { good: { ...acct.buckets.good, deny: ['s3:GetBucketLocation'] } };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input());
    expect(byBucket(records).good).toMatchObject({
      verdict: 'unknown',
      region: null,
      denied: ['s3:GetBucketLocation'],
    });
  });

  it('a target key that cannot be resolved leaves a right-looking default unknown', async () => {
    const acct = { ...accountA(), deny: ['kms:DescribeKey'] };
    acct.buckets = { good: acct.buckets.good ?? {}, sses3: acct.buckets.sses3 ?? {} };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input());
    const r = byBucket(records);
    expect(r.good).toMatchObject({ verdict: 'unknown', denied: ['kms:DescribeKey'] });
    expect(r.good?.defaultEncryption?.targetKey).toBeNull();
    // No comparison needed: SSE-S3 is wrong whatever the key, and KMS is not asked.
    expect(r.sses3).toMatchObject({ verdict: 'needs-work', denied: [] });
  });

  it('a key ARN is compared as given, without kms:DescribeKey', async () => {
    const acct = { ...accountA(), deny: ['kms:DescribeKey'] };
    acct.buckets = { good: acct.buckets.good ?? {} };
    const w = world([acct]);
    const { records } = await runAudit(fakeAuditDirectory(w), input({ kmsKey: keyArn(A) }));
    expect(byBucket(records).good?.verdict).toBe('compliant');
    expect(w.calls.some((c) => c.startsWith('kms:'))).toBe(false);
  });

  it('an account whose role cannot be assumed is a row; the other accounts are audited', async () => {
    const b = {
      id: B,
      keys: keysOf(B),
      buckets: { 'b-good': { encryption: kms(B), inventories: [inv()], deliveryDir: dirs['b-good'] } },
    };
    const c = { id: C, buckets: {}, deny: ['sts:AssumeRole'] };
    const w = world([accountA(), b, c]);
    const { records, summary } = await runAudit(
      fakeAuditDirectory(w),
      input({ accounts: { kind: 'roles', profile: undefined, roleName: 'Audit', accounts: [B, C] } }),
    );
    const acctRow = records.find((r) => r.type === 'account');
    expect(acctRow).toMatchObject({
      account: C,
      via: `arn:aws:iam::${C}:role/Audit`,
      denied: ['sts:AssumeRole'],
    });
    expect(records.filter((r) => r.type === 'bucket').map((r) => (r as BucketRecord).bucket)).toEqual([
      'b-good',
    ]);
    expect(summary).toMatchObject({ unreadableAccounts: 1, exitCode: 1 });
  });
});

describe('audit accounts', () => {
  it('reads Organizations, skips accounts that are not ACTIVE, and assumes the role in each', async () => {
    const b = {
      id: B,
      keys: keysOf(B),
      buckets: { 'b-good': { encryption: kms(B), inventories: [inv()], deliveryDir: dirs['b-good'] } },
    };
    const c = { id: C, keys: keysOf(C), buckets: { 'c-s3': { encryption: sseS3 } } };
    const w = world([accountA(), b, c], {
      org: [
        { id: B, status: 'ACTIVE' },
        { id: C, status: 'ACTIVE' },
        { id: '444444444444', status: 'SUSPENDED' },
      ],
    });
    const { records, summary } = await runAudit(
      fakeAuditDirectory(w),
      input({ accounts: { kind: 'roles', profile: 'prod', roleName: 'Audit', accounts: 'org' } }),
    );
    const r = byBucket(records);
    expect(r['b-good']).toMatchObject({
      account: B,
      verdict: 'compliant',
      via: `arn:aws:iam::${B}:role/Audit`,
    });
    expect(r['c-s3']).toMatchObject({ account: C, verdict: 'needs-work' });
    expect(summary.skippedAccounts).toEqual([{ account: '444444444444', status: 'SUSPENDED' }]);
    expect(summary.ranBy?.account).toBe(A);
    expect(summary.accounts.map((a) => a.account)).toEqual([B, C]);
  });

  it('an account Organizations lists as not ACTIVE was not audited: the run never passes (exit 1)', async () => {
    const b = {
      id: B,
      keys: keysOf(B),
      buckets: { 'b-good': { encryption: kms(B), inventories: [inv()], deliveryDir: dirs['b-good'] } },
    };
    const run = (org: { id: string; status: string }[]) =>
      runAudit(
        fakeAuditDirectory(world([accountA(), b], { org })),
        input({ accounts: { kind: 'roles', profile: 'prod', roleName: 'Audit', accounts: 'org' } }),
      );
    expect((await run([{ id: B, status: 'ACTIVE' }])).summary.exitCode).toBe(0);
    const suspended = await run([
      { id: B, status: 'ACTIVE' },
      { id: '444444444444', status: 'SUSPENDED' },
    ]);
    expect(suspended.summary).toMatchObject({ compliant: 1, buckets: 1, exitCode: 1 });
  });

  it('several profiles: each profile its account, and the next command names the profile', async () => {
    const b = { id: B, keys: keysOf(B), buckets: { 'b-s3': { encryption: sseS3 } } };
    const acct = accountA();
    acct.buckets = { good: acct.buckets.good ?? {} };
    const { records } = await runAudit(
      fakeAuditDirectory(world([acct, b])),
      input({ accounts: { kind: 'profiles', profiles: ['prod', 'staging'] } }),
    );
    const r = byBucket(records);
    expect(r.good).toMatchObject({ account: A, via: 'profile prod', verdict: 'compliant' });
    expect(r['b-s3']?.next).toBe(
      's3-encrypt plan --bucket b-s3 --kms-key ' +
        keyArn(B).replace(/.*/, 'alias/app') +
        ' --profile staging --region us-east-1',
    );
  });

  it('--buckets: names no account lists are rows, not silence', async () => {
    const b = { id: B, buckets: { 'b-s3': { encryption: sseS3 } } };
    const { records } = await runAudit(
      fakeAuditDirectory(world([accountA(), b])),
      input({
        accounts: { kind: 'profiles', profiles: ['prod', 'staging'] },
        buckets: ['good', 'typo-bucket'],
      }),
    );
    const r = byBucket(records);
    expect(Object.keys(r).sort()).toEqual(['good', 'typo-bucket']);
    expect(r['typo-bucket']).toMatchObject({ verdict: 'unknown', account: null });
  });
});

describe('audit --sample', () => {
  it('marks sampled counts as a sample, and a clean sample proves nothing', async () => {
    const acct = {
      id: A,
      keys: keysOf(A),
      buckets: {
        clean: {
          encryption: kms(A),
          objects: [
            head('a', { serverSideEncryption: 'aws:kms', kmsKeyId: keyArn(A), bucketKeyEnabled: true }),
            head('b', { serverSideEncryption: 'aws:kms', kmsKeyId: keyArn(A), bucketKeyEnabled: true }),
            head('c', { serverSideEncryption: 'aws:kms', kmsKeyId: keyArn(A), bucketKeyEnabled: true }),
          ],
        },
        dirty: {
          encryption: kms(A),
          objects: [
            head('a', { serverSideEncryption: 'AES256', size: 50 }),
            { key: 'b', unverified: true as const, size: 1 },
            head('c', { serverSideEncryption: 'aws:kms', kmsKeyId: keyArn(B), bucketKeyEnabled: true }),
          ],
        },
      },
    };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input({ sample: 2 }));
    const r = byBucket(records);
    expect(r.clean?.objects).toMatchObject({ source: 'sample', sample: true, partial: true, objects: 2 });
    expect(r.clean?.verdict).toBe('unknown');
    expect(r.clean?.reasons.join('\n')).toMatch(/a sample proves no bucket compliant/);
    expect(r.dirty?.verdict).toBe('needs-work');
    expect(r.dirty?.objects?.byClass).toEqual({
      'SSE-S3': { objects: 1, bytes: 50 },
      unverified: { objects: 1, bytes: 1 },
    });
    // A sample prices what it saw, as plan's listing does: a partial figure.
    expect(r.dirty?.cost).toMatchObject({ basis: 'listing', partial: true });
    const all = await runAudit(fakeAuditDirectory(world([acct])), input({ sample: 10 }));
    expect(byBucket(all.records).dirty?.objects?.byClass['SSE-KMS-other-key']).toEqual({
      objects: 1,
      bytes: 1,
    });
  });

  it('never samples a bucket whose inventory delivery was read', async () => {
    const w = world([accountA()]);
    await runAudit(fakeAuditDirectory(w), input({ sample: 5 }));
    expect(
      w.calls
        .filter((c) => c.startsWith('s3:ListBucket '))
        .map((c) => c.split('/')[1])
        .sort(),
    ).toEqual(['no-default', 'no-delivery', 'no-inventory', 'other-key']);
  });
});

describe('audit cost', () => {
  it("is plan's estimate from the same inventory counts, for buckets that need work only", async () => {
    const { records } = await runAudit(fakeAuditDirectory(world([accountA()])), input());
    const a = await analyzeInventory(offlineServices.inventory.dirDelivery(dirs.mixed as string), {
      bucket: 'mixed',
    });
    const expected = estimateCost(
      workloadFromGroups(a.groups, a.stats, a.rows, 'x'),
      { versioning: 'Off', noncurrentExpirationDays: undefined },
      DEFAULT_PRICES,
    );
    const mixed = byBucket(records).mixed;
    expect(mixed?.cost?.totalUsd).toBe(expected.totalUsd);
    expect(mixed?.cost?.totalUsd).toBeGreaterThan(0);
    expect(mixed?.cost?.basis).toBe('manifests');
    // Unknown versioning would be priced as versioned; here it is Off: no extra storage line.
    expect(byBucket(records)['no-inventory']?.cost).toBeNull();
  });
});

describe('audit: default encryption details', () => {
  it('reports blocked encryption types and the Bucket Key as configured', async () => {
    const rule = kms(A);
    const blocked = { Rules: [{ ...rule.Rules[0], BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }] };
    const acct = { id: A, keys: keysOf(A), buckets: { b: { encryption: blocked } } };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input());
    const b = byBucket(records).b;
    expect(b?.defaultEncryption).toEqual({
      algorithm: 'aws:kms',
      kmsKey: keyArn(A),
      bucketKey: true,
      blockedEncryptionTypes: ['SSE-C'],
      targetKey: true,
    });
    expect(b?.reasons[0]).toBe(
      'default encryption: SSE-KMS under the target key with S3 Bucket Keys; blocks SSE-C',
    );
  });
});

describe('audit: an old delivery', () => {
  it('is said on the row, as verify --inventory says it, and proves no compliance (stale-delivery.test.ts)', async () => {
    const acct = {
      id: A,
      keys: keysOf(A),
      buckets: { old: { encryption: kms(A), inventories: [inv()], deliveryDir: dirs.old } },
    };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input());
    const old = byBucket(records).old;
    expect(old?.verdict).toBe('unknown');
    expect(old?.objects?.warnings.join('\n')).toMatch(/delivery 2026-11-30T00-00Z is 168 h old/);
    expect(old?.reasons.join('\n')).toMatch(/is 168 h old/);
  });
});

describe('audit: a delivery dated after the clock', () => {
  it('has no age to judge, so it proves no compliance either', async () => {
    const acct = {
      id: A,
      keys: keysOf(A),
      buckets: { future: { encryption: kms(A), inventories: [inv()], deliveryDir: dirs.future } },
    };
    const { records } = await runAudit(fakeAuditDirectory(world([acct])), input());
    const future = byBucket(records).future;
    expect(future?.verdict).toBe('unknown');
    expect(future?.reasons.join('\n')).toMatch(/delivery 2026-12-07T06-00Z is dated 6 h in the future/);
  });
});

describe('audit: what stops the whole run', () => {
  it('an unreachable endpoint stops the run with its one line (every bucket would say the same)', async () => {
    const dirs0 = fakeAuditDirectory(world([accountA()]));
    const broken: typeof dirs0 = {
      async open(p) {
        const a = await dirs0.open(p);
        return {
          ...a,
          bucketRegion: async () => {
            throw new ServiceError('Unreachable', 'cannot reach http://127.0.0.1:9', 'check --endpoint-url');
          },
        };
      },
    };
    await expect(runAudit(broken, input())).rejects.toMatchObject({ code: 'Unreachable' });
  });

  it('one set of credentials that STS refuses stops the run; one of several is a row', async () => {
    const base = fakeAuditDirectory(world([accountA(), { id: B, buckets: {} }]));
    const refusing: typeof base = {
      async open(p) {
        const a = await base.open(p);
        if (p !== 'staging') return a;
        return {
          ...a,
          identity: async () => {
            throw new PreconditionError(
              'BadCredentials',
              'the credentials were rejected (ExpiredToken)',
              'refresh',
            );
          },
        };
      },
    };
    await expect(
      runAudit(refusing, input({ accounts: { kind: 'profiles', profiles: ['staging'] } })),
    ).rejects.toMatchObject({ code: 'BadCredentials' });
    const both = await runAudit(
      refusing,
      input({ accounts: { kind: 'profiles', profiles: ['prod', 'staging'] } }),
    );
    expect(both.records.find((r) => r.type === 'account')).toMatchObject({
      via: 'profile staging',
      verdict: 'unknown',
    });
    expect(both.summary.exitCode).toBe(1);
  });

  it('an interrupt stops the run as interrupted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      runAudit(fakeAuditDirectory(world([accountA()])), input({ signal: ctl.signal })),
    ).rejects.toMatchObject({
      code: 'Interrupted',
    });
  });
});
