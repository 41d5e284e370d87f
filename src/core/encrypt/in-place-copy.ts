/**
 * The CopyObject path: an in-place copy under the key; on `auto`, the run's first copy decides
 * (by reading back) whether this store's CopyObject can be trusted, else the run copies by multipart.
 */
import type { ObjectHead } from '../objects.js';
import { checkEncryption, finishRewrite, readNew } from './after-write.js';
import { multipart } from './multipart-copy.js';
import type { KmsTarget, ObjectAcl, WriteResult } from './ports.js';
import { changedAttributes, encryptionProblem } from './readback.js';
import { copyRequest } from './requests.js';
import { paced } from './retry.js';
import { isStoreError, StoreError } from './store-error.js';
import { decideFor, headOf, ObjectFailure, sourceAcl, type Done, type TaskContext } from './task-context.js';
import { Action } from './types.js';

/** CopyObject onto itself; on `auto`, the run's first copy decides whether CopyObject can be trusted. */
export async function copy(head: ObjectHead, ctx: TaskContext, why: string | undefined): Promise<Done> {
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
