import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { ExitCode } from '../core/exit-codes.js';
import { runBuildManifest } from '../core/inventory/build-manifest-run.js';
import { buildManifestEvents, renderBuildManifest } from '../output/build-manifest-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { checkInventorySource, inventorySourceSchemas } from './inventory-source.js';
import { addKeyOptions, keyFlags, offlineKey, resolveKey } from './key-options.js';

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  ...inventorySourceSchemas,
  manifestPrefix: z.string().optional(),
  out: z.string().min(1).optional(),
  engine: z.enum(['local', 'select'], { error: 'use local (default) or select' }).default('local'),
  concurrency: schemas.concurrency(64).default(4),
  dryRun: z.boolean().default(false),
});

export function buildManifestCommand(run: Runner): Command {
  const cmd = new Command('build-manifest')
    .description(
      'turn the newest S3 Inventory delivery into S3 Batch Operations manifests (copy per storage class, update-encryption, large, archived) and summary.json',
    )
    .requiredOption('--bucket <name>', 'the source bucket the inventory lists')
    .option(
      '--inventory <s3://DEST/PREFIX>',
      'inventory destination bucket and prefix (as in setup-inventory)',
    )
    .option('--id <id>', 'inventory configuration id')
    .option(
      '--date <latest|YYYY-MM-DD>',
      'which delivery: the newest, or the newest of a day (default: latest)',
    );
  addKeyOptions(cmd)
    .option(
      '--manifest-prefix <s3://BUCKET/PREFIX>',
      'upload to s3://BUCKET/PREFIX/<delivery>/ instead of <inventory prefix>/BUCKET/ID/s3-encrypt/<delivery>/',
    )
    .option('--out <dir>', 'write the manifests and summary.json to this directory instead of uploading them')
    .option(
      '--from-dir <dir>',
      'read a delivery copied to disk (its manifest.json); with --out, no AWS access at all',
    )
    .option(
      '--engine <local|select>',
      'read data files with GetObject+gunzip (local) or S3 Select (default: local)',
    )
    .option('--concurrency <n>', 'data files read at once (default: 4)')
    .option('--dry-run', 'read and count everything, print what would be written, upload nothing')
    .addHelpText(
      'after',
      `
Manifests are S3 Batch Operations CSV (no header, bucket,key[,versionId], keys URL-encoded), uploaded
with SSE-S3 (Batch cannot read SSE-KMS manifests). Nothing is uploaded unless every data file
parsed and matched its MD5. SSE-KMS objects with an S3 Bucket Key are left alone as compliant:
the inventory does not say which key they use (verify --live checks the key).

Exit codes: 0 done, 2 bad flags or foreign inventory, 3 no delivery yet / damaged or unsupported
delivery / S3 Select unavailable, 4 service error, 130 interrupted.

Examples:
  $ s3-encrypt build-manifest --bucket my-bucket --inventory s3://my-inventory/inv --id s3-encrypt --kms-key alias/my-app
  $ s3-encrypt build-manifest --bucket my-bucket --inventory s3://my-inventory/inv --id s3-encrypt --kms-key alias/my-app --date 2026-05-03 --dry-run
  $ s3-encrypt build-manifest --bucket my-bucket --from-dir ./delivery --out ./manifests --kms-key arn:aws:kms:...:key/...`,
    )
    .action(run(buildManifestHandler));
  return cmd;
}

async function buildManifestHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  checkInventorySource(opts);
  const result = await runBuildManifest(
    {
      outDir: (path) => ctx.app.offline.paths.outDir(path),
      connect: async () => {
        const svc = await servicesForBucket(ctx, opts.bucket);
        return { key: await resolveKey(ctx, svc, opts, svc.region), inventory: svc.inventory };
      },
      offlineKey: () => offlineKey(opts),
      offline: ctx.app.offline.inventory,
    },
    { ...opts, signal: ctx.app.signal, now: () => new Date() },
    buildManifestEvents(ctx.out, opts),
  );
  renderBuildManifest(ctx.out, result, opts);
  return ExitCode.OK;
}
