// verify --live and enable-sse against a real SeaweedFS 4.48: the classes it can produce (plaintext
// and SSE-KMS under ids of its local KMS provider, plain names), bad credentials, bucket default
// encryption (supported there, unlike RGW), and the Bucket Key, which SeaweedFS's HEAD does not
// report for an object PUT with BucketKeyEnabled: unknown, so never compliant under
// --require-bucket-key.
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { summaryOf, verifyLiveSuite } from '../support/verify-live-suite.js';

const t = target();
const s3 = s3For(t);
const [key1] = t.kmsKeyIds as [string, string];

verifyLiveSuite('SeaweedFS');

describe('on SeaweedFS', () => {
  it('enable-sse applies and reads back the bucket default; new plain writes land under the key', async () => {
    const b = uniqueBucket('verify-sw-default');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    const r = await runBin(['enable-sse', '--bucket', b, '--kms-key', key1, '--skip-key-check'], t);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Applied and read back/);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'new', Body: 'n' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'new' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual(['aws:kms', key1]);
    const v = await runBin(['verify', '--bucket', b, '--kms-key', key1, '--skip-key-check', '--live'], t);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it('an object PUT with BucketKeyEnabled whose HEAD does not say so is not compliant under --require-bucket-key', async () => {
    const b = uniqueBucket('verify-sw-bk');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: 'bk',
        Body: 'b',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key1,
        BucketKeyEnabled: true,
      }),
    );
    // The store's own answer: no Bucket Key reported, so it cannot be known.
    expect((await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'bk' }))).BucketKeyEnabled).toBeUndefined();
    const args = ['--json', 'verify', '--bucket', b, '--kms-key', key1, '--skip-key-check', '--live'];
    const plain = await runBin(args, t);
    expect(plain.code, plain.stderr).toBe(0);
    const strict = await runBin([...args, '--require-bucket-key'], t);
    expect(strict.code, strict.stdout + strict.stderr).toBe(1);
    expect(summaryOf(strict)).toMatchObject({ checked: 1, compliant: 0 });
    expect(summaryOf(strict).byClass['SSE-KMS-no-bucket-key']).toBe(1);
  });
});
