import type { BucketEncryption } from './encryption/bucket-default.js';
import type { KeyDescription } from './kms/key.js';
import type { ListedObject, ObjectHead } from './objects.js';

/**
 * The interfaces the core needs from the outside world. Adapters in src/adapters implement them;
 * tests pass in-memory fakes. Every method throws S3EncryptError subclasses, never SDK errors.
 */

export interface KeyDirectory {
  /** DescribeKey on an ARN, key id or alias. Throws UsageError(UnknownKey) when it does not exist. */
  describeKey(ref: string): Promise<KeyDescription>;
}

export interface BucketInfo {
  /**
   * The bucket's region (HeadBucket). Throws UsageError(NoSuchBucket) when it does not exist and
   * PreconditionError(AccessDenied) when the caller may not see it.
   */
  bucketRegion(bucket: string): Promise<string>;
}

export interface BucketEncryptionStore {
  /** The current default-encryption configuration; undefined when none is set. */
  getEncryption(bucket: string): Promise<BucketEncryption | undefined>;
  /** PutBucketEncryption. Never DeleteBucketEncryption: on Ceph RGW that deletes the bucket. */
  putEncryption(bucket: string, config: BucketEncryption): Promise<void>;
}

interface ListOptions {
  prefix?: string | undefined;
  /** ListObjectVersions instead of ListObjectsV2; delete markers are yielded with isDeleteMarker. */
  allVersions: boolean;
}

export interface ObjectReader {
  /** Lazy, paginated listing: one page in memory at a time. */
  list(bucket: string, opts: ListOptions): AsyncIterable<ListedObject>;
  /**
   * HeadObject. `undefined` only when the store proved the object (or version) absent with an
   * error code (NoSuchKey / NoSuchVersion), never on a status alone. Throws
   * UnverifiedObjectError when its answers prove nothing about the object, and RunStopError when
   * no further request of the run can be trusted (credentials refused, the bucket gone).
   */
  head(
    bucket: string,
    key: string,
    versionId?: string,
    /** Told of each attempt on the way, retried or not (verify --live's adaptive limit). */
    opts?: PacingSignals,
  ): Promise<ObjectHead | undefined>;
}

/** What a caller that paces itself hears of a request's attempts (AimdLimiter takes both). */
export interface PacingSignals {
  /** A throttling answer (503 SlowDown, 429), retried or not. */
  onThrottle?: (() => void) | undefined;
  /** An attempt that got no answer (connection refused or reset, a wait that ran out). */
  onCongestion?: (() => void) | undefined;
}

export interface AccountInfo {
  /** STS GetCallerIdentity account id (12 digits). */
  accountId(): Promise<string>;
}

/** Who the requests are made as (STS GetCallerIdentity, which needs no permission): evidence reports name it. */
export interface CallerIdentity {
  identity(): Promise<{ account: string; arn: string }>;
}
