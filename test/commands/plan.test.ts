import { beforeEach, describe, expect, it } from 'vitest';
import { PreconditionError } from '../../src/core/errors.js';
import { ACCOUNT, fakeWorld, head, keyDesc, REGION, type FakeWorld } from '../support/fakes.js';
import {
  auditedBucket,
  defaultKeyPolicy,
  planServices,
  planWorld,
  type PlanWorld,
} from '../support/plan-fakes.js';
import { runCli } from '../support/run-cli.js';

const BUCKET = 'data-bucket';
const KEY = keyDesc();
const READY_ENCRYPTION = {
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
      BucketKeyEnabled: true,
    },
  ],
};

let world: FakeWorld;
let pw: PlanWorld;

beforeEach(() => {
  world = fakeWorld();
  pw = planWorld();
  world.keys.set(KEY.arn, KEY);
  world.keys.set('alias/app', KEY);
  world.buckets.set(BUCKET, {
    region: REGION,
    objects: [head('a.txt', { size: 10 }), head('b.txt', { size: 20 })],
  });
  pw.buckets.set(BUCKET, auditedBucket({ ownership: 'BucketOwnerEnforced' }));
  pw.keyPolicies.set(KEY.arn, defaultKeyPolicy(ACCOUNT));
  pw.rotation.set(KEY.arn, true);
});

const plan = (...extra: string[]) =>
  runCli(['plan', '--bucket', BUCKET, '--kms-key', 'alias/app', ...extra], planServices(world, pw));
type PlanJson = {
  status: string;
  checks: { id: string; status: string; title: string; detail: string; advice: string }[];
  inventory?: { source: string };
  listing?: { source: string; partial: boolean };
  cost: { totalUsd: number; lines: { id: string; quantity: number; usd: number }[] };
  next: string[];
};
const json = async (...extra: string[]) => {
  const r = await plan('--json', ...extra);
  const docs = r.json() as PlanJson[];
  expect(docs).toHaveLength(1);
  return { r, doc: docs[0] as PlanJson };
};
const status = (doc: PlanJson, id: string) => doc.checks.find((c) => c.id === id)?.status;

describe('plan', () => {
  it('prints a finding line and an indented advice line per check, and exits 0 without FAIL', async () => {
    const r = await plan();
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith('WARN  Default encryption: none configured'));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe(`      run: s3-encrypt enable-sse --bucket ${BUCKET} --kms-key ${KEY.arn}`);
    expect(r.stdout).toContain('PASS  Object ACLs: ACLs are disabled (BucketOwnerEnforced)');
    expect(r.stdout).toContain('Cost estimate (listing;');
    expect(r.stdout).toMatch(/Next, in order:\n {2}1\. s3-encrypt policy --bucket data-bucket/);
    expect(r.stdout).toMatch(/0 FAIL, \d+ WARN, \d+ PASS/);
    expect(world.writes).toEqual([]);
  });

  it('--json is one document with checks, cost and next, and the listing counts', async () => {
    const { r, doc } = await json();
    expect(r.code).toBe(0);
    expect(doc.status).toBe('WARN');
    for (const c of doc.checks)
      expect(Object.keys(c).sort()).toEqual(['advice', 'detail', 'id', 'status', 'title']);
    expect(doc.inventory).toBeUndefined();
    expect(doc.listing).toMatchObject({ source: 'listing', partial: false });
    expect(doc.cost.lines.find((l) => l.id === 'copy-requests')?.quantity).toBe(2);
    expect(doc.next[0]).toContain('s3-encrypt policy');
    expect(r.stderr).toContain('Checking s3://data-bucket');
  });

  it('passes a bucket that is already on the key with Bucket Keys, and skips enable-sse in the next steps', async () => {
    (world.buckets.get(BUCKET) as { encryption?: unknown }).encryption = READY_ENCRYPTION;
    const { doc } = await json();
    expect(status(doc, 'default-encryption')).toBe('PASS');
    expect(doc.next.some((n) => n.includes('enable-sse'))).toBe(false);
  });

  it('FAILs and exits 3 when the bucket policy forces SSE-S3', async () => {
    (pw.buckets.get(BUCKET) as { policy?: string }).policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyAES',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
        },
      ],
    });
    const r = await plan();
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      'FAIL  Bucket policy: statement "OnlyAES" (Deny StringNotEquals s3:x-amz-server-side-encryption = AES256) requires SSE-S3',
    );
    expect(r.stdout).toContain('fix every FAIL before migrating (exit 3)');
  });

  it('FAILs a disabled key, and a key in another region (described in its own region)', async () => {
    world.keys.set('alias/app', keyDesc({ state: 'Disabled' }));
    pw.keyPolicies.set(KEY.arn, defaultKeyPolicy(ACCOUNT));
    let { r, doc } = await json();
    expect(r.code).toBe(3);
    expect(status(doc, 'key-state')).toBe('FAIL');

    const west = keyDesc({ region: 'us-west-2', keyId: 'west' });
    world.keys.set(west.arn, west);
    pw.keyPolicies.set(west.arn, defaultKeyPolicy(ACCOUNT));
    r = await runCli(['plan', '--bucket', BUCKET, '--kms-key', west.arn, '--json'], planServices(world, pw));
    doc = (r.json() as PlanJson[])[0] as PlanJson;
    expect(r.code).toBe(3);
    expect(doc.checks.find((c) => c.id === 'key-region')?.detail).toBe(
      "the key is in us-west-2 but the bucket is in us-east-1: S3 only uses keys from the bucket's region",
    );
  });

  it('turns AccessDenied into WARN lines naming the permission, never a crash', async () => {
    pw.denied = new Set(['s3:GetBucketVersioning', 's3:GetBucketNotification']);
    const services = planServices(world, pw);
    // DescribeKey goes through the KeyDirectory port: deny it the way the AWS adapter reports it.
    const denyingKeys: typeof services = (config) => ({
      ...services(config),
      keys: {
        describeKey: async () => {
          throw new PreconditionError('AccessDenied', 'access denied: kms:DescribeKey on key alias/app');
        },
      },
    });
    const r = await runCli(['plan', '--bucket', BUCKET, '--kms-key', 'alias/app', '--json'], denyingKeys);
    expect(r.code).toBe(0);
    const doc = (r.json() as PlanJson[])[0] as PlanJson;
    const denied = doc.checks.filter((c) => c.detail.startsWith('not checked: access denied'));
    expect(denied.map((c) => `${c.id} ${c.detail.match(/for (\S+)/)?.[1]}`).sort()).toEqual([
      'event-notifications s3:GetBucketNotification',
      'key-state kms:DescribeKey',
      'versioning s3:GetBucketVersioning',
    ]);
    // Unknown versioning is judged as versioned: no lifecycle rule is then a WARN, not a silent PASS.
    expect(status(doc, 'noncurrent-lifecycle')).toBe('WARN');
  });

  it('is a normal one-line error for a missing bucket (exit 2) or an unknown key (exit 2)', async () => {
    let r = await runCli(
      ['plan', '--bucket', 'no-such-bucket', '--kms-key', 'alias/app'],
      planServices(world, pw),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: bucket no-such-bucket does not exist: check --bucket\n');
    r = await runCli(['plan', '--bucket', BUCKET, '--kms-key', 'alias/nope'], planServices(world, pw));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: KMS key alias\/nope was not found/);
  });

  it.each([
    [['--inventory', 's3://inv/p'], '--inventory needs --id'],
    [['--id', 'x'], '--id needs --inventory'],
    [
      ['--inventory', 's3://inv/p', '--id', 'x', '--summary', 's.json'],
      '--inventory and --summary both give object counts',
    ],
    [['--acl-sample', '-1'], 'invalid --acl-sample "-1"'],
    [['--max-list', 'lots'], 'invalid --max-list "lots"'],
    [['--account-id', '123'], 'invalid --account-id "123"'],
    [['--inventory', 'inv/p', '--id', 'x'], '--inventory "inv/p" is not an s3:// URI'],
  ])('refuses %j with exit 2 and changes nothing', async (args, message) => {
    const r = await plan(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(message);
    expect(r.stdout).toBe('');
    expect(pw.calls).toEqual([]);
  });

  it('applies --prices overrides and rejects a bad prices file in one line', async () => {
    pw.files.set('p.json', { prices: { batchJob: 10 } });
    const { doc } = await json('--prices', 'p.json');
    expect(doc.cost.lines.find((l) => l.id === 'batch-jobs')?.usd).toBe(10);
    pw.files.set('bad.json', { prices: { batchJobs: 10 } });
    const r = await plan('--prices', 'bad.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid --prices file bad\.json: prices: Unrecognized key/);
  });

  it('counts from a build-manifest summary.json with --summary', async () => {
    pw.files.set('summary.json', {
      version: 1,
      sourceBucket: BUCKET,
      kmsKey: KEY.arn,
      inventory: {
        manifest: 's3://inv/p/data-bucket/x/2026-11-29T00-00Z/manifest.json',
        date: '2026-11-29T00-00Z',
        creationTimestamp: '1',
      },
      createdAt: '2026-11-30T00:00:00Z',
      manifests: [
        {
          name: 'copy-STANDARD',
          group: 'copy',
          storageClass: 'STANDARD',
          location: 's3://inv/m.csv',
          etag: 'e',
          versioned: false,
          objects: 4000,
          bytes: 4e9,
        },
      ],
      leftAlone: {},
      stats: {
        byEncryptionStatus: { 'NOT-SSE': { objects: 4000, bytes: 4e9 } },
        byStorageClass: { STANDARD: { objects: 4000, bytes: 4e9 } },
        large: { objects: 0, bytes: 0 },
        archived: { objects: 0, bytes: 0 },
        noncurrent: { objects: 0, bytes: 0 },
        noncurrentUnencrypted: { objects: 0, bytes: 0 },
        deleteMarkers: 0,
        kmsWithBucketKey: { objects: 0, bytes: 0 },
      },
    });
    const { doc } = await json('--summary', 'summary.json');
    expect(doc.inventory).toMatchObject({ source: 'summary' });
    expect(doc.listing).toBeUndefined();
    expect(doc.cost.lines.find((l) => l.id === 'copy-requests')?.quantity).toBe(4000);

    pw.files.set('other.json', { version: 1, sourceBucket: 'other' });
    const r = await plan('--summary', 'other.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a build-manifest summary.json');
  });

  it('--skip-key-check reports the key as not checked', async () => {
    const { r, doc } = await json('--skip-key-check');
    expect(r.code).toBe(0);
    expect(doc.checks.filter((c) => c.id.startsWith('key-'))).toEqual([
      expect.objectContaining({ id: 'key-state', status: 'WARN' }),
    ]);
  });
});
