import { InventoryTally } from './inventory-tally.js';
import type { DeliveryDate } from './manifest.js';
import { place } from './placement.js';
import type { DeliveryReader } from './ports.js';
import { openInventory, scanInventory, type CheckedDelivery, type ScanOptions } from './scan.js';
import type { CountBytes, InventoryStats } from './manifest-summary.js';

/** Which delivery was read. */
export interface DeliveryInfo {
  /** s3://dest/prefix/source/id/<folder>/manifest.json, or a local path. */
  manifest: string;
  /** Delivery folder, YYYY-MM-DDTHH-MMZ (when S3 began scanning). */
  date: string;
  /** manifest.json creationTimestamp (epoch ms, as a string). */
  creationTimestamp: string;
  files: number;
  engine: 'local' | 'select';
}

export interface InventoryAnalysis {
  delivery: DeliveryInfo;
  /** Rows read, every version and delete marker included. */
  rows: number;
  stats: InventoryStats;
  /** What build-manifest would write: objects and bytes per manifest name. */
  groups: Record<string, CountBytes>;
  /** Current objects no manifest takes: compliant, SSE-C, DSSE-KMS (and unknown statuses). */
  leftAlone: Record<string, CountBytes>;
  /** Column gaps and unknown values the operator should hear about. */
  warnings: string[];
}

export interface AnalyzeInput {
  /** The source bucket; the delivery must be for this bucket. */
  bucket: string;
  date?: DeliveryDate | undefined;
  /** Data files read at once (default 4). */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ScanOptions['onProgress'];
}

/**
 * Read a whole delivery and count it with the build-manifest predicate, writing nothing: what
 * `plan` shows. Get the reader from `svc.inventory.s3Delivery(...)` or `svc.inventory.dirDelivery(dir)`.
 */
export async function analyzeInventory(
  reader: DeliveryReader,
  input: AnalyzeInput,
): Promise<InventoryAnalysis> {
  const delivery = await openInventory(reader, input.date ?? 'latest', input.bucket);
  const tally = new InventoryTally();
  await scanInventory(
    delivery,
    {
      bucket: input.bucket,
      concurrency: input.concurrency ?? 4,
      signal: input.signal,
      onProgress: input.onProgress,
    },
    (row) => tally.add(row, place(row)),
  );
  const unknown = tally.unknownStatusValues();
  return {
    delivery: deliveryInfo(delivery),
    rows: tally.rows,
    stats: tally.stats(),
    groups: Object.fromEntries(tally.groupCounts()),
    leftAlone: tally.leftAlone(),
    warnings: [
      ...delivery.warnings,
      ...(unknown.length > 0
        ? [
            `unknown EncryptionStatus values ${unknown.map((u) => JSON.stringify(u)).join(', ')}: left alone, and verify counts them as not compliant`,
          ]
        : []),
    ],
  };
}

export function deliveryInfo(d: CheckedDelivery): DeliveryInfo {
  return {
    manifest: d.opened.manifestLocation,
    date: d.folder,
    creationTimestamp: d.manifest.creationTimestamp,
    files: d.manifest.files.length,
    engine: d.opened.engine,
  };
}
