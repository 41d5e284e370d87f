// The Batch path end to end on moto and the local S3 Batch Operations service
// (test/support/batch-service, started by the global setup): create-job (for real) -> status
// --watch -> the retry manifest status writes for the failed task -> create-job on it ->
// verify --live exit 0. The failure is real: moto refuses to copy a GLACIER object
// (ObjectNotInActiveTierError) until it is restored, which the test does before the retry.
import {
  CreateBucketCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

describe('the Batch path on moto', () => {
  const t = target();
  const s3 = s3For(t);
  const bucket = uniqueBucket('bp-src');
  const reports = uniqueBucket('bp-rep');
  const role = 'arn:aws:iam::123456789012:role/s3-encrypt-batch';
  const cli = (args: string[]) => runBin(args, t, { env: batchEnv() });

  it('create-job -> status --watch -> retry manifest -> create-job -> verify --live', async () => {
    const t0 = Date.now();
    const key =
      (await kmsFor(t).send(new CreateKeyCommand({ Description: 'batch path' }))).KeyMetadata?.Arn ?? '';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: reports }));
    const keys = ['a.txt', 'dir/b c.txt', 'plus+sign.txt'];
    for (const k of keys)
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: `body of ${k}` }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'public.txt',
        Body: 'p',
        ACL: 'public-read',
        Metadata: { owner: 'me' },
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'cold.txt', Body: 'c', StorageClass: 'GLACIER' }),
    );
    const all = [...keys, 'public.txt', 'cold.txt'];
    expect((await cli(['enable-sse', '--bucket', bucket, '--kms-key', key])).code).toBe(0);

    const enc = (k: string) => encodeURIComponent(k).replace(/%2F/g, '/');
    const manifest = all.map((k) => `${bucket},${enc(k)}`).join('\n') + '\n';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: reports,
        Key: 'manifests/copy.csv',
        Body: manifest,
        ServerSideEncryption: 'AES256',
      }),
    );
    const etag = (put.ETag ?? '').replace(/"/g, '');
    const common = [
      '--bucket',
      bucket,
      '--kms-key',
      key,
      '--role-arn',
      role,
      '--report',
      `s3://${reports}/batch`,
    ];

    const created = await cli([
      '--json',
      'create-job',
      '--manifest',
      `s3://${reports}/manifests/copy.csv,${etag}`,
      '--storage-class',
      'STANDARD',
      ...common,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const jobId = String((created.lines()[0] as { jobId: string }).jobId);
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);

    const watched = await cli([
      'status',
      '--job-id',
      jobId,
      '--watch',
      '--interval',
      '1',
      '--retry-manifest',
      `s3://${reports}/retry/`,
    ]);
    expect(watched.code, watched.stdout + watched.stderr).toBe(1);
    expect(watched.stdout).toMatch(/ObjectNotInActiveTierError\s+1/);
    const retry = /retry manifest: (s3:\/\/\S+) \(1 tasks, ETag ([0-9a-f]+)\)/.exec(watched.stdout);
    expect(retry, watched.stdout).not.toBeNull();
    // The owner restores the archived object; the retry job then copies it.
    await s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'cold.txt', RestoreRequest: { Days: 1 } }));
    const again = await cli([
      'create-job',
      '--manifest',
      `${retry?.[1]},${retry?.[2]}`,
      '--storage-class',
      'STANDARD',
      ...common,
    ]);
    expect(again.code, again.stderr).toBe(0);
    const retryJob = /Job ([0-9a-f-]{36})/.exec(again.stdout)?.[1] ?? '';
    const second = await cli(['status', '--job-id', retryJob, '--watch', '--interval', '1']);
    expect(second.code, second.stdout + second.stderr).toBe(0);

    // What Batch copy does to each object: ACL back to private, metadata kept (COPY).
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'public.txt' }));
    expect(acl.Grants?.some((g) => g.Grantee?.URI?.endsWith('/AllUsers'))).toBe(false);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'public.txt' }));
    expect(head.Metadata).toEqual({ owner: 'me' });

    const verify = await cli([
      'verify',
      '--bucket',
      bucket,
      '--kms-key',
      key,
      '--live',
      '--require-bucket-key',
    ]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    console.error(`[batch path ${t.tier}] ${Date.now() - t0} ms`);
  });
});
