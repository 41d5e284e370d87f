import { isArchived, COPY_LIMIT_BYTES, Placement, type InventoryRow } from './placement.js';
import type { CountBytes, InventoryStats } from './summary.js';

/** Manifest group name for a placement, or undefined when the row goes into no manifest. */
export function manifestName(placement: Placement, row: InventoryRow): string | undefined {
  switch (placement) {
    case Placement.COPY:
      return `copy-${row.storageClass}`;
    case Placement.UPDATE:
    case Placement.LARGE:
    case Placement.ARCHIVED:
      return placement;
    default:
      return undefined;
  }
}

const LEFT_ALONE: ReadonlySet<Placement> = new Set([
  Placement.COMPLIANT,
  Placement.SSE_C,
  Placement.DSSE_KMS,
  Placement.UNKNOWN,
]);

function add(map: Map<string, CountBytes>, k: string, size: number): void {
  const cb = map.get(k);
  if (cb) {
    cb.objects++;
    cb.bytes += size;
  } else map.set(k, { objects: 1, bytes: size });
}

const zero = (): CountBytes => ({ objects: 0, bytes: 0 });

/** Constant-size counters over every row of a delivery (memory does not grow with the bucket). */
export class InventoryTally {
  rows = 0;
  private readonly byStatus = new Map<string, CountBytes>();
  private readonly byClass = new Map<string, CountBytes>();
  private readonly groups = new Map<string, CountBytes>();
  private readonly left = new Map<string, CountBytes>();
  private readonly unknownStatuses = new Set<string>();
  private readonly large = zero();
  private readonly archived = zero();
  private readonly noncurrent = zero();
  private readonly noncurrentUnencrypted = zero();
  private readonly kmsWithBucketKey = zero();
  private deleteMarkers = 0;

  add(row: InventoryRow, placement: Placement): void {
    this.rows++;
    if (placement === Placement.DELETE_MARKER) {
      this.deleteMarkers++;
      return;
    }
    const size = row.size;
    if (placement === Placement.NONCURRENT) {
      this.noncurrent.objects++;
      this.noncurrent.bytes += size;
      if (row.encryptionStatus.toUpperCase() === 'NOT-SSE') {
        this.noncurrentUnencrypted.objects++;
        this.noncurrentUnencrypted.bytes += size;
      }
      return;
    }
    add(this.byStatus, row.encryptionStatus || '(empty)', size);
    add(this.byClass, row.storageClass || '(unknown)', size);
    if (size > COPY_LIMIT_BYTES) {
      this.large.objects++;
      this.large.bytes += size;
    }
    if (isArchived(row)) {
      this.archived.objects++;
      this.archived.bytes += size;
    }
    if (placement === Placement.COMPLIANT) {
      this.kmsWithBucketKey.objects++;
      this.kmsWithBucketKey.bytes += size;
    }
    if (LEFT_ALONE.has(placement)) {
      add(this.left, placement, size);
      if (placement === Placement.UNKNOWN) this.unknownStatuses.add(row.encryptionStatus);
      return;
    }
    const name = manifestName(placement, row);
    if (name) add(this.groups, name, size);
  }

  stats(): InventoryStats {
    return {
      byEncryptionStatus: Object.fromEntries(this.byStatus),
      byStorageClass: Object.fromEntries(this.byClass),
      large: { ...this.large },
      archived: { ...this.archived },
      noncurrent: { ...this.noncurrent },
      noncurrentUnencrypted: { ...this.noncurrentUnencrypted },
      deleteMarkers: this.deleteMarkers,
      kmsWithBucketKey: { ...this.kmsWithBucketKey },
    };
  }

  /** Objects per manifest name (copy-STANDARD, update-encryption, large, archived). */
  groupCounts(): Map<string, CountBytes> {
    return new Map([...this.groups].map(([k, v]) => [k, { ...v }]));
  }

  /** Current objects left alone, by reason: compliant, SSE-C, DSSE-KMS, unknown. */
  leftAlone(): Record<string, CountBytes> {
    const out: Record<string, CountBytes> = { compliant: zero(), 'SSE-C': zero(), 'DSSE-KMS': zero() };
    for (const [k, v] of this.left) out[k] = { ...v };
    return out;
  }

  /** EncryptionStatus values this tool did not recognise (reported, never treated as compliant). */
  unknownStatusValues(): string[] {
    return [...this.unknownStatuses];
  }
}
