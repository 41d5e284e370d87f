import { z } from 'zod';
import { UsageError } from '../errors.js';

/**
 * build-manifest's summary.json: the contract between build-manifest (writer), create-job and
 * encrypt --manifest (readers), and plan (stats). Bump `version` on any incompatible change.
 *
 * Manifests are S3 Batch Operations CSV (`S3BatchOperations_CSV_20180820`): no header,
 * `bucket,key[,versionId]`, keys URL-encoded (encodeURIComponent with `/` kept).
 * - copy-<CLASS>: NOT-SSE objects <= 5 GB in storage class CLASS, WITHOUT version ids (Batch then
 *   copies whatever is current when the task runs, so it never writes older content over a newer
 *   write).
 * - update-encryption: SSE-S3 and SSE-KMS (other key / no bucket key) objects, WITH version ids
 *   (`null` for pre-versioning objects) when the inventory has them: UpdateObjectEncryption does not
 *   move data, so naming the exact version is safe.
 * - large: NOT-SSE objects > 5 GB (direct engine, multipart copy); archived: NOT-SSE objects in
 *   GLACIER / DEEP_ARCHIVE / archive tiers (listed, not copied). Neither goes to a Batch job.
 */
export const ManifestGroup = z.enum(['copy', 'update-encryption', 'large', 'archived']);
export type ManifestGroup = z.infer<typeof ManifestGroup>;

export const ManifestEntry = z.object({
  /** File / object base name without extension: copy-STANDARD, update-encryption, large, archived. */
  name: z.string(),
  group: ManifestGroup,
  /** Storage class every object in a copy manifest has (and keeps); absent for other groups. */
  storageClass: z.string().optional(),
  /** s3://bucket/key when uploaded, or a local path with --out. */
  location: z.string(),
  /** ETag of the uploaded manifest object without quotes (CreateJob needs it); null for local files. */
  etag: z.string().nullable(),
  /** Whether rows carry a third column (version id). */
  versioned: z.boolean(),
  objects: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

const CountBytes = z.object({ objects: z.number().int().nonnegative(), bytes: z.number().nonnegative() });
export type CountBytes = z.infer<typeof CountBytes>;

export const InventoryStats = z.object({
  /** Current (latest, not delete marker) objects by inventory EncryptionStatus (NOT-SSE, SSE-S3, SSE-KMS, ...). */
  byEncryptionStatus: z.record(z.string(), CountBytes),
  /** Current objects by storage class. */
  byStorageClass: z.record(z.string(), CountBytes),
  /** Current objects over 5 GB. */
  large: CountBytes,
  /** Current objects in GLACIER / DEEP_ARCHIVE / archive access tiers. */
  archived: CountBytes,
  /** Noncurrent versions, and those of them that are not encrypted (NOT-SSE). */
  noncurrent: CountBytes,
  noncurrentUnencrypted: CountBytes,
  deleteMarkers: z.number().int().nonnegative(),
  /** SSE-KMS current objects with BucketKeyStatus ENABLED (key identity is not in inventory). */
  kmsWithBucketKey: CountBytes,
});
export type InventoryStats = z.infer<typeof InventoryStats>;

export const ManifestSummary = z.object({
  version: z.literal(1),
  sourceBucket: z.string(),
  /** The target key ARN (or id with --skip-key-check) the manifests were built for. */
  kmsKey: z.string(),
  inventory: z.object({
    /** s3://dest/prefix/source/id/<ts>/manifest.json, or a local path with --from-dir. */
    manifest: z.string(),
    /** The delivery folder's timestamp, YYYY-MM-DDTHH-MMZ. */
    date: z.string(),
    /** manifest.json creationTimestamp, epoch milliseconds as a string. */
    creationTimestamp: z.string(),
  }),
  createdAt: z.string(),
  manifests: z.array(ManifestEntry),
  /** Current objects left alone, by reason: compliant (SSE-KMS with bucket key), SSE-C, DSSE-KMS. */
  leftAlone: z.record(z.string(), CountBytes),
  stats: InventoryStats,
});
export type ManifestSummary = z.infer<typeof ManifestSummary>;

/**
 * The one reader of a summary.json (create-job --summary, encrypt --manifest, plan --summary):
 * its text, named `where` in messages ("--summary s.json"), checked against the schema above and,
 * when `bucket` is given, against the bucket the command was pointed at.
 */
export function parseManifestSummary(text: string, where: string, bucket?: string): ManifestSummary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${where} is not JSON`, SUMMARY_FIX, 'InvalidSummary');
  }
  return checkManifestSummary(json, where, bucket);
}

const SUMMARY_FIX = "pass the summary.json that 's3-encrypt build-manifest' wrote";

/** parseManifestSummary's checks, for a document a port has already parsed as JSON. */
export function checkManifestSummary(json: unknown, where: string, bucket?: string): ManifestSummary {
  const fix = SUMMARY_FIX;
  const parsed = ManifestSummary.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${where} is not a build-manifest summary.json (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'})`,
      fix,
      'InvalidSummary',
    );
  }
  if (bucket !== undefined && parsed.data.sourceBucket !== bucket)
    throw new UsageError(
      `${where} was built for bucket ${parsed.data.sourceBucket}, not ${bucket}`,
      `pass --bucket ${parsed.data.sourceBucket}, or the summary built for ${bucket}`,
      'SummaryMismatch',
    );
  return parsed.data;
}
