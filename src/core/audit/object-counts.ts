import { pool } from '../concurrency/pool.js';
import { countListed, emptyStats } from '../cost/workload.js';
import { classify, EncryptionClass } from '../encryption/classify.js';
import { UnverifiedObjectError } from '../errors.js';
import type { InventoryAnalysis } from '../inventory/analyze.js';
import { deliveryAgeHours, futureDeliveryReason } from '../inventory/manifest.js';
import { stalenessWarnings } from '../inventory/verify-inventory.js';
import type { CountBytes, InventoryStats } from '../inventory/manifest-summary.js';
import type { ResolvedKey } from '../kms/key.js';
import type { ObjectHead, ListedObject } from '../objects.js';
import type { ObjectReader } from '../ports.js';
import type { ObjectCounts } from './records.js';

const KNOWN_STATUS = new Set(['NOT-SSE', 'SSE-S3', 'SSE-KMS', 'SSE-C', 'DSSE-KMS']);

const add = (m: Record<string, CountBytes>, k: string, c: CountBytes | undefined): void => {
  if (!c || c.objects === 0) return;
  const cur = (m[k] ??= { objects: 0, bytes: 0 });
  cur.objects += c.objects;
  cur.bytes += c.bytes;
};

/**
 * An inventory's current objects in verify's classes, from the counts build-manifest's scanner
 * made (analyzeInventory): SSE-KMS with a Bucket Key is compliant (the inventory has no key
 * column), SSE-KMS without one needs an update, and a status S3 does not document is unverified.
 */
export function countsFromInventory(a: InventoryAnalysis, now: Date): ObjectCounts {
  const s: InventoryStats = a.stats;
  const byClass: Record<string, CountBytes> = {};
  // Statuses as the predicate reads them (placement's statusOf: upper case), so the Bucket Key
  // split below subtracts like from like: "sse-kms" rows are in kmsWithBucketKey too.
  const byStatus: Record<string, CountBytes> = {};
  for (const [status, c] of Object.entries(s.byEncryptionStatus)) add(byStatus, status.toUpperCase(), c);
  for (const [status, c] of Object.entries(byStatus)) {
    if (status === 'SSE-KMS') {
      add(byClass, EncryptionClass.COMPLIANT, s.kmsWithBucketKey);
      add(byClass, EncryptionClass.SSE_KMS_NO_BUCKET_KEY, {
        objects: c.objects - s.kmsWithBucketKey.objects,
        bytes: c.bytes - s.kmsWithBucketKey.bytes,
      });
    } else add(byClass, KNOWN_STATUS.has(status) ? status : EncryptionClass.UNVERIFIED, c);
  }
  const total = Object.values(byClass).reduce(
    (t, c) => ({ objects: t.objects + c.objects, bytes: t.bytes + c.bytes }),
    {
      objects: 0,
      bytes: 0,
    },
  );
  return {
    source: 'inventory',
    sample: false,
    label: `inventory delivery ${a.delivery.date}`,
    deliveredAt: a.delivery.date,
    byClass,
    objects: total.objects,
    bytes: total.bytes,
    noncurrentUnencrypted: { ...s.noncurrentUnencrypted },
    partial: false,
    // An old delivery shows the bucket as it was: said, as verify --inventory says it.
    warnings: [...a.warnings, ...stalenessWarnings({ folder: a.delivery.date, now })],
  };
}

/**
 * Why a delivery is too old to prove a bucket compliant, or undefined. A configuration delivers
 * daily or weekly: a newest delivery older than its period and a day of grace means deliveries
 * stopped (a destination policy, a disabled or deleted configuration), and every object written
 * since, with whatever encryption its writer asked for, is uncounted. An unknown frequency is
 * taken as Daily, the stricter. Proof of work needed stands however old it is.
 */
export function staleDelivery(folder: string, frequency: string | undefined, now: Date): string | undefined {
  const weekly = frequency === 'Weekly';
  const maxHours = (weekly ? 7 * 24 : 24) + 24;
  const ageHours = deliveryAgeHours(folder, now);
  if (!Number.isFinite(ageHours)) return `delivery ${folder} has no readable date`;
  const future = futureDeliveryReason(folder, now);
  if (future !== undefined) return future;
  if (ageHours <= maxHours) return undefined;
  return `the newest delivery (${folder}) is ${Math.floor(ageHours)} h old, though a ${weekly ? 'Weekly' : 'Daily'} inventory delivers every ${weekly ? '7 days' : '24 h'}: deliveries may have stopped, and objects written since are not counted`;
}

export interface SampleResult {
  counts: ObjectCounts;
  /** The sampled objects' sizes and classes, as plan's listing counts them (for a cost upper bound). */
  listing: InventoryStats;
}

/**
 * --sample N: the first N current objects the listing gives, one HEAD each (the HEAD proof of
 * head-proof.ts: an answer that proves nothing is `unverified`). `key` resolves the target key
 * when an SSE-KMS object needs comparing; without it such objects are unverified.
 */
export async function sampleObjects(
  objects: ObjectReader,
  bucket: string,
  n: number,
  key: () => Promise<ResolvedKey | undefined>,
  signal: AbortSignal | undefined,
): Promise<SampleResult> {
  const listed: ListedObject[] = [];
  let partial = false;
  for await (const o of objects.list(bucket, { allVersions: false })) {
    if (listed.length >= n) {
      partial = true;
      break;
    }
    listed.push(o);
  }
  const listing = emptyStats();
  for (const o of listed) countListed(listing, o);
  const byClass: Record<string, CountBytes> = {};
  const one = async (o: ListedObject): Promise<{ cls: string; size: number }> => {
    let head: ObjectHead | undefined;
    try {
      head = await objects.head(bucket, o.key);
    } catch (err) {
      if (err instanceof UnverifiedObjectError) return { cls: EncryptionClass.UNVERIFIED, size: o.size ?? 0 };
      throw err;
    }
    if (head?.serverSideEncryption === 'aws:kms' && !head.sseCustomerAlgorithm) {
      const target = await key();
      if (!target) return { cls: EncryptionClass.UNVERIFIED, size: head.size };
      return { cls: classify(head, target, { requireBucketKey: true }), size: head.size };
    }
    return {
      cls: classify(head, { id: '', shortId: '', checked: false }, { requireBucketKey: true }),
      size: head?.size ?? 0,
    };
  };
  for await (const r of pool(listed, SAMPLE_CONCURRENCY, one, signal))
    add(byClass, r.cls, { objects: 1, bytes: r.size });
  const counted = Object.entries(byClass).filter(([c]) => c !== EncryptionClass.VANISHED);
  return {
    counts: {
      source: 'sample',
      sample: true,
      label: `a sample of ${listed.length} object(s)${partial ? ` (the first ${n} listed; the bucket holds more)` : ''}`,
      deliveredAt: null,
      byClass,
      objects: counted.reduce((t, [, c]) => t + c.objects, 0),
      bytes: counted.reduce((t, [, c]) => t + c.bytes, 0),
      noncurrentUnencrypted: null,
      partial,
      warnings: [],
    },
    listing,
  };
}

const SAMPLE_CONCURRENCY = 8;
