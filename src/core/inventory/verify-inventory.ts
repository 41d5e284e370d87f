import { InterruptedError } from '../errors.js';
import { EncryptionClass } from '../encryption/classify.js';
import { isReported, Tally, type Verdict, type VerifySummary } from '../verify/tally.js';
import { deliveryInfo, type DeliveryInfo } from './analyze.js';
import { objectKeyOf } from './keys.js';
import { deliveryAgeHours, deliveryTime, type DeliveryDate } from './manifest.js';
import { verifyClass } from './placement.js';
import { scanInventory, type CheckedDelivery, type ScanOptions } from './scan.js';
import type { CountBytes } from './manifest-summary.js';

/** The scan's options (bucket, concurrency, signal, onProgress) and what this use case adds. */
export interface InventoryVerifyInput extends ScanOptions {
  date: DeliveryDate;
  prefix?: string | undefined;
  /** Count noncurrent versions as offenders too (as live verify --all-versions does). */
  allVersions: boolean;
}

export interface InventoryVerifyResult {
  delivery: DeliveryInfo;
  warnings: string[];
  summary: VerifySummary;
  /** Noncurrent versions seen, and those of them stored without encryption (NOT-SSE). */
  noncurrent: { versions: number; unencrypted: CountBytes };
  interrupted: boolean;
}

/**
 * verify over an inventory: the build-manifest predicate, in verify's vocabulary. A current
 * object needs work unless it is SSE-KMS with a bucket key (the inventory cannot tell the key).
 * Offenders stream out through `onOffender`; counts stay constant-size.
 */
export async function verifyInventory(
  delivery: CheckedDelivery,
  input: InventoryVerifyInput,
  onOffender: (v: Verdict) => void,
): Promise<InventoryVerifyResult> {
  const tally = new Tally();
  const noncurrent = { versions: 0, unencrypted: { objects: 0, bytes: 0 } };
  let interrupted = false;
  const prefix = input.prefix ?? '';
  try {
    await scanInventory(delivery, input, (row) => {
      if (row.isDeleteMarker) return;
      // Decoding costs; only a --prefix or an offender needs the real key.
      let key: string | undefined;
      if (prefix !== '') {
        key = objectKeyOf(row);
        if (!key.startsWith(prefix)) return;
      }
      const cls = verifyClass(row);
      if (!row.isLatest) {
        noncurrent.versions++;
        if (cls === EncryptionClass.NOT_SSE) {
          noncurrent.unencrypted.objects++;
          noncurrent.unencrypted.bytes += row.size;
        }
        if (!input.allVersions) return;
      }
      const v: Verdict = { key: '', isLatest: row.isLatest, class: cls, size: row.size };
      if (cls === EncryptionClass.UNVERIFIED)
        v.reason = `the inventory's EncryptionStatus ${JSON.stringify(row.encryptionStatus)} is not one S3 documents`;
      tally.add(v);
      if (isReported(v)) {
        v.key = key ?? objectKeyOf(row);
        v.versionId = row.versionId === '' ? undefined : row.versionId;
        onOffender(v);
      }
    });
  } catch (err) {
    if (!(err instanceof InterruptedError)) throw err;
    interrupted = true;
  }
  return {
    delivery: deliveryInfo(delivery),
    warnings: delivery.warnings,
    summary: tally.summary(),
    noncurrent,
    interrupted,
  };
}

/**
 * Why this delivery may not show the bucket as it is now. S3 records no time for a change of
 * bucket encryption, so the checks are: --since (the operator's own time of the change), the
 * newest manifest build-manifest wrote for this configuration (the migration started after it),
 * and, failing both, the delivery's age.
 */
/**
 * Why the newest delivery is too old to stand for the bucket now, or undefined. It does so only
 * while deliveries keep coming: one older than `maxHours` means they may have stopped (a deleted
 * configuration, a destination policy), and every object written since is unseen.
 */
export function outOfDateReason(folder: string, maxHours: number, now: Date): string | undefined {
  const age = Math.floor(deliveryAgeHours(folder, now));
  if (age <= maxHours) return undefined;
  return `the newest delivery (${folder}) is ${Number.isFinite(age) ? `${age} h old, over --max-age ${maxHours} h` : 'of no readable age'}: deliveries may have stopped, and objects written since are not in it; use verify --live, or pass --max-age 192 for a weekly inventory`;
}

export function stalenessWarnings(input: {
  folder: string;
  now: Date;
  since?: Date | undefined;
  lastManifestWrite?: Date | undefined;
}): string[] {
  const began = deliveryTime(input.folder);
  // Folder names have minute precision: the scan began somewhere in that minute, so only a time
  // past its end proves the delivery older.
  const beganBy = began + 60_000;
  const warnings: string[] = [];
  const iso = (ms: number) => new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
  if (input.since) {
    if (beganBy <= input.since.getTime())
      warnings.push(
        `delivery ${input.folder} began scanning at ${iso(began)}, before --since ${iso(input.since.getTime())}: objects changed since are shown as they were; wait for a newer delivery or use verify --live`,
      );
    return warnings;
  }
  if (input.lastManifestWrite && beganBy <= input.lastManifestWrite.getTime()) {
    warnings.push(
      `delivery ${input.folder} began scanning at ${iso(began)}, before build-manifest last wrote manifests (${iso(input.lastManifestWrite.getTime())}): objects re-encrypted since still count as offenders; wait for the next delivery`,
    );
  }
  const ageHours = deliveryAgeHours(input.folder, input.now);
  if (ageHours > 48) {
    warnings.push(
      `delivery ${input.folder} is ${Math.floor(ageHours)} h old, and S3 does not record when a bucket's encryption last changed: objects written or re-encrypted since are not reflected (pass --since TIME of your last change, or use verify --live)`,
    );
  }
  return warnings;
}
