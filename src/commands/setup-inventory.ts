import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { ExitCode } from '../core/exit-codes.js';
import { DEFAULT_INVENTORY_ID } from '../core/inventory-config/inventory-config.js';
import { destinationOf } from '../core/inventory-config/destination-flag.js';
import { setupInventory } from '../core/inventory-config/setup-inventory.js';
import { renderSetupInventory } from '../output/setup-inventory-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';

const Options = z.object({
  bucket: schemas.bucket,
  destination: z.string({ error: 'required: name the bucket that receives the reports' }).min(1),
  destinationPrefix: z.string().optional(),
  destinationAccount: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .optional(),
  prefix: schemas.prefix,
  id: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'an inventory id is 1-64 letters, digits, dots, hyphens, underscores')
    .default(DEFAULT_INVENTORY_ID),
  versions: z.enum(['all', 'current'], { error: 'use all or current' }).default('all'),
  weekly: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export function setupInventoryCommand(run: Runner): Command {
  return new Command('setup-inventory')
    .description(
      'configure a daily CSV S3 Inventory of the bucket (every field the migration needs) and let S3 write it to the destination',
    )
    .requiredOption('--bucket <name>', 'bucket to inventory')
    .requiredOption(
      '--destination <bucket>',
      'bucket (same region) that receives the reports; also accepts s3://BUCKET/PREFIX',
    )
    .option('--destination-prefix <prefix>', 'key prefix for the reports in the destination')
    .option(
      '--destination-account <id>',
      'account that owns the destination (default: your account); another account must add the printed policy itself',
    )
    .option('--prefix <prefix>', 'only inventory objects under this key prefix')
    .option('--id <id>', `inventory configuration id (default: ${DEFAULT_INVENTORY_ID})`)
    .option('--versions <all|current>', 'all object versions, or current ones only (default: all)')
    .option('--weekly', 'weekly reports (Sundays) instead of daily')
    .option('--dry-run', 'print the configuration and the merged bucket policy; write nothing')
    .addHelpText(
      'after',
      `
Writes: the inventory configuration --id on --bucket (other configurations are kept) and one
statement in the destination's bucket policy (other statements are kept). Safe to run again.

Examples:
  $ s3-encrypt setup-inventory --bucket my-bucket --destination my-inventory --dry-run
  $ s3-encrypt setup-inventory --bucket my-bucket --destination s3://my-inventory/reports
  $ s3-encrypt setup-inventory --bucket my-bucket --destination my-bucket --destination-prefix _inventory --versions current`,
    )
    .action(run(setupInventoryHandler));
}

async function setupInventoryHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const { bucket: destinationBucket, prefix: destinationPrefix } = destinationOf(
    opts.destination,
    opts.destinationPrefix,
  );
  const svc = await servicesForBucket(ctx, opts.bucket);
  const result = await setupInventory(
    {
      inventory: svc.inventoryConfigs,
      policies: svc.bucketPolicies,
      encryption: svc.encryption,
      buckets: svc.buckets,
      keys: svc.keys,
      account: svc.account,
    },
    {
      sourceBucket: opts.bucket,
      sourceRegion: svc.region,
      id: opts.id,
      prefix: opts.prefix,
      versions: opts.versions === 'all' ? 'All' : 'Current',
      frequency: opts.weekly ? 'Weekly' : 'Daily',
      destinationBucket,
      destinationAccount: opts.destinationAccount,
      destinationPrefix,
      dryRun: opts.dryRun,
    },
  );
  renderSetupInventory(ctx.out, opts.bucket, destinationBucket, result);
  return ExitCode.OK;
}
