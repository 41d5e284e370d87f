// The Batch path on Ceph RGW 16.2 and the local S3 Batch Operations service: what an honest run
// shows on this store. RGW has no bucket default encryption (enable-sse is refused), no KMS API
// (create-job needs KMS DescribeKey for the key ARN Batch requires, so it refuses before creating
// anything) and no STS GetCallerIdentity (status cannot learn the account). The job create-job
// would send, created beside the CLI with RGW's own key id, runs on the service: RGW refuses each
// in-place copy as an illegal copy to itself (it ignores the encryption attributes), the completion
// report says so, and verify --live reports the objects still NOT-SSE (exit 1). Nothing is hidden.
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, ListJobsCommand } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { controlFor, jobEnd } from './batch-service-client.js';

const t = target();
const s3 = s3For(t);
const control = controlFor(t);
const ACCOUNT = '123456789012';
const KEY = t.kmsKeyIds[0] ?? '';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;

describe('the Batch path on Ceph RGW', () => {
  it('refuses what RGW cannot do, runs the job it would send, and verify says the objects are still NOT-SSE', async () => {
    const t0 = Date.now();
    const bucket = uniqueBucket('bp-rgw');
    const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const k of ['a.txt', 'dir/b c.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: `body of ${k}` }));
    }
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'm/copy.csv',
        Body: `${bucket},a.txt\n${bucket},dir/b%20c.txt\n`,
      }),
    );
    const etag = (put.ETag ?? '').replace(/"/g, '');

    const sse = await cli(['enable-sse', '--bucket', bucket, '--kms-key', KEY, '--skip-key-check']);
    expect(sse.code).toBe(3);
    expect(sse.stderr).toMatch(/does not support bucket default encryption/);

    const before = await control.send(new ListJobsCommand({ AccountId: ACCOUNT }));
    const created = await cli([
      'create-job',
      '--manifest',
      `s3://${bucket}/m/copy.csv,${etag}`,
      '--storage-class',
      'STANDARD',
      '--bucket',
      bucket,
      '--kms-key',
      KEY,
      '--role-arn',
      ROLE,
      '--report',
      `s3://${bucket}/batch`,
    ]);
    expect(created.code).not.toBe(0);
    const after = await control.send(new ListJobsCommand({ AccountId: ACCOUNT }));
    expect(after.Jobs?.length ?? 0).toBe(before.Jobs?.length ?? 0);

    const out = await control.send(
      new CreateJobCommand({
        AccountId: ACCOUNT,
        ConfirmationRequired: false,
        ClientRequestToken: `rgw-${bucket}`.slice(0, 64),
        Priority: 10,
        RoleArn: ROLE,
        Operation: {
          S3PutObjectCopy: {
            TargetResource: `arn:aws:s3:::${bucket}`,
            SSEAwsKmsKeyId: KEY,
            BucketKeyEnabled: true,
            StorageClass: 'STANDARD',
            MetadataDirective: 'COPY',
          },
        },
        Report: {
          Enabled: true,
          Bucket: `arn:aws:s3:::${bucket}`,
          Prefix: 'batch',
          Format: 'Report_CSV_20180820',
          ReportScope: 'AllTasks',
        },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: `arn:aws:s3:::${bucket}/m/copy.csv`, ETag: etag },
        },
      }),
    );
    const job = await jobEnd(control, ACCOUNT, out.JobId ?? '');
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 2,
      NumberOfTasksSucceeded: 0,
      NumberOfTasksFailed: 2,
    });
    const index = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `batch/job-${out.JobId}/manifest.json` }))
      ).Body?.transformToString()) ?? '{}',
    ) as { Results: { TaskExecutionStatus: string; Key: string }[] };
    expect(index.Results.map((r) => r.TaskExecutionStatus)).toEqual(['failed']);
    const rows = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: index.Results[0]?.Key ?? '' }))
    ).Body?.transformToString();
    expect(rows).toMatch(
      new RegExp(`^${bucket},a\\.txt,,failed,400,InvalidRequest,"This copy request is illegal`, 'm'),
    );
    expect(rows).toMatch(new RegExp(`^${bucket},dir/b%20c\\.txt,,failed,400,InvalidRequest,`, 'm'));

    const status = await cli(['status', '--job-id', out.JobId ?? '']);
    expect(status.code).toBe(4);
    expect(status.stderr).toMatch(/sts:GetCallerIdentity/);

    const verify = await cli([
      'verify',
      '--bucket',
      bucket,
      '--kms-key',
      KEY,
      '--skip-key-check',
      '--live',
      '--prefix',
      'a',
    ]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toMatch(/NOT-SSE\s+"a\.txt"/);
    console.error(`[batch path rgw] ${Date.now() - t0} ms`);
  });

  it("UpdateObjectEncryption tasks: AWS's refusal of an unencrypted object; an encrypted one fails untouched, RGW having no real UpdateObjectEncryption", async () => {
    const bucket = uniqueBucket('uoe-rgw');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'p' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms.txt',
        Body: 'k',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KEY,
      }),
    );
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'm/u.csv',
        Body: `${bucket},plain.txt\n${bucket},kms.txt\n`,
      }),
    );
    const out = await control.send(
      new CreateJobCommand({
        AccountId: ACCOUNT,
        ConfirmationRequired: false,
        ClientRequestToken: `uoe-${bucket}`.slice(0, 64),
        Priority: 10,
        RoleArn: ROLE,
        Operation: {
          S3UpdateObjectEncryption: {
            ObjectEncryption: {
              SSEKMS: { KMSKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY}`, BucketKeyEnabled: true },
            },
          },
        },
        Report: {
          Enabled: true,
          Bucket: `arn:aws:s3:::${bucket}`,
          Prefix: 'r',
          Format: 'Report_CSV_20180820',
          ReportScope: 'AllTasks',
        },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: `arn:aws:s3:::${bucket}/m/u.csv`, ETag: (put.ETag ?? '').replace(/"/g, '') },
        },
      }),
    );
    const job = await jobEnd(control, ACCOUNT, out.JobId ?? '');
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 2,
      NumberOfTasksSucceeded: 0,
      NumberOfTasksFailed: 2,
    });
    const index = JSON.parse(
      (await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `r/job-${out.JobId}/manifest.json` }))
      ).Body?.transformToString()) ?? '{}',
    ) as { Results: { Key: string }[] };
    const rows = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: index.Results[0]?.Key ?? '' }))
    ).Body?.transformToString();
    expect(rows).toContain(
      `${bucket},plain.txt,,failed,400,InvalidRequest,The UpdateObjectEncryption operation doesn't supported unencrypted source objects.`,
    );
    // RGW 16 answers UpdateObjectEncryption with 200 and stores the request body as the object:
    // the service finds that on a scratch object, fails the task, and leaves the object alone
    expect(rows).toMatch(
      new RegExp(
        `^${bucket},kms\\.txt,,failed,501,NotImplemented,the store does not implement UpdateObjectEncryption`,
        'm',
      ),
    );
    const kms = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms.txt' }));
    expect(await kms.Body?.transformToString()).toBe('k');
  });
});
