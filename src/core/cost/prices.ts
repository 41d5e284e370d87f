import { z } from 'zod';
import { UsageError } from '../errors.js';

/**
 * The one price table. Figures are us-east-1 list prices as recorded in the project's AWS facts
 * (aws-facts.md section 2.8) on the date below; none was read from the live AWS pricing page, so
 * each carries its source and how sure we are. Other regions and later price changes: pass
 * `--prices FILE` (a partial override, see PricesFile).
 */
export const PRICE_IDS = [
  'batchJob',
  'batchObject',
  'putRequest',
  'updateObjectEncryptionRequest',
  'kmsRequest',
  'storageGbMonth',
  'inventoryObjectsListed',
] as const;
export type PriceId = (typeof PRICE_IDS)[number];

/** confirmed: read on an AWS page; secondary: a third-party page quoting it; unconfirmed: remembered; assumption: no price found. */
export type PriceStatus = 'confirmed' | 'secondary' | 'unconfirmed' | 'assumption' | 'override';

export interface Price {
  /** Dollars per `per` units. */
  usd: number;
  per: number;
  unit: string;
  status: PriceStatus;
  source: string;
}

export interface PriceTable {
  region: string;
  /** When the figures were taken (YYYY-MM-DD). */
  takenOn: string;
  prices: Record<PriceId, Price>;
}

const S3_PRICING = 'https://aws.amazon.com/s3/pricing/';

export const DEFAULT_PRICES: PriceTable = {
  region: 'us-east-1',
  takenOn: '2026-11-30',
  prices: {
    batchJob: {
      usd: 0.25,
      per: 1,
      unit: 'job',
      status: 'secondary',
      source: 'Yelp 2025 write-up via https://sysdesign-wiki.pages.dev/systems/s3-batch-operations/',
    },
    batchObject: {
      usd: 1.0,
      per: 1_000_000,
      unit: 'objects',
      status: 'unconfirmed',
      source: `S3 pricing page as remembered, not re-read: ${S3_PRICING}`,
    },
    putRequest: {
      usd: 0.005,
      per: 1_000,
      unit: 'requests',
      status: 'secondary',
      source: 'cloudoptimo.com S3 pricing article',
    },
    updateObjectEncryptionRequest: {
      usd: 0.005,
      per: 1_000,
      unit: 'requests',
      status: 'assumption',
      source: 'no published price found: assumed to be a PUT-class request',
    },
    kmsRequest: {
      usd: 0.03,
      per: 10_000,
      unit: 'requests',
      status: 'secondary',
      source: 'Ningendo7/cloudctl-operator release notes (KMS symmetric requests)',
    },
    storageGbMonth: {
      usd: 0.023,
      per: 1,
      unit: 'GB-month',
      status: 'unconfirmed',
      source: `S3 pricing page as remembered, not re-read: ${S3_PRICING}`,
    },
    inventoryObjectsListed: {
      usd: 0.0025,
      per: 1_000_000,
      unit: 'objects listed',
      status: 'secondary',
      source: 'cloudoptimo.com S3 pricing article; AWS Storage Blog quotes $0.25 per 100M',
    },
  },
};

const PriceOverride = z.union([
  z.number().nonnegative('a price cannot be negative'),
  z.strictObject({
    usd: z.number().nonnegative('a price cannot be negative'),
    per: z.number().positive('per must be a positive count').optional(),
    source: z.string().optional(),
  }),
]);

/**
 * The --prices file: any subset of the table. A bare number replaces `usd` and keeps `per`:
 * `{"region":"eu-west-1","takenOn":"2027-01-05","prices":{"putRequest":0.0054,"kmsRequest":{"usd":0.03,"per":10000}}}`
 */
const PricesFile = z.strictObject({
  region: z.string().min(1).optional(),
  takenOn: z.string().min(1).optional(),
  prices: z
    .strictObject(Object.fromEntries(PRICE_IDS.map((id) => [id, PriceOverride.optional()])))
    .optional(),
});

/** Apply a parsed --prices file over the table; any problem is one UsageError naming the field. */
export function applyPriceOverrides(table: PriceTable, raw: unknown, file: string): PriceTable {
  const parsed = PricesFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(top level)';
    throw new UsageError(
      `invalid --prices file ${file}: ${path}: ${issue?.message ?? 'invalid'}`,
      `allowed keys: region, takenOn, prices.{${PRICE_IDS.join(',')}} with a number or {usd, per, source}`,
      'InvalidPrices',
    );
  }
  const f = parsed.data;
  const prices = { ...table.prices };
  for (const id of PRICE_IDS) {
    const o = f.prices?.[id];
    if (o === undefined) continue;
    const base = prices[id];
    prices[id] =
      typeof o === 'number'
        ? { ...base, usd: o, status: 'override', source: file }
        : { ...base, usd: o.usd, per: o.per ?? base.per, status: 'override', source: o.source ?? file };
  }
  return { region: f.region ?? table.region, takenOn: f.takenOn ?? table.takenOn, prices };
}

/** Dollars for `quantity` units at `price`. */
export function priceOf(price: Price, quantity: number): number {
  return (quantity / price.per) * price.usd;
}
