import type { CountBytes, InventoryStats, ManifestSummary } from '../inventory/manifest-summary.js';

/** S3 Batch copy and single CopyObject stop at 5 GB; larger objects need a multipart copy. */
const COPY_LIMIT_BYTES = 5 * 1024 ** 3;
const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** What the migration would do, object by object, as far as we know it. */
export interface Workload {
  /** manifests: build-manifest's exact split; inventory: inventory counts; listing: a live listing. */
  basis: 'manifests' | 'inventory' | 'listing';
  /** True when the listing stopped at --max-list: every figure is a lower bound. */
  partial: boolean;
  /** NOT-SSE objects <= 5 GB: Batch copy jobs. */
  copy: CountBytes;
  /** One Batch copy job per storage class (a job has a single target class). */
  copyJobs: number;
  /** SSE-S3 and wrong-key / no-Bucket-Key SSE-KMS objects: UpdateObjectEncryption. */
  update: CountBytes;
  /** Of `update`, objects already under SSE-KMS (S3 also decrypts their data key). */
  updateFromKms: number;
  /** NOT-SSE objects > 5 GB: multipart copies by 's3-encrypt encrypt'. */
  large: CountBytes;
  /** Objects in archive classes: not processed until restored. */
  archived: CountBytes;
  /** Rows an inventory delivery lists (every version and delete marker): the inventory fee. */
  listedRows: number;
  notes: string[];
}

const zero = (): CountBytes => ({ objects: 0, bytes: 0 });
const add = (a: CountBytes, b: CountBytes | undefined): CountBytes => ({
  objects: a.objects + (b?.objects ?? 0),
  bytes: a.bytes + (b?.bytes ?? 0),
});
const sum = (cs: (CountBytes | undefined)[]): CountBytes =>
  cs.reduce<CountBytes>((a, b) => add(a, b), zero());

function totalRows(stats: InventoryStats): number {
  const current = sum(Object.values(stats.byEncryptionStatus)).objects;
  return current + stats.noncurrent.objects + stats.deleteMarkers;
}

function kmsNeedingUpdate(stats: InventoryStats): number {
  return Math.max(0, (stats.byEncryptionStatus['SSE-KMS']?.objects ?? 0) - stats.kmsWithBucketKey.objects);
}

/**
 * build-manifest's groups (manifest name -> objects and bytes): copy-<CLASS>, update-encryption,
 * large, archived. This is the exact split, from the same predicate build-manifest uses.
 */
export function workloadFromGroups(
  groups: Record<string, CountBytes>,
  stats: InventoryStats,
  listedRows: number,
  label: string,
): Workload {
  const entries = Object.entries(groups);
  const copies = entries.filter(([name]) => name.startsWith('copy-')).map(([, c]) => c);
  const update = sum(entries.filter(([name]) => name === 'update-encryption').map(([, c]) => c));
  return {
    basis: 'manifests',
    partial: false,
    copy: sum(copies),
    copyJobs: copies.filter((c) => c.objects > 0).length,
    update,
    updateFromKms: Math.min(update.objects, kmsNeedingUpdate(stats)),
    large: sum(entries.filter(([name]) => name === 'large').map(([, c]) => c)),
    archived: sum(entries.filter(([name]) => name === 'archived').map(([, c]) => c)),
    listedRows,
    notes: [label],
  };
}

/** build-manifest's summary.json: the manifests already split the work exactly. */
export function workloadFromManifestSummary(summary: ManifestSummary): Workload {
  const groups: Record<string, CountBytes> = {};
  for (const m of summary.manifests) {
    const name = m.group === 'copy' ? `copy-${m.storageClass ?? 'STANDARD'}` : m.group;
    groups[name] = add(groups[name] ?? zero(), m);
  }
  return workloadFromGroups(
    groups,
    summary.stats,
    totalRows(summary.stats),
    `from build-manifest summary of ${summary.inventory.manifest}`,
  );
}

/**
 * A live listing knows sizes and storage classes but not encryption, so every listed object is
 * counted as a copy: an upper bound on the work, and a lower bound on the object count when the
 * listing stopped at --max-list.
 */
export function workloadFromListing(stats: InventoryStats, partial: boolean): Workload {
  const current = sum(Object.values(stats.byStorageClass));
  const copy = {
    objects: current.objects - stats.large.objects - stats.archived.objects,
    bytes: current.bytes - stats.large.bytes - stats.archived.bytes,
  };
  const classes = Object.entries(stats.byStorageClass).filter(
    ([cls, c]) => c.objects > 0 && !ARCHIVE_CLASSES.has(cls),
  ).length;
  return {
    basis: 'listing',
    partial,
    copy,
    copyJobs: copy.objects > 0 ? Math.max(1, classes) : 0,
    update: zero(),
    updateFromKms: 0,
    large: stats.large,
    archived: stats.archived,
    listedRows: current.objects,
    notes: [
      'encryption is unknown without an inventory: every listed object is counted as a copy (an upper bound; SSE-S3 objects would use UpdateObjectEncryption instead)',
      ...(partial ? ['partial count: the listing stopped at --max-list; the real bucket is larger'] : []),
    ],
  };
}

/** Fold one listed current object into listing stats (the shape build-manifest uses). */
export function countListed(
  stats: InventoryStats,
  o: { size?: number | undefined; storageClass?: string | undefined },
): void {
  const size = o.size ?? 0;
  const cls = o.storageClass ?? 'STANDARD';
  const one = { objects: 1, bytes: size };
  stats.byStorageClass[cls] = add(stats.byStorageClass[cls] ?? zero(), one);
  stats.byEncryptionStatus.unknown = add(stats.byEncryptionStatus.unknown ?? zero(), one);
  if (ARCHIVE_CLASSES.has(cls)) stats.archived = add(stats.archived, one);
  else if (size > COPY_LIMIT_BYTES) stats.large = add(stats.large, one);
}

export function emptyStats(): InventoryStats {
  return {
    byEncryptionStatus: {},
    byStorageClass: {},
    large: zero(),
    archived: zero(),
    noncurrent: zero(),
    noncurrentUnencrypted: zero(),
    deleteMarkers: 0,
    kmsWithBucketKey: zero(),
  };
}
