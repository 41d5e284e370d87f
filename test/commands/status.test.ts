// status in-process: the real S3 Control adapter over a mocked SDK client, report files faked.
// (test/int/batch/status.moto.test.ts reads the same kind of report from a real S3 bucket.)
import {
  DescribeJobCommand,
  NotFoundException,
  S3ControlClient,
  type JobDescriptor,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('status', () => {
  it('exits 0 only for a Complete job with no failed task', async () => {
    control.on(DescribeJobCommand).resolves(job());
    putReport([]);
    const r = await runCli(['status', '--job-id', JOB], services());
    expect(control.commandCalls(DescribeJobCommand)[0]?.args[0].input).toEqual({
      AccountId: ACCOUNT,
      JobId: JOB,
    });
    expect(r.stdout).toContain(
      'Complete   [########################] 100% 4 succeeded, 0 failed of 4, elapsed 2m05s',
    );
    expect(r.stdout).toContain(`SUCCEEDED: every task of job ${JOB} succeeded`);
    expect(r.code).toBe(0);
  });

  it('counts failures by code, names the 404s, writes an SSE-S3 retry manifest and prints its ETag', async () => {
    control.on(DescribeJobCommand).resolves(
      job({
        ProgressSummary: { TotalNumberOfTasks: 4, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 3 },
      }),
    );
    putReport([
      'data-1,dir/a%20b.txt,,failed,503,SlowDown,Please reduce your request rate.',
      'data-1,c.txt,,failed,SlowDown,503,Please reduce your request rate.',
      'data-1,gone.txt,,failed,404,NoSuchKey,The specified key does not exist.',
    ]);
    const r = await runCli(
      ['status', '--job-id', JOB, '--retry-manifest', 's3://my-reports/retry/'],
      services(),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SlowDown\s+2\s+Please reduce your request rate\./);
    expect(r.stdout).toMatch(/NoSuchKey\s+1/);
    expect(r.stdout).toContain('1 failed task(s) name objects that no longer exist (404): not retried');
    const written = files.files.get(`s3://my-reports/retry/retry-job-${JOB}.csv`);
    expect(written?.text).toBe('data-1,dir/a%20b.txt\ndata-1,c.txt\n');
    expect(written?.sse).toBe('AES256');
    expect(r.stdout).toContain(
      `retry manifest: s3://my-reports/retry/retry-job-${JOB}.csv (2 tasks, ETag ${written?.etag})`,
    );
    expect(r.stdout).toContain(
      `retry with: s3-encrypt create-job --manifest s3://my-reports/retry/retry-job-${JOB}.csv,${written?.etag} --group copy --storage-class STANDARD --bucket data-1 --kms-key ${KEY}`,
    );
    expect(r.stdout).toContain(`NOT DONE: job ${JOB} is Complete with 3 failed task(s)`);
  });

  it("a copy job names no key: the retry command names the bucket default's, or KEY when it cannot be read", async () => {
    const copy = {
      S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::data-1', StorageClass: 'STANDARD' as const },
    };
    const failed = { TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 1 };
    control.on(DescribeJobCommand).resolves(job({ Operation: copy, ProgressSummary: failed }));
    putReport(['data-1,c.txt,,failed,503,SlowDown,Please reduce your request rate.']);
    const args = ['status', '--job-id', JOB, '--retry-manifest', 's3://my-reports/retry/'];
    const data1 = world.buckets.get('data-1');
    if (!data1) throw new Error('fixture: data-1');
    data1.encryption = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
          BucketKeyEnabled: true,
        },
      ],
    };
    expect((await runCli(args, services())).stdout).toMatch(new RegExp(`retry with: .* --kms-key ${KEY} `));
    data1.encryption = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] };
    expect((await runCli(args, services())).stdout).toMatch(/retry with: .* --kms-key KEY /);
  });

  it('writes the retry manifest to a local file too, and says how to retry without one', async () => {
    control.on(DescribeJobCommand).resolves(
      job({
        ProgressSummary: { TotalNumberOfTasks: 1, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 1 },
      }),
    );
    putReport(['data-1,x,v1,failed,403,AccessDenied,Access Denied']);
    const hint = await runCli(['status', '--job-id', JOB], services());
    expect(hint.stdout).toContain('1 task(s) can be retried: add --retry-manifest');
    expect(files.writes).toEqual([]);
    const r = await runCli(['status', '--job-id', JOB, '--retry-manifest', 'out/retry.csv'], services());
    expect(r.code).toBe(1);
    expect(files.files.get('out/retry.csv')?.text).toBe('data-1,x,v1\n');
  });

  it('shows FailureReasons of a Failed job and exits 1, even without a report', async () => {
    control.on(DescribeJobCommand).resolves(
      job({
        Status: 'Failed',
        ProgressSummary: { TotalNumberOfTasks: 0, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 0 },
        FailureReasons: [
          { FailureCode: 'ManifestEtagMismatch', FailureReason: 'The ETag of the manifest changed' },
        ],
      }),
    );
    const r = await runCli(['status', '--job-id', JOB, '--retry-manifest', 'out/retry.csv'], services());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failure: ManifestEtagMismatch: The ETag of the manifest changed');
    expect(r.stdout).toContain(`completion report: no report at ${INDEX_KEY}`);
    expect(files.writes).toEqual([]);
  });

  it('a snapshot of a running job exits 1 and says how to follow it', async () => {
    control.on(DescribeJobCommand).resolves(
      job({
        Status: 'Active',
        TerminationDate: undefined,
        ProgressSummary: { TotalNumberOfTasks: 8, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 0 },
      }),
    );
    const r = await runCli(['--json', 'status', '--job-id', JOB], services());
    expect(r.code).toBe(1);
    const [doc] = r.json() as [
      { status: string; succeeded: number; total: number; succeededOverall: boolean },
    ];
    expect(doc).toMatchObject({
      status: 'Active',
      succeeded: 2,
      total: 8,
      succeededOverall: false,
      follow: `s3-encrypt status --job-id ${JOB} --region us-east-1 --watch`,
    });
    const human = await runCli(['status', '--job-id', JOB], services());
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Active\s+\[#{6}-{18}\]\s+25% 2 succeeded, 0 failed of 8/);
    expect(human.stdout).toContain(
      `follow it with s3-encrypt status --job-id ${JOB} --region us-east-1 --watch`,
    );
  });

  it('--watch polls until the job ends', async () => {
    control
      .on(DescribeJobCommand)
      .resolvesOnce(job({ Status: 'Preparing', ProgressSummary: undefined, TerminationDate: undefined }))
      .resolvesOnce(
        job({
          Status: 'Active',
          TerminationDate: undefined,
          ProgressSummary: { TotalNumberOfTasks: 4, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 0 },
        }),
      )
      .resolves(job());
    putReport([]);
    const r = await runCli(['status', '--job-id', JOB, '--watch', '--interval', '1'], services());
    expect(r.code).toBe(0);
    expect(control.commandCalls(DescribeJobCommand)).toHaveLength(3);
    expect(r.stdout).toMatch(/Preparing\s+\[\.+\] counting tasks/);
    expect(r.stdout).toMatch(/Active\s+\[#{12}-{12}\]\s+50% 2 succeeded, 0 failed of 4/);
  }, 10_000);

  it('stops watching on Ctrl-C and exits 130 (the job keeps running)', async () => {
    const ctl = new AbortController();
    control.on(DescribeJobCommand).callsFake(() => {
      ctl.abort();
      return job({ Status: 'Active', TerminationDate: undefined });
    });
    const r = await runCli(['status', '--job-id', JOB, '--watch'], services(), { signal: ctl.signal });
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('Stopped watching job');
    // --json: the one document is still written, the job as last seen (not succeeded, no report).
    const j = await runCli(['--json', 'status', '--job-id', JOB, '--watch'], services(), {
      signal: ctl.signal,
    });
    expect(j.code).toBe(130);
    const doc = JSON.parse(j.stdout) as { status: string; succeededOverall: boolean; report: unknown };
    expect(doc).toMatchObject({ status: 'Active', succeededOverall: false, report: null });
  });

  it('an unknown job id is a one-line usage error', async () => {
    control
      .on(DescribeJobCommand)
      .rejects(new NotFoundException({ $metadata: { httpStatusCode: 404 }, message: 'not found' }));
    const r = await runCli(['status', '--job-id', 'abcde-12345'], services());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: no Batch job abcde-12345 in account ${ACCOUNT}, region us-east-1: check --job-id, and pass --region (or --bucket) for the region the job was created in`,
    ]);
  });

  it('refuses a malformed job id or interval before calling AWS', async () => {
    const bad = await runCli(['status', '--job-id', 'no spaces please'], services());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --job-id "no spaces please": a Batch job id is/);
    const interval = await runCli(['status', '--job-id', JOB, '--interval', '0'], services());
    expect(interval.code).toBe(2);
    expect(interval.stderr).toMatch(/invalid --interval "0": must be at least 1 second/);
    const retry = await runCli(['status', '--job-id', JOB, '--retry-manifest', 'https://x/y'], services());
    expect(retry.code).toBe(2);
    expect(control.commandCalls(DescribeJobCommand)).toHaveLength(0);
  });
});
