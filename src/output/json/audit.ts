import type { z } from 'zod';
import { AuditRecord as CoreRecord, AuditSummary as CoreSummary } from '../../core/audit/records.js';
import { countBytesNotes } from './common.js';
import { strictDeep, type Notes } from './strict.js';

/**
 * audit --json: JSON lines, one per bucket (and one per account it could not enter), then one
 * summary line. The schemas are src/core/audit/records.ts (the command parses every line with
 * them before writing it); strict here, with their comments as descriptions.
 */

const problems: Notes = {
  $: 'reads that failed',
  action: 'the IAM action',
  code: 'the error code it failed with (AccessDenied, NoSuchBucket, ...)',
  message: 'the error message',
};

export const AuditRecord = strictDeep(CoreRecord, {
  type: 'bucket: one bucket; account: an account audit could not enter or list (its buckets are unknown)',
  account: 'the owning account (12 digits); null when it could not be told',
  via: 'how the account was reached: "profile NAME", "default credentials", or the role ARN',
  bucket: 'the bucket',
  region: "the bucket's region; null when not read",
  defaultEncryption: {
    $: "the bucket's default encryption; null when not read (see problems)",
    algorithm: 'AES256, aws:kms, aws:kms:dsse; null when the bucket has no default-encryption rule',
    kmsKey: 'KMSMasterKeyID as configured (ARN, key id or alias); null when none is named',
    bucketKey: 'whether S3 Bucket Keys are on',
    blockedEncryptionTypes: 'BlockedEncryptionTypes (e.g. SSE-C)',
    targetKey: 'whether kmsKey is the target key; null when that could not be told',
  },
  versioning: 'Enabled, Suspended or Off; null when not read',
  objectLock: 'whether Object Lock is on; null when not read',
  inventory: {
    $: 'the inventory configuration found; null when not read',
    usable:
      'a configuration with what audit and build-manifest need (enabled, CSV or Parquet, EncryptionStatus, BucketKeyStatus)',
    id: 'its id; null when none is usable',
    destination: 's3://DEST/PREFIX of the usable configuration; null when none',
    unusable: 'ids of configurations that exist but lack what is needed',
  },
  objects: {
    $: 'object counts; null: unknown (no inventory delivery, no --sample)',
    source:
      'inventory: every current object of the newest delivery; sample: the first N objects listed, one HEAD each',
    sample: 'true for --sample: the counts are of some objects only and never prove a bucket compliant',
    label: 'which delivery, or which sample',
    deliveredAt:
      "inventory: the delivery's folder (YYYY-MM-DDTHH-MMZ), when S3 began scanning; null for a sample",
    byClass: countBytesNotes(
      "current objects by encryption class (verify's vocabulary: compliant, NOT-SSE, SSE-S3, ...)",
    ),
    objects: 'current objects counted',
    bytes: 'their sizes added up',
    noncurrentUnencrypted: countBytesNotes(
      'inventory: noncurrent versions stored without encryption; null for a sample',
    ),
    partial: 'sample: the listing had more objects than were sampled',
    warnings: 'what limits the counts',
  },
  verdict: 'compliant: proved; needs-work: proved not; unknown: not proved either way (never compliant)',
  reasons: 'why the verdict is what it is, one finding a line',
  next: 'the next command to run (or what to grant); null when compliant',
  cost: {
    $: "plan's estimate for a bucket that needs work; null otherwise or when nothing is counted",
    basis: 'manifests (inventory groups) or listing (a sample: an upper bound)',
    partial: 'the counts are partial',
    totalUsd: 'the estimate, in dollars',
    region: 'the region whose prices were used',
    pricesTakenOn: 'when the prices were taken (YYYY-MM-DD)',
    notes: 'what the estimate assumes',
  },
  denied: 'IAM actions that were denied (the details are in problems)',
  problems,
}).describe('audit --json: one line per bucket, and one per account that could not be entered or listed.');
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditSummary = strictDeep(CoreSummary, {
  type: 'the last line',
  version: 'format version of the audit records (bumped on any incompatible change)',
  kmsKey: 'the target key as given (--kms-key)',
  ranBy: {
    $: 'who ran it: the identity of the first credentials (STS GetCallerIdentity); null when STS did not answer',
    account: 'the account',
    arn: 'the principal ARN',
  },
  accounts: {
    $: 'every account audited, with the principal used in it',
    account: 'the account; null when it could not be told',
    via: 'how it was reached',
    principal: 'the principal ARN used; null when not known',
  },
  skippedAccounts: {
    $: 'accounts Organizations lists that are not ACTIVE: not audited',
    account: 'the account',
    status: 'its Organizations status',
  },
  startedAt: 'when the audit started (ISO 8601, UTC)',
  finishedAt: 'when it finished (ISO 8601, UTC)',
  toolVersion: 'the s3-encrypt version',
  sample: '--sample N, or null',
  buckets: 'buckets audited',
  compliant: 'buckets proved compliant',
  needsWork: 'buckets proved to need work',
  unknown: 'buckets not proved either way',
  unreadableAccounts: 'accounts that could not be entered or listed',
  byClass: countBytesNotes('counted objects over every bucket with counts (inventory and samples), by class'),
  costUsd: 'sum of the estimates of buckets that need work (a lower bound when some could not be priced)',
  unpriced: 'buckets that need work but could not be priced (no counts)',
  exitCode: "audit's exit code: 0 only when every bucket is compliant and there is at least one",
}).describe('The last line of audit --json: who ran it, when, and the totals.');
export type AuditSummary = z.infer<typeof AuditSummary>;
