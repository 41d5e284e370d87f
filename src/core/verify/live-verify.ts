import { pool } from '../concurrency/pool.js';
import { classify } from '../encryption/classify.js';
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectReader } from '../ports.js';
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
 * Delete markers have no content and are not checked.
 */
export async function* verifyLive(objects: ObjectReader, input: LiveVerifyInput): AsyncGenerator<Verdict> {
  const listing = objects.list(input.bucket, { prefix: input.prefix, allVersions: input.allVersions });
  yield* pool(
    withoutDeleteMarkers(listing),
    input.concurrency,
    async (o): Promise<Verdict> => {
      const head = await objects.head(input.bucket, o.key, input.allVersions ? o.versionId : undefined);
      return {
        key: o.key,
        versionId: head?.versionId ?? o.versionId,
        isLatest: o.isLatest !== false,
        class: classify(head, input.key, { requireBucketKey: input.requireBucketKey }),
        size: head?.size ?? o.size,
      };
    },
    input.signal,
  );
}

async function* withoutDeleteMarkers<T extends { isDeleteMarker?: boolean | undefined }>(
  items: AsyncIterable<T>,
): AsyncGenerator<T> {
  for await (const item of items) if (!item.isDeleteMarker) yield item;
}
