import type { ResolvedKey } from '../kms/key.js';

/**
 * A bucket's default-encryption configuration, kept in S3's own field names because the
 * rewrite must carry every field we do not manage (BlockedEncryptionTypes and whatever AWS adds
 * next) through unchanged. Unknown fields ride along in the index signature.
 */
interface EncryptionRule {
  ApplyServerSideEncryptionByDefault?: {
    SSEAlgorithm?: string;
    KMSMasterKeyID?: string;
    [k: string]: unknown;
  };
  BucketKeyEnabled?: boolean;
  BlockedEncryptionTypes?: { EncryptionType?: string[]; [k: string]: unknown };
  [k: string]: unknown;
}

export interface BucketEncryption {
  Rules: EncryptionRule[];
  [k: string]: unknown;
}

export interface EncryptionChange {
  field: string;
  before: string | undefined;
  after: string | undefined;
}

export interface EncryptionPlan {
  /** The configuration to write, or undefined when the bucket is already as asked. */
  next: BucketEncryption | undefined;
  changes: EncryptionChange[];
}

/**
 * Desired state: the first rule applies aws:kms with the key and (unless opted out) a bucket key.
 * Everything else in the existing configuration is kept as it is.
 */
export function bucketEncryptionChange(
  current: BucketEncryption | undefined,
  key: ResolvedKey,
  bucketKey: boolean,
): EncryptionPlan {
  const rules = current?.Rules?.length ? current.Rules : [{}];
  const [first, ...rest] = rules as [EncryptionRule, ...EncryptionRule[]];
  const before = first.ApplyServerSideEncryptionByDefault;
  const nextFirst: EncryptionRule = {
    ...first,
    ApplyServerSideEncryptionByDefault: { ...before, SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.id },
    BucketKeyEnabled: bucketKey,
  };
  const changes = diff(
    { algorithm: before?.SSEAlgorithm, key: before?.KMSMasterKeyID, bucketKey: first.BucketKeyEnabled },
    { algorithm: 'aws:kms', key: key.id, bucketKey },
  );
  if (changes.length === 0) return { next: undefined, changes };
  return { next: { ...(current ?? {}), Rules: [nextFirst, ...rest] }, changes };
}

function diff(
  a: { algorithm: string | undefined; key: string | undefined; bucketKey: boolean | undefined },
  b: { algorithm: string; key: string; bucketKey: boolean },
): EncryptionChange[] {
  const out: EncryptionChange[] = [];
  if (a.algorithm !== b.algorithm)
    out.push({ field: 'SSEAlgorithm', before: a.algorithm, after: b.algorithm });
  if (a.key !== b.key) out.push({ field: 'KMSMasterKeyID', before: a.key, after: b.key });
  if ((a.bucketKey ?? false) !== b.bucketKey)
    out.push({ field: 'BucketKeyEnabled', before: String(a.bucketKey ?? false), after: String(b.bucketKey) });
  return out;
}
