import type { ResolvedKey } from '../kms/key.js';
import { sameKey } from '../kms/key.js';
import type { ObjectHead } from '../objects.js';

/** Where an object stands against the target: the vocabulary of verify, encrypt and plan. */
export const EncryptionClass = {
  COMPLIANT: 'compliant',
  NOT_SSE: 'NOT-SSE',
  SSE_S3: 'SSE-S3',
  SSE_KMS_OTHER_KEY: 'SSE-KMS-other-key',
  SSE_KMS_NO_BUCKET_KEY: 'SSE-KMS-no-bucket-key',
  SSE_C: 'SSE-C',
  DSSE_KMS: 'DSSE-KMS',
  /** Listed, then proved absent by an error code (NoSuchKey / NoSuchVersion): nothing is left of it. */
  VANISHED: 'vanished',
  /** The store answered, but nothing it said proves what the object is (see head-proof.ts). */
  UNVERIFIED: 'unverified',
} as const;
export type EncryptionClass = (typeof EncryptionClass)[keyof typeof EncryptionClass];

export const ALL_CLASSES: readonly EncryptionClass[] = Object.values(EncryptionClass);

export interface ClassifyOptions {
  /** Without it, SSE-KMS under the target key but without a bucket key counts as compliant. */
  requireBucketKey: boolean;
}

/** `undefined` head means the object was proved absent between listing and HEAD. */
export function classify(
  head: ObjectHead | undefined,
  key: ResolvedKey,
  opts: ClassifyOptions,
): EncryptionClass {
  if (!head) return EncryptionClass.VANISHED;
  if (head.sseCustomerAlgorithm) return EncryptionClass.SSE_C;
  switch (head.serverSideEncryption) {
    case undefined:
    case '':
      return EncryptionClass.NOT_SSE;
    case 'AES256':
      return EncryptionClass.SSE_S3;
    case 'aws:kms:dsse':
      return EncryptionClass.DSSE_KMS;
    case 'aws:kms':
      if (!sameKey(head.kmsKeyId, key)) return EncryptionClass.SSE_KMS_OTHER_KEY;
      if (opts.requireBucketKey && head.bucketKeyEnabled !== true)
        return EncryptionClass.SSE_KMS_NO_BUCKET_KEY;
      return EncryptionClass.COMPLIANT;
    default:
      // An algorithm this tool does not know is never silently compliant.
      return EncryptionClass.NOT_SSE;
  }
}
