import type { ObjectHead } from '../objects.js';
import type { CopyInPlace, KmsTarget, LockSettings, MultipartStart, Tag } from './ports.js';
import { MAX_PART, MAX_PARTS, MIB } from './types.js';

/**
 * The Object Lock settings the new version must carry: the same mode and retain-until date while
 * the date is in the future (a past date cannot be set and protects nothing), and a legal hold
 * that is ON. CopyObject and CreateMultipartUpload never carry these over by themselves.
 */
export function lockToCarry(head: ObjectHead, now: Date): LockSettings {
  const lock: LockSettings = {};
  if (
    head.objectLockMode &&
    head.objectLockRetainUntilDate &&
    head.objectLockRetainUntilDate.getTime() > now.getTime()
  ) {
    lock.mode = head.objectLockMode;
    lock.retainUntil = head.objectLockRetainUntilDate;
  }
  if (head.objectLockLegalHoldStatus === 'ON') lock.legalHold = 'ON';
  return lock;
}

export function hasLock(lock: LockSettings): boolean {
  return lock.mode !== undefined || lock.legalHold !== undefined;
}

/**
 * CopyObject onto itself. Both guards carry the ETag just read: the copy-source condition refuses
 * a source that changed, and the destination If-Match refuses to land on a key that received a
 * newer write (on a versioned bucket the source names the version read, which never changes, so
 * only the destination condition can notice the newer write).
 */
export function copyRequest(bucket: string, head: ObjectHead, target: KmsTarget, now: Date): CopyInPlace {
  return {
    bucket,
    key: head.key,
    sourceVersionId: head.versionId,
    guard: { sourceEtag: head.etag, destinationEtag: head.etag },
    target,
    storageClass: head.storageClass,
    websiteRedirectLocation: head.websiteRedirectLocation,
    lock: lockToCarry(head, now),
  };
}

/** CreateMultipartUpload has no metadata directive: everything the object had is restated. */
export function multipartStart(
  bucket: string,
  head: ObjectHead,
  target: KmsTarget,
  tags: Tag[],
  now: Date,
): MultipartStart {
  return {
    bucket,
    key: head.key,
    target,
    storageClass: head.storageClass,
    contentType: head.contentType,
    cacheControl: head.cacheControl,
    contentDisposition: head.contentDisposition,
    contentEncoding: head.contentEncoding,
    contentLanguage: head.contentLanguage,
    expires: head.expires,
    websiteRedirectLocation: head.websiteRedirectLocation,
    metadata: { ...head.metadata },
    tags,
    lock: lockToCarry(head, now),
  };
}

export interface PartPlan {
  /** The part size actually used (grown when the object would need more than 10,000 parts). */
  partSize: number;
  parts: { partNumber: number; range?: { start: number; end: number } }[];
}

/**
 * Byte ranges for UploadPartCopy. Every part but the last is exactly `partSize` (>= 5 MiB, the
 * S3 minimum); the size grows in whole MiB when 10,000 parts would not cover the object. An
 * empty object is one part with no range (a range cannot name zero bytes).
 */
export function planParts(size: number, partSize: number): PartPlan {
  if (size === 0) return { partSize, parts: [{ partNumber: 1 }] };
  let ps = partSize;
  if (Math.ceil(size / ps) > MAX_PARTS) ps = Math.ceil(size / MAX_PARTS / MIB) * MIB;
  if (ps > MAX_PART) throw new RangeError(`object of ${size} bytes exceeds ${MAX_PARTS} parts of 5 GiB`);
  const parts: PartPlan['parts'] = [];
  for (let start = 0, n = 1; start < size; start += ps, n++)
    parts.push({ partNumber: n, range: { start, end: Math.min(size, start + ps) - 1 } });
  return { partSize: ps, parts };
}

/** x-amz-tagging value: URL-encoded key=value pairs joined by '&'. */
export function taggingHeader(tags: Tag[]): string {
  return tags.map((t) => `${encodeURIComponent(t.key)}=${encodeURIComponent(t.value)}`).join('&');
}

export function sameTags(a: Tag[], b: Tag[]): boolean {
  if (a.length !== b.length) return false;
  const norm = (ts: Tag[]) =>
    ts
      .map((t) => `${t.key}\u0000${t.value}`)
      .sort()
      .join('\u0001');
  return norm(a) === norm(b);
}
