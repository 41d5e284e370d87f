import { InterruptedError, S3EncryptError, ServiceError } from '../errors.js';
import { sameKey, type ResolvedKey } from '../kms/key.js';
import type { BucketEncryptionStore, KeyDirectory } from '../ports.js';
import type { BucketEncryption } from './bucket-default.js';

/**
 * What a bucket's default encryption is, judged against the target key. The one reading of it:
 * plan reports it, encrypt warns on it, create-job refuses on anything but `ready`.
 */
export type DefaultEncryptionState =
  | { state: 'ready' }
  | { state: 'none' }
  | { state: 'sse-s3' }
  | { state: 'other-algorithm'; algorithm: string; keyId: string | undefined }
  /** `keyId` undefined: aws:kms without a key id, i.e. the AWS managed key aws/s3. */
  | { state: 'other-key'; keyId: string | undefined }
  | { state: 'no-bucket-key' }
  /** The configuration could not be read, or its key could not be resolved: never taken as fine. */
  | { state: 'unknown'; reason: string };

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

/**
 * The first rule (S3 applies only one) against `key`. `resolvedArn` is the key ARN that a
 * configured alias or bare key id resolves to (KMS DescribeKey); without it, a key ARN must equal
 * the target's ARN exactly (a multi-Region replica shares the key id, not the ARN), a bare id must
 * be the target's id, and an alias never matches.
 */
export function judgeDefaultEncryption(
  config: BucketEncryption | undefined,
  key: ResolvedKey,
  resolvedArn?: string,
): DefaultEncryptionState {
  const rule = config?.Rules?.[0];
  const by = rule?.ApplyServerSideEncryptionByDefault;
  if (!by?.SSEAlgorithm) return { state: 'none' };
  if (by.SSEAlgorithm === 'AES256') return { state: 'sse-s3' };
  if (by.SSEAlgorithm !== 'aws:kms')
    return { state: 'other-algorithm', algorithm: by.SSEAlgorithm, keyId: by.KMSMasterKeyID };
  if (!configuredKeyIs(by.KMSMasterKeyID, key, resolvedArn))
    return { state: 'other-key', keyId: by.KMSMasterKeyID };
  if (rule?.BucketKeyEnabled !== true) return { state: 'no-bucket-key' };
  return { state: 'ready' };
}

function configuredKeyIs(configured: string | undefined, key: ResolvedKey, resolvedArn?: string): boolean {
  if (!configured) return false;
  if (resolvedArn !== undefined) return resolvedArn === key.id;
  // An unchecked key (--skip-key-check, stores without KMS) is only known as the user typed it.
  if (!key.checked) return sameKey(configured, key);
  // A checked key's id is its full ARN.
  if (KEY_ARN.test(configured)) return configured === key.id;
  // Otherwise a bare key id; an alias (name or ARN) never equals one, so it never matches here.
  return configured === key.shortId;
}

/**
 * GetBucketEncryption, then (for a checked key) DescribeKey on a configured alias or bare key id,
 * so the comparison is key ARN to key ARN. A refused or failed read is `unknown`, not an error, so
 * each caller decides (create-job refuses, encrypt only warns); a service error (retry) and an
 * interrupt still propagate.
 */
export async function readDefaultEncryption(
  ports: { encryption: BucketEncryptionStore; keys: KeyDirectory },
  bucket: string,
  key: ResolvedKey,
): Promise<DefaultEncryptionState> {
  let config: BucketEncryption | undefined;
  try {
    config = await ports.encryption.getEncryption(bucket);
  } catch (err) {
    return unknownOrThrow(err, 'GetBucketEncryption');
  }
  const by = config?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const configured = by?.KMSMasterKeyID;
  let resolvedArn: string | undefined;
  if (by?.SSEAlgorithm === 'aws:kms' && configured && key.checked && !KEY_ARN.test(configured)) {
    try {
      resolvedArn = (await ports.keys.describeKey(configured)).arn;
    } catch (err) {
      return unknownOrThrow(err, `DescribeKey ${configured} (the key the bucket default names)`);
    }
  }
  return judgeDefaultEncryption(config, key, resolvedArn);
}

function unknownOrThrow(err: unknown, what: string): DefaultEncryptionState {
  if (!(err instanceof S3EncryptError) || err instanceof InterruptedError || err instanceof ServiceError)
    throw err;
  return { state: 'unknown', reason: `${what}: ${err.message}` };
}

/** The state in words, for messages. */
export function describeDefaultEncryption(s: DefaultEncryptionState, keyId: string): string {
  switch (s.state) {
    case 'ready':
      return `SSE-KMS under ${keyId} with S3 Bucket Keys`;
    case 'none':
      return 'not set (S3 applies SSE-S3 to new objects)';
    case 'sse-s3':
      return 'SSE-S3 (AES256)';
    case 'other-algorithm':
      return `${s.algorithm} with ${s.keyId ?? 'no key'}`;
    case 'other-key':
      return `SSE-KMS under ${s.keyId ?? 'the AWS managed key (aws/s3)'}, not ${keyId}`;
    case 'no-bucket-key':
      return `SSE-KMS under ${keyId} without S3 Bucket Keys`;
    case 'unknown':
      return `unknown (${s.reason})`;
  }
}
