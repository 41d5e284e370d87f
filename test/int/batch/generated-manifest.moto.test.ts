// create-job --generate-manifest for real on moto and the local S3 Batch Operations service: the
// service builds the object list itself (listing + HEAD: NOT-SSE objects of the job's storage
// class for the copy job, SSE-S3 objects for the UpdateObjectEncryption job), writes the generated
// manifest under the report prefix, and runs each job on what it found.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { DescribeJobCommand } from '@aws-sdk/client-s3-control';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { controlFor, jobEnd } from './batch-service-client.js';

const t = target();
const s3 = s3For(t);
const control = controlFor(t);
const ACCOUNT = '123456789012';

afterAll(() => {
  control.destroy();
  s3.destroy();
});

describe('create-job --generate-manifest on moto', () => {
  it('copies the NOT-SSE objects of the storage class it names, and lists the SSE-S3 ones for the update job', async () => {
    const t0 = Date.now();
    const bucket = uniqueBucket('gen-src');
    const reports = uniqueBucket('gen-rep');
    const key = (await kmsFor(t).send(new CreateKeyCommand({ Description: 'gen' }))).KeyMetadata?.Arn ?? '';
    for (const b of [bucket, reports]) await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain/a.txt', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain/b c.txt', Body: 'b' }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'ia.txt', Body: 'i', StorageClass: 'STANDARD_IA' }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 's3.txt', Body: 's', ServerSideEncryption: 'AES256' }),
    );
    const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });
    expect((await cli(['enable-sse', '--bucket', bucket, '--kms-key', key])).code).toBe(0);

    const r = await cli([
      '--json',
      'create-job',
      '--generate-manifest',
      '--storage-class',
      'STANDARD',
      '--bucket',
      bucket,
      '--kms-key',
      key,
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
      '--report',
      `s3://${reports}/batch`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const created = r.lines() as { jobId: string; group: string }[];
    const copyId = created.find((j) => j.group === 'copy')?.jobId ?? '';
    const copy = await jobEnd(control, ACCOUNT, copyId);
    expect(copy.Status).toBe('Complete');
    expect(copy.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 2,
      NumberOfTasksSucceeded: 2,
      NumberOfTasksFailed: 0,
    });

    // the generated list, where the job says it is: an S3InventoryReport_CSV_20211130 manifest
    const described = await control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: copyId }));
    const loc = described.Job?.GeneratedManifestDescriptor?.Location?.ObjectArn ?? '';
    expect(loc).toBe(`arn:aws:s3:::${reports}/batch/generated-manifests/job-${copyId}/manifest.json`);
    const manifest = JSON.parse(
      (await (
        await s3.send(
          new GetObjectCommand({ Bucket: reports, Key: loc.replace(`arn:aws:s3:::${reports}/`, '') }),
        )
      ).Body?.transformToString()) ?? '{}',
    ) as { files: { key: string }[] };
    const gz = await (
      await s3.send(new GetObjectCommand({ Bucket: reports, Key: manifest.files[0]?.key ?? '' }))
    ).Body?.transformToByteArray();
    expect(
      gunzipSync(gz ?? new Uint8Array())
        .toString()
        .trim()
        .split('\n')
        .sort(),
    ).toEqual([`"${bucket}","plain/a.txt"`, `"${bucket}","plain/b%20c.txt"`]);

    // the UpdateObjectEncryption job the same command created lists the SSE-S3 object; moto 5.2
    // answers UpdateObjectEncryption with 200 but stores the request body as the object, so the
    // service (which probes that on a scratch object) fails the task and leaves the object alone
    const updId = created.find((j) => j.group === 'update-encryption')?.jobId ?? '';
    const upd = await jobEnd(control, ACCOUNT, updId);
    expect(upd.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 1,
      NumberOfTasksSucceeded: 0,
      NumberOfTasksFailed: 1,
    });
    const s3Body = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 's3.txt' }))
    ).Body?.transformToString();
    expect(s3Body).toBe('s');

    const sse = async (k: string) =>
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: k }))).ServerSideEncryption;
    expect(await sse('plain/a.txt')).toBe('aws:kms');
    expect(await sse('plain/b c.txt')).toBe('aws:kms');
    expect(await sse('s3.txt')).toBe('AES256');
    // another storage class: not this copy job's
    expect(await sse('ia.txt')).toBeUndefined();
    console.error(`[generated manifest moto] ${Date.now() - t0} ms`);
  });
});
