import type { z } from 'zod';
import { InventoryStats as CoreStats, ManifestSummary } from '../../core/inventory/manifest-summary.js';
import { countBytesNotes } from './common.js';
import { strictDeep, type Notes } from './strict.js';

/**
 * build-manifest --json prints summary.json itself (src/core/inventory/summary.ts, the schema
 * create-job, encrypt and plan read it back with): the same document, strict here.
 */

const statsNotes: Notes = {
  byEncryptionStatus: countBytesNotes(
    'current objects by inventory EncryptionStatus (NOT-SSE, SSE-S3, SSE-KMS, SSE-C, DSSE-KMS)',
  ),
  byStorageClass: countBytesNotes('current objects by storage class'),
  large: countBytesNotes('current objects over 5 GB'),
  archived: countBytesNotes('current objects in GLACIER / DEEP_ARCHIVE / archive access tiers'),
  noncurrent: countBytesNotes('noncurrent versions'),
  noncurrentUnencrypted: countBytesNotes('noncurrent versions stored without encryption (NOT-SSE)'),
  deleteMarkers: 'delete markers',
  kmsWithBucketKey: countBytesNotes(
    'SSE-KMS current objects with BucketKeyStatus ENABLED (the inventory does not name the key)',
  ),
};

export const InventoryStats = strictDeep(CoreStats, statsNotes).describe(
  "an inventory delivery's counts (objects and bytes)",
);

export const ManifestSummaryJson = strictDeep(ManifestSummary, {
  version: 'format version of summary.json (bumped on any incompatible change)',
  sourceBucket: 'the bucket the inventory lists',
  kmsKey: 'the target key ARN (or id with --skip-key-check) the manifests were built for',
  inventory: {
    $: 'the delivery read',
    manifest:
      'its manifest.json: s3://DEST/PREFIX/SOURCE/ID/<folder>/manifest.json, or a local path with --from-dir',
    date: 'the delivery folder, YYYY-MM-DDTHH-MMZ (when S3 began scanning)',
    creationTimestamp: 'manifest.json creationTimestamp, epoch milliseconds as a string',
  },
  createdAt: 'when build-manifest wrote it (ISO 8601, UTC)',
  manifests: {
    $: 'the manifests written (S3 Batch Operations CSV: no header, bucket,key[,versionId], keys URL-encoded)',
    name: 'base name without extension: copy-<CLASS>, update-encryption, large, archived',
    group:
      'copy: NOT-SSE objects <= 5 GB of one storage class (Batch copy); update-encryption: SSE-S3 / other-key / no-bucket-key objects (UpdateObjectEncryption); large: NOT-SSE objects > 5 GB (encrypt --manifest); archived: NOT-SSE objects in archive tiers (restore first)',
    storageClass: 'copy manifests only: the storage class every object in it has (and keeps)',
    location: 's3://BUCKET/KEY when uploaded, or a local path with --out',
    etag: 'ETag of the uploaded manifest without quotes (CreateJob needs it); null for local files',
    versioned: 'whether rows carry a third column (version id)',
    objects: 'rows',
    bytes: 'their sizes added up',
  },
  leftAlone: countBytesNotes(
    'current objects left alone, by reason: compliant (SSE-KMS with a Bucket Key), SSE-C, DSSE-KMS',
  ),
  stats: { $: "the delivery's counts", ...statsNotes },
}).describe('build-manifest --json: the summary.json it wrote (or, with --dry-run, would write).');
export type ManifestSummaryJson = z.infer<typeof ManifestSummaryJson>;
