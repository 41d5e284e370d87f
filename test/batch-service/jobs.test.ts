// The rules the local S3 Batch Operations service applies to a job, each against a fake store.
import type { CreateJobRequest } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { IdempotencyError, JobRegistry } from '../support/batch-service/jobs.js';
import { fakeStore, type FakeObject } from './fake-store.js';

const ACCOUNT = '123456789012';

function request(over: Partial<CreateJobRequest> = {}, etag = 'abc'): CreateJobRequest {
  return {
    AccountId: ACCOUNT,
    ClientRequestToken: 'token-1',
    Priority: 10,
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
    ConfirmationRequired: false,
    Operation: {
      S3PutObjectCopy: {
        TargetResource: 'arn:aws:s3:::data',
        BucketKeyEnabled: true,
        MetadataDirective: 'COPY',
      },
    },
    Report: {
      Enabled: true,
      Bucket: 'arn:aws:s3:::rep',
      Prefix: 'r',
      Format: 'Report_CSV_20180820',
      ReportScope: 'AllTasks',
    },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: 'arn:aws:s3:::rep/m.csv', ETag: etag },
    },
    ...over,
  };
}

async function runJob(manifest: FakeObject, req = request(), copyError?: (key: string) => Error | undefined) {
  const store = fakeStore({ 'rep/m.csv': manifest }, copyError);
  const registry = new JobRegistry(store.client, 'us-east-1');
  const job = registry.create(req);
  await job.done;
  return { job: registry.describe(job), store, registry, raw: job };
}

describe('local Batch service: jobs', () => {
  it('ClientRequestToken: the same request gets the same job; another request under the token is refused', () => {
    const registry = new JobRegistry(fakeStore({}).client, 'us-east-1');
    const a = registry.create(request());
    expect(registry.create(request()).jobId).toBe(a.jobId);
    expect(() => registry.create(request({ Priority: 11 }))).toThrow(IdempotencyError);
    expect(registry.create(request({ ClientRequestToken: 'token-2' })).jobId).not.toBe(a.jobId);
  });

  it('runs New -> Complete, one CopyObject per line with the URL-decoded key, and counts the tasks', async () => {
    const { job, store } = await runJob({ body: 'data,a%20b.txt\ndata,c%2Bd.txt\n', etag: 'abc' });
    expect(job.Status).toBe('Complete');
    expect(job.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 2,
      NumberOfTasksSucceeded: 2,
      NumberOfTasksFailed: 0,
    });
    const copies = store.sent.filter((s) => s.name === 'CopyObject').map((s) => s.input);
    expect(copies.map((c) => c.Key).sort()).toEqual(['a b.txt', 'c+d.txt']);
    // the job's fields and nothing else: no encryption or ACL the job did not ask for
    expect(copies[0]).toEqual({
      Bucket: 'data',
      Key: expect.any(String),
      CopySource: expect.stringMatching(/^data\//),
      MetadataDirective: 'COPY',
      BucketKeyEnabled: true,
    });
  });

  it('fails the job when the manifest ETag is not the one in the job, running nothing', async () => {
    const { job, store } = await runJob({ body: 'data,a.txt\n', etag: 'other' });
    expect(job.Status).toBe('Failed');
    expect(job.FailureReasons?.[0]?.FailureCode).toBe('ManifestETagMismatch');
    expect(store.sent.filter((s) => s.name !== 'GetObject')).toEqual([]);
  });

  it('fails the job on an SSE-KMS encrypted manifest', async () => {
    const { job, store } = await runJob({ body: 'data,a.txt\n', etag: 'abc', sse: 'aws:kms' });
    expect(job.Status).toBe('Failed');
    expect(job.FailureReasons?.[0]?.FailureCode).toBe('ManifestEncryptionNotSupported');
    expect(store.sent.filter((s) => s.name === 'CopyObject')).toEqual([]);
  });

  it('fails the job on a key that is not URL-encoded', async () => {
    const { job, store } = await runJob({ body: 'data,a.txt\ndata,100%.txt\n', etag: 'abc' });
    expect(job.Status).toBe('Failed');
    expect(job.FailureReasons?.[0]).toMatchObject({ FailureCode: 'InvalidManifestContent' });
    expect(job.FailureReasons?.[0]?.FailureReason).toContain('100%.txt');
    expect(store.sent.filter((s) => s.name === 'CopyObject')).toEqual([]);
  });

  it('fails the job once at least 1,000 tasks ran and more than half failed', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => `data,k${i}`).join('\n');
    const denied = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const { job } = await runJob({ body: lines, etag: 'abc' }, request(), (k) =>
      Number(k.slice(1)) % 10 < 6 ? denied : undefined,
    );
    expect(job.Status).toBe('Failed');
    expect(job.FailureReasons?.[0]?.FailureCode).toBe('JobFailedTaskThresholdExceeded');
    const ran =
      (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) + (job.ProgressSummary?.NumberOfTasksFailed ?? 0);
    expect(ran).toBeGreaterThanOrEqual(1000);
    expect(ran).toBeLessThan(1200);
  });

  it('waits Suspended with ConfirmationRequired until UpdateJobStatus Ready', async () => {
    const store = fakeStore({ 'rep/m.csv': { body: 'data,a.txt\n', etag: 'abc' } });
    const registry = new JobRegistry(store.client, 'us-east-1');
    const job = registry.create(request({ ConfirmationRequired: true }));
    for (let i = 0; i < 50 && job.status !== 'Suspended'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(job.status).toBe('Suspended');
    expect(store.sent.filter((s) => s.name === 'CopyObject')).toEqual([]);
    expect(registry.update(job, 'Ready')).toBeUndefined();
    await job.done;
    expect(job.status).toBe('Complete');
  });

  it('writes the completion report where AWS does: job-<id>/manifest.json and results/<hash>.csv, SSE-S3', async () => {
    const failing = Object.assign(new Error('Object is not eligible'), {
      name: 'InvalidObjectState',
      $metadata: { httpStatusCode: 403 },
    });
    const { raw, store } = await runJob(
      { body: 'data,a%20b.txt\ndata,cold.txt\n', etag: 'abc' },
      request(),
      (k) => (k === 'cold.txt' ? failing : undefined),
    );
    const index = JSON.parse(store.objects[`rep/r/job-${raw.jobId}/manifest.json`]?.body ?? '{}') as {
      Format: string;
      Results: { TaskExecutionStatus: string; Bucket: string; Key: string; MD5Checksum: string }[];
      ReportSchema: string;
    };
    expect(index.Format).toBe('Report_CSV_20180820');
    expect(index.ReportSchema).toBe(
      'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    );
    expect(index.Results.map((r) => [r.TaskExecutionStatus, r.Bucket])).toEqual([
      ['succeeded', 'rep'],
      ['failed', 'rep'],
    ]);
    for (const r of index.Results)
      expect(r.Key).toMatch(new RegExp(`^r/job-${raw.jobId}/results/[0-9a-f]{40}\\.csv$`));
    const failed = store.objects[`rep/${index.Results[1]?.Key}`];
    expect(failed?.body).toBe('data,cold.txt,,failed,403,InvalidObjectState,Object is not eligible\n');
    expect(store.objects[`rep/${index.Results[0]?.Key}`]?.body).toBe(
      'data,a%20b.txt,,succeeded,200,,Successful\n',
    );
    expect(
      store.sent
        .filter((s) => s.name === 'PutObject')
        .every((s) => s.input.ServerSideEncryption === 'AES256'),
    ).toBe(true);
  });

  it('FailedTasksOnly writes only the failed tasks file', async () => {
    const req = request({
      Report: {
        Enabled: true,
        Bucket: 'arn:aws:s3:::rep',
        Format: 'Report_CSV_20180820',
        ReportScope: 'FailedTasksOnly',
      },
    });
    const { raw, store } = await runJob({ body: 'data,a.txt\n', etag: 'abc' }, req);
    const index = JSON.parse(store.objects[`rep/job-${raw.jobId}/manifest.json`]?.body ?? '{}') as {
      Results: unknown[];
    };
    expect(index.Results).toEqual([]);
  });
});
