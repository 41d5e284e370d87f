import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { DEFAULT_INVENTORY_ID } from '../core/inventory-config/inventory-config.js';
import { setupInventory, type SetupInventoryResult } from '../core/inventory-config/setup-inventory.js';
import { cleanPrefix, isS3Uri, parseS3Uri } from '../core/s3-uri.js';
import type { Output } from '../output/output.js';
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
    .option('--id <id>', 'inventory configuration id', DEFAULT_INVENTORY_ID)
    .option('--versions <all|current>', 'all object versions, or current ones only', 'all')
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

export async function setupInventoryHandler(
  raw: Record<string, unknown>,
  ctx: CommandContext,
): Promise<number> {
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
  render(ctx.out, opts.bucket, destinationBucket, result);
  return ExitCode.OK;
}

function destinationOf(value: string, prefixFlag: string | undefined): { bucket: string; prefix: string } {
  if (isS3Uri(value)) {
    const loc = parseS3Uri(value, '--destination');
    if (loc.key && prefixFlag !== undefined) {
      throw new UsageError(
        '--destination names a prefix and --destination-prefix gives another',
        'give the prefix once: --destination s3://BUCKET/PREFIX or --destination BUCKET --destination-prefix PREFIX',
        'ConflictingOptions',
      );
    }
    return { bucket: loc.bucket, prefix: cleanPrefix(loc.key || prefixFlag) };
  }
  const bucket = schemas.bucket.safeParse(value);
  if (!bucket.success) {
    throw new UsageError(
      `invalid --destination "${value}"`,
      'give a bucket name, or s3://BUCKET/PREFIX',
      'InvalidOption',
    );
  }
  return { bucket: bucket.data, prefix: cleanPrefix(prefixFlag) };
}

function render(out: Output, source: string, destination: string, r: SetupInventoryResult): void {
  const enc = r.destinationEncryption;
  if (destination === source && !r.config.Filter?.Prefix)
    out.warn(
      `the reports land in ${source} itself, so each inventory lists earlier reports too (and build-manifest will plan work for them); a separate destination bucket keeps them apart`,
    );
  if (enc?.kind === 'customer-key' || enc?.kind === 'unknown-key') {
    out.warn(
      `${destination} encrypts new objects with KMS key ${enc.keyId}${enc.kind === 'unknown-key' ? ` (not checked: ${enc.reason})` : ''}; S3 can deliver reports only if that key's policy has this statement:\n${JSON.stringify(enc.keyPolicyStatement, null, 2)}`,
    );
  }
  if (r.policy.outcome === 'skipped') {
    out.warn(
      `${destination} belongs to another account: its owner must add this statement to its bucket policy:\n${JSON.stringify(r.policy.statement, null, 2)}`,
    );
  }
  const value = {
    bucket: source,
    id: r.config.Id,
    location: r.location,
    dryRun: r.dryRun,
    configuration: { outcome: r.configOutcome, changes: r.configChanges, config: r.config },
    destinationPolicy:
      r.policy.outcome === 'skipped'
        ? { outcome: 'skipped', statement: r.policy.statement }
        : { outcome: r.policy.outcome, statement: r.policy.statement, policy: r.policy.document },
    destinationEncryption: enc ?? null,
    firstReportWithinHours: 48,
  };
  out.result(value, human(source, destination, r));
}

function human(source: string, destination: string, r: SetupInventoryResult): string {
  const lines = [`Inventory "${r.config.Id}" of ${source} -> ${r.location}`];
  const planned = r.dryRun && r.changed;
  const verb = (done: string, would: string) => (planned ? would : done);
  if (r.configOutcome === 'unchanged') lines.push('  configuration: already in place');
  else if (r.configOutcome === 'created')
    lines.push(`  configuration: ${verb('created', 'would be created')}`);
  else {
    lines.push(`  configuration: ${verb('updated', 'would be updated')} (other configurations are kept)`);
    for (const c of r.configChanges) {
      lines.push(`    - ${c.field}: ${c.before ?? '(none)'}`);
      lines.push(`    + ${c.field}: ${c.after ?? '(none)'}`);
    }
  }
  const p = r.policy;
  if (p.outcome === 'skipped') lines.push(`  bucket policy of ${destination}: not touched (another account)`);
  else if (p.outcome === 'unchanged')
    lines.push(`  bucket policy of ${destination}: statement ${p.statement.Sid} already in place`);
  else
    lines.push(
      `  bucket policy of ${destination}: statement ${p.statement.Sid} ${p.outcome === 'added' ? verb('added', 'would be added') : verb('updated', 'would be updated')} (other statements are kept)`,
    );
  if (r.dryRun) {
    lines.push('', 'PutBucketInventoryConfiguration:', JSON.stringify(r.config, null, 2));
    if (p.outcome !== 'skipped') {
      lines.push(
        '',
        `PutBucketPolicy on ${destination}${p.outcome === 'unchanged' ? ' (unchanged, not sent)' : ''}:`,
      );
      lines.push(JSON.stringify(p.document, null, 2));
    }
    lines.push(
      '',
      r.changed
        ? 'Dry run: nothing was changed. Run again without --dry-run to apply.'
        : 'Already in place: nothing to change.',
    );
    return lines.join('\n');
  }
  if (!r.changed) {
    lines.push('Already in place: nothing to change.');
  } else {
    lines.push(
      `Applied and read back. The first report can take up to 48 hours (then ${r.config.Schedule.Frequency === 'Weekly' ? 'every Sunday' : 'daily'}); it lands in ${r.location}<YYYY-MM-DDTHH-MMZ>/manifest.json.`,
    );
  }
  lines.push("Next: when the first manifest.json is there, run 's3-encrypt build-manifest'.");
  return lines.join('\n');
}
