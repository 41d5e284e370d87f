// verify --live and enable-sse against a real Ceph RGW 16.2: the classes RGW can produce
// (plaintext and SSE-KMS with its `testing` key ids; RGW has no SSE-S3 and never returns
// BucketKeyEnabled), bad credentials, and the refusal of PutBucketEncryption.
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { verifyLiveSuite } from '../support/verify-live-suite.js';

const t = target();
const s3 = s3For(t);
const [key1] = t.kmsKeyIds as [string, string];

verifyLiveSuite('Ceph RGW');

describe('on Ceph RGW', () => {
  it('enable-sse refuses clearly where the store has no bucket default encryption, and the bucket survives', async () => {
    const bucket = uniqueBucket('verify-rgw-sse');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', key1, '--skip-key-check'], t);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/does not support bucket default encryption.*'s3-encrypt encrypt'/);
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });
});
