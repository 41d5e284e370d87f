import { PreconditionError } from '../errors.js';
import { deliveryInfo, type DeliveryInfo } from './analyze.js';
import { InventoryTally } from './inventory-tally.js';
import { encodeVersionId, manifestKeyOf } from './keys.js';
import type { DeliveryDate } from './manifest.js';
import { manifestRows } from './manifest-rows.js';
import { place, Placement, type InventoryRow } from './placement.js';
import { defaultManifestPrefix } from './location.js';
import type {
  DeliveryReader,
  InventoryLocation,
  ManifestUploader,
  ManifestWriter,
  S3Location,
} from './ports.js';
import { openInventory, scanInventory, type ScanOptions } from './scan.js';
import { ManifestSummary, type ManifestEntry, type ManifestGroup } from './manifest-summary.js';

/** Where finished manifests go. */
export type ManifestDestination =
  /** Upload under `prefixFor(deliveryFolder)` (no trailing slash) in `bucket`. */
  | { kind: 's3'; bucket: string; prefixFor: (folder: string) => string; uploader: ManifestUploader }
  /** The writer's directory is the final place (--out). */
  | { kind: 'local' };

/** The scan's options (bucket, concurrency, signal, onProgress) and what this use case adds. */
export interface BuildInput extends ScanOptions {
  /** Target key ARN (or id with --skip-key-check), recorded in summary.json. */
  kmsKey: string;
  date: DeliveryDate;
  /** Parse, count and write temporary files, but upload (or keep) nothing. */
  dryRun: boolean;
  /**
   * Dry run only: give each S3 manifest the ETag its upload would get (create-job --dry-run
   * prints the exact CreateJob requests, which pin the manifest by ETag). Otherwise null.
   */
  predictEtags?: boolean | undefined;
  destination: ManifestDestination;
  now: () => Date;
  onProgress?: ScanOptions['onProgress'];
}

export interface BuildResult {
  summary: ManifestSummary;
  /** s3://.../summary.json or a local path; where it would be on a dry run. */
  summaryLocation: string;
  delivery: DeliveryInfo;
  rows: number;
  warnings: string[];
  dryRun: boolean;
}

const GROUP_ORDER: Record<ManifestGroup, number> = { copy: 0, 'update-encryption': 1, large: 2, archived: 3 };

function groupOf(name: string): ManifestGroup {
  return name.startsWith('copy-') ? 'copy' : (name as ManifestGroup);
}

/**
 * The default home of the manifests of the delivery at `loc`: next to its deliveries, one folder
 * per delivery (build-manifest without --manifest-prefix, and create-job --inventory).
 */
export function deliveryDestination(loc: InventoryLocation, uploader: ManifestUploader): ManifestDestination {
  return {
    kind: 's3',
    bucket: loc.bucket,
    prefixFor: (folder) => defaultManifestPrefix(loc, folder),
    uploader,
  };
}

/**
 * build-manifest: stream a delivery into S3 Batch Operations CSV manifests plus summary.json.
 * Every data file is parsed before anything is uploaded, so a bad file (MD5, gzip, row) leaves
 * the destination untouched; the writer's files are removed on any failure.
 */
export async function buildManifests(
  reader: DeliveryReader,
  writer: ManifestWriter,
  input: BuildInput,
): Promise<BuildResult> {
  try {
    await writer.open();
    const delivery = await openInventory(reader, input.date, input.bucket);
    const versioned = delivery.layout.has.VersionId;
    const hasStorageClass = delivery.layout.has.StorageClass;
    const tally = new InventoryTally();
    await scanInventory(
      delivery,
      input,
      (row, origin) => {
        const p = place(row);
        const name = tally.add(row, p);
        if (name === undefined) return;
        if (p === Placement.COPY && !hasStorageClass) {
          throw new PreconditionError(
            'InventoryColumnsMissing',
            'the inventory has no StorageClass column, and a Batch copy without it would move every unencrypted object to STANDARD',
            'add StorageClass to the inventory with s3-encrypt setup-inventory and wait for the next delivery, or use s3-encrypt encrypt',
          );
        }
        writer.append(name, manifestLine(row, p === Placement.UPDATE && versioned), origin.index);
      },
      () => writer.ready(),
      (index) => writer.endPart(index),
      (file) => manifestRows({ file, bucket: input.bucket, tally, writer }),
    );
    const files = await writer.finish();
    const folder = delivery.folder;
    const counts = tally.groupCounts();
    const names = [...files.keys()].sort(
      (a, b) => GROUP_ORDER[groupOf(a)] - GROUP_ORDER[groupOf(b)] || a.localeCompare(b),
    );
    const dest = input.destination;
    const s3Prefix = dest.kind === 's3' ? dest.prefixFor(folder) : undefined;
    const at = (fileName: string): S3Location => ({
      bucket: dest.kind === 's3' ? dest.bucket : '',
      key: `${s3Prefix}/${fileName}`,
    });
    const manifests: ManifestEntry[] = [];
    for (const name of names) {
      const path = files.get(name) ?? '';
      const group = groupOf(name);
      const cb = counts.get(name) ?? { objects: 0, bytes: 0 };
      let location = path;
      let etag: string | null = null;
      if (dest.kind === 's3') {
        const to = at(`${name}.csv`);
        location = `s3://${to.bucket}/${to.key}`;
        if (!input.dryRun) etag = await dest.uploader.uploadFile(path, to);
        else if (input.predictEtags) etag = await dest.uploader.etagOf(path);
      }
      manifests.push({
        name,
        group,
        ...(group === 'copy' ? { storageClass: name.slice('copy-'.length) } : {}),
        location,
        etag,
        versioned: name === Placement.UPDATE && versioned,
        objects: cb.objects,
        bytes: cb.bytes,
      });
    }
    const summary = ManifestSummary.parse({
      version: 1,
      sourceBucket: input.bucket,
      kmsKey: input.kmsKey,
      inventory: {
        manifest: delivery.opened.manifestLocation,
        date: folder,
        creationTimestamp: delivery.manifest.creationTimestamp,
      },
      createdAt: input.now().toISOString(),
      manifests,
      leftAlone: tally.leftAlone(),
      stats: tally.stats(),
    } satisfies ManifestSummary);
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    let summaryLocation: string;
    if (dest.kind === 's3') {
      const to = at('summary.json');
      summaryLocation = `s3://${to.bucket}/${to.key}`;
      if (!input.dryRun) await dest.uploader.uploadText(text, to, 'application/json');
    } else {
      summaryLocation = input.dryRun
        ? '(not written: --dry-run)'
        : await writer.writeFile('summary.json', text);
    }
    const unknown = tally.unknownStatusValues();
    return {
      summary,
      summaryLocation,
      delivery: deliveryInfo(delivery),
      rows: tally.rows,
      warnings: [
        ...delivery.warnings,
        ...(unknown.length > 0
          ? [
              `unknown EncryptionStatus values ${unknown.map((u) => JSON.stringify(u)).join(', ')}: left alone`,
            ]
          : []),
      ],
      dryRun: input.dryRun,
    };
  } finally {
    await writer.cleanup();
  }
}

/** One Batch CSV row: bucket,key[,versionId]; empty version ids (pre-versioning objects) become `null`. */
function manifestLine(row: InventoryRow, withVersion: boolean): string {
  const key = manifestKeyOf(row);
  if (!withVersion) return `${row.bucket},${key}\n`;
  return `${row.bucket},${key},${row.versionId === '' ? 'null' : encodeVersionId(row.versionId)}\n`;
}
