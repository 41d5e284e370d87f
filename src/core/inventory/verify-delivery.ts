/**
 * verify --inventory's use case: reach the bucket (not with --from-dir), open the delivery, say
 * why it may not show the bucket as it is now, read it (verify-inventory.ts), then the headline
 * and the exit code. Text for people is the caller's (output/verify-render.ts).
 */
import { PreconditionError, S3EncryptError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { shellArg } from '../format.js';
import type { ResolvedKey } from '../kms/key.js';
import type { InventoryConfigInfo } from '../plan/ports.js';
import type { VerifyRun } from '../verify/verify-bucket.js';
import { verifyExitCode, verifyOutcome } from '../verify/verify-outcome.js';
import type { Verdict } from '../verify/tally.js';
import { configPrefix, parseInventoryUrl } from './location.js';
import { futureDeliveryReason, type DeliveryDate } from './manifest.js';
import type { DeliveryReader, InventoryPorts } from './ports.js';
import { openInventory, type FilesRead } from './scan.js';
import {
  outOfDateReason,
  stalenessWarnings,
  verifyInventory,
  type InventoryVerifyResult,
} from './verify-inventory.js';

/** Data files read at once without --concurrency. */
const INVENTORY_CONCURRENCY = 4;

/** What the flags ask for (checkInventorySource has checked how the delivery is named). */
export interface DeliveryVerifyRequest {
  bucket: string;
  prefix?: string | undefined;
  allVersions: boolean;
  allowEmpty: boolean;
  inventory?: string | undefined;
  id?: string | undefined;
  fromDir?: string | undefined;
  date: DeliveryDate;
  /** --since: the operator's time of the last encryption change. */
  since?: string | undefined;
  /** --max-age in hours: a newest delivery older than this proves nothing. */
  maxAge: number;
  concurrency?: number | undefined;
  signal: AbortSignal;
  now: () => Date;
}

export interface DeliveryVerifyPorts {
  /** Reaches the bucket and checks the key; never called with --from-dir (no AWS at all). */
  connect(): Promise<{
    key: ResolvedKey;
    inventory: Pick<InventoryPorts, 's3Delivery' | 'clock'>;
    /** The source bucket's inventory configurations (s3:GetInventoryConfiguration). */
    inventoryConfigurations(bucket: string): Promise<InventoryConfigInfo[]>;
  }>;
  /** --kms-key as far as its name can be checked (offline). */
  offlineKey(): ResolvedKey;
  /** A delivery copied to a local directory. */
  dirDelivery(dir: string): DeliveryReader;
}

export interface DeliveryVerifyEvents {
  warn(text: string): void;
  debug(text: string): void;
  /** The delivery is open and checked; its data files are about to be read. */
  checking(delivery: { folder: string; manifestLocation: string }): void;
  progress(rows: number, files: FilesRead): void;
  /** An object that needs work or could not be verified. */
  reported(v: Verdict): void;
  stopped(): void;
}

export interface DeliveryVerifyRun extends VerifyRun {
  result: InventoryVerifyResult;
  /** Read from --from-dir: no AWS request was made. */
  offline: boolean;
  /** A warning said the delivery may predate a change (--since, build-manifest's last write, its age). */
  stale: boolean;
  /** Why the newest delivery is too old to prove more than work needed (--date latest only). */
  outOfDate: string | undefined;
}

export async function verifyDelivery(
  ports: DeliveryVerifyPorts,
  req: DeliveryVerifyRequest,
  events: DeliveryVerifyEvents,
): Promise<DeliveryVerifyRun> {
  const offline = req.fromDir !== undefined;
  const target = offline ? undefined : await ports.connect();
  // The inventory cannot name the key; the key is still checked so a typo fails here, not later.
  const key = target ? target.key : ports.offlineKey();
  const inv = req.inventory !== undefined ? parseInventoryUrl(req.inventory, '--inventory') : undefined;
  const loc = inv && req.id !== undefined ? { ...inv, sourceBucket: req.bucket, id: req.id } : undefined;
  const reader: DeliveryReader =
    loc && target ? target.inventory.s3Delivery(loc, 'local') : ports.dirDelivery(req.fromDir ?? '');
  const delivery = await openInventory(reader, req.date, req.bucket);
  // After the delivery is found: with none, that is the one thing to say.
  if (loc && target) await checkCoverage(target, loc.id, req, events);
  // --all-versions asks about noncurrent versions: an inventory of current ones cannot answer.
  if (req.allVersions && !delivery.layout.has.IsLatest)
    throw new PreconditionError(
      'InventoryCurrentOnly',
      `delivery ${delivery.folder} lists current versions only (no IsLatest column), so --all-versions cannot check noncurrent versions from it`,
      'use verify --live --all-versions, or an inventory configuration of all versions (setup-inventory --versions all)',
    );
  let lastManifestWrite: Date | undefined;
  if (loc && target && req.since === undefined) {
    try {
      lastManifestWrite = await target.inventory.clock.newestUnder(
        loc.bucket,
        `${configPrefix(loc)}/s3-encrypt/`,
      );
    } catch (err) {
      events.debug(
        `cannot list earlier build-manifest output (${(err as Error).message}); staleness is judged by age only`,
      );
    }
  }
  const staleness = stalenessWarnings({
    folder: delivery.folder,
    now: req.now(),
    since: req.since !== undefined ? new Date(req.since) : undefined,
    lastManifestWrite,
  });
  for (const w of [...delivery.warnings, ...staleness]) events.warn(w);
  events.checking({ folder: delivery.folder, manifestLocation: delivery.opened.manifestLocation });
  const result = await verifyInventory(
    delivery,
    {
      bucket: req.bucket,
      date: req.date,
      prefix: req.prefix,
      allVersions: req.allVersions,
      concurrency: req.concurrency ?? INVENTORY_CONCURRENCY,
      signal: req.signal,
      onProgress: (rows, files) => events.progress(rows, files),
    },
    (v) => events.reported(v),
  ).finally(() => events.stopped());
  // Proof of work needed stands however old the delivery; an explicit --date asks about that
  // delivery only. A delivery from the future has no age to judge, whichever was asked for.
  const outOfDate =
    futureDeliveryReason(delivery.folder, req.now()) ??
    (req.date === 'latest' ? outOfDateReason(delivery.folder, req.maxAge, req.now()) : undefined);
  const { summary, interrupted } = result;
  const date = result.delivery.date;
  const outcome = verifyOutcome(summary, interrupted, req.allowEmpty, {
    compliant: `objects in delivery ${date} are SSE-KMS with an S3 Bucket Key`,
    empty: `delivery ${date} lists no object of s3://${req.bucket}/${req.prefix ?? ''}`,
    outOfDate,
  });
  // With --all-versions, noncurrent versions are in the tally: their offenders fail the run too.
  const exitCode = verifyExitCode(summary, interrupted, req.allowEmpty, outOfDate);
  return {
    key,
    summary,
    interrupted,
    outcome,
    exitCode,
    result,
    offline,
    stale: staleness.length > 0,
    outOfDate,
  };
}

/**
 * A configuration filtered by prefix (setup-inventory --prefix, or by hand) lists only the keys
 * under it: its deliveries prove nothing about the rest of the bucket, so a verdict on more than
 * that prefix is refused. The filter is read from the configuration (manifest.json does not say);
 * when it cannot be read, the operator is told that the coverage is unchecked.
 */
async function checkCoverage(
  target: { inventoryConfigurations(bucket: string): Promise<InventoryConfigInfo[]> },
  id: string,
  req: DeliveryVerifyRequest,
  events: DeliveryVerifyEvents,
): Promise<void> {
  let config: InventoryConfigInfo | undefined;
  try {
    config = (await target.inventoryConfigurations(req.bucket)).find((c) => c.id === id);
  } catch (err) {
    if (!(err instanceof S3EncryptError) || err.exitCode === ExitCode.INTERRUPTED) throw err;
    events.warn(
      `cannot read inventory configuration ${id} of ${req.bucket} (${err.message}): whether it lists the whole bucket or only a prefix is unchecked`,
    );
    return;
  }
  if (config === undefined) {
    events.warn(
      `bucket ${req.bucket} has no inventory configuration ${id} now: its deliveries will stop, and whether this one lists the whole bucket is unchecked`,
    );
    return;
  }
  const filter = config.filterPrefix ?? '';
  if (filter === '' || (req.prefix ?? '').startsWith(filter)) return;
  throw new PreconditionError(
    'InventoryPartial',
    `inventory configuration ${id} of ${req.bucket} lists only keys under ${JSON.stringify(filter)}, so its deliveries prove nothing about s3://${req.bucket}/${req.prefix ?? ''}`,
    `verify that part with --prefix ${shellArg(filter)}, or the whole bucket with --live (or an inventory configuration without a prefix filter)`,
  );
}
