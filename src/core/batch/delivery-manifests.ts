import { formatBytes, formatCount } from '../format.js';
import { buildManifests, deliveryDestination, type BuildResult } from '../inventory/build-manifests.js';
import { configPrefix, parseInventoryUrl } from '../inventory/location.js';
import { parseDeliveryDate, type DeliveryDate } from '../inventory/manifest.js';
import type { InventoryLocation, InventoryPorts, OfflineInventoryPorts } from '../inventory/ports.js';

/** Which delivery: --inventory s3://DEST/PREFIX, --id, the source bucket and --date, checked before any call. */
export interface DeliverySource {
  location: InventoryLocation;
  date: DeliveryDate;
}

export function deliverySource(
  inventory: string,
  id: string,
  sourceBucket: string,
  date: string | undefined,
): DeliverySource {
  const location = { ...parseInventoryUrl(inventory, '--inventory'), sourceBucket, id };
  return { location, date: parseDeliveryDate(date, `s3://${location.bucket}/${configPrefix(location)}/`) };
}

export interface DeliveryManifestsInput extends DeliverySource {
  /** Target key ARN, recorded in summary.json as build-manifest records it. */
  kmsKey: string;
  dryRun: boolean;
  concurrency: number;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

/**
 * create-job --inventory: build-manifest's own run (same reading, same manifests, same upload to
 * the same place, same summary.json), so a rerun on one delivery writes byte-identical manifests
 * whose ETags, and therefore job tokens, do not change. A dry run uploads nothing and predicts
 * the ETags, so the CreateJob requests it prints are the ones a real run sends.
 */
export function buildDeliveryManifests(
  ports: { inventory: InventoryPorts; offline: OfflineInventoryPorts },
  input: DeliveryManifestsInput,
): Promise<BuildResult> {
  const reader = ports.inventory.s3Delivery(input.location, 'local');
  // Temporary files, removed at the end: the uploads are the manifests.
  const writer = ports.offline.manifestWriter({ keep: false });
  return buildManifests(reader, writer, {
    bucket: input.location.sourceBucket,
    kmsKey: input.kmsKey,
    date: input.date,
    concurrency: input.concurrency,
    dryRun: input.dryRun,
    predictEtags: input.dryRun,
    destination: deliveryDestination(input.location, ports.inventory.uploader),
    now: input.now,
    signal: input.signal,
  });
}

/** What was built, for create-job's output: the same counts and places build-manifest prints. */
export function deliveryReport(r: BuildResult): { text: string; doc: Record<string, unknown> } {
  const m = r.summary.manifests;
  const rows = m.map(
    (e) =>
      `  ${e.name}: ${formatCount(e.objects)} objects (${formatBytes(e.bytes)}) ${r.dryRun ? 'would go to' : 'at'} ${e.location}`,
  );
  const text = [
    `Delivery ${r.delivery.date} (${r.delivery.manifest}): ${formatCount(r.rows)} rows`,
    ...(rows.length > 0 ? rows : ['  no manifest: nothing to re-encrypt']),
    r.dryRun
      ? `Dry run: nothing uploaded; summary.json would be ${r.summaryLocation}`
      : `Summary: ${r.summaryLocation}`,
  ].join('\n');
  const doc = {
    delivery: r.delivery,
    summary: r.summaryLocation,
    manifests: m.map((e) => ({
      name: e.name,
      objects: e.objects,
      bytes: e.bytes,
      location: e.location,
      etag: e.etag,
    })),
  };
  return { text, doc };
}
