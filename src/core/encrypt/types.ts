/** One object the engine is asked to bring to the target encryption. */
export interface ObjectRef {
  key: string;
  /**
   * Set when the input names a version (a Batch manifest with version ids). Absent: the current
   * version, whatever it is when the worker reaches it.
   */
  versionId?: string | undefined;
}

/** What the engine does (or would do) to one object. */
export const Action = {
  SKIP_COMPLIANT: 'skip-compliant',
  SKIP: 'skip',
  UPDATE: 'update',
  COPY: 'copy',
  MULTIPART: 'multipart',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

/**
 * How it ended. `planned` only in --dry-run. `vanished`: proved absent by an error code;
 * `unverified`: the store's answers proved nothing about it (it is neither done nor gone).
 */
type Outcome = 'done' | 'skipped' | 'vanished' | 'unverified' | 'failed' | 'planned';

/** Why an object was left alone (stable codes; appear in --json and --report). */
export const SkipReason = {
  ARCHIVED: 'archived',
  SSE_C: 'sse-c',
  DSSE_KMS: 'dsse-kms',
  NONCURRENT: 'noncurrent-version',
  UNSAFE_KEY: 'unsafe-copy-source',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** The per-object record: one --json line, one --report line, one state line. */
export interface ObjectResult {
  key: string;
  versionId?: string | undefined;
  action: Action;
  outcome: Outcome;
  /** Skip reason code, failure text, or a note (e.g. "rewritten during the run"). */
  reason?: string | undefined;
  /** Object size when known. */
  bytes: number;
  /** Wall time spent on this object, requests and backoff included. */
  ms: number;
  /** The encryption class found by the first HEAD (EncryptionClass vocabulary). */
  before?: string | undefined;
  /** Multipart only: parts copied. */
  parts?: number | undefined;
}

/** The categories of the summary, in display order. */
export const Category = {
  SKIPPED_COMPLIANT: 'skipped-compliant',
  UPDATED: 'updated',
  COPIED: 'copied',
  MULTIPART_COPIED: 'multipart-copied',
  SKIPPED: 'skipped',
  VANISHED: 'vanished',
  UNVERIFIED: 'unverified',
  FAILED: 'failed',
} as const;
export type Category = (typeof Category)[keyof typeof Category];

export function categoryOf(r: Pick<ObjectResult, 'action' | 'outcome'>): Category {
  if (r.outcome === 'failed') return Category.FAILED;
  if (r.outcome === 'vanished') return Category.VANISHED;
  if (r.outcome === 'unverified') return Category.UNVERIFIED;
  switch (r.action) {
    case Action.SKIP_COMPLIANT:
      return Category.SKIPPED_COMPLIANT;
    case Action.UPDATE:
      return Category.UPDATED;
    case Action.COPY:
      return Category.COPIED;
    case Action.MULTIPART:
      return Category.MULTIPART_COPIED;
    default:
      return Category.SKIPPED;
  }
}

/** How non-multipart rewrites are made: `auto` probes the store once per run. */
export type CopyMethod = 'auto' | 'copy' | 'multipart';

/** Whether UpdateObjectEncryption may be used: `auto` probes the store once per run. */
export type UpdateMethod = 'auto' | 'off';

/**
 * How the bucket-key flag is judged. `required`: HEAD must say BucketKeyEnabled=true (AWS).
 * `accept-absent`: a store that never reports the flag (Ceph RGW) passes when it is absent;
 * an explicit `false` still fails.
 */
export type BucketKeyPolicy = 'required' | 'accept-absent';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
/** CopyObject's limit: larger objects need a multipart copy. */
export const MAX_SINGLE_COPY = 5 * GIB;
export const MIN_PART = 5 * MIB;
export const MAX_PART = 5 * GIB;
export const MAX_PARTS = 10_000;
