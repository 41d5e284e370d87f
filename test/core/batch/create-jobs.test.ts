// createJobs directly: the events' order around CreateJob, what a dry run never sends, and the
// other-running-jobs rule (ours and other buckets' jobs are not "other jobs on this bucket").
import { describe, expect, it } from 'vitest';
import { checkCreateJobFlags, type CreateJobFlags } from '../../../src/core/batch/create-job-flags.js';
import { createJobs, type CreateJobsPorts } from '../../../src/core/batch/create-jobs.js';
import type { BatchJobs } from '../../../src/core/batch/ports.js';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const key = { id: KEY, shortId: KEY.split('/')[1] as string, checked: true };

function flags(over: Partial<CreateJobFlags> = {}): CreateJobFlags {
  return {
    generateManifest: true,
    group: 'update-encryption',
    allowVersioned: false,
    bucket: 'data-1',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
    report: 's3://reports-1/batch',
    priority: 10,
    dryRun: false,
    ...over,
  };
}

function world(unfinished: { jobId: string; description: string; status: string }[] = []) {
  const log: string[] = [];
  let n = 0;
  const batchJobs: BatchJobs = {
    checkEndpoint: async () => void log.push('checkEndpoint'),
    createJob: async () => {
      log.push('createJob');
      return `job-${++n}`;
    },
    describeJob: async () => {
      throw new Error('not used');
    },
    unfinishedJobs: async () => {
      log.push('unfinishedJobs');
      return unfinished;
    },
    bucketVersioning: async () => undefined,
  };
  const unused = (): never => {
    throw new Error('not used');
  };
  const ports: CreateJobsPorts = {
    encryption: {
      getEncryption: async () => ({
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
            BucketKeyEnabled: true,
          },
        ],
      }),
      putEncryption: unused,
    },
    keys: { describeKey: unused },
    account: { accountId: async () => ACCOUNT },
    buckets: { bucketRegion: async () => 'eu-west-1' },
    batchJobs,
    batchFiles: { readText: unused, firstLine: unused, head: unused, csvRows: unused, writeText: unused },
    inventory: {} as CreateJobsPorts['inventory'],
    offlineInventory: {} as CreateJobsPorts['offlineInventory'],
    sha256Hex: (text) => `sha(${text.length})`.padEnd(64, '0'),
  };
  return { ports, log };
}

function input(f: CreateJobFlags) {
  return {
    flags: f,
    checked: checkCreateJobFlags(f),
    key,
    region: 'eu-west-1',
    cwd: '/',
    now: () => new Date('2026-05-01T00:00:00Z'),
  };
}

describe('createJobs', () => {
  it('tells ready before the first CreateJob and each job as soon as it is created', async () => {
    const { ports, log } = world();
    const r = await createJobs(ports, input(flags({ group: undefined, storageClass: 'STANDARD' })), {
      ready: (plan) => log.push(`ready ${plan.jobs.length}`),
      created: (c) => log.push(`created ${c.jobId}`),
      allCreated: (all) => log.push(`all ${all.length}`),
    });
    expect(log).toEqual([
      'checkEndpoint',
      'ready 2',
      'createJob',
      'created job-1',
      'createJob',
      'created job-2',
      'all 2',
      'unfinishedJobs',
    ]);
    expect(r.created.map((c) => c.job.group)).toEqual(['copy', 'update-encryption']);
  });

  it('a dry run checks everything but sends no CreateJob, asks for no endpoint and lists no jobs', async () => {
    const { ports, log } = world();
    const r = await createJobs(ports, input(flags({ dryRun: true })), { ready: () => log.push('ready') });
    expect(log).toEqual(['ready']);
    expect(r.created).toEqual([]);
    expect(r.jobs).toHaveLength(1);
  });

  it("other running jobs are this bucket's s3-encrypt jobs that this run did not create", async () => {
    const { ports } = world([
      {
        jobId: 'job-1',
        description: 's3-encrypt update-encryption s3://data-1 (generated)',
        status: 'Active',
      },
      {
        jobId: 'old-1',
        description: 's3-encrypt copy STANDARD s3://data-1 (copy-STANDARD.csv)',
        status: 'Active',
      },
      { jobId: 'other-bucket', description: 's3-encrypt copy s3://data-10 (copy.csv)', status: 'Active' },
      { jobId: 'not-ours', description: 'copy s3://data-1 (by hand)', status: 'Active' },
    ]);
    const r = await createJobs(ports, input(flags()));
    expect(r.created.map((c) => c.jobId)).toEqual(['job-1']);
    expect(r.otherJobs.map((j) => j.jobId)).toEqual(['old-1']);
  });
});
