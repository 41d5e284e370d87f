import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas, typedNumber } from '../config/global.js';
import { preflight } from '../core/plan/preflight.js';
import { DEFAULT_ROLE_NAME } from '../core/policy/documents.js';
import { preflightEvents, renderPlan } from '../output/plan-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { inventorySourceSchemas } from './inventory-source.js';
import { bucketKeyCommand, keyFlags } from './key-options.js';

const count = (what: string) =>
  typedNumber(
    z
      .number({ error: `must be a number of ${what}` })
      .int('must be a whole number')
      .min(0, 'must be 0 or more'),
  );

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  inventory: inventorySourceSchemas.inventory,
  id: inventorySourceSchemas.id,
  summary: z.string().min(1).optional(),
  prices: z.string().min(1).optional(),
  aclSample: count('objects').default(100),
  maxList: count('objects').default(100_000),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .optional(),
  roleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name is 1-64 letters, digits and +=,.@_-')
    .default(DEFAULT_ROLE_NAME),
});

export function planCommand(run: Runner): Command {
  return bucketKeyCommand(
    'plan',
    'read-only preflight: PASS/WARN/FAIL checklist, object counts, cost estimate and the next commands',
    'bucket to migrate',
  )
    .option('--inventory <s3://DEST/PREFIX>', 'count objects from the latest inventory delivery (with --id)')
    .option('--id <id>', 'inventory configuration id (with --inventory)')
    .option('--summary <file>', "count objects from build-manifest's summary.json instead")
    .option(
      '--prices <file>',
      'JSON price overrides: {"region":..., "takenOn":..., "prices":{"putRequest":0.0054, ...}}',
    )
    .option('--acl-sample <n>', 'objects whose ACL is read when ACLs are enabled (default: 100)')
    .option(
      '--max-list <n>',
      'without an inventory: list at most this many objects for the counts (default: 100000)',
    )
    .option('--account-id <id>', "the bucket owner's account (default: STS GetCallerIdentity)")
    .option('--role-name <name>', `Batch role name used in the next commands (default: ${DEFAULT_ROLE_NAME})`)
    .addHelpText(
      'after',
      `
Writes nothing. Exit codes: 0 no FAIL (WARN lines are advice), 3 at least one FAIL, 2 bad input.
Without --inventory/--summary the counts come from a live listing (partial beyond --max-list), and
every listed object is priced as a copy (an upper bound: encryption is unknown without an inventory).

Examples:
  $ s3-encrypt plan --bucket my-bucket --kms-key alias/my-app
  $ s3-encrypt plan --bucket my-bucket --kms-key alias/my-app --inventory s3://my-inventory/inv --id s3-encrypt
  $ s3-encrypt plan --bucket my-bucket --kms-key alias/my-app --prices eu-prices.json --json > plan.json`,
    )
    .action(run(planHandler));
}

async function planHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const out = ctx.out;
  const { plan, prices, exitCode } = await preflight(
    {
      // The services before the bucket is looked up: reading a local file sends nothing.
      files: async () => (await ctx.app.services(ctx.global)).files,
      connect: async () => {
        const svc = await servicesForBucket(ctx, opts.bucket);
        return {
          region: svc.region,
          account: svc.account,
          inventory: svc.inventory,
          keys: svc.keys,
          keyAudit: svc.keyAudit,
          keysIn: async (region) => {
            const other = await ctx.app.services({ ...ctx.global, region });
            return { keys: other.keys, keyAudit: other.keyAudit };
          },
          audit: svc.bucketAudit,
          encryption: svc.encryption,
          bucketPolicy: (b) => svc.bucketPolicies.get(b),
          objects: svc.objects,
        };
      },
    },
    { ...opts, signal: ctx.app.signal },
    preflightEvents(out),
  );
  out.clearProgress();
  renderPlan(out, plan, prices);
  return exitCode;
}
