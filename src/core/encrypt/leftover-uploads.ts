import type { EncryptInput } from './engine.js';
import type { ObjectStore } from './ports.js';
import { paced, type Pacing } from './retry.js';
import { isStoreError } from './store-error.js';
import { abortUploadsOfKey, CREATE_WINDOW_MS } from './uploads.js';

/** Multipart uploads a killed run left open: abort them first, so none is left dangling. */
export async function abortLeftovers(
  store: ObjectStore,
  input: EncryptInput,
  pacing: Pacing,
  note: (t: string) => void,
): Promise<number> {
  const open = input.state?.openUploads() ?? [];
  let aborted = 0;
  for (const u of open) {
    // Interrupted: what is left stays recorded, for the next run.
    if (input.signal?.aborted) break;
    if (u.uploadId !== undefined) {
      const id = u.uploadId;
      try {
        await paced(() => store.abortMultipartUpload(input.bucket, u.key, id), pacing);
        aborted++;
      } catch (err) {
        if (input.signal?.aborted) break;
        if (!isStoreError(err, 'not-found', 'precondition')) throw err;
      }
    } else if (u.since !== undefined) {
      try {
        aborted += await abortUploadsOfKey(
          store,
          input.bucket,
          u.key,
          { since: u.since, until: u.since + CREATE_WINDOW_MS, existing: u.existing },
          pacing,
        );
      } catch (err) {
        if (input.signal?.aborted) break;
        throw err;
      }
    }
    input.state?.recordUploadClosed(u.key, u.uploadId);
  }
  if (open.length > 0) note(`aborted ${aborted} multipart upload(s) left open by an interrupted run`);
  return aborted;
}
