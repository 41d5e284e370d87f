import type { ContentHeaders, ObjectHead } from '../objects.js';
import type { VersioningStatus } from '../plan/ports.js';
import type { ObjectRef, ObjectResult } from './types.js';

/** One object tag. */
export interface Tag {
  key: string;
  value: string;
}

/** One ACL grant, in the words of GetObjectAcl. */
export interface Grant {
  /** CanonicalUser | Group | AmazonCustomerByEmail */
  type: string;
  /** Canonical user id, group URI or e-mail address, by type. */
  id: string;
  /** FULL_CONTROL | READ | READ_ACP | WRITE_ACP | WRITE */
  permission: string;
}

export interface ObjectAcl {
  ownerId?: string | undefined;
  grants: Grant[];
}

/** Object Lock settings to put on a new version; only set fields are sent. */
export interface LockSettings {
  mode?: string | undefined;
  retainUntil?: Date | undefined;
  legalHold?: string | undefined;
}

/** The SSE-KMS target every write asks for. */
export interface KmsTarget {
  keyId: string;
  bucketKey: true;
}

/** Preconditions that make a write refuse to overwrite anything newer than what was read. */
interface Guard {
  /** The ETag just read (quoted, as HEAD gives it): sent as x-amz-copy-source-if-match. */
  sourceEtag: string;
  /** Same ETag, sent as If-Match on the destination (catches newer writes when the source is a pinned version). */
  destinationEtag: string;
}

export interface CopyInPlace {
  bucket: string;
  key: string;
  /** The version just read; names the copy source on versioned buckets. */
  sourceVersionId?: string | undefined;
  guard: Guard;
  target: KmsTarget;
  storageClass: string;
  /** The COPY metadata directive drops it, so it is sent explicitly. */
  websiteRedirectLocation?: string | undefined;
  lock: LockSettings;
}

export interface MultipartStart extends ContentHeaders {
  bucket: string;
  key: string;
  target: KmsTarget;
  storageClass: string;
  tags: Tag[];
  lock: LockSettings;
}

interface PartCopy {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  sourceVersionId?: string | undefined;
  /** Inclusive byte range; absent for an empty object (one part, no range). */
  range?: { start: number; end: number } | undefined;
  sourceEtag: string;
}

export interface WriteResult {
  /** Version id of the new object when the store reports it. */
  versionId?: string | undefined;
}

interface UpdateEncryption {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  /** Full key ARN: UpdateObjectEncryption refuses aliases and bare ids. */
  keyArn: string;
}

/** Bucket ownership setting relevant to ACLs: undefined = not configured (ACLs apply). */
export type Ownership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | undefined;

/**
 * Everything the engine asks of the object store. Implementations throw StoreError (with a
 * `kind` the engine's retry and fallback logic understands), never SDK errors, and make ONE
 * attempt per call: retries and pacing are the engine's, so it can see throttling.
 */
export interface ObjectStore {
  /**
   * HeadObject; `undefined` only when the store proved the object (version) absent with an error
   * code, never on a status alone. A HEAD whose answers prove nothing throws StoreError of kind
   * `unverified`; refused credentials or a vanished bucket throw RunStopError.
   */
  head(bucket: string, key: string, versionId?: string): Promise<ObjectHead | undefined>;
  copyInPlace(req: CopyInPlace): Promise<WriteResult>;
  createMultipartUpload(req: MultipartStart): Promise<string>;
  /** Returns the part's ETag. */
  uploadPartCopy(req: PartCopy): Promise<string>;
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: { partNumber: number; etag: string }[],
    destinationEtag: string,
  ): Promise<WriteResult>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  /** Multipart uploads in progress for exactly this key (ListMultipartUploads). */
  listUploads(bucket: string, key: string): Promise<{ uploadId: string; initiated?: Date | undefined }[]>;
  updateObjectEncryption(req: UpdateEncryption): Promise<void>;
  getTags(bucket: string, key: string, versionId?: string): Promise<Tag[]>;
  putTags(bucket: string, key: string, versionId: string | undefined, tags: Tag[]): Promise<void>;
  getAcl(bucket: string, key: string, versionId?: string): Promise<ObjectAcl>;
  putAcl(bucket: string, key: string, versionId: string | undefined, grants: Grant[]): Promise<void>;
  putLock(bucket: string, key: string, versionId: string | undefined, lock: LockSettings): Promise<void>;
  /** GetBucketOwnershipControls; undefined when not configured or not supported by the store. */
  ownership(bucket: string): Promise<Ownership>;
  /** True when the bucket has an Object Lock default retention rule (every new object is locked). */
  hasDefaultRetention(bucket: string): Promise<boolean>;
  /** GetBucketVersioning: Off when the bucket never had versioning. */
  versioning(bucket: string): Promise<VersioningStatus>;
  /** Deletes exactly one version (or the object on unversioned buckets): the UOE probe's clean-up. */
  deleteVersion(bucket: string, key: string, versionId?: string): Promise<void>;
}

/** Durable per-object progress, so a rerun skips what is finished. */
export interface StateStore {
  /** Objects already finished in earlier runs with this state file. */
  readonly resumedCount: number;
  isFinished(ref: ObjectRef): boolean;
  /** Multipart uploads a killed run may have left open (to abort before starting). */
  openUploads(): LeftoverUpload[];
  recordResult(ref: ObjectRef, r: ObjectResult): void;
  /**
   * Written before CreateMultipartUpload: a kill before its answer leaves an upload with no known
   * id. `existing`: the key's uploads listed just before (never ours).
   */
  recordUploadIntent(key: string, at: number, existing: readonly string[] | undefined): void;
  recordUploadOpened(key: string, uploadId: string): void;
  /** Without an id: the intent of that key is settled. */
  recordUploadClosed(key: string, uploadId?: string): void;
  /** Flush and fsync; the engine calls it at the end and the adapter also does on its own schedule. */
  close(): Promise<void>;
}

/**
 * An upload a killed run may have left: its id when the answer to CreateMultipartUpload was
 * recorded, else the key and the time the request was about to be sent.
 */
interface LeftoverUpload {
  key: string;
  uploadId?: string | undefined;
  since?: number | undefined;
  existing?: readonly string[] | undefined;
}

/** Where --report lines go. */
export interface ReportSink {
  write(r: ObjectResult): void;
  close(): Promise<void>;
}

/** A Batch Operations CSV row after decoding. */
export interface ManifestRow {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  /** 1-based line number, for error messages. */
  line: number;
}

/** Reads manifests from a local path or s3://bucket/key, streaming. */
export interface ManifestReader {
  /** Streams the rows of a Batch CSV manifest. Throws UsageError on unreadable files or bad rows. */
  rows(location: string): AsyncIterable<ManifestRow>;
  /** Reads a small text document (summary.json). */
  text(location: string): Promise<string>;
  /** Whether a local file exists (s3:// locations: true; a missing object fails on read). */
  exists(location: string): boolean;
}

/** The files and stores `encrypt` needs beyond the shared Services. */
export interface EncryptServices {
  store: ObjectStore;
  manifests: ManifestReader;
  /** `fsyncEvery`: completed objects between fsyncs (the run's concurrency). */
  openState(path: string, header: StateHeader, fsyncEvery: number): Promise<StateStore>;
  openReport(path: string): Promise<ReportSink>;
}

/** First line of a state file: which run it belongs to. */
export interface StateHeader {
  bucket: string;
  kmsKey: string;
  inputs: string;
}
