import type { ObjectStore } from './ports.js';
import { paced, type Pacing } from './retry.js';
import { isStoreError } from './store-error.js';
import type { BucketKeyPolicy, CopyMethod } from './types.js';

export type UoeState = 'unknown' | 'supported' | 'unsupported';

/**
 * What the run knows about UpdateObjectEncryption. The first worker that needs it runs the probe;
 * the others wait for its answer. The answer holds for the whole run.
 */
export class UoeCapability {
  note: string | undefined;
  private pending: Promise<UoeState> | undefined;

  constructor(public state: UoeState) {}

  resolve(probe: () => Promise<{ supported: boolean; note: string }>): Promise<UoeState> {
    if (this.state !== 'unknown') return Promise.resolve(this.state);
    this.pending ??= probe().then(
      (r) => {
        this.state = r.supported ? 'supported' : 'unsupported';
        this.note = r.note;
        return this.state;
      },
      (err: unknown) => {
        this.state = 'unsupported';
        this.note = `probe failed (${err instanceof Error ? err.message : String(err)}): copying instead`;
        return this.state;
      },
    );
    return this.pending;
  }

  /** A real object answered "not implemented" although the probe said yes: stop using it. */
  markUnsupported(note: string): void {
    this.state = 'unsupported';
    this.note = note;
  }
}

/**
 * Probe UpdateObjectEncryption without risking an object. It is sent for a key that does not
 * exist: AWS answers 404 NoSuchKey (operation known). Stores that do not know the operation
 * either refuse it (501/405/400) or, as moto and Ceph RGW 16.2 do, take the PUT for a PutObject
 * and store the request body under the key. Sent to a real object, that would replace its
 * content; here it creates the probe key, which is detected and deleted.
 * Skipped (answer: unsupported) when the key is not an ARN (UpdateObjectEncryption needs one)
 * or the bucket has a default retention (the probe object could not be deleted, and every
 * object written under that rule is locked, which UpdateObjectEncryption refuses anyway).
 */
export async function probeUpdateEncryption(
  store: ObjectStore,
  bucket: string,
  keyId: string,
  pacing: Pacing,
  probeKey: string,
): Promise<{ supported: boolean; note: string }> {
  if (!/^arn:aws[a-z-]*:kms:/.test(keyId))
    return {
      supported: false,
      note: 'UpdateObjectEncryption needs a key ARN; --kms-key is not one: copying instead',
    };
  if (await paced(() => store.hasDefaultRetention(bucket), pacing))
    return {
      supported: false,
      note: 'the bucket has an Object Lock default retention (UpdateObjectEncryption refuses locked objects): copying instead',
    };
  try {
    await paced(() => store.updateObjectEncryption({ bucket, key: probeKey, keyArn: keyId }), pacing);
  } catch (err) {
    if (isStoreError(err, 'not-found'))
      return {
        supported: true,
        note: 'UpdateObjectEncryption supported: SSE-S3 and other-key objects are re-encrypted in place',
      };
    if (isStoreError(err, 'denied'))
      return {
        supported: false,
        note: 'UpdateObjectEncryption denied: grant s3:UpdateObjectEncryption to avoid copies; copying instead',
      };
    const code = isStoreError(err) ? err.awsCode : err instanceof Error ? err.name : 'error';
    return { supported: false, note: `UpdateObjectEncryption not available (${code}): copying instead` };
  }
  const created = await paced(() => store.head(bucket, probeKey), pacing);
  if (created) {
    await paced(() => store.deleteVersion(bucket, probeKey, created.versionId), pacing);
    return {
      supported: false,
      note: 'this store takes UpdateObjectEncryption for a PutObject (it would overwrite objects): never used; copying instead',
    };
  }
  return {
    supported: false,
    note: 'UpdateObjectEncryption answered 200 for a missing key; not trusted: copying instead',
  };
}

/**
 * How rewrites are made. With `auto`, the first object that needs one is the probe: it is
 * copied with CopyObject and read back; a store that answered 200 without encrypting (Ceph RGW
 * 16.2) or refused the in-place copy switches the run to multipart copies. Other workers that
 * need a copy meanwhile wait for the verdict.
 */
export class CopyMethodState {
  resolved: 'copy' | 'multipart' | undefined;
  note: string | undefined;
  private probing: Promise<void> | undefined;
  private finish: (() => void) | undefined;

  constructor(readonly mode: CopyMethod) {
    if (mode !== 'auto') this.resolved = mode;
  }

  current(): 'copy' | 'multipart' {
    return this.resolved ?? 'copy';
  }

  /** True: the caller is the probe and must call settle() or abandon(). False: the method is known. */
  async claimProbe(): Promise<boolean> {
    for (;;) {
      if (this.resolved) return false;
      if (!this.probing) {
        this.probing = new Promise<void>((r) => (this.finish = r));
        return true;
      }
      await this.probing;
    }
  }

  settle(method: 'copy' | 'multipart', note?: string): void {
    if (!this.resolved) {
      this.resolved = method;
      this.note = note;
    }
    this.wake();
  }

  /** The probe object told us nothing (gone, changed, failed): let the next one try. */
  abandon(): void {
    this.wake();
  }

  private wake(): void {
    const f = this.finish;
    this.probing = undefined;
    this.finish = undefined;
    f?.();
  }
}

/**
 * The bucket-key verdict of read-backs. On S3-compatible endpoints a store that never reports the
 * flag (Ceph RGW) is recognised when a single-request rewrite (CopyObject, UpdateObjectEncryption)
 * comes back SSE-KMS under the key with no bucket-key header at all, and no HEAD of the run ever
 * showed the flag set: from then on its absence is accepted, and the summary says so. A multipart
 * read-back never counts (moto, for one, drops the flag on CreateMultipartUpload unless the bucket
 * default has it), and on AWS (no endpoint) absence is never accepted.
 */
export class BucketKeyVerdict {
  adopted = false;
  private sawFlag = false;

  constructor(
    public policy: BucketKeyPolicy,
    private readonly mayAdopt: boolean,
  ) {}

  /** Every HEAD passes through here: one `true` proves the store reports the flag. */
  observe(bucketKeyEnabled: boolean | undefined): void {
    if (bucketKeyEnabled === true) this.sawFlag = true;
  }

  /** Returns true when an absent flag is (now) accepted. */
  adoptAbsent(singleRequestWrite: boolean): boolean {
    if (this.policy === 'accept-absent') return true;
    if (!this.mayAdopt || !singleRequestWrite || this.sawFlag) return false;
    this.policy = 'accept-absent';
    this.adopted = true;
    return true;
  }
}
