// The "retry with:" command status prints is meant to be pasted into a shell: a report prefix
// with a space, `$` or a quote (S3 allows any of them) used to be printed bare, so the pasted
// command split it or expanded it. Each such argument is single-quoted now; plain ones stay bare.
import { DescribeJobCommand, S3ControlClient, type JobDescriptor } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../src/adapters/aws/transport/clients.js';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeBatchFiles, fakeFileWorld, type FakeFileWorld } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const control = mockClient(S3ControlClient);
afterAll(() => control.restore());
const JOB = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const PREFIX = "batch run's $HOME";
let world: FakeWorld;
let files: FakeFileWorld;

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => ({
    ...base(cfg),
    batchJobs: batchJobs(makeClients({ region: cfg.region })),
    batchFiles: fakeBatchFiles(files),
  });
}

const job: JobDescriptor = {
  JobId: JOB,
  Status: 'Complete',
  Operation: {
    S3UpdateObjectEncryption: { ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY, BucketKeyEnabled: true } } },
  },
  ProgressSummary: { TotalNumberOfTasks: 1, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 1 },
  Report: {
    Bucket: 'arn:aws:s3:::my-reports',
    Prefix: PREFIX,
    Enabled: true,
    Format: 'Report_CSV_20180820',
    ReportScope: 'FailedTasksOnly',
  },
  RoleArn: `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
};

beforeEach(() => {
  control.reset();
  world = fakeWorld();
  world.buckets.set('data-1', { region: 'us-east-1', objects: [] });
  files = fakeFileWorld();
  const results = `${PREFIX}/job-${JOB}/results/r.csv`;
  files.files.set(`s3://my-reports/${PREFIX}/job-${JOB}/manifest.json`, {
    text: JSON.stringify({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: '2026-05-01T00:02:05.000Z',
      Results: [{ TaskExecutionStatus: 'failed', Bucket: 'my-reports', MD5Checksum: 'x', Key: results }],
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    }),
  });
  files.files.set(`s3://my-reports/${results}`, {
    text: 'data-1,a.txt,,failed,500,InternalError,We encountered an internal error.',
  });
});

describe('status: the printed retry command survives a shell', () => {
  it('single-quotes a report prefix with a space, $ and a quote; plain arguments stay bare', async () => {
    control.on(DescribeJobCommand).resolves({ Job: job });
    const r = await runCli(
      ['status', '--job-id', JOB, '--retry-manifest', 's3://my-reports/retry/'],
      services(),
    );
    expect(r.code, r.stderr).toBe(1);
    const etag = files.files.get(`s3://my-reports/retry/retry-job-${JOB}.csv`)?.etag;
    expect(r.stdout).toContain(
      `retry with: s3-encrypt create-job --manifest s3://my-reports/retry/retry-job-${JOB}.csv,${etag} --group update-encryption --bucket data-1 --kms-key ${KEY} --role-arn arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch --report 's3://my-reports/batch run'\\''s $HOME'\n`,
    );
  });
});
