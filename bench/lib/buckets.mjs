// Arranging benchmark state (not timed): a KMS key on moto, buckets of N small objects, cleanup.
import { createHash, randomBytes } from 'node:crypto';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { isUnderKey, RawS3Client, runPool } from './sigv4-client.mjs';

export const OBJECT_SIZE = 1024;

export function rawClient(t, maxSockets = 32) {
  return new RawS3Client({ ...t, maxSockets });
}

/** A unique, valid bucket name for one benchmark round. */
export function benchBucket(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** A fresh customer managed key on moto (RGW has no KMS API: its key ids come from rgw.env). */
export async function createMotoKey(t) {
  const kms = new KMSClient({
    region: t.region,
    endpoint: t.endpoint,
    credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
  });
  const out = await kms.send(new CreateKeyCommand({ Description: 's3-encrypt benchmark key' }));
  kms.destroy();
  return out.KeyMetadata.Arn;
}

/** Keys spread over a few prefixes, as in a real bucket. */
export function keyOf(i) {
  return `data/${String(i % 50).padStart(2, '0')}/object-${String(i).padStart(7, '0')}.bin`;
}

/**
 * Create `bucket` with `n` objects of 1 KiB: plaintext (NOT-SSE), or SSE-KMS under `kmsKeyId`.
 * Checks the count by listing, so a round never runs on a half-seeded bucket.
 */
export async function seedBucket(client, bucket, n, { kmsKeyId } = {}) {
  await client.createBucket(bucket);
  const body = randomBytes(OBJECT_SIZE);
  const headers = kmsKeyId
    ? { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId }
    : {};
  await runPool(
    Array.from({ length: n }, (_, i) => i),
    32,
    (i) =>
      client.putObject(bucket, keyOf(i), body, { 'content-type': 'application/octet-stream', ...headers }),
  );
  let listed = 0;
  for await (const _ of client.list(bucket)) listed++;
  if (listed !== n) throw new Error(`seeding ${bucket}: listed ${listed} objects, expected ${n}`);
}

/** Delete every object and the bucket (DeleteObjects, 1,000 keys a request). */
export async function dropBucket(client, bucket) {
  let batch = [];
  const keys = [];
  for await (const o of client.list(bucket)) keys.push(o.key);
  for (const k of keys) {
    batch.push(k);
    if (batch.length === 1000) {
      await client.deleteMany(bucket, batch);
      batch = [];
    }
  }
  if (batch.length) await client.deleteMany(bucket, batch);
  await client.deleteBucket(bucket);
}

/** PutBucketOwnershipControls (BucketOwnerEnforced is the default for new AWS buckets since 2023). */
export async function setOwnership(client, bucket, ownership) {
  const body = `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>${ownership}</ObjectOwnership></Rule></OwnershipControls>`;
  await client.ok({
    method: 'PUT',
    path: `/${bucket}`,
    query: [['ownershipControls', '']],
    headers: {
      'content-md5': createHash('md5').update(body).digest('base64'),
      'content-type': 'application/xml',
    },
    body,
  });
}

/**
 * Untimed proof that a side did the work: every object of `bucket` HEADed, counted by state.
 * Returns { objects, underKey, bucketKey } (bucketKey: objects reporting BucketKeyEnabled=true).
 */
export async function encryptionCensus(client, bucket, keyId) {
  let objects = 0;
  let underKey = 0;
  let bucketKey = 0;
  await runPool(client.list(bucket), 32, async (o) => {
    const h = await client.head(bucket, o.key);
    objects++;
    if (isUnderKey(h, keyId)) underKey++;
    if (h?.bucketKeyEnabled === true) bucketKey++;
  });
  return { objects, underKey, bucketKey };
}
