import type { BucketEncryption } from '../encryption/bucket-default.js';
import { describeDefaultEncryption, judgeDefaultEncryption } from '../encryption/default-state.js';
import type { ResolvedKey } from '../kms/key.js';
import { readPolicy } from '../policy/read-policy.js';
import { fail, pass, warn, type Check } from './check.js';
import { objectArnContexts, sseS3Requirements } from './policy-findings.js';

export function defaultEncryptionCheck(
  config: BucketEncryption | undefined,
  key: ResolvedKey,
  enableSse: string,
): Check {
  const id = 'default-encryption';
  const title = 'Default encryption';
  const blocked = config?.Rules?.[0]?.BlockedEncryptionTypes?.EncryptionType ?? [];
  const blockedText = blocked.length ? `; blocks ${blocked.join(', ')} (enable-sse keeps this)` : '';
  const run = `run: ${enableSse}`;
  const s = judgeDefaultEncryption(config, key);
  switch (s.state) {
    case 'ready':
      return pass(id, title, `SSE-KMS with the target key and S3 Bucket Keys${blockedText}`, 'nothing to do');
    case 'none':
      return warn(id, title, `none configured: S3 applies SSE-S3 to new objects${blockedText}`, run);
    case 'no-bucket-key':
      return warn(id, title, `SSE-KMS with the target key but S3 Bucket Keys off${blockedText}`, run);
    case 'other-key':
      return warn(
        id,
        title,
        `SSE-KMS with ${s.keyId ?? 'the AWS managed key (aws/s3)'}, not ${key.id}${blockedText}`,
        run,
      );
    default:
      return warn(id, title, `${describeDefaultEncryption(s, key.id)}${blockedText}`, run);
  }
}

export function bucketPolicyCheck(text: string | undefined): Check {
  const id = 'bucket-policy';
  const title = 'Bucket policy';
  if (text === undefined) return pass(id, title, 'no bucket policy', 'nothing to do');
  const statements = readPolicy(text);
  if (!statements)
    return warn(
      id,
      title,
      'the bucket policy is not valid JSON policy text',
      'check it by hand before migrating',
    );
  const sseS3 = sseS3Requirements(statements);
  if (sseS3.length > 0)
    return fail(
      id,
      title,
      `statement ${sseS3.join(', ')} requires SSE-S3: writers are forced to AES256 and SSE-KMS copies are denied`,
      'change the condition to s3:x-amz-server-side-encryption = aws:kms (and the key id), or remove it, before migrating',
    );
  const contexts = objectArnContexts(statements);
  if (contexts.length > 0)
    return warn(
      id,
      title,
      `statement ${contexts.join(', ')} conditions kms:EncryptionContext:aws:s3:arn on object paths`,
      'with S3 Bucket Keys the encryption context is the bucket ARN: condition on arn:aws:s3:::BUCKET instead',
    );
  return pass(
    id,
    title,
    `${statements.length} statement(s), none requires SSE-S3 or an object-ARN encryption context`,
    'nothing to do',
  );
}
