#!/usr/bin/env node
// The raw client as its own process, so it is timed exactly like the CLI (spawn to exit).
//   node bench/lib/raw-cli.mjs verify  --endpoint URL --bucket B --kms-key K [--concurrency 16]
//   node bench/lib/raw-cli.mjs encrypt --endpoint URL --bucket B --kms-key K [--concurrency 16]
//        [--copy-method auto|copy|multipart] [--transport http|net]
// Credentials and region from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION.
// Prints one JSON line: objects seen, per-outcome counts, requests sent, elapsed ms.
//
// verify:  ListObjectsV2 (paged) + HeadObject per object; compliant = SSE-KMS under the key.
// encrypt: what s3-encrypt's engine does for a NOT-SSE object (src/core/encrypt/object-task.ts):
//   once:       GetBucketOwnershipControls (ACLs in force unless BucketOwnerEnforced)
//   per object: HeadObject; [GetObjectAcl if ACLs in force]; then
//     copy:      CopyObject onto itself (SSE-KMS, key, bucket key, COPY directives, storage class,
//                copy-source-if-match + If-Match); read-back HeadObject; [GetObjectAcl compared
//                with the one before, skipped once the copier's id is known and the source ACL is
//                the default one it owns]
//     multipart: [GetObjectTagging unless the HEAD says 0 tags]; ListMultipartUploads for the key;
//                CreateMultipartUpload (everything restated) + UploadPartCopy + Complete
//                (If-Match); read-back HeadObject; [GetObjectTagging compared]; [PutObjectAcl +
//                GetObjectAcl if ACLs in force]
//   auto: the first copy decides, as in the engine: CopyObject refused, or read back without
//   SSE-KMS (Ceph RGW), switches the run to multipart and redoes that object from a fresh HEAD.
//   Encrypted = the read-back shows SSE-KMS under the key and BucketKeyEnabled not false.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isUnderKey, RawS3Client, runPool } from './sigv4-client.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string' },
    bucket: { type: 'string' },
    'kms-key': { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    'copy-method': { type: 'string', default: 'auto' },
    // 'net': bare sockets, one per request (the CPU floor; see RawS3Client).
    transport: { type: 'string', default: 'http' },
  },
});
const mode = positionals[0];
if (
  !['verify', 'encrypt'].includes(mode) ||
  !['auto', 'copy', 'multipart'].includes(values['copy-method']) ||
  !['http', 'net'].includes(values.transport) ||
  !values.endpoint ||
  !values.bucket ||
  !values['kms-key']
) {
  console.error(
    'usage: raw-cli.mjs verify|encrypt --endpoint URL --bucket B --kms-key K [--concurrency N] [--copy-method auto|copy|multipart] [--transport http|net]',
  );
  process.exit(2);
}
const concurrency = Number(values.concurrency);
const bucket = values.bucket;
const keyId = values['kms-key'];
const client = new RawS3Client({
  endpoint: values.endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  accessKeyId: process.env.AWS_ACCESS_KEY_ID,
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  maxSockets: concurrency,
  transport: values.transport,
});

const counts = {};
const bump = (k) => (counts[k] = (counts[k] ?? 0) + 1);
const t0 = performance.now();

const verifyOne = async (o) => {
  const head = await client.head(bucket, o.key);
  bump(!head ? 'gone' : isUnderKey(head, keyId) ? 'compliant' : 'offender');
};

let aclsInForce = false;
let copierId;
/** 'copy' | 'multipart' once decided; undefined while the auto probe has not settled. */
let method = values['copy-method'] === 'auto' ? undefined : values['copy-method'];
let probing;

const encrypted = (h) => isUnderKey(h, keyId) && h.bucketKeyEnabled !== false;

async function viaCopy(key, head, aclBefore, isProbe) {
  try {
    await client.copyInPlace(bucket, key, {
      kmsKeyId: keyId,
      storageClass: head.storageClass,
      etag: head.etag,
    });
  } catch (e) {
    if (!isProbe || !(e.status === 400 || e.status === 501)) throw e;
    method = 'multipart';
    return viaMultipart(key, await client.head(bucket, key), aclBefore);
  }
  const after = await client.head(bucket, key);
  if (!encrypted(after)) {
    if (!isProbe) return 'not-encrypted-after-copy';
    method = 'multipart';
    return viaMultipart(key, await client.head(bucket, key), aclBefore);
  }
  if (isProbe) method = 'copy';
  // A private source owned by the copier needs no check (a copy is private and the copier's).
  if (aclBefore && !(aclBefore.isDefault && copierId !== undefined && aclBefore.ownerId === copierId)) {
    const now = await client.getAcl(bucket, key);
    copierId ??= now.ownerId;
    if (now.grants.join() !== aclBefore.grants.join()) return 'acl-changed';
  }
  return 'encrypted';
}

async function viaMultipart(key, head, aclBefore) {
  const tags = head.tagCount === 0 ? [] : await client.getTags(bucket, key);
  await client.listUploads(bucket, key);
  await client.multipartInPlace(bucket, key, { kmsKeyId: keyId, head, tags });
  const after = await client.head(bucket, key);
  if (!encrypted(after)) return 'not-encrypted-after-multipart';
  if (tags.length > 0 || head.tagCount === undefined) {
    if ((await client.getTags(bucket, key)).join() !== tags.join()) return 'tags-changed';
  }
  if (aclBefore) {
    // A multipart upload inherits no ACL: it is always put back, then read back.
    await client.putAcl(bucket, key, aclBefore.grants);
    if ((await client.getAcl(bucket, key)).grants.join() !== aclBefore.grants.join()) return 'acl-changed';
  }
  return 'encrypted';
}

const encryptOne = async (o) => {
  try {
    const head = await client.head(bucket, o.key);
    if (!head) return bump('gone');
    if (head.sse || head.sseCustomerAlgorithm) return bump(isUnderKey(head, keyId) ? 'already' : 'skipped');
    const aclBefore = aclsInForce ? await client.getAcl(bucket, o.key) : undefined;
    if (method === undefined) {
      if (!probing) {
        // The first copy decides for the run; the other workers wait for its verdict.
        probing = viaCopy(o.key, head, aclBefore, true).finally(() => (method ??= 'copy'));
        return bump(await probing);
      }
      await probing.catch(() => undefined);
    }
    bump(
      method === 'copy'
        ? await viaCopy(o.key, head, aclBefore, false)
        : await viaMultipart(o.key, head, aclBefore),
    );
  } catch (e) {
    bump(`failed:${e.code ?? e.message}`);
  }
};

if (mode === 'encrypt') {
  try {
    aclsInForce = (await client.ownership(bucket)) !== 'BucketOwnerEnforced';
  } catch {
    aclsInForce = true; // as the engine: unknown ownership means ACLs are read
  }
}
const objects = await runPool(client.list(bucket), concurrency, mode === 'verify' ? verifyOne : encryptOne);
const ms = performance.now() - t0;
client.close();
console.log(
  JSON.stringify({
    mode,
    objects,
    counts,
    aclsInForce,
    copyMethod: method,
    requests: client.requests,
    ms: Math.round(ms),
  }),
);
const good = mode === 'verify' ? (counts.compliant ?? 0) : (counts.encrypted ?? 0) + (counts.already ?? 0);
process.exit(good === objects ? 0 : 1);
