/**
 * build-manifest's use case: the flag rules, the checks made before the first request, where the
 * delivery is read from and where the manifests go, then buildManifests (build-manifests.ts).
 * Text for people is the caller's (output/build-manifest-render.ts).
 */
import { UsageError } from '../errors.js';
import type { ResolvedKey } from '../kms/key.js';
import {
  buildManifests,
  deliveryDestination,
  type BuildResult,
  type ManifestDestination,
} from './build-manifests.js';
import { parseInventoryUrl } from './location.js';
import type { DeliveryDate } from './manifest.js';
import type { DeliveryReader, InventoryPorts, OfflineInventoryPorts } from './ports.js';
import type { FilesRead } from './scan.js';

/** What the flags ask for (checkInventorySource has checked how the delivery is named). */
export interface BuildManifestRequest {
  bucket: string;
  inventory?: string | undefined;
  id?: string | undefined;
  date: DeliveryDate;
  fromDir?: string | undefined;
  /** --manifest-prefix s3://BUCKET/PREFIX: upload there instead of next to the deliveries. */
  manifestPrefix?: string | undefined;
  /** --out DIR: write the files there instead of uploading them. */
  out?: string | undefined;
  engine: 'local' | 'select';
  concurrency: number;
  dryRun: boolean;
  skipKeyCheck?: boolean | undefined;
  signal: AbortSignal;
  now: () => Date;
}

export interface BuildManifestPorts {
  /** --out: a directory, or a path where one can be made (refused before the first request). */
  outDir(path: string): Promise<void>;
  /** Reaches the bucket and checks the key; never called offline (--from-dir with --out). */
  connect(): Promise<{ key: ResolvedKey; inventory: Pick<InventoryPorts, 's3Delivery' | 'uploader'> }>;
  /** --kms-key as far as its name can be checked (offline). */
  offlineKey(): ResolvedKey;
  offline: OfflineInventoryPorts;
}

export interface BuildManifestEvents {
  warn(text: string): void;
  debug(text: string): void;
  /** Files and destination are settled; the delivery at `where` is about to be read. */
  reading(where: string): void;
  progress(rows: number, files: FilesRead): void;
  stopped(): void;
}

export interface BuildManifestRun extends BuildResult {
  /** From the start of the read to the manifests written (or counted, on a dry run). */
  seconds: number;
}

export async function runBuildManifest(
  ports: BuildManifestPorts,
  req: BuildManifestRequest,
  events: BuildManifestEvents,
): Promise<BuildManifestRun> {
  const inv = req.inventory !== undefined ? parseInventoryUrl(req.inventory, '--inventory') : undefined;
  const prefixOverride =
    req.manifestPrefix !== undefined ? parseInventoryUrl(req.manifestPrefix, '--manifest-prefix') : undefined;
  if (req.out !== undefined && prefixOverride)
    throw new UsageError(
      '--out and --manifest-prefix both say where to write',
      'give only one',
      'ConflictingOptions',
    );
  if (req.fromDir !== undefined && req.engine === 'select')
    throw new UsageError(
      '--engine select reads from S3, not --from-dir',
      'drop --engine select',
      'ConflictingOptions',
    );
  if (req.fromDir !== undefined && req.out === undefined && !prefixOverride)
    throw new UsageError(
      '--from-dir has nowhere to write the manifests',
      'add --out DIR (no AWS needed) or --manifest-prefix s3://BUCKET/PREFIX',
      'MissingOption',
    );

  // A bad --out is refused before the first request (the directory is made later, by the writer).
  if (req.out !== undefined) await ports.outDir(req.out);
  // --from-dir with --out must work with no credentials and no network: no S3, no KMS.
  const offline = req.fromDir !== undefined && req.out !== undefined;
  const target = offline ? undefined : await ports.connect();
  const aws = (): Pick<InventoryPorts, 's3Delivery' | 'uploader'> => {
    if (!target) throw new Error('unreachable: an offline run reached for AWS');
    return target.inventory;
  };
  let key: ResolvedKey;
  if (!target) {
    key = ports.offlineKey();
    if (!req.skipKeyCheck)
      events.debug('offline (--from-dir with --out): --kms-key is recorded as given; create-job checks it');
  } else {
    key = target.key;
  }

  const loc = inv && req.id !== undefined ? { ...inv, sourceBucket: req.bucket, id: req.id } : undefined;
  const reader: DeliveryReader = loc
    ? aws().s3Delivery(loc, req.engine)
    : ports.offline.dirDelivery(req.fromDir ?? '');
  let destination: ManifestDestination;
  if (req.out !== undefined) destination = { kind: 'local' };
  else if (prefixOverride)
    destination = {
      kind: 's3',
      bucket: prefixOverride.bucket,
      prefixFor: (folder) => [prefixOverride.prefix, folder].filter((p) => p !== '').join('/'),
      uploader: aws().uploader,
    };
  else if (loc) destination = deliveryDestination(loc, aws().uploader);
  else throw new Error('unreachable: no destination');

  if (req.engine === 'select')
    events.warn(
      '--engine select: S3 reads the data files, so their MD5 checksums and field counts are not checked here (the default engine checks both)',
    );
  const writer = ports.offline.manifestWriter({ dir: req.out, keep: !req.dryRun });
  events.reading(reader.where);
  const started = req.now().getTime();
  const result = await buildManifests(reader, writer, {
    bucket: req.bucket,
    kmsKey: key.id,
    date: req.date,
    concurrency: req.concurrency,
    dryRun: req.dryRun,
    destination,
    now: req.now,
    signal: req.signal,
    onProgress: (rows, files) => events.progress(rows, files),
  }).finally(() => events.stopped());
  for (const w of result.warnings) events.warn(w);
  return { ...result, seconds: (req.now().getTime() - started) / 1000 };
}
