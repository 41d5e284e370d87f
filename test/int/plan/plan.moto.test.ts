// plan against moto, through the built CLI: buckets configured each way must give the expected
// PASS/WARN/FAIL lines and exit codes, and plan must never write.
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type ReplicationRule,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, record, renderDelivery } from '../support/inventory-delivery.js';
import { recordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
let keyArn = '';
let accountId = '';

interface Check {
  id: string;
  status: 'PASS' | 'WARN' | 'FAIL';
  title: string;
  detail: string;
  advice: string;
}
interface PlanDoc {
  status: string;
  checks: Check[];
  inventory?: { source: string; stats: { byEncryptionStatus: Record<string, { objects: number }> } };
  listing?: { partial: boolean };
  cost: { basis: string; lines: { id: string; quantity: number }[] };
  next: string[];
}

async function bucketWith(
  name: string,
  setup?: (b: string) => Promise<unknown>,
  objects = ['a.txt'],
): Promise<string> {
  const b = uniqueBucket(name);
  await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (const key of objects)
    await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: `body of ${key}` }));
  await setup?.(b);
  return b;
}

async function plan(bucket: string, extra: string[] = [], key = keyArn) {
  const r = await runBin(['--json', 'plan', '--bucket', bucket, '--kms-key', key, ...extra], t);
  const docs = r.stdout.trim() ? (r.lines() as PlanDoc[]) : [];
  return { r, doc: docs[0] as PlanDoc };
}
const check = (doc: PlanDoc, id: string) => {
  const c = doc.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${doc.checks.map((x) => x.id).join(', ')}`);
  return c;
};

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'plan test' }))).KeyMetadata?.Arn ?? '';
  accountId = keyArn.split(':')[4] ?? '';
});

describe('plan on moto', () => {
  let proxy: RecordingProxy;
  afterAll(async () => proxy?.close());

  it('reports a plain bucket in human form, exits 0, and sends no write request', async () => {
    const b = await bucketWith('plan-plain');
    proxy = await recordingProxy(t.endpoint);
    const r = await runBin(
      ['--endpoint-url', proxy.endpoint, 'plan', '--bucket', b, '--kms-key', keyArn],
      t,
      { endpoint: false },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`PASS  Bucket region: ${b} is in us-east-1`);
    expect(r.stdout).toContain('WARN  Default encryption: none configured');
    expect(r.stdout).toContain(`      run: s3-encrypt enable-sse --bucket ${b} --kms-key ${keyArn}`);
    expect(r.stdout).toContain('PASS  KMS key state:');
    expect(r.stdout).toContain('WARN  KMS key rotation: automatic rotation is off');
    expect(r.stdout).toContain(
      `PASS  KMS key policy: statement "Enable IAM User Permissions" lets account ${accountId} use the key`,
    );
    expect(r.stdout).toContain('WARN  S3 Inventory: no inventory configuration');
    expect(r.stdout).toMatch(/Cost estimate \(listing;/);
    const writes = proxy.requests.filter(
      (q) => !['GET', 'HEAD'].includes(q.method) && !(q.method === 'POST' && q.url === '/'),
    );
    expect(writes).toEqual([]);
    expect(proxy.requests.some((q) => q.method === 'PUT' || q.method === 'DELETE')).toBe(false);
  });

  it('versioned without a noncurrent-expiry rule: WARN with the extra storage; with one: PASS', async () => {
    const versioned = (b: string) =>
      s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    const bare = await bucketWith('plan-versioned', versioned);
    const first = await plan(bare);
    expect(first.r.code, first.r.stderr).toBe(0);
    let doc = first.doc;
    expect(check(doc, 'versioning').status).toBe('PASS');
    expect(check(doc, 'noncurrent-lifecycle')).toMatchObject({ status: 'WARN' });
    expect(check(doc, 'noncurrent-lifecycle').detail).toMatch(
      /no NoncurrentVersionExpiration rule: .* of old versions \(~.*\/month\)/,
    );
    expect(doc.cost.lines.find((l) => l.id === 'extra-storage')?.quantity).toBeGreaterThan(0);

    const expiring = await bucketWith('plan-lifecycle', async (b) => {
      await versioned(b);
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: b,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'expire-old',
                Status: 'Enabled',
                Filter: { Prefix: '' },
                NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              },
            ],
          },
        }),
      );
    });
    ({ doc } = await plan(expiring));
    expect(check(doc, 'noncurrent-lifecycle')).toMatchObject({
      status: 'PASS',
      detail: 'rule expire-old expires noncurrent versions after 30 days',
    });
  });

  it('Object Lock: WARN about retention and UpdateObjectEncryption', async () => {
    const b = uniqueBucket('plan-lock');
    await s3.send(new CreateBucketCommand({ Bucket: b, ObjectLockEnabledForBucket: true }));
    const { r, doc } = await plan(b);
    expect(r.code, r.stderr).toBe(0);
    expect(check(doc, 'object-lock').status).toBe('WARN');
    expect(check(doc, 'object-lock').detail).toContain('UpdateObjectEncryption fails');
  });

  it('objects with public-read ACLs: WARN naming them; BucketOwnerEnforced: PASS', async () => {
    const b = await bucketWith('plan-acl', async (bucket) => {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'public/logo.png', Body: 'x', ACL: 'public-read' }),
      );
    });
    let { doc } = await plan(b);
    expect(check(doc, 'object-acls').status).toBe('WARN');
    expect(check(doc, 'object-acls').detail).toContain(
      '1 of 2 sampled objects carry non-default ACLs ("public/logo.png": AllUsers READ)',
    );
    ({ doc } = await plan(b, ['--acl-sample', '1']));
    expect(check(doc, 'object-acls').detail).toContain('none of 1 sampled objects');

    const enforced = await bucketWith('plan-enforced', (bucket) =>
      s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: bucket,
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        }),
      ),
    );
    ({ doc } = await plan(enforced));
    expect(check(doc, 'object-acls')).toMatchObject({
      status: 'PASS',
      detail: 'ACLs are disabled (BucketOwnerEnforced)',
    });
  });

  it('replication without SseKmsEncryptedObjects: FAIL, exit 3; with it and a replica key: PASS', async () => {
    const replicated = (rule: Partial<ReplicationRule>) => async (b: string) => {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      const dest = uniqueBucket('plan-repl-dest');
      await s3.send(new CreateBucketCommand({ Bucket: dest }));
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: dest, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      await s3.send(
        new PutBucketReplicationCommand({
          Bucket: b,
          ReplicationConfiguration: {
            Role: `arn:aws:iam::${accountId}:role/replication`,
            Rules: [
              {
                ID: 'to-dr',
                Status: 'Enabled',
                Priority: 1,
                Filter: { Prefix: '' },
                DeleteMarkerReplication: { Status: 'Disabled' },
                Destination: { Bucket: `arn:aws:s3:::${dest}` },
                ...rule,
              },
            ],
          },
        }),
      );
    };
    const bad = await bucketWith('plan-repl-bad', replicated({}));
    let { r, doc } = await plan(bad);
    expect(r.code).toBe(3);
    expect(check(doc, 'replication')).toMatchObject({ status: 'FAIL' });
    expect(check(doc, 'replication').detail).toContain(
      'lacks SourceSelectionCriteria.SseKmsEncryptedObjects',
    );

    // moto stores SourceSelectionCriteria but never returns it; a proxy puts it back into the
    // GetBucketReplication answer, so the CLI reads what AWS would send.
    const good = await bucketWith(
      'plan-repl-good',
      replicated({
        Destination: {
          Bucket: 'arn:aws:s3:::plan-repl-dest',
          EncryptionConfiguration: { ReplicaKmsKeyID: keyArn },
        },
      }),
    );
    const sse =
      '<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects></SourceSelectionCriteria>';
    const proxy = await recordingProxy(t.endpoint, (req, body) =>
      req.method === 'GET' && req.url.includes('replication') && !body.includes('SourceSelectionCriteria')
        ? body.replace('</Rule>', `${sse}</Rule>`)
        : body,
    );
    try {
      r = await runBin(
        ['--json', '--endpoint-url', proxy.endpoint, 'plan', '--bucket', good, '--kms-key', keyArn],
        t,
        { endpoint: false },
      );
      doc = (r.lines() as PlanDoc[])[0] as PlanDoc;
      expect(check(doc, 'replication'), r.stderr).toMatchObject({
        status: 'PASS',
        detail: '1 rule(s) replicate SSE-KMS objects with a replica key',
      });
      expect(r.code).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('notifications on ObjectCreated: WARN naming the queue', async () => {
    const queue = `arn:aws:sqs:us-east-1:${accountId}:ingest`;
    const b = await bucketWith('plan-notify', (bucket) =>
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket,
          NotificationConfiguration: {
            QueueConfigurations: [{ QueueArn: queue, Events: ['s3:ObjectCreated:*'] }],
          },
        }),
      ),
    );
    const { doc } = await plan(b);
    expect(check(doc, 'event-notifications')).toMatchObject({
      status: 'WARN',
      detail: `copies fire queue ${queue} (s3:ObjectCreated:*)`,
    });
  });

  it('a bucket policy that requires AES256: FAIL, exit 3, human line and advice', async () => {
    const b = await bucketWith('plan-aes-policy', (bucket) =>
      s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyNonAES256',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:PutObject',
                Resource: `arn:aws:s3:::${bucket}/*`,
                Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
              },
            ],
          }),
        }),
      ),
    );
    const r = await runBin(['plan', '--bucket', b, '--kms-key', keyArn], t);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^FAIL {2}Bucket policy: statement "DenyNonAES256" \(Deny StringNotEquals s3:x-amz-server-side-encryption = AES256\) requires SSE-S3/m,
    );
    expect(r.stdout).toMatch(/^ {6}change the condition to s3:x-amz-server-side-encryption = aws:kms/m);
    expect(r.stdout).toContain('fix every FAIL before migrating (exit 3)');
  });

  it('a disabled key: FAIL, exit 3', async () => {
    const k = await kms.send(new CreateKeyCommand({ Description: 'plan disabled' }));
    await kms.send(new DisableKeyCommand({ KeyId: k.KeyMetadata?.KeyId }));
    const b = await bucketWith('plan-disabled-key');
    const { r, doc } = await plan(b, [], k.KeyMetadata?.Arn);
    expect(r.code).toBe(3);
    expect(check(doc, 'key-state')).toMatchObject({ status: 'FAIL' });
    expect(check(doc, 'key-state').detail).toContain('is Disabled');
  });

  it('a key in us-west-2 for a us-east-1 bucket: FAIL on the region, exit 3', async () => {
    const west = await kmsFor(t, 'us-west-2').send(new CreateKeyCommand({ Description: 'plan west' }));
    const arn = west.KeyMetadata?.Arn ?? '';
    expect(arn).toContain(':us-west-2:');
    const b = await bucketWith('plan-west-key');
    const { r, doc } = await plan(b, [], arn);
    expect(r.code).toBe(3);
    expect(check(doc, 'key-region')).toMatchObject({ status: 'FAIL' });
    expect(check(doc, 'key-region').detail).toContain(
      'the key is in us-west-2 but the bucket is in us-east-1',
    );
    expect(check(doc, 'key-state').status).toBe('PASS');
  });

  it('a key policy that does not let the account use the key: WARN with the statement to add', async () => {
    const other = '999988887777';
    const k = await kms.send(
      new CreateKeyCommand({
        Description: 'plan narrow policy',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OtherAccountOnly',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${other}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        }),
      }),
    );
    const arn = k.KeyMetadata?.Arn ?? '';
    const b = await bucketWith('plan-key-policy');
    const { r, doc } = await plan(b, [], arn);
    expect(r.code, r.stderr).toBe(0);
    expect(check(doc, 'key-policy').status).toBe('WARN');
    expect(check(doc, 'key-policy').advice).toContain(`"Principal":{"AWS":"arn:aws:iam::${accountId}:root"}`);
    expect(check(doc, 'key-policy').advice).toContain(`"Resource":"${arn}"`);
  });

  it('a bucket already on the key with an inventory: PASS lines, and next steps without enable-sse / setup-inventory', async () => {
    const dest = uniqueBucket('plan-inv-dest');
    await s3.send(new CreateBucketCommand({ Bucket: dest }));
    const b = await bucketWith('plan-ready', async (bucket) => {
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
                BucketKeyEnabled: true,
              },
            ],
          },
        }),
      );
      await s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: 'daily',
          InventoryConfiguration: {
            Id: 'daily',
            IsEnabled: true,
            IncludedObjectVersions: 'All',
            Schedule: { Frequency: 'Daily' },
            OptionalFields: ['Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus'],
            Destination: {
              S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' },
            },
          },
        }),
      );
    });
    // moto lists inventory configurations with OptionalFields <Field>Field</Field> (its own
    // serialisation bug; GetBucketInventoryConfiguration is right): the proxy restores what AWS lists.
    const fields =
      '<OptionalFields><Field>Size</Field><Field>StorageClass</Field><Field>EncryptionStatus</Field><Field>BucketKeyStatus</Field></OptionalFields>';
    const proxy = await recordingProxy(t.endpoint, (req, body) =>
      body.includes('<ListBucketInventoryConfigurationsResponse')
        ? body.replace('<OptionalFields><Field>Field</Field></OptionalFields>', fields)
        : body,
    );
    let r: Awaited<ReturnType<typeof runBin>>;
    let doc: PlanDoc;
    try {
      r = await runBin(
        ['--json', '--endpoint-url', proxy.endpoint, 'plan', '--bucket', b, '--kms-key', keyArn],
        t,
        { endpoint: false },
      );
      doc = (r.lines() as PlanDoc[])[0] as PlanDoc;
    } finally {
      await proxy.close();
    }
    expect(r.code, r.stderr).toBe(0);
    expect(check(doc, 'default-encryption').status).toBe('PASS');
    expect(check(doc, 'inventory-config')).toMatchObject({ status: 'PASS' });
    expect(check(doc, 'inventory-config').detail).toContain(
      `configuration daily delivers Daily CSV with EncryptionStatus and BucketKeyStatus (All versions) to s3://${dest}/inv`,
    );
    expect(doc.next.some((n) => n.includes(' enable-sse ') || n.includes(' setup-inventory '))).toBe(false);
    expect(doc.next).toContain(
      `s3-encrypt build-manifest --bucket ${b} --kms-key ${keyArn} --inventory s3://${dest}/inv --id daily`,
    );
  });

  it('--inventory reads the latest delivery: counts per encryption status and an exact cost basis', async () => {
    const dest = uniqueBucket('plan-delivery');
    await s3.send(new CreateBucketCommand({ Bucket: dest }));
    const b = await bucketWith('plan-with-inventory');
    const rows = [
      record(b, 'plain-1.txt'),
      record(b, 'plain-2.txt', { StorageClass: 'STANDARD_IA' }),
      record(b, 'sse-s3.txt', { EncryptionStatus: 'SSE-S3' }),
      record(b, 'kms-no-bk.txt', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED' }),
      record(b, 'done.txt', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' }),
      record(b, 'huge.bin', { Size: String(6 * 1024 ** 3) }),
    ];
    await putDelivery(
      s3,
      dest,
      renderDelivery(rows, { sourceBucket: b, destinationBucket: dest, prefix: 'inv', id: 'daily' }),
    );
    const { r, doc } = await plan(b, ['--inventory', `s3://${dest}/inv`, '--id', 'daily']);
    expect(r.code, r.stderr).toBe(0);
    expect(doc.inventory?.source).toBe('inventory');
    expect(doc.inventory?.stats.byEncryptionStatus['NOT-SSE']?.objects).toBe(3);
    expect(doc.listing).toBeUndefined();
    expect(doc.cost.basis).toBe('manifests');
    const qty = (id: string) => doc.cost.lines.find((l) => l.id === id)?.quantity;
    expect(qty('batch-jobs')).toBe(3); // copy-STANDARD, copy-STANDARD_IA, update-encryption
    expect(qty('batch-objects')).toBe(4); // 2 copies + 2 updates; the 6 GiB object is a direct copy
    expect(qty('update-requests')).toBe(2);
  });

  it('--inventory with no delivery yet: WARN, and counts from a live listing instead', async () => {
    const dest = uniqueBucket('plan-no-delivery');
    await s3.send(new CreateBucketCommand({ Bucket: dest }));
    const b = await bucketWith('plan-waiting');
    const { r, doc } = await plan(b, ['--inventory', `s3://${dest}/inv`, '--id', 'daily']);
    expect(r.code, r.stderr).toBe(0);
    expect(check(doc, 'inventory-read').status).toBe('WARN');
    expect(check(doc, 'inventory-read').advice).toContain('live listing instead');
    expect(doc.listing).toBeDefined();
  });

  it('--max-list makes a partial count and says so', async () => {
    const b = await bucketWith('plan-partial', undefined, ['a', 'b', 'c', 'd']);
    const r = await runBin(['plan', '--bucket', b, '--kms-key', keyArn, '--max-list', '2'], t);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Objects (live listing of current objects (stopped at --max-list 2): PARTIAL count)',
    );
    expect(r.stdout).toContain('total (partial count: at least)');
  });

  it('a missing bucket and an unknown key are one-line errors (exit 2)', async () => {
    let r = await runBin(['plan', '--bucket', uniqueBucket('plan-missing'), '--kms-key', keyArn], t);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: bucket plan-missing-\S+ does not exist: /);
    const b = await bucketWith('plan-unknown-key');
    r = await runBin(['plan', '--bucket', b, '--kms-key', 'alias/does-not-exist'], t);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: KMS key alias\/does-not-exist was not found/);
  });
});
