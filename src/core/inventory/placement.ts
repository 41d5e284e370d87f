import { EncryptionClass } from '../encryption/classify.js';
import { Col, type UsedColumn } from './columns.js';

/** S3 Batch copy (CopyObject) handles objects up to 5 GiB. */
export const COPY_LIMIT_BYTES = 5 * 1024 ** 3;

/** Where one inventory row goes. The predicate is documented in summary.ts. */
export const Placement = {
  DELETE_MARKER: 'delete-marker',
  NONCURRENT: 'noncurrent',
  /** NOT-SSE, <= 5 GiB, not archived: copy-<StorageClass>. */
  COPY: 'copy',
  /** SSE-S3, or SSE-KMS without a bucket key: UpdateObjectEncryption, no data moved. */
  UPDATE: 'update-encryption',
  /** NOT-SSE over 5 GiB: the direct engine's multipart copy. */
  LARGE: 'large',
  /** NOT-SSE in GLACIER / DEEP_ARCHIVE / an archive access tier: restore first. */
  ARCHIVED: 'archived',
  /** SSE-KMS with a bucket key; the inventory cannot tell which key. */
  COMPLIANT: 'compliant',
  SSE_C: 'SSE-C',
  DSSE_KMS: 'DSSE-KMS',
  /** An EncryptionStatus this tool does not know: never silently compliant. */
  UNKNOWN: 'unknown',
} as const;
export type Placement = (typeof Placement)[keyof typeof Placement];

/** One data row, typed. `encodedKey` stays inventory-encoded until a manifest needs it. */
export interface InventoryRow {
  bucket: string;
  /** The key as the inventory wrote it: form-URL-encoded (CSV), or the key itself when `plainKey`. */
  encodedKey: string;
  /**
   * True for Parquet deliveries, which hold keys as they are, not URL-encoded (see keys.ts
   * objectKeyOf). Optional so rows made elsewhere stay CSV rows.
   */
  plainKey?: boolean;
  /** '' when the inventory has no VersionId column, or for objects written before versioning. */
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  /** '' when the inventory has no StorageClass column. */
  storageClass: string;
  encryptionStatus: string;
  /** ENABLED, DISABLED, or '' when unknown. */
  bucketKeyStatus: string;
  tier: string;
}

const TRUE = /^true$/i;
/** S3 writes `true` / `TRUE`; anything else goes through the case-insensitive check. */
const isTrue = (v: string): boolean => v === 'true' || v === 'TRUE' || (v.length === 4 && TRUE.test(v));
const ARCHIVE_TIER = /^(DEEP_)?ARCHIVE(_ACCESS)?$/;

/**
 * The canonical string for a known value. Values arrive as fresh substrings on every row;
 * swapping them for one constant each makes every later comparison and Map lookup (status and
 * class counters, manifest names) cheap: per-row cost is what build-manifest's speed is made of.
 */
function intern(v: string, known: readonly string[]): string {
  for (const k of known) if (v === k) return k;
  return v;
}
const KNOWN_STATUSES = ['SSE-S3', 'NOT-SSE', 'SSE-KMS', 'SSE-C', 'DSSE-KMS'] as const;
const KNOWN_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'ONEZONE_IA',
  'REDUCED_REDUNDANCY',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
] as const;

const KNOWN_BUCKET_KEY = ['ENABLED', 'DISABLED'] as const;
const KNOWN_TIERS = ['FREQUENT', 'INFREQUENT', 'ARCHIVE_INSTANT_ACCESS', 'ARCHIVE', 'DEEP_ARCHIVE'] as const;

/** Upper case; values S3 already writes so come back as the constant, with no new string. */
function upper(v: string, known: readonly string[]): string {
  for (const k of known) if (v === k) return k;
  return v.toUpperCase();
}

/**
 * `Number(v) || 0`, read digit by digit when `v` is up to 15 plain digits (exact in a double):
 * Number() on a fresh string was the costliest step of toRow. @internal
 */
export function sizeOf(v: string): number {
  const n = v.length;
  if (n === 0 || n > 15) return Number(v) || 0;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(v) || 0;
    size = size * 10 + d;
  }
  return size;
}

/** An empty row, to be filled by toRow for every row of a file (one allocation per file, not per row). */
export function emptyRow(): InventoryRow {
  return {
    bucket: '',
    encodedKey: '',
    plainKey: false,
    versionId: '',
    isLatest: true,
    isDeleteMarker: false,
    size: 0,
    storageClass: '',
    encryptionStatus: '',
    bucketKeyStatus: '',
    tier: '',
  };
}

/**
 * values: one parsed row in USED_COLUMNS order; `has`: which columns the inventory has. Fills
 * `into` (and returns it): callers that keep a row must copy it.
 */
export function toRow(
  values: readonly string[],
  has: Record<UsedColumn, boolean>,
  into: InventoryRow = emptyRow(),
): InventoryRow {
  const size = values[Col.Size] ?? '';
  const storageClass = values[Col.StorageClass] ?? '';
  const bucketKey = values[Col.BucketKeyStatus] ?? '';
  const tier = values[Col.IntelligentTieringAccessTier] ?? '';
  into.bucket = values[Col.Bucket] ?? '';
  into.encodedKey = values[Col.Key] ?? '';
  into.versionId = values[Col.VersionId] ?? '';
  // A Current-only inventory has no IsLatest column: every row is current.
  into.isLatest = has.IsLatest ? isTrue(values[Col.IsLatest] ?? '') : true;
  into.isDeleteMarker = isTrue(values[Col.IsDeleteMarker] ?? '');
  into.size = sizeOf(size);
  // S3 leaves STANDARD implicit elsewhere (HEAD omits it); an empty cell means the same.
  into.storageClass = has.StorageClass
    ? storageClass === ''
      ? 'STANDARD'
      : intern(storageClass, KNOWN_CLASSES)
    : '';
  into.encryptionStatus = intern(values[Col.EncryptionStatus] ?? '', KNOWN_STATUSES);
  into.bucketKeyStatus = bucketKey === '' ? '' : upper(bucketKey, KNOWN_BUCKET_KEY);
  into.tier = tier === '' ? '' : upper(tier, KNOWN_TIERS);
  return into;
}

export function isArchived(row: InventoryRow): boolean {
  return (
    row.storageClass === 'GLACIER' ||
    row.storageClass === 'DEEP_ARCHIVE' ||
    (row.tier !== '' && ARCHIVE_TIER.test(row.tier))
  );
}

const STATUSES = new Set(['NOT-SSE', 'SSE-S3', 'SSE-KMS', 'SSE-C', 'DSSE-KMS']);

/** EncryptionStatus in upper case; S3 writes it so already, and then no new string is made. */
export function statusOf(row: InventoryRow): string {
  const s = row.encryptionStatus;
  return STATUSES.has(s) ? s : s.toUpperCase();
}

/** What a row's encryption needs, ignoring version, size and class. */
function encryptionNeed(
  row: InventoryRow,
):
  | typeof Placement.COPY
  | typeof Placement.UPDATE
  | typeof Placement.COMPLIANT
  | typeof Placement.SSE_C
  | typeof Placement.DSSE_KMS
  | typeof Placement.UNKNOWN {
  switch (statusOf(row)) {
    case 'NOT-SSE':
      return Placement.COPY;
    case 'SSE-S3':
      return Placement.UPDATE;
    case 'SSE-KMS':
      // Without a bucket-key column the state is unknown; UpdateObjectEncryption is harmless then.
      return row.bucketKeyStatus === 'ENABLED' ? Placement.COMPLIANT : Placement.UPDATE;
    case 'SSE-C':
      return Placement.SSE_C;
    case 'DSSE-KMS':
      return Placement.DSSE_KMS;
    default:
      return Placement.UNKNOWN;
  }
}

export function place(row: InventoryRow): Placement {
  if (row.isDeleteMarker) return Placement.DELETE_MARKER;
  if (!row.isLatest) return Placement.NONCURRENT;
  const need = encryptionNeed(row);
  if (need !== Placement.COPY) return need;
  if (isArchived(row)) return Placement.ARCHIVED;
  if (row.size > COPY_LIMIT_BYTES) return Placement.LARGE;
  return Placement.COPY;
}

/** The verify vocabulary for a row (what live verify would call it, as far as inventory can tell). */
export function verifyClass(row: InventoryRow): EncryptionClass {
  switch (encryptionNeed(row)) {
    case Placement.COMPLIANT:
      return EncryptionClass.COMPLIANT;
    case Placement.UPDATE:
      return statusOf(row) === 'SSE-S3' ? EncryptionClass.SSE_S3 : EncryptionClass.SSE_KMS_NO_BUCKET_KEY;
    case Placement.SSE_C:
      return EncryptionClass.SSE_C;
    case Placement.DSSE_KMS:
      return EncryptionClass.DSSE_KMS;
    case Placement.UNKNOWN:
      // A status this tool cannot read (empty, or new): the row proves nothing either way.
      return EncryptionClass.UNVERIFIED;
    default:
      return EncryptionClass.NOT_SSE;
  }
}
