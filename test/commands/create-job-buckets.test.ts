// create-job checks the buckets Batch will use: the --report bucket and each manifest's bucket
// must exist and be in the job's region. A dry run warns; a real run refuses before CreateJob.
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../src/adapters/aws/transport/clients.js';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeBatchFiles, fakeFileWorld, type FakeFileWorld } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const control = mockClient(S3ControlClient);
const KEY = keyDesc();
const ETAG = 'b'.repeat(32);

let world: FakeWorld;
let files: FakeFileWorld;

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => ({
    ...base(cfg),
    batchJobs: { ...batchJobs(makeClients({ region: cfg.region })), bucketVersioning: async () => undefined },
    batchFiles: fakeBatchFiles(files),
  });
}

beforeEach(() => {
  control.reset();
  control.on(CreateJobCommand).resolves({ JobId: 'job-1' });
  world = fakeWorld();
  world.keys.set('alias/app', KEY);
  // The bucket default create-job requires: SSE-KMS under the key with S3 Bucket Keys.
  world.buckets.set('data-1', {
    region: 'us-east-1',
    objects: [],
    encryption: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
  world.buckets.set('reports-east', { region: 'us-east-1', objects: [] });
  world.buckets.set('reports-west', { region: 'us-west-2', objects: [] });
  files = fakeFileWorld();
  for (const b of ['reports-east', 'reports-west', 'reports-gone'])
    files.files.set(`s3://${b}/m/update-encryption.csv`, {
      text: 'data-1,a.txt,v1\n',
      etag: ETAG,
      sse: 'AES256',
    });
});
afterEach(() => control.reset());

function argv(manifestBucket: string, reportBucket: string, dryRun: boolean): string[] {
  return [
    'create-job',
    '--manifest',
    `s3://${manifestBucket}/m/update-encryption.csv,${ETAG}`,
    '--group',
    'update-encryption',
    '--bucket',
    'data-1',
    '--kms-key',
    'alias/app',
    '--role-arn',
    `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
    '--report',
    `s3://${reportBucket}/batch`,
    ...(dryRun ? ['--dry-run'] : []),
  ];
}

describe('create-job checks its report and manifest buckets', () => {
  it.each([
    [
      'report bucket missing',
      'reports-east',
      'reports-gone',
      /the report bucket reports-gone does not exist/,
    ],
    [
      'report bucket in another region',
      'reports-east',
      'reports-west',
      /the report bucket reports-west is in us-west-2, but the job runs in us-east-1/,
    ],
    [
      'manifest bucket missing',
      'reports-gone',
      'reports-east',
      /the manifest bucket reports-gone does not exist/,
    ],
    [
      'manifest bucket in another region',
      'reports-west',
      'reports-east',
      /the manifest bucket reports-west is in us-west-2, but the job runs in us-east-1/,
    ],
  ])('%s: a warning in a dry run, a refusal (exit 2) for real', async (_n, manifest, report, problem) => {
    const dry = await runCli(argv(manifest, report, true), services());
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr.split('\n').filter((l) => problem.test(l) && l.startsWith('warning: '))).toHaveLength(
      1,
    );
    const real = await runCli(argv(manifest, report, false), services());
    expect(real.code).toBe(2);
    expect(real.stderr.trim().split('\n')).toHaveLength(1);
    expect(real.stderr).toMatch(problem);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
  });

  it('buckets in the job region: no warning, the job is created', async () => {
    const r = await runCli(argv('reports-east', 'reports-east', false), services());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(1);
  });
});
