// S3 Control is regional: a job created in us-east-1 does not exist for a request to eu-west-1.
// The local Batch service used to answer every region from one registry, so `status --region`
// with the wrong region found the job (a test could pass that fails on AWS). Now the wrong
// region is NotFound, and status says to pass the job's region.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const data = uniqueBucket('jr-data');
const reports = uniqueBucket('jr-reports');
const ACCOUNT = '123456789012';
let jobId = '';

const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });

beforeAll(async () => {
  const key = (await kmsFor(t).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  for (const b of [data, reports]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await s3.send(new PutObjectCommand({ Bucket: data, Key: 'a.txt', Body: 'a' }));
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
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: reports,
      Key: 'm.csv',
      Body: `${data},a.txt\n`,
      ServerSideEncryption: 'AES256',
    }),
  );
  const created = await cli([
    '--json',
    'create-job',
    '--manifest',
    `s3://${reports}/m.csv,${(put.ETag ?? '').replace(/"/g, '')}`,
    '--group',
    'update-encryption',
    '--bucket',
    data,
    '--kms-key',
    key,
    '--role-arn',
    `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
    '--report',
    `s3://${reports}/batch`,
  ]);
  expect(created.code, created.stderr).toBe(0);
  jobId = (created.lines()[0] as { jobId: string }).jobId;
});

describe('a Batch job lives in one region', () => {
  it('status in its region finds it', async () => {
    const r = await cli(['status', '--job-id', jobId, '--region', t.region]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Job ${jobId} (update-encryption`);
  });

  it('status in another region: exit 2, one line saying to pass the region it was created in', async () => {
    const r = await cli(['status', '--job-id', jobId, '--region', 'eu-west-1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: no Batch job ${jobId} in account ${ACCOUNT}, region eu-west-1: check --job-id, and pass --region (or --bucket) for the region the job was created in`,
    ]);
  });
});
