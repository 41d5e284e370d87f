import { pool } from '../concurrency/pool.js';
import { classify, EncryptionClass } from '../encryption/classify.js';
import { InterruptedError, UnverifiedObjectError } from '../errors.js';
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectReader } from '../ports.js';
import { RefusalGuard } from './refusals.js';
import type { Verdict } from './tally.js';

export interface LiveVerifyInput {
  bucket: string;
  key: ResolvedKey;
  prefix?: string | undefined;
  allVersions: boolean;
  concurrency: number;
  requireBucketKey: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * List (lazily) and HEAD every object with bounded concurrency; yield one verdict per object.
 * Delete markers have no content and are not checked. An object the store answered about
 * without proof is `unverified` (with the reason), never compliant; errors that make the whole
 * run pointless (credentials, the bucket gone) and a run in which no object was proved at all
 * end the generator with an error.
 */
export async function* verifyLive(objects: ObjectReader, input: LiveVerifyInput): AsyncGenerator<Verdict> {
  const listing = objects.list(input.bucket, { prefix: input.prefix, allVersions: input.allVersions });
  const guard = new RefusalGuard(`s3://${input.bucket}/${input.prefix ?? ''}`);
  const classifyOptions = { requireBucketKey: input.requireBucketKey };
  const verdicts = pool(
    withoutDeleteMarkers(listing),
    input.concurrency,
    async (o): Promise<Verdict> => {
      const isLatest = o.isLatest !== false;
      try {
        const head = await objects.head(input.bucket, o.key, input.allVersions ? o.versionId : undefined);
        return {
          key: o.key,
          versionId: head?.versionId ?? o.versionId,
          isLatest,
          class: classify(head, input.key, classifyOptions),
          size: head?.size ?? o.size,
        };
      } catch (err) {
        if (!(err instanceof UnverifiedObjectError)) throw err;
        // A request the interrupt cut short proves nothing either way: no verdict at all.
        if (input.signal?.aborted) throw new InterruptedError(`interrupted while checking ${o.key}`);
        return {
          key: o.key,
          versionId: o.versionId,
          isLatest,
          class: EncryptionClass.UNVERIFIED,
          size: o.size,
          reason: err.message,
        };
      }
    },
    input.signal,
  );
  for await (const v of verdicts) {
    guard.record(v.class !== EncryptionClass.UNVERIFIED, v.reason);
    yield v;
  }
  if (!input.signal?.aborted) guard.finish();
}

async function* withoutDeleteMarkers<T extends { isDeleteMarker?: boolean | undefined }>(
  items: AsyncIterable<T>,
): AsyncGenerator<T> {
  for await (const item of items) if (!item.isDeleteMarker) yield item;
}
