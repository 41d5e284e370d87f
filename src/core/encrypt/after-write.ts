/**
 * The read-back after a write: the new object must be SSE-KMS under the key (with a Bucket Key),
 * its tags, Object Lock and ACL restored, and every other attribute as before.
 */
import type { ObjectHead } from '../objects.js';
import { isDefaultAcl, sameGrants } from './acl.js';
import type { ObjectAcl, Tag, WriteResult } from './ports.js';
import { changedAttributes, encryptionProblem, missingLock, type EncryptionProblem } from './readback.js';
import { hasLock, lockToCarry, sameTags } from './requests.js';
import { paced } from './retry.js';
import { isStoreError, StoreError } from './store-error.js';
import { headOf, ObjectFailure, type TaskContext } from './task-context.js';

/** HEAD of what was just written: the version the store named, or the current one. */
export async function readNew(
  head: ObjectHead,
  written: WriteResult,
  ctx: TaskContext,
): Promise<ObjectHead | undefined> {
  const v =
    written.versionId && written.versionId !== 'null' && head.versionId !== undefined
      ? written.versionId
      : undefined;
  return headOf(ctx, head.key, v);
}

export function checkEncryption(
  problem: EncryptionProblem | undefined,
  ctx: TaskContext,
  singleRequestWrite: boolean,
): void {
  if (problem === undefined) return;
  if (problem === 'bucket-key-absent' && ctx.bucketKey.adoptAbsent(singleRequestWrite)) {
    ctx.note(
      'this store never reports BucketKeyEnabled (Ceph RGW does not): accepted as absent for this run; bucket keys cannot be verified here',
    );
    return;
  }
  if (problem === 'gone') throw new StoreError('not-found', 'NoSuchKey', 'object vanished after the write');
  const text: Record<EncryptionProblem, string> = {
    gone: '',
    'not-encrypted': 'the store answered success but the object is not SSE-KMS',
    'wrong-key': 'the object is SSE-KMS under another key',
    'no-bucket-key': 'the object has BucketKeyEnabled=false',
    'bucket-key-absent':
      'no BucketKeyEnabled on the new object (set the bucket default with a bucket key: enable-sse; on stores that never report it: --skip-key-check)',
  };
  throw new ObjectFailure(`read-back: ${text[problem]}`);
}

/**
 * Everything after the data is written: tags (multipart restates them; stores such as RGW ignore
 * tags on CreateMultipartUpload), Object Lock (moto ignores it on CreateMultipartUpload), the ACL,
 * then a final HEAD compared field by field with the HEAD before.
 */
export async function finishRewrite(
  before: ObjectHead,
  after: ObjectHead,
  written: WriteResult,
  ctx: TaskContext,
  acl: ObjectAcl | undefined,
  isMultipart: boolean,
  tags: Tag[],
): Promise<void> {
  // The new version on versioned buckets (as the write reported it, or as the HEAD found it).
  const v =
    before.versionId === undefined
      ? undefined
      : written.versionId && written.versionId !== 'null'
        ? written.versionId
        : after.versionId;
  let repaired = false;
  if (isMultipart && (tags.length > 0 || before.tagCount === undefined)) {
    const now = await paced(() => ctx.store.getTags(ctx.bucket, before.key, v), ctx.pacing);
    if (!sameTags(now, tags)) {
      await paced(() => ctx.store.putTags(ctx.bucket, before.key, v, tags), ctx.pacing);
      const back = await paced(() => ctx.store.getTags(ctx.bucket, before.key, v), ctx.pacing);
      if (!sameTags(back, tags)) throw new ObjectFailure('read-back: tags could not be restored');
      repaired = true;
    }
  }
  const lock = lockToCarry(before, new Date(ctx.clock.now()));
  if (hasLock(lock) && missingLock(after, lock).length > 0) {
    await paced(() => ctx.store.putLock(ctx.bucket, before.key, v, lock), ctx.pacing);
    repaired = true;
  }
  if (acl) await restoreAcl(before.key, v, acl, ctx, isMultipart);
  const final = repaired ? await headOf(ctx, before.key, v) : after;
  if (!final) throw new StoreError('not-found', 'NoSuchKey', 'object vanished after the write');
  checkEncryption(encryptionProblem(final, ctx.key, ctx.bucketKey.policy), ctx, !isMultipart);
  const changed = changedAttributes(before, final).filter((f) => !(isMultipart && f === 'tagCount'));
  const lockMissing = hasLock(lock) ? missingLock(final, lock) : [];
  if (changed.length + lockMissing.length > 0)
    throw new ObjectFailure(`read-back: changed ${[...changed, ...lockMissing].join(', ')}`);
}

/**
 * Put the source's ACL back on the new object. A copy is private (owner FULL_CONTROL) by S3's
 * rules and belongs to whoever copied it, so a default source ACL owned by the copier needs
 * nothing; any other ACL is compared, put back when it differs, and read back. A multipart
 * upload inherits nothing and stores differ in what they give it (moto: none), so it is always set.
 */
async function restoreAcl(
  key: string,
  versionId: string | undefined,
  acl: ObjectAcl,
  ctx: TaskContext,
  isMultipart: boolean,
): Promise<void> {
  if (!isMultipart) {
    if (isDefaultAcl(acl) && ctx.copier.id !== undefined && acl.ownerId === ctx.copier.id) return;
    let now: ObjectAcl | undefined;
    try {
      now = await paced(() => ctx.store.getAcl(ctx.bucket, key, versionId), ctx.pacing);
    } catch (err) {
      // moto refuses ACL reads of archived objects; a private copy of a private source is what S3 makes.
      if (!(isStoreError(err, 'archived') && isDefaultAcl(acl))) throw err;
      return;
    }
    ctx.copier.id ??= now.ownerId;
    if (sameGrants(now.grants, acl.grants)) return;
  }
  await paced(() => ctx.store.putAcl(ctx.bucket, key, versionId, acl.grants), ctx.pacing);
  const back = await paced(() => ctx.store.getAcl(ctx.bucket, key, versionId), ctx.pacing);
  if (!sameGrants(back.grants, acl.grants))
    throw new ObjectFailure('read-back: the ACL could not be restored');
}
