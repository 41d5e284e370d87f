// Proves the moto tier really ran: S3 + KMS + STS on one moto server, default SSE-KMS with a
// bucket key applied to a plain PutObject.
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const common = {
  endpoint: t.endpoint,
  region: t.region,
  credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
};
const s3 = new S3Client({ ...common, forcePathStyle: true });
const kms = new KMSClient(common);
const sts = new STSClient(common);
const bucket = uniqueBucket('smoke-moto');
const cleanup: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
  s3.destroy();
  kms.destroy();
  sts.destroy();
});

describe('moto tier smoke', () => {
  it('is the moto tier', () => {
    expect(t.tier).toBe('moto');
    expect(t.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('applies default SSE-KMS with a bucket key and answers STS', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    cleanup.push(() => s3.send(new DeleteBucketCommand({ Bucket: bucket })));

    const key = await kms.send(new CreateKeyCommand({ Description: 's3e smoke' }));
    const keyArn = key.KeyMetadata?.Arn;
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    const alias = `alias/${uniqueBucket('s3e-smoke')}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyMetadata?.KeyId }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: alias }));
    expect(described.KeyMetadata?.Arn).toBe(keyArn);

    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'hello moto' }));
    cleanup.push(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a.txt' })));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a.txt' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toBe(keyArn);
    expect(head.BucketKeyEnabled).toBe(true);

    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toMatch(/^\d{12}$/);
    expect(keyArn?.split(':')[4]).toBe(me.Account);
  });
});
