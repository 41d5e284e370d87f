// create-job through the built CLI with real S3, KMS and STS on moto (summary and manifests in a
// bucket, the key resolved from an alias, the manifest ETags real) and S3 Control served by the
// local S3 Batch Operations service (AWS_ENDPOINT_URL_S3_CONTROL): the jobs it created are read
// back with DescribeJob. A --generate-manifest dry run needs no S3 Control at all, and a real run
// with --endpoint-url but no S3 Control endpoint is refused before anything reaches AWS.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { DescribeJobCommand, ListJobsCommand } from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestSummary } from '../../../src/core/inventory/manifest-summary.js';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { controlFor } from './batch-service-client.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const control = controlFor(t);
const ACCOUNT = '123456789012';
const source = uniqueBucket('job-src');
const versioned = uniqueBucket('job-src-ver');
const reports = uniqueBucket('job-reports');
const alias = `alias/${source}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;
let keyArn = '';
const etags: Record<string, string> = {};

const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });
const jobsOf = (r: { lines(): unknown[] }) => r.lines().map((l) => (l as { jobId: string }).jobId);
const describeJob = async (id: string) =>
  (await control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: id }))).Job;
const jobCount = async () =>
  (await control.send(new ListJobsCommand({ AccountId: ACCOUNT }))).Jobs?.length ?? 0;
const common = () => [
  '--bucket',
  source,
  '--kms-key',
  alias,
  '--role-arn',
  ROLE,
  '--report',
  `s3://${reports}/batch`,
];

async function put(key: string, body: string, sse: PutObjectCommandInput['ServerSideEncryption'] = 'AES256') {
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: reports,
      Key: key,
      Body: body,
      ServerSideEncryption: sse,
      ...(sse === 'aws:kms' ? { SSEKMSKeyId: keyArn } : {}),
    }),
  );
  etags[key] = (out.ETag ?? '').replace(/"/g, '');
}

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'create-job test' }))).KeyMetadata?.Arn ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  for (const b of [source, versioned, reports]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  // create-job requires the bucket default SSE-KMS under the key with a Bucket Key (issue 11).
  for (const b of [source, versioned])
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b,
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
    new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await put('manifests/copy-STANDARD.csv', `${source},a.txt\n${source},b%20c.txt\n`);
  await put('manifests/update-encryption.csv', `${source},s3.txt,3HL4kqtJvjVBH40Nrjfkd\n`);
  // its own manifest: the summary's job on the same manifest has the same ClientRequestToken but
  // another description, which S3 Control refuses (IdempotencyException)
  await put('manifests/versions.csv', `${source},s3.txt,3HL4kqtJvjVBH40Nrjfkd\n`);
  await put('manifests/kms.csv', `${source},a.txt\n`, 'aws:kms');
  const zero = { objects: 0, bytes: 0 };
  const summary: ManifestSummary = {
    version: 1,
    sourceBucket: source,
    kmsKey: keyArn,
    inventory: {
      manifest: `s3://${reports}/inv/manifest.json`,
      date: '2026-05-01T01-00Z',
      creationTimestamp: '1777597200000',
    },
    createdAt: '2026-05-01T02:00:00.000Z',
    manifests: [
      {
        name: 'copy-STANDARD',
        group: 'copy',
        storageClass: 'STANDARD',
        location: `s3://${reports}/manifests/copy-STANDARD.csv`,
        etag: etags['manifests/copy-STANDARD.csv'] ?? '',
        versioned: false,
        objects: 2,
        bytes: 20,
      },
      {
        name: 'update-encryption',
        group: 'update-encryption',
        location: `s3://${reports}/manifests/update-encryption.csv`,
        etag: etags['manifests/update-encryption.csv'] ?? '',
        versioned: true,
        objects: 1,
        bytes: 10,
      },
    ],
    leftAlone: {},
    stats: {
      byEncryptionStatus: {},
      byStorageClass: {},
      large: zero,
      archived: zero,
      noncurrent: zero,
      noncurrentUnencrypted: zero,
      deleteMarkers: 0,
      kmsWithBucketKey: zero,
    },
  };
  await put('summary.json', JSON.stringify(summary));
});

afterAll(() => {
  control.destroy();
  s3.destroy();
  kms.destroy();
});

describe('create-job on moto (real S3/KMS/STS, the local S3 Batch Operations service)', () => {
  it('reads the summary from S3 and creates the jobs with the resolved key ARN and the real ETags', async () => {
    const r = await cli(['--json', 'create-job', '--summary', `s3://${reports}/summary.json`, ...common()]);
    expect(r.code, r.stderr).toBe(0);
    const ids = jobsOf(r);
    expect(ids).toHaveLength(2);
    const inputs = await Promise.all(ids.map(describeJob));
    expect(inputs[0]).toMatchObject({
      JobArn: `arn:aws:s3:${t.region}:${ACCOUNT}:job/${ids[0]}`,
      ConfirmationRequired: false,
      Operation: {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${source}`,
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD',
          MetadataDirective: 'COPY',
        },
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: {
          ObjectArn: `arn:aws:s3:::${reports}/manifests/copy-STANDARD.csv`,
          ETag: etags['manifests/copy-STANDARD.csv'],
        },
      },
    });
    expect(inputs[1]).toMatchObject({
      Operation: {
        S3UpdateObjectEncryption: {
          ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } },
        },
      },
      Manifest: { Spec: { Fields: ['Bucket', 'Key', 'VersionId'] } },
    });
    const human = await cli(['create-job', '--summary', `s3://${reports}/summary.json`, ...common()]);
    // the same tokens: the service answers with the same jobs (ClientRequestToken idempotency)
    expect(human.stdout).toContain(`Job ${ids[0]}: copy STANDARD, 2 objects (20 B)`);
  });

  it('refuses an SSE-KMS manifest (real HEAD) and a stale ETag, creating nothing', async () => {
    const jobsBefore = await jobCount();
    const kmsManifest = await cli([
      'create-job',
      '--manifest',
      `s3://${reports}/manifests/kms.csv,${etags['manifests/kms.csv']}`,
      '--storage-class',
      'STANDARD',
      ...common(),
    ]);
    expect(kmsManifest.code).toBe(3);
    expect(kmsManifest.stderr).toMatch(/is SSE-KMS encrypted, which S3 Batch Operations cannot read/);
    const stale = await cli([
      'create-job',
      '--manifest',
      `s3://${reports}/manifests/copy-STANDARD.csv,${'0'.repeat(32)}`,
      '--storage-class',
      'STANDARD',
      ...common(),
    ]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/has ETag [0-9a-f]{32}, not 0{32}/);
    expect(await jobCount()).toBe(jobsBefore);
  });

  it('reads the version column from the manifest itself (ranged GET)', async () => {
    const r = await cli([
      '--json',
      'create-job',
      '--manifest',
      `s3://${reports}/manifests/versions.csv,${etags['manifests/versions.csv']}`,
      '--group',
      'update-encryption',
      ...common(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect((await describeJob(jobsOf(r)[0] ?? ''))?.Manifest?.Spec?.Fields).toEqual([
      'Bucket',
      'Key',
      'VersionId',
    ]);
  });
});

describe('create-job through the built CLI on moto', () => {
  it('--generate-manifest --dry-run prints both requests with the real account and key ARN', async () => {
    const r = await runBin(
      [
        '--json',
        'create-job',
        '--generate-manifest',
        '--storage-class',
        'STANDARD',
        ...common(),
        '--dry-run',
      ],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const [doc] = r.lines() as [{ dryRun: boolean; requests: Record<string, unknown>[] }];
    expect(doc.dryRun).toBe(true);
    expect(doc.requests).toHaveLength(2);
    expect(doc.requests[0]).toMatchObject({
      AccountId: ACCOUNT,
      Operation: { S3PutObjectCopy: { BucketKeyEnabled: true, StorageClass: 'STANDARD' } },
      ManifestGenerator: {
        S3JobManifestGenerator: {
          SourceBucket: `arn:aws:s3:::${source}`,
          Filter: { MatchAnyObjectEncryption: [{ NOTSSE: {} }] },
        },
      },
    });
    expect(r.stderr).toContain('covers SSE-S3 objects only');
  });

  it('refuses a generated copy job on a versioned bucket (real GetBucketVersioning)', async () => {
    const args = [
      'create-job',
      '--generate-manifest',
      '--storage-class',
      'STANDARD',
      ...common(),
      '--dry-run',
    ];
    args[args.indexOf(source)] = versioned;
    const r = await runBin(args, t);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`${versioned} is versioned \\(Enabled\\)`));
  });

  it('refuses to create a real job through --endpoint-url with no S3 Control endpoint: it would go to AWS', async () => {
    const r = await runBin(
      ['create-job', '--generate-manifest', '--group', 'update-encryption', ...common()],
      t,
    );
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: S3 Batch Operations is an AWS service; ${t.endpoint} has no S3 Control API: run against AWS (no --endpoint-url), set AWS_ENDPOINT_URL_S3_CONTROL to an S3 Control endpoint, or re-encrypt with 's3-encrypt encrypt' on this store`,
    ]);
  });
});
