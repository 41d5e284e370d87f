import { z } from 'zod';
import { PRICE_IDS, type PriceId } from '../../core/cost/prices.js';
import { InventoryStats } from './build-manifest.js';

/** plan --json: one document (render() in src/commands/plan.ts). */

const Status = z.enum(['PASS', 'WARN', 'FAIL']);
const PriceStatus = z
  .enum(['confirmed', 'secondary', 'unconfirmed', 'assumption', 'override'])
  .describe(
    'confirmed: read on an AWS page; secondary: a third-party page quoting it; unconfirmed: remembered; assumption: no price found; override: from --prices',
  );

const Check = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .describe('stable id of the check, e.g. versioning, key-state, object-acls'),
    status: Status.describe(
      'PASS: nothing to do; WARN: works, read the advice first; FAIL: the migration would break something',
    ),
    title: z.string().describe('what was checked'),
    detail: z.string().describe('what was found'),
    advice: z.string().describe('what to do about it, in one line'),
  })
  .describe('one line of the preflight checklist');

const Counts = (what: string) =>
  z
    .strictObject({
      source: z
        .enum(['inventory', 'summary', 'listing'])
        .describe(
          'where the counts come from: an inventory delivery, a build-manifest summary.json (--summary), or a listing',
        ),
      label: z.string().describe('which delivery, summary or listing, in words'),
      partial: z.boolean().describe('the listing stopped at --max-list: the counts are lower bounds'),
      stats: InventoryStats,
      warnings: z.array(z.string()).describe('what limits the counts'),
    })
    .describe(what);

const CostLine = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .describe('stable id of the line, e.g. batch-jobs, copy-requests, kms-bucket-key'),
    item: z.string().describe('what is paid for'),
    quantity: z.number().nonnegative().describe('how many units'),
    unit: z.string().describe('the unit priced'),
    price: z.enum(PRICE_IDS as unknown as [PriceId, ...PriceId[]]).describe('which price of the table'),
    unitUsd: z.number().nonnegative().describe('dollars per `per` units'),
    per: z.number().positive().describe('units the price is for'),
    priceStatus: PriceStatus,
    usd: z.number().nonnegative().describe("the line's cost in dollars"),
    inTotal: z
      .boolean()
      .describe('false for the comparison line (KMS without Bucket Keys), which is not in the total'),
    note: z.string().optional().describe('how the quantity was reckoned'),
  })
  .describe('one line of the estimate');

const Price = z
  .strictObject({
    usd: z.number().nonnegative().describe('dollars per `per` units'),
    per: z.number().positive().describe('units the price is for'),
    unit: z.string().describe('the unit'),
    status: PriceStatus,
    source: z.string().describe('where the figure was taken from'),
  })
  .describe('one price');

export const PlanDocument = z
  .strictObject({
    bucket: z.string().describe('the bucket'),
    region: z.string().describe("the bucket's region"),
    kmsKey: z.string().describe('the target key: its ARN when DescribeKey answered, else as given'),
    status: Status.describe('the worst check: FAIL (exit 3), WARN or PASS'),
    checks: z.array(Check).describe('the preflight checklist, in order'),
    inventory: Counts(
      'object counts from an inventory delivery or a summary.json (--inventory / --summary)',
    ).optional(),
    listing: Counts('object counts from a listing of the bucket (no inventory given)').optional(),
    cost: z
      .strictObject({
        basis: z
          .enum(['manifests', 'inventory', 'listing'])
          .describe('what the workload was counted from (listing: a sample, an upper bound)'),
        partial: z.boolean().describe('the counts are partial'),
        region: z.string().describe('the region whose prices were used'),
        pricesTakenOn: z.string().describe('when the prices were taken (YYYY-MM-DD)'),
        lines: z.array(CostLine).describe('the estimate, line by line'),
        totalUsd: z.number().nonnegative().describe('the sum of the lines in the total, in dollars'),
        notes: z.array(z.string()).describe('what the estimate assumes'),
      })
      .describe('the cost estimate of the migration'),
    prices: z
      .strictObject({
        region: z.string().describe('the region of the table'),
        takenOn: z.string().describe('when the figures were taken (YYYY-MM-DD)'),
        prices: z
          .strictObject(
            Object.fromEntries(PRICE_IDS.map((id) => [id, Price])) as Record<PriceId, typeof Price>,
          )
          .describe('every price, by id'),
      })
      .describe('the price table used (defaults, with --prices overrides)'),
    next: z.array(z.string()).describe('the commands to run next, in order'),
  })
  .describe('plan --json: the preflight checklist, object counts, cost estimate and next commands.');
export type PlanDocument = z.infer<typeof PlanDocument>;
