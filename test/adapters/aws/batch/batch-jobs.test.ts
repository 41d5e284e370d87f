import { createHash } from 'node:crypto';
import {
  CreateJobCommand,
  DescribeJobCommand,
  IdempotencyException,
  NotFoundException,
  S3ControlClient,
  S3ControlServiceException,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../../../src/adapters/aws/transport/clients.js';
import { manifestJobRequest } from '../../../../src/core/batch/job-request.js';
import type { S3EncryptError } from '../../../../src/core/errors.js';

const control = mockClient(S3ControlClient);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const request = manifestJobRequest(sha256, {
  accountId: '111122223333',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::111122223333:role/s3-encrypt-batch',
  priority: 10,
  report: { bucket: 'my-reports', key: 'batch' },
  keyArn: KEY,
  bucket: 'src-bucket',
  group: 'copy',
  storageClass: 'STANDARD',
  manifest: { bucket: 'my-reports', key: 'm/copy-STANDARD.csv' },
  etag: '3858f62230ac3c915f300c664312c11f',
  versioned: false,
  description: 's3-encrypt copy STANDARD s3://src-bucket',
});

const jobs = () => batchJobs(makeClients({ region: 'eu-west-1' }));

async function failure(p: Promise<unknown>): Promise<S3EncryptError> {
  try {
    await p;
  } catch (e) {
    return e as S3EncryptError;
  }
  throw new Error('expected a failure');
}

beforeEach(() => control.reset());
afterEach(() => control.reset());

describe('batchJobs.createJob', () => {
  it('sends the request unchanged, token included, and returns the job id', async () => {
    control.on(CreateJobCommand).resolves({ JobId: 'a1b2c3d4-0000-1111-2222-333344445555' });
    expect(await jobs().createJob(request)).toBe('a1b2c3d4-0000-1111-2222-333344445555');
    const sent = control.commandCalls(CreateJobCommand)[0]?.args[0].input;
    expect(sent).toEqual(request);
    expect(sent?.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
    expect(sent?.ConfirmationRequired).toBe(false);
  });

  it('turns IdempotencyException into a clear precondition error', async () => {
    control
      .on(CreateJobCommand)
      .rejects(new IdempotencyException({ $metadata: { httpStatusCode: 409 }, message: 'token reused' }));
    const err = await failure(jobs().createJob(request));
    expect(err.code).toBe('JobAlreadyCreated');
    expect(err.exitCode).toBe(3);
    expect(err.oneLine()).toMatch(/already exists .*s3-encrypt status --job-id/);
  });

  it('names iam:PassRole when CreateJob is denied', async () => {
    control.on(CreateJobCommand).rejects(
      new S3ControlServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'Access Denied',
      }),
    );
    const err = await failure(jobs().createJob(request));
    expect(err.code).toBe('AccessDenied');
    expect(err.oneLine()).toContain('iam:PassRole on arn:aws:iam::111122223333:role/s3-encrypt-batch');
  });

  it('refuses to call S3 Control when S3 points at another endpoint', async () => {
    const local = batchJobs(makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' }));
    const err = await failure(local.createJob(request));
    expect(err.code).toBe('BatchUnavailable');
    expect(control.calls()).toHaveLength(0);
  });
});

describe('batchJobs.describeJob', () => {
  it('asks with the account id and maps the job into our terms', async () => {
    control.on(DescribeJobCommand).resolves({
      Job: {
        JobId: 'job-1',
        Status: 'Complete',
        Description: 's3-encrypt copy STANDARD s3://src-bucket',
        Operation: {
          S3PutObjectCopy: {
            TargetResource: 'arn:aws:s3:::src-bucket',
            StorageClass: 'STANDARD',
            SSEAwsKmsKeyId: KEY,
          },
        },
        ProgressSummary: {
          TotalNumberOfTasks: 10,
          NumberOfTasksSucceeded: 8,
          NumberOfTasksFailed: 2,
          Timers: { ElapsedTimeInActiveSeconds: 42 },
        },
        FailureReasons: [{ FailureCode: 'ManifestNotFound', FailureReason: 'gone' }],
        Report: {
          Bucket: 'arn:aws:s3:::my-reports',
          Prefix: 'batch',
          Enabled: true,
          Format: 'Report_CSV_20180820',
          ReportScope: 'FailedTasksOnly',
        },
        RoleArn: 'arn:aws:iam::111122223333:role/r',
        CreationTime: new Date('2026-05-01T00:00:00Z'),
        TerminationDate: new Date('2026-05-01T00:10:00Z'),
      },
    });
    const job = await jobs().describeJob('111122223333', 'job-1');
    expect(control.commandCalls(DescribeJobCommand)[0]?.args[0].input).toEqual({
      AccountId: '111122223333',
      JobId: 'job-1',
    });
    expect(job).toEqual({
      jobId: 'job-1',
      status: 'Complete',
      description: 's3-encrypt copy STANDARD s3://src-bucket',
      operation: 'copy',
      storageClass: 'STANDARD',
      kmsKeyArn: KEY,
      roleArn: 'arn:aws:iam::111122223333:role/r',
      targetBucket: 'src-bucket',
      total: 10,
      succeeded: 8,
      failed: 2,
      elapsedSeconds: 42,
      creationTime: new Date('2026-05-01T00:00:00Z'),
      terminationDate: new Date('2026-05-01T00:10:00Z'),
      failureReasons: [{ code: 'ManifestNotFound', reason: 'gone' }],
      statusUpdateReason: undefined,
      suspendedCause: undefined,
      report: { bucket: 'my-reports', prefix: 'batch', enabled: true, scope: 'FailedTasksOnly' },
    });
  });

  it('says which account and region have no such job', async () => {
    control
      .on(DescribeJobCommand)
      .rejects(new NotFoundException({ $metadata: { httpStatusCode: 404 }, message: 'nope' }));
    const err = await failure(jobs().describeJob('111122223333', 'missing-job'));
    expect(err.code).toBe('UnknownJob');
    expect(err.exitCode).toBe(2);
    expect(err.oneLine()).toMatch(/no Batch job missing-job in account 111122223333, region eu-west-1/);
  });
});
