import { classify, EncryptionClass } from '../encryption/classify.js';
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectHead } from '../objects.js';
import { Action, MAX_SINGLE_COPY, SkipReason, type BucketKeyPolicy } from './types.js';

export interface DecideContext {
  key: ResolvedKey;
  bucketKey: BucketKeyPolicy;
  /** What the run knows about UpdateObjectEncryption on this store. */
  uoe: 'supported' | 'unsupported' | 'unknown';
  /** Objects larger than this are copied by multipart upload. */
  multipartThreshold: number;
  /** The rewrite method in force: `multipart` once the run learnt CopyObject does not encrypt. */
  copyMethod: 'copy' | 'multipart';
  now: Date;
  /**
   * False on S3-compatible endpoints: Ceph RGW 16.2 URL-decodes an UploadPartCopy source twice,
   * so a key with '%' names another object (or crashes the gateway).
   */
  percentKeysSafe: boolean;
}

export type Decision =
  | { action: typeof Action.SKIP_COMPLIANT; class: EncryptionClass }
  | { action: typeof Action.SKIP; class: EncryptionClass; reason: SkipReason; detail: string }
  | { action: typeof Action.UPDATE; class: EncryptionClass }
  | { action: typeof Action.COPY | typeof Action.MULTIPART; class: EncryptionClass; note?: string };

/** Encryption class with the run's bucket-key policy applied (RGW never reports the flag). */
export function encryptionClassOf(
  head: ObjectHead,
  key: ResolvedKey,
  policy: BucketKeyPolicy,
): EncryptionClass {
  const cls = classify(head, key, { requireBucketKey: true });
  if (
    cls === EncryptionClass.SSE_KMS_NO_BUCKET_KEY &&
    policy === 'accept-absent' &&
    head.bucketKeyEnabled === undefined
  )
    return EncryptionClass.COMPLIANT;
  return cls;
}

const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
const ARCHIVE_TIERS = new Set(['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']);

/** GLACIER / DEEP_ARCHIVE / Intelligent-Tiering archive tiers can only be copied once restored. @internal */
export function needsRestore(head: ObjectHead): boolean {
  const archived =
    ARCHIVE_CLASSES.has(head.storageClass) ||
    (head.archiveStatus !== undefined && ARCHIVE_TIERS.has(head.archiveStatus));
  if (!archived) return false;
  // x-amz-restore: ongoing-request="false", expiry-date="..." means a restored copy is readable.
  return !/ongoing-request\s*=\s*"false"/i.test(head.restore ?? '');
}

/** Under retention (until a future date) or legal hold: UpdateObjectEncryption refuses it. @internal */
export function isLocked(head: ObjectHead, now: Date): boolean {
  if (head.objectLockLegalHoldStatus === 'ON') return true;
  return (
    head.objectLockMode !== undefined &&
    head.objectLockRetainUntilDate !== undefined &&
    head.objectLockRetainUntilDate.getTime() > now.getTime()
  );
}

const UOE_CLASSES = new Set<EncryptionClass>([
  EncryptionClass.SSE_S3,
  EncryptionClass.SSE_KMS_OTHER_KEY,
  EncryptionClass.SSE_KMS_NO_BUCKET_KEY,
]);

/** What to do with one object, from its HEAD alone. Pure: the executor owns every request. */
export function decide(head: ObjectHead, ctx: DecideContext): Decision {
  const cls = encryptionClassOf(head, ctx.key, ctx.bucketKey);
  if (cls === EncryptionClass.COMPLIANT) return { action: Action.SKIP_COMPLIANT, class: cls };
  if (cls === EncryptionClass.SSE_C)
    return {
      action: Action.SKIP,
      class: cls,
      reason: SkipReason.SSE_C,
      detail: 'SSE-C: S3 cannot re-encrypt it without the customer key; rewrite it with the key yourself',
    };
  if (cls === EncryptionClass.DSSE_KMS)
    return {
      action: Action.SKIP,
      class: cls,
      reason: SkipReason.DSSE_KMS,
      detail: 'DSSE-KMS is already stronger (two layers of KMS encryption); left as it is',
    };

  const locked = isLocked(head, ctx.now);
  if (UOE_CLASSES.has(cls) && ctx.uoe !== 'unsupported' && !locked)
    return { action: Action.UPDATE, class: cls };

  let note: string | undefined;
  if (UOE_CLASSES.has(cls))
    note = locked
      ? 'under Object Lock: UpdateObjectEncryption refuses it, copied with the same lock'
      : 'UpdateObjectEncryption unsupported by this store: copied';
  if (needsRestore(head))
    return {
      action: Action.SKIP,
      class: cls,
      reason: SkipReason.ARCHIVED,
      detail: `${head.archiveStatus ?? head.storageClass} and not restored: restore it (RestoreObject), then run again`,
    };
  const multipart =
    ctx.copyMethod === 'multipart' || head.size > ctx.multipartThreshold || head.size > MAX_SINGLE_COPY;
  if (multipart && !ctx.percentKeysSafe && head.key.includes('%'))
    return {
      action: Action.SKIP,
      class: cls,
      reason: SkipReason.UNSAFE_KEY,
      detail:
        "key contains '%': S3-compatible stores such as Ceph RGW 16.2 decode UploadPartCopy sources twice and would copy another object; rewrite it with a PUT",
    };
  return { action: multipart ? Action.MULTIPART : Action.COPY, class: cls, ...(note ? { note } : {}) };
}
