// status with real S3 reads and writes on moto (the completion report, the retry manifest) and only
// S3 Control mocked: moto has no CreateJob/DescribeJob. In-process, so the SDK mock applies.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { DescribeJobCommand, S3ControlClient, type JobDescriptor } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../../src/adapters/aws/batch-jobs.js';
import { makeClients } from '../../../src/adapters/aws/clients.js';
import { awsServices } from '../../../src/deps-aws.js';
import type { ServicesFactory } from '../../../src/deps.js';
import { runCli } from '../../support/run-cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const control = mockClient(S3ControlClient);
const reports = uniqueBucket('batch-reports');
const JOB = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';
const ACCOUNT = '123456789012'; // moto's STS account
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

// The S3 side is the real adapter on moto; S3 Control is the real adapter over the mocked client
// (built without the endpoint, which it would otherwise refuse).
const services: ServicesFactory = (cfg) => ({
  ...awsServices(cfg),
  batchJobs: batchJobs(makeClients({ region: cfg.region })),
});

const env = { AWS_REGION: t.region };
const argv = (...args: string[]) => ['--endpoint-url', t.endpoint, ...args];

function job(over: Partial<JobDescriptor> = {}): { Job: JobDescriptor } {
  return {
    Job: {
      JobId: JOB,
      Status: 'Complete',
      Operation: {
        S3UpdateObjectEncryption: {
          ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY, BucketKeyEnabled: true } },
        },
      },
      ProgressSummary: { TotalNumberOfTasks: 6, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 4 },
      Report: {
        Bucket: `arn:aws:s3:::${reports}`,
        Prefix: 'batch/reports',
        Enabled: true,
        Format: 'Report_CSV_20180820',
        ReportScope: 'FailedTasksOnly',
      },
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
      CreationTime: new Date('2026-05-01T00:00:00Z'),
      TerminationDate: new Date('2026-05-01T01:00:00Z'),
      ...over,
    },
  };
}

const resultsKey = `batch/reports/job-${JOB}/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv`;

beforeAll(async () => {
  for (const [k, v] of Object.entries({
    AWS_ACCESS_KEY_ID: t.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.secretAccessKey,
  }))
    process.env[k] = v;
  await s3.send(new CreateBucketCommand({ Bucket: reports }));
  await s3.send(
    new PutObjectCommand({
      Bucket: reports,
      Key: `batch/reports/job-${JOB}/manifest.json`,
      Body: JSON.stringify({
        Format: 'Report_CSV_20180820',
        ReportCreationDate: '2026-05-01T01:00:00.000Z',
        Results: [
          {
            TaskExecutionStatus: 'succeeded',
            Bucket: reports,
            MD5Checksum: '83b1c4cbe93fc893f54053697e10fd6e',
            Key: `batch/reports/job-${JOB}/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv`,
          },
          {
            TaskExecutionStatus: 'failed',
            Bucket: reports,
            MD5Checksum: '22ee037f3515975f7719699e5c416eaa',
            Key: resultsKey,
          },
        ],
        ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
      }),
    }),
  );
  // Rows in both column orders AWS has been seen to use, a quoted message with "" escapes,
  // URL-encoded keys as in the manifest, and one object that no longer exists.
  await s3.send(
    new PutObjectCommand({
      Bucket: reports,
      Key: resultsKey,
      Body: [
        'data-1,photos/a%20b%2Bc.jpg,3HL4kqtJvjVBH40Nrjfkd,failed,403,AccessDenied,"Access Denied (""kms:Decrypt"")"',
        'data-1,photos/d.jpg,BNPpM5PVdEq83rPsD9ZdS,failed,AccessDenied,403,Access Denied',
        'data-1,photos/e.jpg,Kp0nG1Qw2Xr3Ys4Zt5Uv6,failed,500,InternalError,We encountered an internal error. Please try again.',
        'data-1,photos/gone.jpg,Wq8Er7Ty6Ui5Op4As3Df2,failed,404,NoSuchVersion,The specified version does not exist.',
      ].join('\n'),
    }),
  );
});

beforeEach(() => {
  control.reset();
  control.on(DescribeJobCommand).resolves(job());
});
afterAll(() => {
  control.restore();
  s3.destroy();
});

describe('status on moto (real report, mocked S3 Control)', () => {
  it('counts failures by code from the report and uploads an SSE-S3 retry manifest, printing its ETag', async () => {
    const r = await runCli(
      argv('status', '--job-id', JOB, '--retry-manifest', `s3://${reports}/retry/`),
      services,
      { env },
    );
    expect(control.commandCalls(DescribeJobCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT,
      JobId: JOB,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/AccessDenied\s+2\s+Access Denied \("kms:Decrypt"\)/);
    expect(r.stdout).toMatch(/InternalError\s+1/);
    expect(r.stdout).toMatch(/NoSuchVersion\s+1/);
    expect(r.stdout).toContain('1 failed task(s) name objects that no longer exist (404): not retried');

    const key = `retry/retry-job-${JOB}.csv`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: reports, Key: key }));
    expect(head.ServerSideEncryption).toBe('AES256');
    const etag = head.ETag?.replace(/"/g, '');
    expect(r.stdout).toContain(`retry manifest: s3://${reports}/${key} (3 tasks, ETag ${etag})`);
    expect(r.stdout).toContain(
      `retry with: s3-encrypt create-job --manifest s3://${reports}/${key},${etag} --group update-encryption --bucket data-1 --kms-key ${KEY}`,
    );
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: reports, Key: key }))
    ).Body?.transformToString();
    expect(body).toBe(
      [
        'data-1,photos/a%20b%2Bc.jpg,3HL4kqtJvjVBH40Nrjfkd',
        'data-1,photos/d.jpg,BNPpM5PVdEq83rPsD9ZdS',
        'data-1,photos/e.jpg,Kp0nG1Qw2Xr3Ys4Zt5Uv6',
        '',
      ].join('\n'),
    );
  });

  it('writes the retry manifest to a local file, and --json carries the counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3e-status-'));
    const r = await runCli(
      argv('--json', 'status', '--job-id', JOB, '--retry-manifest', 'retry/failed.csv'),
      services,
      { env, cwd: dir },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.json()).toEqual([
      expect.objectContaining({
        jobId: JOB,
        status: 'Complete',
        failed: 4,
        succeededOverall: false,
        report: {
          index: `s3://${reports}/batch/reports/job-${JOB}/manifest.json`,
          failed: 4,
          byCode: { AccessDenied: 2, InternalError: 1, NoSuchVersion: 1 },
          retryable: 3,
          gone: 1,
        },
        retryManifest: { location: 'retry/failed.csv', rows: 3 },
      }),
    ]);
    expect(await readFile(join(dir, 'retry/failed.csv'), 'utf8')).toMatch(
      /^data-1,photos\/a%20b%2Bc\.jpg,3HL4kqtJvjVBH40Nrjfkd\n/,
    );
  });

  it('says where it looked when a finished job has no report', async () => {
    control.on(DescribeJobCommand).resolves(
      job({
        Status: 'Failed',
        Report: { Bucket: `arn:aws:s3:::${reports}`, Prefix: 'nowhere', Enabled: true },
      }),
    );
    const r = await runCli(argv('status', '--job-id', JOB), services, { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `completion report: no report at s3://${reports}/nowhere/job-${JOB}/manifest.json`,
    );
  });
});
