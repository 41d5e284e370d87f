// SeaweedFS lists an unversioned bucket in the order of its filer's directory walk: every key
// under "a/" comes out before "a-b", although '-' (0x2D) sorts before '/' (0x2F) in the UTF-8 binary
// order S3 promises. A listing out of order can as well skip keys, so verify and encrypt must
// refuse to conclude anything there (ListingAltered, exit 4), never call the bucket compliant.
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const [KEY] = t.kmsKeyIds as [string];
const bucket = uniqueBucket('order-sw');
const keys = ['a-b', 'a/x', 'a/y', 'b'];

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const Key of keys)
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: Key,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KEY,
      }),
    );
});

describe('listing order on SeaweedFS (unversioned)', () => {
  it('the store lists a directory before a sibling key that sorts first', async () => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const listed = (page.Contents ?? []).map((c) => c.Key);
    expect([...listed].sort()).toEqual(keys);
    expect(listed).not.toEqual(keys);
  });

  it.each([
    ['verify --live', ['verify', '--bucket', bucket, '--kms-key', KEY, '--skip-key-check', '--live']],
    ['encrypt', ['encrypt', '--bucket', bucket, '--kms-key', KEY, '--skip-key-check', '--no-state']],
  ])('%s refuses to conclude: ListingAltered, exit 4', async (_what, args) => {
    const r = await runBin(['--json', ...args], t);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    const error = (r.lines().at(-1) as { error?: { code: string; hint: string } }).error;
    expect(error?.code).toBe('ListingAltered');
    // the hint must not send the user looking for a proxy only: the store itself can be the cause
    expect(error?.hint).toMatch(/the store itself/);
    expect(r.stdout).not.toMatch(/COMPLIANT|DONE/);
  });
});
