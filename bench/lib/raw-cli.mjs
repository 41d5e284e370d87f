#!/usr/bin/env node
// The raw client as its own process, so it is timed exactly like the CLI (spawn to exit).
//   node bench/lib/raw-cli.mjs verify  --endpoint URL --bucket B --kms-key K [--concurrency 16]
//   node bench/lib/raw-cli.mjs encrypt --endpoint URL --bucket B --kms-key K [--concurrency 16]
// Credentials and region from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION.
// Prints one JSON line: objects seen, per-outcome counts, requests sent, elapsed ms.
//
// verify:  ListObjectsV2 (paged) + HeadObject per object; compliant = SSE-KMS under the key.
// encrypt: what s3-encrypt's engine does for a NOT-SSE object (src/core/encrypt/object-task.ts):
//   once:       GetBucketOwnershipControls (ACLs in force unless BucketOwnerEnforced)
//   per object: HeadObject; [GetObjectAcl if ACLs in force]; CopyObject onto itself (SSE-KMS,
//               key, bucket key, COPY directives, storage class, copy-source-if-match + If-Match);
//               read-back HeadObject (SSE-KMS under the key, bucket key not false);
//               [GetObjectAcl compared with the one before, if ACLs in force, skipped once the
//               copier's id is known and the source ACL is the default one it owns]
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
  },
});
const mode = positionals[0];
if (!['verify', 'encrypt'].includes(mode) || !values.endpoint || !values.bucket || !values['kms-key']) {
  console.error('usage: raw-cli.mjs verify|encrypt --endpoint URL --bucket B --kms-key K [--concurrency N]');
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
const encryptOne = async (o) => {
  try {
    const head = await client.head(bucket, o.key);
    if (!head) return bump('gone');
    if (head.sse || head.sseCustomerAlgorithm) return bump(isUnderKey(head, keyId) ? 'already' : 'skipped');
    const aclBefore = aclsInForce ? await client.getAcl(bucket, o.key) : undefined;
    await client.copyInPlace(bucket, o.key, {
      kmsKeyId: keyId,
      storageClass: head.storageClass,
      etag: head.etag,
    });
    const after = await client.head(bucket, o.key);
    if (!isUnderKey(after, keyId) || after.bucketKeyEnabled === false)
      return bump('not-encrypted-after-copy');
    // As the engine: a private source owned by the copier needs no check (a copy is private and
    // belongs to the copier); otherwise the new object's ACL is read and compared.
    if (aclBefore && !(aclBefore.isDefault && copierId !== undefined && aclBefore.ownerId === copierId)) {
      const now = await client.getAcl(bucket, o.key);
      copierId ??= now.ownerId;
      if (now.grants.join() !== aclBefore.grants.join()) return bump('acl-changed');
    }
    bump('encrypted');
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
  JSON.stringify({ mode, objects, counts, aclsInForce, requests: client.requests, ms: Math.round(ms) }),
);
const good = mode === 'verify' ? (counts.compliant ?? 0) : (counts.encrypted ?? 0) + (counts.already ?? 0);
process.exit(good === objects ? 0 : 1);
