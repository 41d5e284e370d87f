import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas, typedNumber } from '../config/global.js';
import { verifyDelivery } from '../core/inventory/verify-delivery.js';
import { verifyBucket } from '../core/verify/verify-bucket.js';
import { verifySourceOf } from '../core/verify/verify-flags.js';
import {
  deliveryReportFacts,
  deliveryVerifyEvents,
  liveReportFacts,
  liveVerifyEvents,
  renderDeliverySummary,
  renderVerifySummary,
} from '../output/verify-render.js';
import { VerifyReport } from '../output/verify-report.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { checkInventorySource, inventorySourceSchemas } from './inventory-source.js';
import { addKeyOptions, keyFlags, offlineKey, resolveKey } from './key-options.js';

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  live: z.boolean().default(false),
  ...inventorySourceSchemas,
  since: z
    .string()
    .refine(
      (v) => !Number.isNaN(Date.parse(v)),
      'give an ISO date or time, e.g. 2026-05-03 or 2026-05-03T12:00Z',
    )
    .optional(),
  prefix: schemas.prefix,
  allVersions: z.boolean().default(false),
  concurrency: schemas.concurrency().optional(),
  maxRate: schemas.maxRate,
  requireBucketKey: z.boolean().default(false),
  showOffenders: schemas.objects(0, 50).default(50),
  allowEmpty: z.boolean().default(false),
  maxAge: typedNumber(
    z
      .number({ error: 'give hours, e.g. 48' })
      .int('must be a whole number of hours')
      .min(1, 'must be at least 1')
      .max(87600, 'must be at most 87600 (10 years)'),
  ).default(48),
  report: schemas.evidenceReport('verify.html'),
});

export function verifyCommand(run: Runner): Command {
  const cmd = new Command('verify')
    .description('prove that every object is SSE-KMS under your key; exit 0 only when all are compliant')
    .requiredOption('--bucket <name>', 'bucket to check');
  addKeyOptions(cmd)
    .option('--live', 'list the bucket and HEAD every object now')
    .option('--inventory <s3://DEST/PREFIX>', 'read the newest S3 Inventory delivery instead (with --id)')
    .option('--id <id>', 'inventory configuration id (with --inventory)')
    .option('--date <latest|YYYY-MM-DD>', 'with --inventory: which delivery (default: latest)')
    .option('--from-dir <dir>', 'read a delivery copied to disk instead (no AWS access)')
    .option(
      '--max-age <hours>',
      'with --inventory and --date latest: a newest delivery older than this proves nothing (exit 1): deliveries may have stopped (default: 48, a daily inventory and a day of grace; 192 for a weekly one)',
    )
    .option(
      '--since <time>',
      'with --inventory: warn if the delivery began before this time (your last encryption change)',
    )
    .option('--prefix <prefix>', 'only objects under this key prefix')
    .option('--all-versions', 'check noncurrent versions too (ListObjectVersions)')
    .option(
      '--concurrency <n>',
      'HEAD requests in flight at most (--live, default: found by the run, from 8 up to 256) or data files read at once (--inventory, default 4)',
    )
    .option(
      '--max-rate <objects/s>',
      'with --live: HEAD at most this many objects per second (a shared bucket)',
    )
    .option('--require-bucket-key', 'also flag SSE-KMS objects without an S3 Bucket Key')
    .option(
      '--show-offenders <n>',
      'offenders listed in human output (all of them with --json) (default: 50)',
    )
    .option('--allow-empty', 'exit 0 when no object matches (an empty bucket or prefix is expected)')
    .option(
      '--report <file.html>',
      'also write a self-contained HTML evidence report (whatever the verdict; lists the first --show-offenders, at most 1,000)',
    )
    .addHelpText(
      'after',
      `
With --inventory, an object is compliant when the inventory says SSE-KMS with an S3 Bucket Key (it
cannot say which key); noncurrent unencrypted versions are a warning unless --all-versions.

Exit 0 means: every listed object was seen SSE-KMS under the key (or proved deleted meanwhile),
and at least one object was examined (or --allow-empty). An object the store answered about
without proof (a bare 404/400/403, a 5xx after retries) is "unverified" and fails the run.

Exit codes: 0 proven compliant, 1 some objects need work or could not be verified, or none
matched, 2 bad input, 3 refused (rejected or expired credentials, no inventory delivery yet / a
damaged one), 4 service error, 130 interrupted.

Examples:
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --require-bucket-key --all-versions
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --json > offenders.jsonl   # CI
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --json --report evidence.html > records.jsonl
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --inventory s3://my-inventory/inv --id s3-encrypt
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --inventory s3://my-inventory/inv --id s3-encrypt --all-versions --since 2026-05-03T12:00Z`,
    )
    .action(run(verifyHandler));
  return cmd;
}

async function verifyHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const source = verifySourceOf(opts);
  if (source === 'inventory') checkInventorySource(opts);
  const out = ctx.out;
  const files = ctx.app.offline.evidence;
  const report = await VerifyReport.start({ out, files, cwd: ctx.app.cwd }, opts.report, opts.showOffenders);
  // The report names the caller as soon as the bucket is reached, before any object is read.
  const connect = async () => {
    const svc = await servicesForBucket(ctx, opts.bucket);
    const key = await resolveKey(ctx, svc, opts, svc.region);
    await report?.identify(svc.caller);
    return { key, svc };
  };
  if (source === 'live') {
    const run = await verifyBucket(
      { connect: async () => connect().then(({ key, svc }) => ({ key, objects: svc.objects })) },
      { ...opts, signal: ctx.app.signal, countAhead: out.interactive },
      liveVerifyEvents(out, opts),
    );
    renderVerifySummary(out, run, opts);
    await report?.write(liveReportFacts(opts, run));
    return run.exitCode;
  }
  const run = await verifyDelivery(
    {
      connect: async () =>
        connect().then(({ key, svc }) => ({
          key,
          inventory: svc.inventory,
          inventoryConfigurations: (bucket: string) => svc.bucketAudit.inventoryConfigurations(bucket),
        })),
      offlineKey: () => offlineKey(opts),
      dirDelivery: (dir) => ctx.app.offline.inventory.dirDelivery(dir),
    },
    { ...opts, signal: ctx.app.signal, now: () => new Date() },
    deliveryVerifyEvents(out, opts),
  );
  renderDeliverySummary(out, run, opts);
  await report?.write(deliveryReportFacts(opts, run));
  return run.exitCode;
}
