// verify --live and enable-sse against a real Ceph RGW 16.2: the classes RGW can produce
// (plaintext and SSE-KMS with its `testing` key ids; RGW has no SSE-S3 and never returns
// BucketKeyEnabled), bad credentials, and the refusal of PutBucketEncryption.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const bucket = uniqueBucket('verify-rgw');
const [key1, key2] = t.kmsKeyIds as [string, string];

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const k of ['plain/a', 'plain/b c', 'plain/ü+%'])
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'kms/target',
      Body: 'x',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key1,
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: 'kms/other',
      Body: 'y',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key2,
    }),
  );
});

describe('on Ceph RGW', () => {
  it('verify --live counts plaintext, other-key and compliant objects exactly', async () => {
    const r = await runBin(
      ['--json', 'verify', '--bucket', bucket, '--kms-key', key1, '--skip-key-check', '--live'],
      t,
    );
    expect(r.code, r.stderr).toBe(1);
    const summary = (
      r.lines().at(-1) as { summary: { checked: number; compliant: number; byClass: Record<string, number> } }
    ).summary;
    expect(summary.checked).toBe(5);
    expect(summary.compliant).toBe(1);
    expect(summary.byClass).toMatchObject({ 'NOT-SSE': 3, 'SSE-KMS-other-key': 1, compliant: 1 });
  });

  it('exits 0 once the offenders are rewritten under the key', async () => {
    for (const k of ['plain/a', 'plain/b c', 'plain/ü+%', 'kms/other']) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: k,
          Body: k,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: key1,
        }),
      );
    }
    const r = await runBin(
      ['verify', '--bucket', bucket, '--kms-key', key1, '--skip-key-check', '--live'],
      t,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('COMPLIANT: all 5 objects seen are SSE-KMS under the target key');
  });

  it('bad credentials: one line, exit 3', async () => {
    const r = await runBin(
      ['verify', '--bucket', bucket, '--kms-key', key1, '--skip-key-check', '--live'],
      t,
      {
        env: { AWS_SECRET_ACCESS_KEY: 'wrong-secret-wrong-secret-wrong-secret00' },
      },
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: the credentials were rejected \(SignatureDoesNotMatch\)/);
  });

  it('enable-sse refuses clearly where the store has no bucket default encryption, and the bucket survives', async () => {
    const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', key1, '--skip-key-check'], t);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/does not support bucket default encryption.*'s3-encrypt encrypt'/);
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });
});
