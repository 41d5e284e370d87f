import { sameKey, type ResolvedKey } from '../kms/key.js';
import type { ObjectHead } from '../objects.js';
import type { LockSettings } from './ports.js';
import type { BucketKeyPolicy } from './types.js';

/** Why a written object failed its read-back. */
export type EncryptionProblem =
  'gone' | 'not-encrypted' | 'wrong-key' | 'no-bucket-key' | 'bucket-key-absent';

/**
 * Is the object now what the target asks for? `bucket-key-absent` is separate from
 * `no-bucket-key`: a store that never reports the flag (Ceph RGW) answers with no header at all,
 * while `false` is an explicit refusal.
 */
export function encryptionProblem(
  after: ObjectHead | undefined,
  key: ResolvedKey,
  policy: BucketKeyPolicy,
): EncryptionProblem | undefined {
  if (!after) return 'gone';
  if (after.serverSideEncryption !== 'aws:kms') return 'not-encrypted';
  if (!sameKey(after.kmsKeyId, key)) return 'wrong-key';
  if (after.bucketKeyEnabled === false) return 'no-bucket-key';
  if (after.bucketKeyEnabled === undefined && policy === 'required') return 'bucket-key-absent';
  return undefined;
}

const dateMs = (d: Date | undefined): number | undefined => d?.getTime();

/** Fields a rewrite must keep; each entry is [name, before, after] rendered for comparison. */
function fields(h: ObjectHead): Record<string, unknown> {
  return {
    size: h.size,
    contentType: h.contentType,
    cacheControl: h.cacheControl,
    contentDisposition: h.contentDisposition,
    contentEncoding: h.contentEncoding,
    contentLanguage: h.contentLanguage,
    expires: dateMs(h.expires),
    websiteRedirectLocation: h.websiteRedirectLocation,
    storageClass: h.storageClass,
    metadata: JSON.stringify(Object.entries(h.metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** Names of the attributes that changed between the HEAD before and the HEAD after a write. */
export function changedAttributes(before: ObjectHead, after: ObjectHead): string[] {
  const b = fields(before);
  const a = fields(after);
  const changed = Object.keys(b).filter((k) => b[k] !== a[k]);
  // Only when both sides report it: tags are checked in full where the engine restates them.
  if (
    before.tagCount !== undefined &&
    after.tagCount !== undefined &&
    (before.tagCount ?? 0) !== (after.tagCount ?? 0)
  )
    changed.push('tagCount');
  return changed;
}

/** Lock settings the new version lacks; retain-until compared to the second (stores may drop milliseconds). */
export function missingLock(after: ObjectHead, want: LockSettings): string[] {
  const missing: string[] = [];
  if (want.mode !== undefined) {
    if (after.objectLockMode !== want.mode) missing.push('objectLockMode');
    const a = after.objectLockRetainUntilDate?.getTime();
    const w = want.retainUntil?.getTime();
    if (a === undefined || w === undefined || Math.abs(a - w) >= 1000)
      missing.push('objectLockRetainUntilDate');
  }
  if (want.legalHold === 'ON' && after.objectLockLegalHoldStatus !== 'ON')
    missing.push('objectLockLegalHoldStatus');
  return missing;
}
