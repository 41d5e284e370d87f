/**
 * One object's work: HEAD, decide, act (UpdateObjectEncryption here; the rewrites in
 * in-place-copy.ts and multipart-copy.ts), read back (after-write.ts), re-read when it changed.
 */
import type { ObjectHead } from '../objects.js';
import { isRunStop } from '../errors.js';
import { checkEncryption } from './after-write.js';
import { encryptionClassOf, type Decision } from './decide.js';
import { copy } from './in-place-copy.js';
import { multipart } from './multipart-copy.js';
import { probeUpdateEncryption } from './probes.js';
import { changedAttributes, encryptionProblem } from './readback.js';
import { planParts } from './requests.js';
import { paced } from './retry.js';
import { isStoreError } from './store-error.js';
import {
  decideFor,
  failureText,
  headOf,
  ObjectFailure,
  sourceAcl,
  type Done,
  type TaskContext,
} from './task-context.js';
import { Action, SkipReason, type ObjectRef, type ObjectResult } from './types.js';

export type { TaskContext } from './task-context.js';

/** How often one object is re-read after it changed under us before it is given up. */
const MAX_ROUNDS = 4;

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

function joinNotes(a: string | undefined, b: string | undefined): string | undefined {
  if (a && b) return `${a}; ${b}`;
  return a ?? b;
}
