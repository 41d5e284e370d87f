import { isArchived, COPY_LIMIT_BYTES, Placement, statusOf, type InventoryRow } from './placement.js';
import type { CountBytes, InventoryStats } from './manifest-summary.js';

/** copy-<CLASS> names, made once per storage class (the hot loop then reuses one string). */
const copyNames = new Map<string, string>();

/** Manifest group name for a placement, or undefined when the row goes into no manifest. */
export function manifestName(placement: Placement, row: InventoryRow): string | undefined {
  switch (placement) {
    case Placement.COPY: {
      let name = copyNames.get(row.storageClass);
      if (name === undefined) copyNames.set(row.storageClass, (name = `copy-${row.storageClass}`));
      return name;
    }
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

/** A counter map that remembers its last key: consecutive rows mostly share status and class. */
class Counts {
  readonly map = new Map<string, CountBytes>();
  private lastKey: string | undefined;
  private last: CountBytes | undefined;

  add(k: string, size: number, objects = 1): void {
    let cb = k === this.lastKey ? this.last : this.map.get(k);
    if (!cb) this.map.set(k, (cb = { objects: 0, bytes: 0 }));
    cb.objects += objects;
    cb.bytes += size;
    this.lastKey = k;
    this.last = cb;
  }
}

const zero = (): CountBytes => ({ objects: 0, bytes: 0 });

/** Constant-size counters over every row of a delivery (memory does not grow with the bucket). */
export class InventoryTally {
  rows = 0;
  private readonly byStatus = new Counts();
  private readonly byClass = new Counts();
  private readonly groups = new Counts();
  private readonly left = new Counts();
  private readonly unknownStatuses = new Set<string>();
  private readonly large = zero();
  private readonly archived = zero();
  private readonly noncurrent = zero();
  private readonly noncurrentUnencrypted = zero();
  private readonly kmsWithBucketKey = zero();
  private deleteMarkers = 0;

  /** Counts the row; returns its manifest name (see manifestName), if it goes into one. */
  add(row: InventoryRow, placement: Placement): string | undefined {
    return this.addMany(row, placement, 1, row.size);
  }

  /**
   * Counts `objects` rows like `row` (same placement, status, class and tier, all over 5 GiB
   * or none, as `row.size` says) holding `bytes` in all: build-manifest's byte path counts its
   * rows per kind and adds them here in the order each kind first appeared, so the counters
   * (and their order in summary.json) are those of one add() per row.
   */
  addMany(row: InventoryRow, placement: Placement, objects: number, bytes: number): string | undefined {
    this.rows += objects;
    if (placement === Placement.DELETE_MARKER) {
      this.deleteMarkers += objects;
      return undefined;
    }
    if (placement === Placement.NONCURRENT) {
      this.noncurrent.objects += objects;
      this.noncurrent.bytes += bytes;
      if (statusOf(row) === 'NOT-SSE') {
        this.noncurrentUnencrypted.objects += objects;
        this.noncurrentUnencrypted.bytes += bytes;
      }
      return undefined;
    }
    this.byStatus.add(row.encryptionStatus || '(empty)', bytes, objects);
    this.byClass.add(row.storageClass || '(unknown)', bytes, objects);
    if (row.size > COPY_LIMIT_BYTES) {
      this.large.objects += objects;
      this.large.bytes += bytes;
    }
    if (isArchived(row)) {
      this.archived.objects += objects;
      this.archived.bytes += bytes;
    }
    if (placement === Placement.COMPLIANT) {
      this.kmsWithBucketKey.objects += objects;
      this.kmsWithBucketKey.bytes += bytes;
    }
    if (LEFT_ALONE.has(placement)) {
      this.left.add(placement, bytes, objects);
      if (placement === Placement.UNKNOWN) this.unknownStatuses.add(row.encryptionStatus);
      return undefined;
    }
    const name = manifestName(placement, row);
    if (name) this.groups.add(name, bytes, objects);
    return name;
  }

  stats(): InventoryStats {
    return {
      byEncryptionStatus: Object.fromEntries(this.byStatus.map),
      byStorageClass: Object.fromEntries(this.byClass.map),
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
    return new Map([...this.groups.map].map(([k, v]) => [k, { ...v }]));
  }

  /** Current objects left alone, by reason: compliant, SSE-C, DSSE-KMS, unknown. */
  leftAlone(): Record<string, CountBytes> {
    const out: Record<string, CountBytes> = { compliant: zero(), 'SSE-C': zero(), 'DSSE-KMS': zero() };
    for (const [k, v] of this.left.map) out[k] = { ...v };
    return out;
  }

  /** EncryptionStatus values this tool did not recognise (reported, never treated as compliant). */
  unknownStatusValues(): string[] {
    return [...this.unknownStatuses];
  }
}
