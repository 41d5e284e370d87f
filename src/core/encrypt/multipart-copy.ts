/**
 * The multipart path: CreateMultipartUpload with everything restated, UploadPartCopy per range,
 * Complete; any failure aborts the upload, and uploads orphaned by lost answers are found and aborted.
 */
import { pool } from '../concurrency/pool.js';
import type { ObjectHead } from '../objects.js';
import { checkEncryption, finishRewrite, readNew } from './after-write.js';
import type { ObjectAcl, WriteResult } from './ports.js';
import { encryptionProblem } from './readback.js';
import { multipartStart, planParts } from './requests.js';
import { paced } from './retry.js';
import { isRetryable, isStoreError } from './store-error.js';
import { ObjectFailure, failureText, type Done, type TaskContext } from './task-context.js';
import { Action } from './types.js';
import { abortUploadsOfKey } from './uploads.js';

/** CreateMultipartUpload (everything restated) + UploadPartCopy per range + Complete; aborted on any failure. */
export async function multipart(
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
