// status --retry-manifest pointed at something that exists and is not this job's retry manifest
// (a tired operator's path: another file, the job's own manifest): refused with one line, exit 2,
// the file and the object unchanged. It used to be overwritten without a word. The same path
// given again for the same job (status run twice) writes the same bytes and is fine.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { controlFor, jobEnd } from './batch-service-client.js';

const t = target();
const s3 = s3For(t);
const control = controlFor(t);
const data = uniqueBucket('rmt-data');
const reports = uniqueBucket('rmt-reports');
const ACCOUNT = '123456789012';
const MANIFEST = 'manifests/update.csv';
let jobId = '';
let dir = '';

const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });
const status = (target: string) => cli(['status', '--job-id', jobId, '--retry-manifest', target]);
const etagOf = async (key: string) =>
  (await s3.send(new HeadObjectCommand({ Bucket: reports, Key: key }))).ETag?.replace(/"/g, '');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-rmt-'));
  const key = (await kmsFor(t).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  for (const b of [data, reports]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (const k of ['a.txt', 'b.txt']) await s3.send(new PutObjectCommand({ Bucket: data, Key: k, Body: k }));
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
      Key: MANIFEST,
      Body: `${data},a.txt\n${data},b.txt\n${data},gone.txt\n`,
      ServerSideEncryption: 'AES256',
    }),
  );
  // UpdateObjectEncryption on unencrypted objects: every task fails (retryable but gone.txt).
  const created = await cli([
    '--json',
    'create-job',
    '--manifest',
    `s3://${reports}/${MANIFEST},${(put.ETag ?? '').replace(/"/g, '')}`,
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
  await jobEnd(control, ACCOUNT, jobId);
});

afterAll(async () => {
  control.destroy();
  s3.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('status --retry-manifest never replaces what is not its own', () => {
  it('a local file holding something else: exit 2, one line, the file unchanged', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'my notes\n');
    const r = await status(file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: --retry-manifest ${file} already exists and holds something else: choose a new path, or pass a folder (s3://BUCKET/PREFIX/) and the file is named after the job`,
    ]);
    expect(await readFile(file, 'utf8')).toBe('my notes\n');
  });

  it("the job's own manifest in S3: exit 2, the object unchanged", async () => {
    const before = await etagOf(MANIFEST);
    const r = await status(`s3://${reports}/${MANIFEST}`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: --retry-manifest s3://${reports}/manifests/update\\.csv already exists and holds something else: choose a new path`,
        ),
      ),
    ]);
    expect(await etagOf(MANIFEST)).toBe(before);
  });

  it('the same path again for the same job: written the same, no refusal (local and S3)', async () => {
    const file = join(dir, 'retry.csv');
    for (const target of [file, `s3://${reports}/retry/again.csv`]) {
      const first = await status(target);
      expect(first.code, first.stderr).toBe(1);
      const again = await status(target);
      expect(again.code, again.stderr).toBe(1);
      expect(again.stderr).toBe('');
    }
    expect((await readFile(file, 'utf8')).trim().split('\n').sort()).toEqual([
      `${data},a.txt`,
      `${data},b.txt`,
    ]);
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: reports, Key: 'retry/again.csv' }))
    ).Body?.transformToString();
    expect(body).toBe(await readFile(file, 'utf8'));
  });
});
