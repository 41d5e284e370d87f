import { priceOf, type Price, type PriceId, type PriceStatus, type PriceTable } from './prices.js';
import { GIB, roundUsd } from './units.js';
import type { Workload } from './workload.js';

/**
 * S3 asks KMS for a bucket-level key once per time-limited period instead of once per object;
 * AWS says this cuts KMS requests "by up to 99 percent" (UG bucket-key.html). We model exactly
 * that ceiling, so the with-Bucket-Key figure is a best case.
 */
const BUCKET_KEY_KMS_REDUCTION = 0.99;
/** Part size assumed for multipart copies of objects over 5 GB (one UploadPartCopy per part). */
const LARGE_COPY_PART_BYTES = GIB;
/** A 30-day month, for prorating storage of old versions that a lifecycle rule expires. */
const MONTH_DAYS = 30;

interface CostLine {
  id: string;
  item: string;
  quantity: number;
  unit: string;
  price: PriceId;
  unitUsd: number;
  per: number;
  priceStatus: PriceStatus;
  usd: number;
  /** False for the comparison line (KMS without Bucket Keys), which is not part of the total. */
  inTotal: boolean;
  note?: string | undefined;
}

export interface CostEstimate {
  basis: Workload['basis'];
  partial: boolean;
  region: string;
  pricesTakenOn: string;
  lines: CostLine[];
  totalUsd: number;
  notes: string[];
}

export interface StorageContext {
  versioning: 'Enabled' | 'Suspended' | 'Off';
  /** Days after which a whole-bucket lifecycle rule deletes noncurrent versions; undefined = never. */
  noncurrentExpirationDays?: number | undefined;
}

export function estimateCost(w: Workload, storage: StorageContext, table: PriceTable): CostEstimate {
  const lines: CostLine[] = [];
  const line = (
    id: string,
    item: string,
    quantity: number,
    priceId: PriceId,
    opts: { inTotal?: boolean; note?: string } = {},
  ): void => {
    const p: Price = table.prices[priceId];
    lines.push({
      id,
      item,
      quantity,
      unit: p.unit,
      price: priceId,
      unitUsd: p.usd,
      per: p.per,
      priceStatus: p.status,
      usd: roundUsd(priceOf(p, quantity)),
      inTotal: opts.inTotal ?? true,
      note: opts.note,
    });
  };

  const updateJobs = w.update.objects > 0 ? 1 : 0;
  line('batch-jobs', 'Batch Operations jobs', w.copyJobs + updateJobs, 'batchJob', {
    note: `${w.copyJobs} copy job(s) (one per storage class)${updateJobs ? ' + 1 UpdateObjectEncryption job' : ''}`,
  });
  line('batch-objects', 'Batch Operations objects', w.copy.objects + w.update.objects, 'batchObject');

  const largeParts = Math.ceil(w.large.bytes / LARGE_COPY_PART_BYTES);
  const largeRequests = w.large.objects > 0 ? 2 * w.large.objects + largeParts : 0;
  line('copy-requests', 'Copy requests (PUT class)', w.copy.objects + largeRequests, 'putRequest', {
    note:
      w.large.objects > 0
        ? `${w.large.objects} object(s) over 5 GB as multipart copies: create + complete + one part per GiB`
        : undefined,
  });
  line(
    'update-requests',
    'UpdateObjectEncryption requests',
    w.update.objects,
    'updateObjectEncryptionRequest',
    {
      note:
        table.prices.updateObjectEncryptionRequest.status === 'assumption'
          ? 'assumed PUT-class price'
          : undefined,
    },
  );

  // One GenerateDataKey per rewritten object, plus a Decrypt where the source is already SSE-KMS.
  // The Bucket Key figure is rounded to 6 places first: 300 * 0.01 is 3.0000000000000027 in floats.
  const kmsPlain = w.copy.objects + w.large.objects + w.update.objects + w.updateFromKms;
  line('kms-no-bucket-key', 'KMS requests without S3 Bucket Keys', kmsPlain, 'kmsRequest', {
    inTotal: false,
    note: 'for comparison, not in the total',
  });
  line(
    'kms-bucket-key',
    'KMS requests with S3 Bucket Keys',
    Math.ceil(Number((kmsPlain * (1 - BUCKET_KEY_KMS_REDUCTION)).toFixed(6))),
    'kmsRequest',
    {
      note: `AWS: up to ${Math.round(BUCKET_KEY_KMS_REDUCTION * 100)}% fewer; best case`,
    },
  );

  const copiedBytes = w.copy.bytes + w.large.bytes;
  const months =
    storage.versioning !== 'Enabled'
      ? 0
      : storage.noncurrentExpirationDays === undefined
        ? 1
        : storage.noncurrentExpirationDays / MONTH_DAYS;
  line(
    'extra-storage',
    'Old versions kept after copies (GB-month)',
    (copiedBytes / GIB) * months,
    'storageGbMonth',
    {
      note:
        storage.versioning !== 'Enabled'
          ? 'none: the bucket is not versioned'
          : storage.noncurrentExpirationDays === undefined
            ? 'per month, until a NoncurrentVersionExpiration rule deletes them'
            : `until expiry after ${storage.noncurrentExpirationDays} days`,
    },
  );
  line('inventory', 'S3 Inventory objects listed', w.listedRows, 'inventoryObjectsListed', {
    note: 'one delivery; verify from a fresh inventory costs the same again',
  });

  const totalUsd = roundUsd(lines.filter((l) => l.inTotal).reduce((a, l) => a + l.usd, 0));
  return {
    basis: w.basis,
    partial: w.partial,
    region: table.region,
    pricesTakenOn: table.takenOn,
    lines,
    totalUsd,
    notes: [
      ...w.notes,
      ...(w.archived.objects > 0
        ? [`${w.archived.objects} archived object(s) are not priced: restore them first`]
        : []),
      'data transfer within the region is free; request prices are for S3 Standard',
    ],
  };
}
