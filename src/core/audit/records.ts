import { z } from 'zod';

/**
 * audit's records: one per bucket (and one per account it could not enter), then one summary.
 * These schemas are the --json contract (JSON lines) and what the evidence report is built from.
 * Bump `version` in the summary on any incompatible change.
 */

/** compliant: proved; needs-work: proved not; unknown: not proved either way (never compliant). */
export const Verdict = z.enum(['compliant', 'needs-work', 'unknown']);
export type Verdict = z.infer<typeof Verdict>;

/** A read that failed: the IAM action, and the error code and message it failed with. */
export const AuditProblem = z.object({
  action: z.string(),
  /** AccessDenied, NoSuchBucket, ... (S3EncryptError codes). */
  code: z.string(),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

const CountBytes = z.object({ objects: z.number().int().nonnegative(), bytes: z.number().nonnegative() });

export const DefaultEncryption = z.object({
  /** AES256, aws:kms, aws:kms:dsse; null when the bucket has no default-encryption rule. */
  algorithm: z.string().nullable(),
  /** KMSMasterKeyID as configured (ARN, key id or alias); null when none is named. */
  kmsKey: z.string().nullable(),
  bucketKey: z.boolean(),
  /** BlockedEncryptionTypes (e.g. SSE-C). */
  blockedEncryptionTypes: z.array(z.string()),
  /** Whether kmsKey is the target key; null when that could not be told (the key was not resolved). */
  targetKey: z.boolean().nullable(),
});
export type DefaultEncryption = z.infer<typeof DefaultEncryption>;

export const InventoryInfo = z.object({
  /** A configuration with the fields audit and build-manifest need (enabled, CSV, EncryptionStatus, BucketKeyStatus). */
  usable: z.boolean(),
  id: z.string().nullable(),
  /** s3://DEST/PREFIX of the usable configuration. */
  destination: z.string().nullable(),
  /** Ids of configurations that exist but lack what is needed. */
  unusable: z.array(z.string()),
});
export type InventoryInfo = z.infer<typeof InventoryInfo>;

export const ObjectCounts = z.object({
  /** inventory: every current object of the newest delivery; sample: the first N objects listed, one HEAD each. */
  source: z.enum(['inventory', 'sample']),
  /** True for --sample: the counts are of some objects only and never prove a bucket compliant. */
  sample: z.boolean(),
  /** Which delivery, or which sample. */
  label: z.string(),
  /** inventory: the delivery's folder (YYYY-MM-DDTHH-MMZ), when S3 began scanning. */
  deliveredAt: z.string().nullable(),
  /** Current objects by encryption class (verify's vocabulary: compliant, NOT-SSE, SSE-S3, ...). */
  byClass: z.record(z.string(), CountBytes),
  objects: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  /** inventory: noncurrent versions stored without encryption (a warning, as in verify). */
  noncurrentUnencrypted: CountBytes.nullable(),
  /** sample: the listing had more objects than were sampled. */
  partial: z.boolean(),
  warnings: z.array(z.string()),
});
export type ObjectCounts = z.infer<typeof ObjectCounts>;

export const CostSummary = z.object({
  /** plan's basis: manifests (inventory groups) or listing (a sample: an upper bound). */
  basis: z.string(),
  partial: z.boolean(),
  totalUsd: z.number().nonnegative(),
  region: z.string(),
  pricesTakenOn: z.string(),
  notes: z.array(z.string()),
});
export type CostSummary = z.infer<typeof CostSummary>;

export const BucketRecord = z.object({
  type: z.literal('bucket'),
  /** The owning account (12 digits); null when the account could not be told. */
  account: z.string().nullable(),
  /** How the account was reached: "profile NAME", "default credentials", or the role ARN. */
  via: z.string(),
  bucket: z.string(),
  region: z.string().nullable(),
  /** null: not read (see problems). */
  defaultEncryption: DefaultEncryption.nullable(),
  versioning: z.enum(['Enabled', 'Suspended', 'Off']).nullable(),
  objectLock: z.boolean().nullable(),
  inventory: InventoryInfo.nullable(),
  /** null: unknown (no inventory delivery, no --sample). */
  objects: ObjectCounts.nullable(),
  verdict: Verdict,
  /** Why the verdict is what it is, one finding a line. */
  reasons: z.array(z.string()),
  /** The next command to run for this bucket (or what to grant); null when compliant. */
  next: z.string().nullable(),
  /** plan's estimate for a bucket that needs work; null otherwise or when nothing is counted. */
  cost: CostSummary.nullable(),
  /** IAM actions that were denied, for the reader in a hurry (the details are in problems). */
  denied: z.array(z.string()),
  problems: z.array(AuditProblem),
});
export type BucketRecord = z.infer<typeof BucketRecord>;

/** An account audit could not enter or list: its buckets are unknown. */
export const AccountRecord = z.object({
  type: z.literal('account'),
  account: z.string().nullable(),
  via: z.string(),
  verdict: z.literal('unknown'),
  reasons: z.array(z.string()),
  next: z.string(),
  denied: z.array(z.string()),
  problems: z.array(AuditProblem),
});
export type AccountRecord = z.infer<typeof AccountRecord>;

export const AuditRecord = z.discriminatedUnion('type', [BucketRecord, AccountRecord]);
export type AuditRecord = z.infer<typeof AuditRecord>;

const Identity = z.object({ account: z.string(), arn: z.string() });

export const AuditSummary = z.object({
  type: z.literal('summary'),
  version: z.literal(1),
  /** The target key as given (--kms-key). */
  kmsKey: z.string(),
  /** Who ran it: the identity of the first credentials (STS GetCallerIdentity); null when STS did not answer. */
  ranBy: Identity.nullable(),
  /** Every account audited, with the principal used in it. */
  accounts: z.array(
    z.object({ account: z.string().nullable(), via: z.string(), principal: z.string().nullable() }),
  ),
  /** Accounts Organizations lists that are not ACTIVE: not audited. */
  skippedAccounts: z.array(z.object({ account: z.string(), status: z.string() })),
  startedAt: z.string(),
  finishedAt: z.string(),
  toolVersion: z.string(),
  /** --sample N, or null. */
  sample: z.number().int().positive().nullable(),
  buckets: z.number().int().nonnegative(),
  compliant: z.number().int().nonnegative(),
  needsWork: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  /** Accounts that could not be entered or listed. */
  unreadableAccounts: z.number().int().nonnegative(),
  /** Counted objects, over every bucket with counts (inventory and samples), by class. */
  byClass: z.record(z.string(), CountBytes),
  /** Sum of the estimates of buckets that need work (a lower bound when some could not be priced). */
  costUsd: z.number().nonnegative(),
  /** Buckets that need work but could not be priced (no counts). */
  unpriced: z.number().int().nonnegative(),
  /** 0 only when every bucket is compliant and there is at least one. */
  exitCode: z.union([z.literal(0), z.literal(1)]),
});
export type AuditSummary = z.infer<typeof AuditSummary>;

/** What the use case returns: the records, the summary (who, when, which version) for renderers and the report. */
export interface AuditResult {
  records: AuditRecord[];
  summary: AuditSummary;
}
