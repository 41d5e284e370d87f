// Proves the RGW tier really ran: a real Ceph RGW 16.2 with the `testing` KMS backend and the extra
// storage classes. (RGW has no KMS API and never returns BucketKeyEnabled; see local-s3.md.)
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = new S3Client({
  endpoint: t.endpoint,
  region: t.region,
  credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
  forcePathStyle: true,
});
const bucket = uniqueBucket('smoke-rgw');
const cleanup: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
  s3.destroy();
});

describe('rgw tier smoke', () => {
  it('is the rgw tier with two testing KMS keys', () => {
    expect(t.tier).toBe('rgw');
    expect(t.kmsKeyIds).toEqual(['s3e-key-1', 's3e-key-2']);
  });

  it('stores an object with SSE-KMS under a testing key', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    cleanup.push(() => s3.send(new DeleteBucketCommand({ Bucket: bucket })));

    const keyId = t.kmsKeyIds[0];
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms.txt',
        Body: 'hello rgw',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyId,
      }),
    );
    cleanup.push(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'kms.txt' })));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms.txt' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toBe(keyId);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello rgw');
  });

  it('keeps the STANDARD_IA storage class', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'ia.txt', Body: 'cold', StorageClass: 'STANDARD_IA' }),
    );
    cleanup.push(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'ia.txt' })));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'ia.txt' }));
    expect(head.StorageClass).toBe('STANDARD_IA');
  });
});
