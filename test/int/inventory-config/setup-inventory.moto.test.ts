// setup-inventory against moto (real Put/GetBucketInventoryConfiguration and bucket policies),
// through the built CLI. A recording proxy proves which requests were sent: a dry run and a
// second run must send no PUT at all.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIONAL_FIELDS } from '../../../src/core/inventory-config/inventory-config.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { recordingProxy } from '../support/recording-proxy.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const ACCOUNT = '123456789012'; // moto's STS account

const keep = (bucket: string) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

async function policyOf(bucket: string): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchBucketPolicy') return undefined;
    throw e;
  }
}

async function configOf(bucket: string, id = 's3-encrypt') {
  try {
    return (await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id })))
      .InventoryConfiguration;
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return undefined;
    throw e;
  }
}

/** Run the CLI through a recording proxy; returns the result and the PUT/POST/DELETE requests it sent. */
async function runRecorded(args: string[]) {
  const proxy = await recordingProxy(t.endpoint);
  try {
    const r = await runBin(['--endpoint-url', proxy.endpoint, ...args], t, { endpoint: false });
    const writes = proxy.requests.filter(
      (q) => q.method !== 'GET' && q.method !== 'HEAD' && !q.body.includes('GetCallerIdentity'),
    );
    return { ...r, writes };
  } finally {
    await proxy.close();
  }
}

describe('setup-inventory on moto', () => {
  const source = uniqueBucket('inv-src');
  const dest = uniqueBucket('inv-dst');

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: source }));
    await s3.send(new CreateBucketCommand({ Bucket: dest }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: dest,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [keep(dest)] }),
      }),
    );
  });

  it('--dry-run prints the exact configuration and merged policy, and sends no write', async () => {
    const before = await policyOf(dest);
    const r = await runRecorded([
      'setup-inventory',
      '--bucket',
      source,
      '--destination',
      `s3://${dest}/inventory`,
      '--dry-run',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual([]);
    expect(r.stdout).toContain('PutBucketInventoryConfiguration:');
    expect(r.stdout).toContain(`"Bucket": "arn:aws:s3:::${dest}"`);
    expect(r.stdout).toContain('"Sid": "DenyInsecureTransport"');
    expect(r.stdout).toContain('Dry run: nothing was changed.');
    expect(await configOf(source)).toBeUndefined();
    expect(await policyOf(dest)).toBe(before);
  });

  it('creates the configuration (read back from S3) and merges the policy, keeping the existing statement', async () => {
    const r = await runRecorded([
      '--json',
      'setup-inventory',
      '--bucket',
      source,
      '--destination',
      `s3://${dest}/inventory`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines()).toEqual([
      expect.objectContaining({
        location: `s3://${dest}/inventory/${source}/s3-encrypt/`,
        configuration: expect.objectContaining({ outcome: 'created' }),
        destinationPolicy: expect.objectContaining({ outcome: 'added' }),
      }),
    ]);
    // The policy goes in before the configuration, so the first delivery is never refused.
    const sent = r.writes.map(
      (w) =>
        `${w.method} ${w.url.replace(/\/?\?.*/, '')} ${/[?&]policy/.test(w.url) ? 'policy' : 'inventory'}`,
    );
    expect(sent).toEqual([`PUT /${dest} policy`, `PUT /${source} inventory`]);

    const cfg = await configOf(source);
    expect(cfg).toMatchObject({
      Id: 's3-encrypt',
      IsEnabled: true,
      IncludedObjectVersions: 'All',
      Schedule: { Frequency: 'Daily' },
      Destination: {
        S3BucketDestination: {
          Bucket: `arn:aws:s3:::${dest}`,
          AccountId: ACCOUNT,
          Format: 'CSV',
          Prefix: 'inventory',
        },
      },
    });
    // moto keeps every optional field we send (checked: it would otherwise show up as a read-back diff).
    expect([...(cfg?.OptionalFields ?? [])].sort()).toEqual([...OPTIONAL_FIELDS].sort());

    const policy = JSON.parse((await policyOf(dest)) ?? '{}') as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[0]).toEqual(keep(dest));
    expect(policy.Statement[1]).toEqual({
      Sid: expect.stringMatching(/^S3EncryptInventory[A-Za-z0-9]+$/),
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${dest}/inventory/*`,
      Condition: {
        ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${source}` },
        StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    });
  });

  it('a second run says "already in place" and sends no write', async () => {
    const before = await policyOf(dest);
    const r = await runRecorded([
      'setup-inventory',
      '--bucket',
      source,
      '--destination',
      `s3://${dest}/inventory`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('configuration: already in place');
    expect(r.stdout).toMatch(/statement S3EncryptInventory\w+ already in place/);
    expect(r.stdout).toContain('Already in place: nothing to change.');
    expect(r.writes).toEqual([]);
    expect(await policyOf(dest)).toBe(before);
  });

  it('shows the difference and updates only its own configuration when it differs', async () => {
    const other = { ...(await configOf(source))!, Id: 'someone-else' };
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: source,
        Id: 'someone-else',
        InventoryConfiguration: other,
      }),
    );
    const r = await runRecorded([
      'setup-inventory',
      '--bucket',
      source,
      '--destination',
      `s3://${dest}/inventory`,
      '--weekly',
      '--prefix',
      'data/',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('configuration: updated (other configurations are kept)');
    expect(r.stdout).toContain('+ Filter.Prefix: data/');
    expect(r.stdout).toContain('- Schedule.Frequency: Daily');
    expect(r.stdout).toContain('+ Schedule.Frequency: Weekly');
    expect(r.writes).toHaveLength(1);
    expect(await configOf(source)).toMatchObject({
      Schedule: { Frequency: 'Weekly' },
      Filter: { Prefix: 'data/' },
    });
    const ids = (
      await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: source }))
    ).InventoryConfigurationList?.map((c) => c.Id);
    expect(ids?.sort()).toEqual(['s3-encrypt', 'someone-else']);
    expect((await configOf(source, 'someone-else'))?.Schedule?.Frequency).toBe('Daily');
  });

  it('reads the configuration back and reports a store that did not keep it', async () => {
    // moto answers GetBucketInventoryConfiguration with IncludedObjectVersions "All" whatever was
    // stored (hard-coded in moto 5), so a `--versions current` configuration reads back different:
    // exactly the silent-store case the read-back exists for.
    const src = uniqueBucket('inv-src-current');
    await s3.send(new CreateBucketCommand({ Bucket: src }));
    const r = await runRecorded([
      'setup-inventory',
      '--bucket',
      src,
      '--destination',
      dest,
      '--versions',
      'current',
    ]);
    const put = r.writes.find((w) => w.url.includes('inventory'));
    expect(put?.body).toContain('<IncludedObjectVersions>Current</IncludedObjectVersions>');
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: the inventory configuration s3-encrypt on ${src} reads back different (IncludedObjectVersions) after it was written: run again; if it persists, this store does not support S3 Inventory`,
    ]);
  });

  it('warns with the key-policy statement when the destination uses a customer managed key', async () => {
    const src = uniqueBucket('inv-src-kms');
    const dst = uniqueBucket('inv-dst-kms');
    await s3.send(new CreateBucketCommand({ Bucket: src }));
    await s3.send(new CreateBucketCommand({ Bucket: dst }));
    const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'inventory destination' })))
      .KeyMetadata?.Arn;
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: dst,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } },
          ],
        },
      }),
    );
    const r = await runBin(['setup-inventory', '--bucket', src, '--destination', dst], t);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${dst} encrypts new objects with KMS key ${keyArn}`);
    expect(r.stderr).toContain('"kms:GenerateDataKey"');
    expect(r.stderr).toContain(`"aws:SourceArn": "arn:aws:s3:::${src}"`);
  });
});

describe('setup-inventory refusals on moto: one line, exit code, nothing written', () => {
  it('refuses a destination in another region', async () => {
    const src = uniqueBucket('inv-src-region');
    const far = uniqueBucket('inv-dst-eu');
    await s3.send(new CreateBucketCommand({ Bucket: src }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: far,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const r = await runRecorded(['setup-inventory', '--bucket', src, '--destination', far]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: destination bucket ${far} is in eu-west-1, but ${src} is in us-east-1: S3 Inventory delivers only within one region: choose a --destination bucket in us-east-1`,
    ]);
    expect(r.writes).toEqual([]);
    expect(await configOf(src)).toBeUndefined();
  });

  it('refuses a destination encrypted with the AWS managed key', async () => {
    const src = uniqueBucket('inv-src-awskey');
    const dst = uniqueBucket('inv-dst-awskey');
    await s3.send(new CreateBucketCommand({ Bucket: src }));
    await s3.send(new CreateBucketCommand({ Bucket: dst }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: dst,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      }),
    );
    const r = await runRecorded(['setup-inventory', '--bucket', src, '--destination', dst]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /AWS managed key aws\/s3, which S3 Inventory cannot use: set its default encryption to SSE-S3/,
    );
    expect(r.writes).toEqual([]);
    expect(await policyOf(dst)).toBeUndefined();
  });
});
