import type { ObjectStore } from './ports.js';
import { paced, type Pacing } from './retry.js';
import { isStoreError } from './store-error.js';

/** Clock difference tolerated between this machine and the store when matching upload times. */
const SKEW_MS = 60_000;
/** Longest a CreateMultipartUpload can be in flight (the engine client's idle timeout). */
export const CREATE_WINDOW_MS = 300_000;
/** An Initiated time further than this from ours is not a real clock (moto answers 2010-11-10). */
const IMPLAUSIBLE_MS = 86_400_000;

export interface OrphanMatch {
  /** When our CreateMultipartUpload was about to be sent. */
  since: number;
  /** Latest moment it can have been created. */
  until: number;
  /** Upload ids of the key that existed before ours (listed first); never aborted. */
  existing?: readonly string[] | undefined;
  /** Our live upload, never aborted. */
  keep?: string | undefined;
}

/**
 * Abort the uploads of exactly `key` that can only be ours although their id never reached us
 * (a kill -9 before CreateMultipartUpload answered, or a retry after a lost answer): not among
 * the uploads listed just before ours, and initiated in our window when the store's clock is
 * real. An application upload of the same key started in that window would be aborted too: it
 * then fails, and nothing stored is lost.
 */
export async function abortUploadsOfKey(
  store: ObjectStore,
  bucket: string,
  key: string,
  match: OrphanMatch,
  pacing: Pacing,
): Promise<number> {
  const uploads = await paced(() => store.listUploads(bucket, key), pacing);
  const existing = match.existing ? new Set(match.existing) : undefined;
  let aborted = 0;
  for (const u of uploads) {
    if (u.uploadId === match.keep || existing?.has(u.uploadId)) continue;
    const at = u.initiated?.getTime();
    const plausible = at !== undefined && Math.abs(at - match.since) < IMPLAUSIBLE_MS;
    if (plausible ? at < match.since - SKEW_MS || at > match.until + SKEW_MS : existing === undefined)
      continue;
    try {
      await paced(() => store.abortMultipartUpload(bucket, key, u.uploadId), pacing);
      aborted++;
    } catch (err) {
      if (!isStoreError(err, 'not-found', 'precondition')) throw err;
    }
  }
  return aborted;
}
