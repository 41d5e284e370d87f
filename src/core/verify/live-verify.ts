import { pool } from '../concurrency/pool.js';
import { RateLimit, rateLimited } from '../concurrency/rate-limit.js';
import { readAhead } from '../concurrency/read-ahead.js';
import type { AimdLimiter } from '../concurrency/aimd.js';
import type { Clock } from '../concurrency/clock.js';
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
  /** HEADs in flight, found by the limiter (a fixed ceiling with --concurrency). */
  limiter: AimdLimiter;
  /** Objects HEADed per second, at most (--max-rate). */
  maxRate?: number | undefined;
  clock: Pick<Clock, 'now' | 'sleep'>;
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
  const { limiter } = input;
  const rate = input.maxRate !== undefined ? new RateLimit(input.maxRate, input.clock) : undefined;
  // The pool holds up to the ceiling's objects; the limiter decides how many HEADs are in flight.
  const verdicts = pool(
    rateLimited(withoutDeleteMarkers(readAhead(listing)), rate),
    limiter.max,
    async (o): Promise<Verdict> => {
      const isLatest = o.isLatest !== false;
      try {
        await limiter.acquire();
        let head;
        try {
          const versionId = input.allVersions ? o.versionId : undefined;
          // Every attempt of the HEAD reaches the limiter, the SDK's retries included.
          head = await objects.head(input.bucket, o.key, versionId, limiter);
          limiter.onSuccess();
        } finally {
          limiter.release();
        }
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
