import type { InventoryLocation } from './ports.js';
import { z } from 'zod';
import { PreconditionError, UsageError } from '../errors.js';

/**
 * The delivery formats read here. CSV is S3's own Batch format; Parquet is what Athena users
 * already run. ORC is not read: no pure-JS ORC reader is kept up.
 */
export const SUPPORTED_FORMATS = ['CSV', 'Parquet'] as const;
export type InventoryFormat = (typeof SUPPORTED_FORMATS)[number];

/** manifest.json of an S3 Inventory delivery (AWS User Guide, storage-inventory-location). */
export const InventoryManifest = z.object({
  /** A bare bucket name. */
  sourceBucket: z.string().min(1),
  /** An ARN: arn:aws:s3:::bucket. */
  destinationBucket: z.string().regex(/^arn:aws[a-z-]*:s3:::[^/]+$/, 'must be an S3 bucket ARN'),
  /** Not a constant: AWS examples show 2016-11-30 and 2021-05-22. */
  version: z.string().min(1),
  /** Epoch milliseconds, as a string. */
  creationTimestamp: z.string().regex(/^\d{10,16}$/, 'must be epoch milliseconds as a string'),
  fileFormat: z.string(),
  fileSchema: z.string().min(1),
  files: z
    .array(
      z.object({
        key: z.string().min(1),
        size: z.number().nonnegative(),
        MD5checksum: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex digits'),
      }),
    )
    .min(0),
});
export type InventoryManifest = z.infer<typeof InventoryManifest>;
export type InventoryDataFile = InventoryManifest['files'][number];

const DAMAGED =
  'the delivery is damaged or incomplete: wait for the next one, or pass --date to pick an earlier one';

/** Parse and check manifest.json; every problem is one line naming the file and the fix. */
export function parseInventoryManifest(
  text: string,
  where: string,
  expectedBucket: string,
): InventoryManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PreconditionError(
      'InvalidInventoryManifest',
      `${where} is not valid JSON (${(err as Error).message.split('\n')[0]})`,
      DAMAGED,
    );
  }
  const parsed = InventoryManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(top level)';
    throw new PreconditionError(
      'InvalidInventoryManifest',
      `${where}: field ${path}: ${issue?.message ?? 'invalid'}`,
      DAMAGED,
    );
  }
  const m = parsed.data;
  if (!(SUPPORTED_FORMATS as readonly string[]).includes(m.fileFormat)) {
    throw new PreconditionError(
      'UnsupportedInventoryFormat',
      `${where} has fileFormat ${JSON.stringify(m.fileFormat)}; s3-encrypt reads ${SUPPORTED_FORMATS.join(' and ')} deliveries only`,
      'reconfigure the inventory as CSV with s3-encrypt setup-inventory (or as Parquet), then wait for the next delivery',
    );
  }
  if (m.sourceBucket !== expectedBucket) {
    throw new UsageError(
      `${where} lists bucket ${m.sourceBucket}, not ${expectedBucket}`,
      `check --bucket, --inventory and --id (this delivery belongs to s3-encrypt ... --bucket ${m.sourceBucket})`,
      'ForeignInventory',
    );
  }
  return m;
}

/** manifest.checksum holds the MD5 (hex) of manifest.json, possibly with whitespace around it. */
export function checkManifestChecksum(actualMd5: string, checksumText: string, where: string): void {
  const expected = checksumText.trim().toLowerCase();
  if (expected !== actualMd5.toLowerCase()) {
    throw new PreconditionError(
      'InventoryChecksumMismatch',
      `${where}: MD5 ${actualMd5} does not match manifest.checksum (${expected.slice(0, 40) || 'empty'})`,
      DAMAGED,
    );
  }
}

/** Delivery folder names: the time S3 began scanning, e.g. 2016-11-06T21-32Z. */
export const DELIVERY_FOLDER = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z$/;

/** --date: latest, a day (YYYY-MM-DD), or one folder (YYYY-MM-DDTHH-MMZ). */
export type DeliveryDate = string;

export function isDeliveryDate(v: string): boolean {
  if (v === 'latest') return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})-(\d{2})Z)?$/.exec(v);
  if (!m) return false;
  // A real calendar day and time: 2026-13-01 or 2026-02-30 can never name a delivery.
  const [y, mo, d, h, mi] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi
  );
}

/**
 * --date as typed (undefined: latest). `listing` is where the deliveries are, for the fix: the
 * one line says how to see the ones that exist.
 */
export function parseDeliveryDate(value: string | undefined, listing: string): DeliveryDate {
  if (value === undefined) return 'latest';
  const v = value.trim();
  if (isDeliveryDate(v)) return v;
  throw new UsageError(
    `invalid --date "${value}": not latest, a day (YYYY-MM-DD) or a delivery folder (YYYY-MM-DDTHH-MMZ)`,
    `pass --date latest, or a day that has a delivery (list them: aws s3 ls ${listing})`,
    'InvalidDate',
  );
}

/** Candidate delivery folders for --date, newest first. Non-timestamp folders (data/, hive/) are ignored. */
export function deliveryCandidates(folders: readonly string[], date: DeliveryDate): string[] {
  return folders
    .filter((f) => DELIVERY_FOLDER.test(f))
    .filter((f) => date === 'latest' || f === date || f.startsWith(`${date}T`))
    .sort()
    .reverse();
}

/** Epoch ms of a delivery folder name (UTC). */
export function deliveryTime(folder: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})Z$/.exec(folder);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** Hours from a delivery folder's time to `now`; NaN when the name is no delivery time. */
export function deliveryAgeHours(folder: string, now: Date): number {
  return (now.getTime() - deliveryTime(folder)) / 3600_000;
}

/** Clock skew forgiven between this machine and S3 before a delivery counts as from the future. */
const SKEW_HOURS = 1;

/**
 * Why a delivery dated after now cannot stand for the bucket, or undefined. S3 dates a delivery
 * when it writes it, so one from the future means this machine's clock is wrong or the manifest
 * was not written by S3: its age, which every freshness check rests on, is unknown.
 */
export function futureDeliveryReason(folder: string, now: Date): string | undefined {
  const age = deliveryAgeHours(folder, now);
  if (!(age < -SKEW_HOURS)) return undefined;
  return `delivery ${folder} is dated ${Math.ceil(-age)} h in the future (this machine's clock says ${folderOf(now.getTime())}): the clock is wrong or the manifest is damaged, so the delivery's age is unknown; check the clock, or use verify --live`;
}

/** The folder name a delivery created at `epochMs` would have. */
export function folderOf(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}-${p(d.getUTCMinutes())}Z`;
}

/**
 * The error when no complete delivery exists (yet). `folders` are every folder found there: for
 * a --date that matched none, the line names the deliveries that do exist (newest first).
 */
export function noDeliveryError(
  where: string,
  date: DeliveryDate,
  incomplete: string[],
  folders: readonly string[] = [],
  /** When nothing at all is under `where`: what is one level up, to tell a wrong --id or --inventory from a wait. */
  around?: DeliveryNeighbours,
): PreconditionError {
  const misplaced = folders.length === 0 && around ? misplacedDelivery(where, around) : undefined;
  if (misplaced) return misplaced;
  const which = date === 'latest' ? 'no' : `no ${date}`;
  const partial =
    incomplete.length > 0 ? ` (${incomplete.join(', ')} lack manifest.json or manifest.checksum)` : '';
  const existing = deliveryCandidates(folders, 'latest');
  const shown = existing.slice(0, 5).join(', ');
  const more = existing.length > 5 ? ` and ${existing.length - 5} older` : '';
  return new PreconditionError(
    'NoInventoryDelivery',
    `${which} complete inventory delivery under ${where}${partial}`,
    date === 'latest'
      ? 'S3 delivers the first report up to 48 hours after setup-inventory: check --inventory and --id, or try again later'
      : existing.length > 0
        ? `deliveries there: ${shown}${more}; pass --date latest or one of their days`
        : 'there is no delivery there at all: check --inventory and --id, or pass --date latest later',
  );
}

/** --inventory and --id as given, and what was found near the folder they name. */
export interface DeliveryNeighbours {
  location: InventoryLocation;
  /** Folder names under PREFIX/SOURCE-BUCKET/: the ids of the configurations delivering there. */
  ids: readonly string[];
  /** --inventory without the source bucket (and id) it ended in (strippedInventory), when deliveries are there. */
  stripped?: InventoryLocation | undefined;
}

/**
 * --inventory that already ends in the source bucket (and the id), which S3 puts after the
 * destination prefix itself: the location it probably meant, or undefined.
 */
export function strippedInventory(loc: InventoryLocation): InventoryLocation | undefined {
  const parts = loc.prefix === '' ? [] : loc.prefix.split('/');
  const tail =
    parts.slice(-2).join('/') === `${loc.sourceBucket}/${loc.id}`
      ? 2
      : parts.at(-1) === loc.sourceBucket
        ? 1
        : 0;
  return tail === 0 ? undefined : { ...loc, prefix: parts.slice(0, parts.length - tail).join('/') };
}

/**
 * Nothing under PREFIX/SOURCE/ID/: a wrong --id (ids are case-sensitive) or an --inventory that
 * already ends in the source bucket is not "wait 48 hours"; the line names the fix. Other ids
 * alone do not prove --id wrong (a new configuration delivers within 48 hours), so the line
 * names both.
 */
function misplacedDelivery(where: string, around: DeliveryNeighbours): PreconditionError | undefined {
  const { location: loc, ids, stripped } = around;
  if (stripped) {
    return new PreconditionError(
      'NoInventoryDelivery',
      `no inventory delivery under ${where}: --inventory already ends in the source bucket, which S3 adds after the destination prefix itself`,
      `pass the destination prefix given to setup-inventory: --inventory s3://${stripped.bucket}${stripped.prefix ? `/${stripped.prefix}` : ''}`,
    );
  }
  if (ids.length === 0) return undefined;
  const parent = where.replace(/[^/]+\/$/, '');
  const sameButCase = ids.find((i) => i.toLowerCase() === loc.id.toLowerCase());
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
  return new PreconditionError(
    'NoInventoryDelivery',
    `no inventory configuration "${loc.id}" has delivered under ${parent} (found: ${shown})`,
    sameButCase
      ? `pass --id ${sameButCase} (inventory ids are case-sensitive)`
      : `pass one of them with --id; if "${loc.id}" was set up less than 48 hours ago, try again later`,
  );
}
