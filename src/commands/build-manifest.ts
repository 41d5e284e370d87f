import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import {
  buildManifests,
  deliveryDestination,
  type BuildResult,
  type ManifestDestination,
} from '../core/inventory/build-manifests.js';
import { parseInventoryUrl } from '../core/inventory/location.js';
import type { DeliveryReader } from '../core/inventory/ports.js';
import type { ResolvedKey } from '../core/kms/key.js';
import { formatBytes, formatCount, table } from '../output/format.js';
import type { Output } from '../output/output.js';
import { inventoryProgress } from '../output/live-progress.js';
import type { Services } from '../deps.js';
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
  concurrency: schemas.concurrency.max(64, 'must be at most 64').default(4),
  dryRun: z.boolean().default(false),
});
type Options = z.infer<typeof Options>;

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
    .option('--date <latest|YYYY-MM-DD>', 'which delivery: the newest, or the newest of a day', 'latest');
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
    .addOption(
      new Option(
        '--engine <local|select>',
        'read data files with GetObject+gunzip (local) or S3 Select',
      ).default('local'),
    )
    .option('--concurrency <n>', 'data files read at once', '4')
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

export async function buildManifestHandler(
  raw: Record<string, unknown>,
  ctx: CommandContext,
): Promise<number> {
  const opts = parseOptions(Options, raw);
  checkInventorySource(opts);
  const inv = opts.inventory !== undefined ? parseInventoryUrl(opts.inventory, '--inventory') : undefined;
  const prefixOverride =
    opts.manifestPrefix !== undefined
      ? parseInventoryUrl(opts.manifestPrefix, '--manifest-prefix')
      : undefined;
  if (opts.out !== undefined && prefixOverride)
    throw new UsageError(
      '--out and --manifest-prefix both say where to write',
      'give only one',
      'ConflictingOptions',
    );
  if (opts.fromDir !== undefined && opts.engine === 'select')
    throw new UsageError(
      '--engine select reads from S3, not --from-dir',
      'drop --engine select',
      'ConflictingOptions',
    );
  if (opts.fromDir !== undefined && opts.out === undefined && !prefixOverride)
    throw new UsageError(
      '--from-dir has nowhere to write the manifests',
      'add --out DIR (no AWS needed) or --manifest-prefix s3://BUCKET/PREFIX',
      'MissingOption',
    );

  // A bad --out is refused before the first request (the directory is made later, by the writer).
  if (opts.out !== undefined) await ctx.app.offline.paths.outDir(opts.out);
  // --from-dir with --out must work with no credentials and no network: no S3, no KMS.
  const offline = opts.fromDir !== undefined && opts.out !== undefined;
  const svc = offline ? undefined : await servicesForBucket(ctx, opts.bucket);
  const aws = (): Services => {
    if (!svc) throw new Error('unreachable: an offline run reached for AWS');
    return svc;
  };
  let key: ResolvedKey;
  if (!svc) {
    key = offlineKey(opts);
    if (!opts.skipKeyCheck)
      ctx.out.debug('offline (--from-dir with --out): --kms-key is recorded as given; create-job checks it');
  } else {
    key = await resolveKey(ctx, svc, opts, svc.region);
  }

  const reader: DeliveryReader =
    inv && opts.id !== undefined
      ? aws().inventory.s3Delivery({ ...inv, sourceBucket: opts.bucket, id: opts.id }, opts.engine)
      : ctx.app.offline.inventory.dirDelivery(opts.fromDir ?? '');
  let destination: ManifestDestination;
  if (opts.out !== undefined) destination = { kind: 'local' };
  else if (prefixOverride)
    destination = {
      kind: 's3',
      bucket: prefixOverride.bucket,
      prefixFor: (folder) => [prefixOverride.prefix, folder].filter((p) => p !== '').join('/'),
      uploader: aws().inventory.uploader,
    };
  else if (inv && opts.id !== undefined)
    destination = deliveryDestination(
      { ...inv, sourceBucket: opts.bucket, id: opts.id },
      aws().inventory.uploader,
    );
  else throw new Error('unreachable: no destination');

  if (opts.engine === 'select')
    ctx.out.warn(
      '--engine select: S3 reads the data files, so their MD5 checksums and field counts are not checked here (the default engine checks both)',
    );
  const writer = ctx.app.offline.inventory.manifestWriter({ dir: opts.out, keep: !opts.dryRun });
  ctx.out.say(`Reading the inventory of ${opts.bucket} from ${reader.where} ...`);
  const started = Date.now();
  const progress = inventoryProgress(ctx.out);
  progress.live.start();
  const result = await buildManifests(reader, writer, {
    bucket: opts.bucket,
    kmsKey: key.id,
    date: opts.date,
    concurrency: opts.concurrency,
    dryRun: opts.dryRun,
    destination,
    now: () => new Date(),
    signal: ctx.app.signal,
    onProgress: progress.onProgress,
  }).finally(() => progress.live.stop());
  for (const w of result.warnings) ctx.out.warn(w);
  render(ctx.out, result, opts, (Date.now() - started) / 1000);
  return ExitCode.OK;
}

function render(out: Output, r: BuildResult, opts: Options, seconds: number): void {
  const s = r.summary;
  const lines: string[] = [];
  lines.push(
    `Delivery ${r.delivery.date} (${r.delivery.manifest}): ${formatCount(r.delivery.files)} data files, ${formatCount(r.rows)} rows in ${seconds.toFixed(1)}s`,
  );
  lines.push('');
  const rows = [['manifest', 'objects', 'bytes', r.dryRun ? 'would be written to' : 'location']];
  for (const m of s.manifests) rows.push([m.name, formatCount(m.objects), formatBytes(m.bytes), m.location]);
  if (s.manifests.length === 0) rows.push(['(none)', '0', '0 B', 'nothing to re-encrypt']);
  lines.push(table(rows));
  lines.push('');
  const left = s.leftAlone;
  const leftText = Object.entries(left)
    .map(([k, v]) => `${k} ${formatCount(v.objects)}`)
    .join(', ');
  lines.push(`Left alone (current objects): ${leftText}.`);
  if ((left.compliant?.objects ?? 0) > 0)
    lines.push(
      '  "compliant" = SSE-KMS with an S3 Bucket Key. The inventory does not say which KMS key: verify --live checks that.',
    );
  if ((left['SSE-C']?.objects ?? 0) > 0 || (left['DSSE-KMS']?.objects ?? 0) > 0)
    lines.push(
      '  SSE-C and DSSE-KMS objects cannot be re-encrypted by Batch copy or UpdateObjectEncryption.',
    );
  const nc = s.stats.noncurrentUnencrypted;
  if (s.stats.noncurrent.objects > 0)
    lines.push(
      `Noncurrent versions: ${formatCount(s.stats.noncurrent.objects)} (${formatCount(nc.objects)} unencrypted, ${formatBytes(nc.bytes)}); no manifest includes them.`,
    );
  lines.push('');
  if (r.dryRun) {
    lines.push(`Dry run: nothing was uploaded or written. summary.json would be ${r.summaryLocation}.`);
  } else {
    lines.push(`Summary: ${r.summaryLocation}`);
    const jobs = s.manifests.filter((m) => m.group === 'copy' || m.group === 'update-encryption');
    if (jobs.length > 0)
      lines.push(
        `Next: s3-encrypt create-job --summary ${r.summaryLocation} --bucket ${opts.bucket} --kms-key ${opts.kmsKey} --role-arn ROLE_ARN --report s3://REPORT-BUCKET/PREFIX`,
      );
    if (s.manifests.some((m) => m.group === 'large'))
      lines.push(`Large objects (> 5 GiB): s3-encrypt encrypt --manifest <large.csv> (multipart copy).`);
  }
  out.result(s, lines.join('\n'));
}
