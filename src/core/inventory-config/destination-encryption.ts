import type { BucketEncryption } from '../encryption/bucket-default.js';
import { PreconditionError, S3EncryptError } from '../errors.js';
import { bucketArn } from '../s3-uri.js';
import type { KeyDirectory } from '../ports.js';

export type DestinationEncryption =
  | { kind: 'ok'; algorithm: string }
  | { kind: 'customer-key'; keyId: string; keyPolicyStatement: Record<string, unknown> }
  | { kind: 'unknown-key'; keyId: string; reason: string; keyPolicyStatement: Record<string, unknown> };

/**
 * Can S3 Inventory write into this destination? Reports are written with the destination's default
 * encryption. An AWS managed key (aws/s3) cannot be used for delivery (its policy cannot grant
 * s3.amazonaws.com), so that is refused before anything is written; a customer managed key works
 * only when its key policy lets S3 generate data keys, which the caller may need to add.
 */
export async function checkDestinationEncryption(
  encryption: BucketEncryption | undefined,
  keys: KeyDirectory,
  grant: { sourceBucket: string; sourceAccount: string; destinationBucket: string },
): Promise<DestinationEncryption> {
  const rule = encryption?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const algorithm = rule?.SSEAlgorithm ?? 'AES256';
  if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') return { kind: 'ok', algorithm };
  const keyId = rule?.KMSMasterKeyID;
  if (!keyId || /(^|:)alias\/aws\/s3$/.test(keyId))
    refuseAwsManaged(grant.destinationBucket, keyId ?? 'aws/s3');
  const statement = keyPolicyStatement(grant);
  let manager: string;
  try {
    manager = (await keys.describeKey(keyId)).manager;
  } catch (err) {
    // A key in another account, or no kms:DescribeKey: the delivery may still work, so warn.
    const reason = err instanceof S3EncryptError ? err.message : String(err);
    return { kind: 'unknown-key', keyId, reason, keyPolicyStatement: statement };
  }
  if (manager === 'AWS') refuseAwsManaged(grant.destinationBucket, keyId);
  return { kind: 'customer-key', keyId, keyPolicyStatement: statement };
}

function refuseAwsManaged(bucket: string, keyId: string): never {
  throw new PreconditionError(
    'DestinationAwsManagedKey',
    `destination bucket ${bucket} encrypts new objects with the AWS managed key ${keyId}, which S3 Inventory cannot use`,
    `set its default encryption to SSE-S3 or a customer managed key (s3-encrypt enable-sse --bucket ${bucket} --kms-key ...), or choose another --destination`,
  );
}

/** The key-policy statement AWS documents for inventory delivery to an SSE-KMS bucket. */
function keyPolicyStatement(grant: { sourceBucket: string; sourceAccount: string }): Record<string, unknown> {
  return {
    Sid: 'AllowS3InventoryDelivery',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: ['kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': grant.sourceAccount },
      ArnLike: { 'aws:SourceArn': bucketArn(grant.sourceBucket) },
    },
  };
}
