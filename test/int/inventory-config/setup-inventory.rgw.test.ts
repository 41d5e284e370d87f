// setup-inventory against a real Ceph RGW 16.2, which has no S3 Inventory: it answers
// GetBucketInventoryConfiguration with a bucket listing (200) and PUT with 400, and routes some
// inventory calls to bucket operations. The command must refuse in one line and leave the bucket,
// its objects and its policy exactly as they were.
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const bucket = uniqueBucket('inv-rgw');

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep/me', Body: 'x' }));
});

describe('setup-inventory on Ceph RGW', () => {
  it.each([[[]], [['--dry-run']]])(
    'refuses in one line with exit 3 and changes nothing %j',
    async (extra) => {
      const r = await runBin(['setup-inventory', '--bucket', bucket, '--destination', bucket, ...extra], t);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([
        `error: the store at ${t.endpoint} has no S3 Inventory (bucket ${bucket}): S3 Inventory is an AWS feature: on this store use 'verify --live' and 's3-encrypt encrypt'`,
      ]);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((o) => o.Key)).toEqual(['keep/me']);
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({
        name: 'NoSuchBucketPolicy',
      });
    },
  );
});
