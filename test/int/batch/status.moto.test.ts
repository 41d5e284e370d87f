// status on moto with a real job run by the local S3 Batch Operations service: an
// S3UpdateObjectEncryption job created by the built CLI, whose tasks fail as AWS documents (an
// unencrypted object is not supported; a version that does not exist is 404), read from the real
// completion report; the retry manifest it writes; and a job that failed before any task (a stale
// manifest ETag), which has no report.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateJobCommand } from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { controlFor, jobEnd } from './batch-service-client.js';

const t = target();
const s3 = s3For(t);
const control = controlFor(t);
const data = uniqueBucket('status-data');
const reports = uniqueBucket('status-reports');
const ACCOUNT = '123456789012'; // moto's STS account
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;
const GONE = 'Wq8Er7Ty6Ui5Op4As3Df2';
let key = '';
let jobId = '';
const versions: Record<string, string> = {};

const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });

beforeAll(async () => {
  key = (await kmsFor(t).send(new CreateKeyCommand({ Description: 'status test' }))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: data }));
  await s3.send(new CreateBucketCommand({ Bucket: reports }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: data, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  for (const k of ['photos/a b+c.jpg', 'photos/d.jpg']) {
    versions[k] = (await s3.send(new PutObjectCommand({ Bucket: data, Key: k, Body: k }))).VersionId ?? '';
  }
  // create-job requires the bucket default a Batch job relies on (SSE-KMS under the key, Bucket
  // Key on); the objects above were written before it, unencrypted.
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: data,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  const rows = [
    `${data},photos/a%20b%2Bc.jpg,${versions['photos/a b+c.jpg']}`,
    `${data},photos/d.jpg,${versions['photos/d.jpg']}`,
    `${data},photos/gone.jpg,${GONE}`,
  ];
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: reports,
      Key: 'manifests/update.csv',
      Body: rows.join('\n') + '\n',
      ServerSideEncryption: 'AES256',
    }),
  );
  const created = await cli([
    '--json',
    'create-job',
    '--manifest',
    `s3://${reports}/manifests/update.csv,${(put.ETag ?? '').replace(/"/g, '')}`,
    '--group',
    'update-encryption',
    '--bucket',
    data,
    '--kms-key',
    key,
    '--role-arn',
    ROLE,
    '--report',
    `s3://${reports}/batch/reports`,
  ]);
  expect(created.code, created.stderr).toBe(0);
  jobId = (created.lines()[0] as { jobId: string }).jobId;
  await jobEnd(control, ACCOUNT, jobId);
});

afterAll(() => {
  control.destroy();
  s3.destroy();
});

describe('status on moto (a real job on the local S3 Batch Operations service)', () => {
  it('counts failures by code from the report and uploads an SSE-S3 retry manifest, printing its ETag', async () => {
    const r = await cli(['status', '--job-id', jobId, '--retry-manifest', `s3://${reports}/retry/`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /InvalidRequest\s+2\s+The UpdateObjectEncryption operation doesn't supported unencrypted/,
    );
    expect(r.stdout).toMatch(/NoSuch(Version|Key)\s+1/);
    expect(r.stdout).toContain('1 failed task(s) name objects that no longer exist (404): not retried');

    const retryKey = `retry/retry-job-${jobId}.csv`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: reports, Key: retryKey }));
    expect(head.ServerSideEncryption).toBe('AES256');
    const etag = head.ETag?.replace(/"/g, '');
    expect(r.stdout).toContain(`retry manifest: s3://${reports}/${retryKey} (2 tasks, ETag ${etag})`);
    expect(r.stdout).toContain(
      `retry with: s3-encrypt create-job --manifest s3://${reports}/${retryKey},${etag} --group update-encryption --bucket ${data} --kms-key ${key}`,
    );
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: reports, Key: retryKey }))
    ).Body?.transformToString();
    expect(body?.split('\n').sort()).toEqual(
      [
        '',
        `${data},photos/a%20b%2Bc.jpg,${versions['photos/a b+c.jpg']}`,
        `${data},photos/d.jpg,${versions['photos/d.jpg']}`,
      ].sort(),
    );
  });

  it('writes the retry manifest to a local file, and --json carries the counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3e-status-'));
    const file = join(dir, 'retry/failed.csv');
    const r = await cli(['--json', 'status', '--job-id', jobId, '--retry-manifest', file]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.lines()).toEqual([
      expect.objectContaining({
        jobId,
        status: 'Complete',
        failed: 3,
        succeededOverall: false,
        report: expect.objectContaining({
          index: `s3://${reports}/batch/reports/job-${jobId}/manifest.json`,
          failed: 3,
          retryable: 2,
          gone: 1,
        }),
        retryManifest: { location: file, rows: 2 },
      }),
    ]);
    expect(await readFile(file, 'utf8')).toContain(`${data},photos/a%20b%2Bc.jpg,`);
  });

  it('shows why a job failed before any task, and says where it looked for the report', async () => {
    const out = await control.send(
      new CreateJobCommand({
        AccountId: ACCOUNT,
        ConfirmationRequired: false,
        ClientRequestToken: `stale-${reports}`.slice(0, 64),
        Priority: 10,
        RoleArn: ROLE,
        Operation: { S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${data}`, BucketKeyEnabled: true } },
        Report: {
          Enabled: true,
          Bucket: `arn:aws:s3:::${reports}`,
          Prefix: 'nowhere',
          Format: 'Report_CSV_20180820',
          ReportScope: 'FailedTasksOnly',
        },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
          Location: { ObjectArn: `arn:aws:s3:::${reports}/manifests/update.csv`, ETag: '0'.repeat(32) },
        },
      }),
    );
    const r = await cli(['status', '--job-id', out.JobId ?? '', '--watch', '--interval', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failure: ManifestETagMismatch: The ETag of the manifest object/);
    expect(r.stdout).toContain(
      `completion report: no report at s3://${reports}/nowhere/job-${out.JobId}/manifest.json`,
    );
  });
});
