import { PreconditionError, UsageError } from '../errors.js';
import type { ManifestEntry, ManifestSummary } from '../inventory/manifest-summary.js';
import { sameKey, type ResolvedKey } from '../kms/key.js';
import { isS3Uri, parseS3Uri, type S3Location } from '../s3-uri.js';
import { checkCopyStorageClass, type JobGroup } from './job-request.js';

/** One manifest that becomes one Batch job. */
export interface BatchManifest {
  name: string;
  group: JobGroup;
  storageClass?: string | undefined;
  location: S3Location;
  etag: string;
  versioned: boolean;
  /** Unknown for a manifest given with --manifest. */
  objects?: number | undefined;
  bytes?: number | undefined;
}

/** A manifest that is not a Batch job, and what to do with it instead. */
export interface SkippedManifest {
  name: string;
  group: string;
  objects: number;
  bytes: number;
  reason: string;
}

export interface BatchManifests {
  manifests: BatchManifest[];
  skipped: SkippedManifest[];
}

/**
 * Pick the summary's Batch-able manifests. Nothing is half-done: a summary for another bucket or
 * key, or a Batch manifest that is not in S3, refuses the whole run before any job exists.
 */
export function batchManifestsOf(summary: ManifestSummary, bucket: string, key: ResolvedKey): BatchManifests {
  if (summary.sourceBucket !== bucket) {
    throw new UsageError(
      `the summary is for bucket ${summary.sourceBucket}, not ${bucket}`,
      `pass --bucket ${summary.sourceBucket}, or the summary build-manifest wrote for ${bucket}`,
      'SummaryBucketMismatch',
    );
  }
  if (!sameKey(summary.kmsKey, key)) {
    throw new PreconditionError(
      'SummaryKeyMismatch',
      `the summary was built for key ${summary.kmsKey}, not ${key.id}`,
      'which objects need work depends on the key: rebuild the manifests with this --kms-key, or pass the key the summary names',
    );
  }
  const manifests: BatchManifest[] = [];
  const skipped: SkippedManifest[] = [];
  for (const m of summary.manifests) {
    if (m.group === 'large' || m.group === 'archived') {
      if (m.objects > 0) skipped.push({ ...counts(m), reason: adviceFor(m, bucket, key.id) });
      continue;
    }
    if (m.objects === 0) continue;
    manifests.push(toPlanned(m));
  }
  return { manifests, skipped };
}

function toPlanned(m: ManifestEntry): BatchManifest {
  const group = m.group as JobGroup;
  if (!isS3Uri(m.location) || m.etag === null) {
    throw new UsageError(
      `manifest ${m.name} is a local file (${m.location}); Batch reads manifests from S3 only`,
      'build the manifests into S3 (build-manifest without a local output), or upload it with SSE-S3 and pass --manifest s3://BUCKET/KEY,ETAG',
      'ManifestNotInS3',
    );
  }
  if (group === 'copy') {
    if (!m.storageClass) {
      throw new UsageError(
        `copy manifest ${m.name} names no storage class`,
        'rebuild the manifests with build-manifest: every copy manifest holds one storage class',
        'InvalidSummary',
      );
    }
    checkCopyStorageClass(m.storageClass, `manifest ${m.name}`);
    checkCopyUnversioned(m.versioned, m.name);
  }
  return {
    name: m.name,
    group,
    ...(group === 'copy' ? { storageClass: m.storageClass } : {}),
    location: parseS3Uri(m.location, `manifest ${m.name}`),
    etag: stripQuotes(m.etag),
    versioned: m.versioned,
    objects: m.objects,
    bytes: m.bytes,
  };
}

/**
 * A copy task with a version id copies THAT version onto the key: if the key was written since the
 * list was made, the older content becomes current again. Copy manifests therefore carry no ids.
 */
export function checkCopyUnversioned(versioned: boolean, name: string): void {
  if (versioned) {
    throw new PreconditionError(
      'VersionedCopyManifest',
      `copy manifest ${name} lists version ids: a copy would bring those versions back over newer writes`,
      'use a copy manifest without version ids (bucket,key rows), as build-manifest writes them',
    );
  }
}

function counts(m: ManifestEntry): Omit<SkippedManifest, 'reason'> {
  return { name: m.name, group: m.group, objects: m.objects, bytes: m.bytes };
}

function adviceFor(m: ManifestEntry, bucket: string, keyId: string): string {
  if (m.group === 'large') {
    return `over 5 GB, beyond Batch copy: s3-encrypt encrypt --bucket ${bucket} --kms-key ${keyId} --manifest ${m.location}`;
  }
  return 'archived (GLACIER / DEEP_ARCHIVE / archive tiers): restore them first (S3InitiateRestoreObject), then rebuild the manifests';
}

export function stripQuotes(etag: string): string {
  return etag.trim().replace(/^"+|"+$/g, '');
}

const ETAG = /^[0-9a-f]{32}(-\d+)?$/i;

/** `--manifest s3://BUCKET/KEY,ETAG`: CreateJob pins the manifest by its ETag, so one is required. */
export function parseManifestArg(value: string): { location: S3Location; etag: string } {
  const comma = value.lastIndexOf(',');
  // S3's ETags are lowercase hex; one typed or pasted in upper case is the same ETag, and the
  // comparison with the object's (and Batch's) is exact.
  const etag = comma < 0 ? '' : stripQuotes(value.slice(comma + 1).trim()).toLowerCase();
  if (comma < 0 || !ETAG.test(etag)) {
    throw new UsageError(
      `--manifest "${value}" has no ETag`,
      'write it as s3://BUCKET/KEY,ETAG (the ETag from build-manifest or aws s3api head-object)',
      'ManifestWithoutEtag',
    );
  }
  const location = parseS3Uri(value.slice(0, comma), '--manifest');
  if (!location.key || location.key.endsWith('/')) {
    throw new UsageError(
      `--manifest "${value}" names no object`,
      'give the manifest object itself: s3://BUCKET/path/manifest.csv,ETAG',
      'InvalidS3Uri',
    );
  }
  return { location, etag };
}

/**
 * Columns of a Batch CSV manifest, from its first row: 2 (bucket,key) or 3 (bucket,key,versionId).
 * Keys are URL-encoded, so a comma in a row is always a separator.
 */
export function manifestColumns(firstLine: string, where: string): 2 | 3 {
  const line = firstLine.replace(/\r$/, '');
  const n = line.split(',').length;
  if (line.trim() === '') {
    throw new PreconditionError('EmptyManifest', `${where} is empty`, 'there is nothing for a job to do');
  }
  if (n !== 2 && n !== 3) {
    throw new UsageError(
      `${where} is not a Batch CSV manifest (first row has ${n} columns)`,
      'rows must be bucket,key or bucket,key,versionId with URL-encoded keys and no header',
      'InvalidManifest',
    );
  }
  return n;
}
