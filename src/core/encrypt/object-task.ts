import { pool } from '../concurrency/pool.js';
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectHead } from '../objects.js';
import { isDefaultAcl, sameGrants } from './acl.js';
import type { Clock } from './clock.js';
import { decide, encryptionClassOf, type Decision } from './decide.js';
import type { KmsTarget, ObjectAcl, ObjectStore, StateStore, Tag, WriteResult } from './ports.js';
import type { BucketKeyVerdict, CopyMethodState, UoeCapability } from './probes.js';
import { probeUpdateEncryption } from './probes.js';
import { changedAttributes, encryptionProblem, missingLock, type EncryptionProblem } from './readback.js';
import { copyRequest, hasLock, lockToCarry, multipartStart, planParts, sameTags } from './requests.js';
import { paced, type Pacing } from './retry.js';
import { isRunStop } from '../errors.js';
import { isRetryable, isStoreError, StoreError } from './store-error.js';
import { abortUploadsOfKey } from './uploads.js';
import { Action, SkipReason, type ObjectRef, type ObjectResult } from './types.js';

/** Everything one object's worker needs; shared (and partly mutable) across the run. */
export interface TaskContext {
  bucket: string;
  store: ObjectStore;
  key: ResolvedKey;
  pacing: Pacing;
  clock: Clock;
  dryRun: boolean;
  multipartThreshold: number;
  partSize: number;
  partConcurrency: number;
  percentKeysSafe: boolean;
  bucketKey: BucketKeyVerdict;
  uoe: UoeCapability;
  copyMethod: CopyMethodState;
  /** Resolved once per run: do object ACLs matter on this bucket? */
  aclsInForce: () => Promise<boolean>;
  state?: StateStore | undefined;
  /** Unique per run, so concurrent runs never share a probe key. */
  probeKey: string;
  /** The canonical id new copies belong to, learnt from the first copy whose ACL is read. */
  copier: { id?: string | undefined };
  /** A note for the operator, printed once per distinct text. */
  note: (text: string) => void;
}

/** How often one object is re-read after it changed under us before it is given up. */
const MAX_ROUNDS = 4;

/** A failure that is the object's own (read-back mismatch, refused request): reported, never retried. */
class ObjectFailure extends Error {}

/** Process one object: HEAD, decide, act, read back. Never throws: failures are results. */
export async function processObject(ref: ObjectRef, ctx: TaskContext): Promise<ObjectResult> {
  const started = ctx.clock.now();
  let bytes = 0;
  let before: string | undefined;
  let lastAction: ObjectResult['action'] = Action.SKIP;
  const finish = (r: Omit<ObjectResult, 'key' | 'versionId' | 'ms' | 'bytes' | 'before'>): ObjectResult => ({
    key: ref.key,
    versionId: ref.versionId,
    bytes,
    before,
    ms: ctx.clock.now() - started,
    ...r,
  });
  let note: string | undefined;
  try {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const head = await headOf(ctx, ref.key, ref.versionId);
      if (!head) return finish({ action: lastAction, outcome: 'vanished', reason: note });
      bytes = head.size;
      const cls = encryptionClassOf(head, ctx.key, ctx.bucketKey.policy);
      before ??= cls;
      let d = decideFor(head, ctx);
      if (d.action === Action.UPDATE && ctx.uoe.state === 'unknown' && !ctx.dryRun) {
        await ctx.uoe.resolve(() =>
          probeUpdateEncryption(ctx.store, ctx.bucket, ctx.key.id, ctx.pacing, ctx.probeKey),
        );
        if (ctx.uoe.note) ctx.note(ctx.uoe.note);
        d = decideFor(head, ctx);
      }
      lastAction = d.action;
      if (d.action === Action.SKIP_COMPLIANT)
        return finish({ action: d.action, outcome: 'done', reason: note });
      if (d.action === Action.SKIP)
        return finish({ action: d.action, outcome: 'skipped', reason: `${d.reason}: ${d.detail}` });
      if (ref.versionId !== undefined && d.action !== Action.UPDATE) {
        // A copy of a pinned version lands on top of the key: only safe while that version is current.
        const current = await headOf(ctx, ref.key);
        if (!current || current.versionId !== head.versionId)
          return finish({
            action: Action.SKIP,
            outcome: 'skipped',
            reason: `${SkipReason.NONCURRENT}: a copy would make this old version current again; use UpdateObjectEncryption (AWS) or expire it with a noncurrent-version lifecycle rule`,
          });
      }
      if (ctx.dryRun)
        return finish({
          action: d.action,
          outcome: 'planned',
          reason: 'note' in d ? d.note : undefined,
          ...(d.action === Action.MULTIPART
            ? { parts: planParts(head.size, ctx.partSize).parts.length }
            : {}),
        });
      try {
        const done = await act(head, d, ctx);
        return finish({ ...done, reason: joinNotes(note, done.reason) });
      } catch (err) {
        if (isStoreError(err, 'precondition')) {
          note = 'changed during the run (a newer write, or this run retrying its own request): re-read';
          continue;
        }
        // A write's NoSuchKey is the write's view; only the next HEAD proves the object gone.
        if (isStoreError(err, 'not-found')) {
          note = `the store answered ${err.awsCode} during the rewrite: re-read`;
          continue;
        }
        // A restored copy that expired between HEAD and copy: the same advice as for any archived object.
        if (isStoreError(err, 'archived'))
          return finish({
            action: Action.SKIP,
            outcome: 'skipped',
            reason: `${SkipReason.ARCHIVED}: ${err.awsCode}: restore it (RestoreObject), then run again`,
          });
        throw err;
      }
    }
    return finish({
      action: lastAction,
      outcome: 'failed',
      reason: `the object changed ${MAX_ROUNDS} times while being rewritten; run again`,
    });
  } catch (err) {
    // Credentials refused, the bucket gone: no object after this one could be judged either.
    if (isRunStop(err)) throw err;
    if (isStoreError(err, 'unverified'))
      return finish({ action: lastAction, outcome: 'unverified', reason: `unverified: ${err.message}` });
    return finish({ action: lastAction, outcome: 'failed', reason: failureText(err) });
  }
}

function decideFor(head: ObjectHead, ctx: TaskContext, uoe = ctx.uoe.state): Decision {
  return decide(head, {
    key: ctx.key,
    bucketKey: ctx.bucketKey.policy,
    uoe,
    multipartThreshold: ctx.multipartThreshold,
    copyMethod: ctx.copyMethod.current(),
    now: new Date(ctx.clock.now()),
    percentKeysSafe: ctx.percentKeysSafe,
  });
}

type Done = Pick<ObjectResult, 'action' | 'outcome' | 'reason' | 'parts'>;

async function act(head: ObjectHead, d: Decision, ctx: TaskContext): Promise<Done> {
  if (d.action === Action.UPDATE) return update(head, ctx);
  if (d.action === Action.COPY) return copy(head, ctx, 'note' in d ? d.note : undefined);
  if (d.action === Action.MULTIPART)
    return multipart(head, ctx, await sourceAcl(head, ctx), 'note' in d ? d.note : undefined);
  throw new Error(`nothing to do for ${d.action}`);
}

/** UpdateObjectEncryption in place, falling back to a rewrite when the store or the object refuses it. */
async function update(head: ObjectHead, ctx: TaskContext): Promise<Done> {
  const target = { bucket: ctx.bucket, key: head.key, versionId: head.versionId, keyArn: ctx.key.id };
  try {
    await paced(() => ctx.store.updateObjectEncryption(target), ctx.pacing);
  } catch (err) {
    if (!isStoreError(err, 'unsupported', 'invalid')) throw err;
    if (isStoreError(err, 'unsupported'))
      ctx.uoe.markUnsupported(`UpdateObjectEncryption not implemented (${err.awsCode}): copying instead`);
    const d = decideFor(head, ctx, 'unsupported');
    const why = `UpdateObjectEncryption refused (${err.awsCode})`;
    if (d.action === Action.SKIP)
      return { action: d.action, outcome: 'skipped', reason: `${d.reason}: ${why}; ${d.detail}` };
    if (d.action === Action.COPY) return copy(head, ctx, why);
    if (d.action === Action.MULTIPART) return multipart(head, ctx, await sourceAcl(head, ctx), why);
    throw err;
  }
  // UpdateObjectEncryption moves no data: the same version must now be SSE-KMS, everything else unchanged.
  const after = await headOf(ctx, head.key, head.versionId);
  checkEncryption(encryptionProblem(after, ctx.key, ctx.bucketKey.policy), ctx, true);
  const changed = changedAttributes(head, after as ObjectHead);
  if ((after as ObjectHead).etag !== head.etag) changed.push('etag');
  if (changed.length > 0)
    throw new ObjectFailure(`read-back after UpdateObjectEncryption: changed ${changed.join(', ')}`);
  return { action: Action.UPDATE, outcome: 'done' };
}

/** CopyObject onto itself; on `auto`, the run's first copy decides whether CopyObject can be trusted. */
async function copy(head: ObjectHead, ctx: TaskContext, why: string | undefined): Promise<Done> {
  const acl = await sourceAcl(head, ctx);
  const probe = await ctx.copyMethod.claimProbe();
  try {
    return await copyClaimed(head, ctx, why, acl, probe);
  } finally {
    // Whatever happened, waiting workers must not wait forever; a no-op once settled.
    if (probe) ctx.copyMethod.abandon();
  }
}

async function copyClaimed(
  head: ObjectHead,
  ctx: TaskContext,
  why: string | undefined,
  acl: ObjectAcl | undefined,
  probe: boolean,
): Promise<Done> {
  if (!probe && ctx.copyMethod.current() === 'multipart') return viaMultipart(head, ctx, acl, why);
  const target: KmsTarget = { keyId: ctx.key.id, bucketKey: true };
  const now = new Date(ctx.clock.now());
  let written: WriteResult;
  try {
    written = await paced(
      () => ctx.store.copyInPlace(copyRequest(ctx.bucket, head, target, now)),
      ctx.pacing,
    );
  } catch (err) {
    if (ctx.copyMethod.mode === 'auto' && isStoreError(err, 'self-copy', 'unsupported')) {
      ctx.copyMethod.settle(
        'multipart',
        `CopyObject refused the in-place copy (${err.awsCode}): the run uses multipart copies`,
      );
      if (ctx.copyMethod.note) ctx.note(ctx.copyMethod.note);
      return redoAsMultipart(head, ctx, acl, 'CopyObject refused: copied by multipart');
    }
    throw err;
  }
  const after = await readNew(head, written, ctx);
  const problem = encryptionProblem(after, ctx.key, ctx.bucketKey.policy);
  if (problem === 'not-encrypted' && ctx.copyMethod.mode === 'auto') {
    ctx.copyMethod.settle(
      'multipart',
      'CopyObject answered 200 but the read-back shows no SSE-KMS: the store ignores encryption on copies; the run uses multipart copies',
    );
    if (ctx.copyMethod.note) ctx.note(ctx.copyMethod.note);
    return redoAsMultipart(
      head,
      ctx,
      acl,
      'CopyObject stored plaintext (caught by read-back): redone by multipart',
    );
  }
  checkEncryption(problem, ctx, true);
  if (probe)
    ctx.copyMethod.settle(
      'copy',
      'CopyObject encrypts on this store (read back): single copies up to the multipart threshold',
    );
  await finishRewrite(head, after as ObjectHead, written, ctx, acl, false, []);
  return { action: Action.COPY, outcome: 'done', reason: why };
}

/** After CopyObject stored plaintext (or was refused): the object as it is now, by multipart. */
async function redoAsMultipart(
  original: ObjectHead,
  ctx: TaskContext,
  acl: ObjectAcl | undefined,
  why: string,
): Promise<Done> {
  const fresh = await headOf(ctx, original.key);
  if (!fresh) throw new StoreError('not-found', 'NoSuchKey', 'object vanished');
  const changed = changedAttributes(original, fresh);
  if (changed.length > 0)
    throw new ObjectFailure(
      `the store's plaintext copy did not keep ${changed.join(', ')}; not redone: check the object and run again`,
    );
  return viaMultipart(fresh, ctx, acl, why);
}

/** The run now copies by multipart: decide again, since some objects cannot be multipart sources. */
async function viaMultipart(
  head: ObjectHead,
  ctx: TaskContext,
  acl: ObjectAcl | undefined,
  why: string | undefined,
): Promise<Done> {
  const d = decideFor(head, ctx, 'unsupported');
  if (d.action === Action.SKIP)
    return { action: d.action, outcome: 'skipped', reason: `${d.reason}: ${d.detail}` };
  if (d.action === Action.SKIP_COMPLIANT) return { action: d.action, outcome: 'done', reason: why };
  return multipart(head, ctx, acl, why);
}

/** CreateMultipartUpload (everything restated) + UploadPartCopy per range + Complete; aborted on any failure. */
async function multipart(
  head: ObjectHead,
  ctx: TaskContext,
  acl: ObjectAcl | undefined,
  why: string | undefined,
): Promise<Done> {
  // Last line of defence for decide()'s rule: such a source names another object on RGW.
  if (!ctx.percentKeysSafe && head.key.includes('%'))
    throw new ObjectFailure('unsafe multipart copy source (key contains %)');
  const tags =
    head.tagCount === 0
      ? []
      : await paced(() => ctx.store.getTags(ctx.bucket, head.key, head.versionId), ctx.pacing);
  const now = new Date(ctx.clock.now());
  const plan = planParts(head.size, ctx.partSize);
  const start = multipartStart(ctx.bucket, head, { keyId: ctx.key.id, bucketKey: true }, tags, now);
  // The key's uploads before ours: whatever appears beyond them and our own id can only be ours.
  const existing = await paced(() => ctx.store.listUploads(ctx.bucket, head.key), ctx.pacing).then(
    (us) => us.map((u) => u.uploadId),
    (err: unknown) => {
      ctx.note(
        `cannot list multipart uploads (${failureText(err)}): an interrupted upload may need aborting by hand`,
      );
      return undefined;
    },
  );
  const since = ctx.clock.now();
  ctx.state?.recordUploadIntent(head.key, since, existing);
  let creates = 0;
  let uploadId: string;
  try {
    uploadId = await paced(() => {
      creates++;
      return ctx.store.createMultipartUpload(start);
    }, ctx.pacing);
  } catch (err) {
    // An attempt whose answer was lost may still have created an upload.
    if (creates > 1 || isRetryable(err)) await abortOrphans(head.key, since, existing, undefined, ctx);
    ctx.state?.recordUploadClosed(head.key);
    throw err;
  }
  ctx.state?.recordUploadOpened(head.key, uploadId);
  let written: WriteResult;
  try {
    const etags: { partNumber: number; etag: string }[] = [];
    for await (const part of pool(plan.parts, ctx.partConcurrency, async (p) => ({
      partNumber: p.partNumber,
      etag: await paced(
        () =>
          ctx.store.uploadPartCopy({
            bucket: ctx.bucket,
            key: head.key,
            uploadId,
            partNumber: p.partNumber,
            sourceVersionId: head.versionId,
            range: p.range,
            sourceEtag: head.etag,
          }),
        ctx.pacing,
      ),
    })))
      etags.push(part);
    etags.sort((a, b) => a.partNumber - b.partNumber);
    written = await paced(
      () => ctx.store.completeMultipartUpload(ctx.bucket, head.key, uploadId, etags, head.etag),
      ctx.pacing,
    );
  } catch (err) {
    await abortUpload(head.key, uploadId, ctx);
    throw err;
  } finally {
    // A create retried after a lost answer may have left an upload whose id we never saw.
    if (creates > 1) await abortOrphans(head.key, since, existing, uploadId, ctx);
  }
  ctx.state?.recordUploadClosed(head.key, uploadId);
  const after = await readNew(head, written, ctx);
  checkEncryption(encryptionProblem(after, ctx.key, ctx.bucketKey.policy), ctx, false);
  await finishRewrite(head, after as ObjectHead, written, ctx, acl, true, tags);
  return { action: Action.MULTIPART, outcome: 'done', reason: why, parts: plan.parts.length };
}

async function abortUpload(key: string, uploadId: string, ctx: TaskContext): Promise<void> {
  try {
    await paced(() => ctx.store.abortMultipartUpload(ctx.bucket, key, uploadId), ctx.pacing);
    ctx.state?.recordUploadClosed(key, uploadId);
  } catch (err) {
    // Not-found: a retried Complete already finished it. Anything else stays recorded in the
    // state file, and the next run aborts it before starting.
    if (isStoreError(err, 'not-found', 'precondition')) ctx.state?.recordUploadClosed(key, uploadId);
    else
      ctx.note(
        `could not abort multipart upload ${uploadId} of ${JSON.stringify(key)} (${failureText(err)}): the next run with this state file aborts it`,
      );
  }
}

async function abortOrphans(
  key: string,
  since: number,
  existing: string[] | undefined,
  keep: string | undefined,
  ctx: TaskContext,
): Promise<void> {
  try {
    const match = { since, until: ctx.clock.now(), existing, keep };
    const n = await abortUploadsOfKey(ctx.store, ctx.bucket, key, match, ctx.pacing);
    if (n > 0)
      ctx.note(`aborted ${n} multipart upload(s) orphaned by retried CreateMultipartUpload requests`);
  } catch (err) {
    ctx.note(
      `could not list multipart uploads of ${JSON.stringify(key)} (${failureText(err)}): check for incomplete uploads`,
    );
  }
}

/** HEAD of what was just written: the version the store named, or the current one. */
async function readNew(
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

/** Every HEAD of the run, so the bucket-key verdict sees whether the store ever reports the flag. */
async function headOf(ctx: TaskContext, key: string, versionId?: string): Promise<ObjectHead | undefined> {
  const h = await paced(() => ctx.store.head(ctx.bucket, key, versionId), ctx.pacing);
  ctx.bucketKey.observe(h?.bucketKeyEnabled);
  return h;
}

function checkEncryption(
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
async function finishRewrite(
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

/** The source ACL, read before a rewrite when ACLs are in force on the bucket. */
async function sourceAcl(head: ObjectHead, ctx: TaskContext): Promise<ObjectAcl | undefined> {
  if (!(await ctx.aclsInForce())) return undefined;
  return paced(() => ctx.store.getAcl(ctx.bucket, head.key, head.versionId), ctx.pacing);
}

function joinNotes(a: string | undefined, b: string | undefined): string | undefined {
  if (a && b) return `${a}; ${b}`;
  return a ?? b;
}

function failureText(err: unknown): string {
  if (err instanceof StoreError) return `${err.message} (${err.awsCode})`;
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
