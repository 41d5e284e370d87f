// status --json for an ended job: the completion report read (failures by code, the retry
// manifest written) or missing: the two report branches of schema status.
import { DescribeJobCommand, S3ControlClient, type JobDescriptor } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { batchJobs } from '../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../src/adapters/aws/transport/clients.js';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeBatchFiles, fakeFileWorld, type FakeFileWorld } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const control = mockClient(S3ControlClient);
const JOB = 'f8fb9d89-a3aa-461d-bddc-ea6a1b131955';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

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

function job(over: Partial<JobDescriptor> = {}): { Job: JobDescriptor } {
  return {
    Job: {
      JobId: JOB,
      Status: 'Complete',
      Description: 's3-encrypt copy STANDARD s3://data-1 (copy-STANDARD, 4 objects)',
      Operation: {
        S3PutObjectCopy: {
          TargetResource: 'arn:aws:s3:::data-1',
          StorageClass: 'STANDARD',
          SSEAwsKmsKeyId: KEY,
        },
      },
      ProgressSummary: { TotalNumberOfTasks: 4, NumberOfTasksSucceeded: 4, NumberOfTasksFailed: 0 },
      Report: {
        Bucket: 'arn:aws:s3:::my-reports',
        Prefix: 'batch',
        Enabled: true,
        Format: 'Report_CSV_20180820',
        ReportScope: 'FailedTasksOnly',
      },
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
      CreationTime: new Date('2026-05-01T00:00:00Z'),
      TerminationDate: new Date('2026-05-01T00:02:05Z'),
      ...over,
    },
  };
}

const INDEX_KEY = `s3://my-reports/batch/job-${JOB}/manifest.json`;
const RESULTS_KEY = `s3://my-reports/batch/job-${JOB}/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv`;

function putReport(rows: string[]): void {
  files.files.set(INDEX_KEY, {
    text: JSON.stringify({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: '2026-05-01T00:02:05.000Z',
      Results: [
        {
          TaskExecutionStatus: 'failed',
          Bucket: 'my-reports',
          MD5Checksum: '22ee037f3515975f7719699e5c416eaa',
          Key: `batch/job-${JOB}/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv`,
        },
      ],
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    }),
  });
  files.files.set(RESULTS_KEY, { text: rows.join('\n') });
}

beforeEach(() => {
  control.reset();
  world = fakeWorld();
  world.buckets.set('data-1', { region: 'us-east-1', objects: [] });
  files = fakeFileWorld();
});
afterEach(() => control.reset());

it('a Complete job with failed tasks: the report read, by code, and the retry manifest written', async () => {
  control
    .on(DescribeJobCommand)
    .resolves(
      job({ ProgressSummary: { TotalNumberOfTasks: 4, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 2 } }),
    );
  putReport([
    'data-1,a.txt,,failed,503,SlowDown,Please reduce your request rate.',
    'data-1,gone.txt,,failed,404,NoSuchKey,The specified key does not exist.',
  ]);
  const r = await runCli(
    ['--json', 'status', '--job-id', JOB, '--retry-manifest', 's3://my-reports/retry/'],
    services(),
  );
  expect(r.code).toBe(1);
  const [doc] = r.json() as {
    succeededOverall: boolean;
    report: { index: string; failed: number; byCode: Record<string, number> };
    retryManifest: { location: string; rows: number };
    follow: string | null;
  }[];
  expect(doc?.succeededOverall).toBe(false);
  expect(doc?.report).toMatchObject({ index: INDEX_KEY, failed: 2 });
  expect(doc?.retryManifest).toMatchObject({ location: `s3://my-reports/retry/retry-job-${JOB}.csv` });
  expect(doc?.follow).toBeNull();
});

it('a Failed job without a report: the report missing, and why', async () => {
  control.on(DescribeJobCommand).resolves(
    job({
      Status: 'Failed',
      ProgressSummary: { TotalNumberOfTasks: 0, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 0 },
      FailureReasons: [
        { FailureCode: 'ManifestEtagMismatch', FailureReason: 'The ETag of the manifest changed' },
      ],
    }),
  );
  const r = await runCli(['--json', 'status', '--job-id', JOB], services());
  expect(r.code).toBe(1);
  const [doc] = r.json() as {
    failureReasons: unknown[];
    report: { index: string | null; missing: string };
    retryManifest: null;
  }[];
  expect(doc?.failureReasons).toEqual([
    { code: 'ManifestEtagMismatch', reason: 'The ETag of the manifest changed' },
  ]);
  expect(doc?.report.missing).toEqual(expect.any(String));
  expect(doc?.retryManifest).toBeNull();
});
