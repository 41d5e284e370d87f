import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas, typedNumber } from '../config/global.js';
import { checkCreateJobFlags } from '../core/batch/create-job-flags.js';
import { createJobs } from '../core/batch/create-jobs.js';
import { readLocalSummary } from '../core/batch/job-drafts.js';
import { ExitCode } from '../core/exit-codes.js';
import {
  renderAllCreated,
  renderCreateJobsResult,
  renderJobCreated,
  renderJobsReady,
} from '../output/create-job-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { inventorySourceSchemas } from './inventory-source.js';
import { addKeyOptions, keyFlags, resolveKey } from './key-options.js';

const Options = z.object({
  summary: z.string().optional(),
  manifest: z.string().optional(),
  generateManifest: z.boolean().default(false),
  inventory: inventorySourceSchemas.inventory,
  id: inventorySourceSchemas.id,
  // Not inventorySourceSchemas.date: checked by parseDeliveryDate (in checkCreateJobFlags), whose
  // one line says how to list the deliveries; no value means the latest.
  date: z.string().optional(),
  group: z.enum(['copy', 'update-encryption'], { error: 'use copy or update-encryption' }).optional(),
  storageClass: z
    .string()
    .regex(/^[A-Z_]+$/, 'a storage class such as STANDARD or STANDARD_IA')
    .optional(),
  bucket: schemas.bucket,
  ...keyFlags,
  roleArn: z.string({ error: 'required: the IAM role Batch Operations assumes' }),
  report: z.string({ error: 'required: where Batch writes the completion report' }),
  priority: typedNumber(
    z
      .number({ error: 'give a whole number, e.g. 10' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(2147483647, 'must be at most 2147483647'),
  ).default(10),
  prefix: schemas.prefix,
  allowVersioned: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export function createJobCommand(run: Runner): Command {
  const cmd = new Command('create-job')
    .description(
      "start S3 Batch Operations jobs that re-encrypt the objects in build-manifest's manifests (copy, or update in place)",
    )
    .option(
      '--summary <file|s3://...>',
      "build-manifest's summary.json: one job per copy / update-encryption manifest",
    )
    .option('--manifest <s3://BUCKET/KEY,ETAG>', 'one Batch CSV manifest instead of a summary')
    .option(
      '--generate-manifest',
      'let Batch list the objects itself (no inventory wait): NOT-SSE objects of one --storage-class (copy) and SSE-S3 objects (update in place)',
    )
    .option(
      '--inventory <s3://DEST/PREFIX>',
      'with --id: build the manifests of an inventory delivery (as build-manifest does, uploaded next to it), then create the jobs',
    )
    .option('--id <id>', 'with --inventory: the inventory configuration id')
    .option(
      '--date <latest|YYYY-MM-DD>',
      'with --inventory: which delivery, the newest or the newest of a day (default: latest)',
    )
    .option('--group <copy|update-encryption>', 'what the job does: copy in place, or UpdateObjectEncryption')
    .option('--storage-class <class>', 'storage class of the objects a copy job writes (one class per job)')
    .requiredOption('--bucket <name>', 'the bucket whose objects are re-encrypted');
  // --skip-key-check is refused (Batch needs the key ARN only DescribeKey gives): not in --help.
  return addKeyOptions(cmd, true, true)
    .requiredOption(
      '--role-arn <arn>',
      'IAM role S3 Batch Operations assumes (arn:aws:iam::ACCOUNT:role/NAME)',
    )
    .requiredOption('--report <s3://BUCKET/PREFIX>', 'where Batch writes completion reports (failed tasks)')
    .option('--priority <n>', 'job priority, higher runs first (default: 10)')
    .option('--prefix <prefix>', 'with --generate-manifest: only keys under this prefix')
    .option(
      '--allow-versioned',
      'with --generate-manifest: allow a copy job on a versioned bucket (see the warning it prints)',
    )
    .option('--dry-run', 'print the exact CreateJob requests as JSON; create nothing')
    .addHelpText(
      'after',
      `
Every run first checks that the bucket's default encryption is SSE-KMS under --kms-key with S3
Bucket Keys (set it with enable-sse): copy jobs take their encryption from it.

Jobs are created with ConfirmationRequired=false and a ClientRequestToken derived from the account,
region, operation, manifest (ARN + ETag), key and storage class: running the same command again
never starts a second job on the same manifest.

Examples:
  $ s3-encrypt create-job --inventory s3://my-inventory/inv --id s3-encrypt --date latest --bucket my-bucket \\
      --kms-key alias/my-app --role-arn arn:aws:iam::111122223333:role/s3-encrypt-batch --report s3://my-reports/batch
  $ s3-encrypt create-job --summary summary.json --bucket my-bucket --kms-key alias/my-app \\
      --role-arn arn:aws:iam::111122223333:role/s3-encrypt-batch --report s3://my-reports/batch --dry-run
  $ s3-encrypt create-job --manifest s3://my-reports/manifests/copy-STANDARD.csv,3858f62230ac3c915f300c664312c11f \\
      --group copy --storage-class STANDARD --bucket my-bucket --kms-key alias/my-app \\
      --role-arn arn:aws:iam::111122223333:role/s3-encrypt-batch --report s3://my-reports/batch
  $ s3-encrypt create-job --generate-manifest --storage-class STANDARD --bucket my-bucket --kms-key alias/my-app \\
      --role-arn arn:aws:iam::111122223333:role/s3-encrypt-batch --report s3://my-reports/batch`,
    )
    .action(run(createJobHandler));
}

async function createJobHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const flags = parseOptions(Options, raw);
  const checked = checkCreateJobFlags(flags);
  // The services before the bucket is looked up: reading a local file sends nothing.
  const summary = await readLocalSummary(
    async () => (await ctx.app.services(ctx.global)).batchFiles,
    flags,
    ctx.app.cwd,
  );
  const svc = await servicesForBucket(ctx, flags.bucket);
  const key = await resolveKey(
    ctx,
    svc,
    { kmsKey: flags.kmsKey, allowAwsManagedKey: flags.allowAwsManagedKey },
    svc.region,
  );
  const out = ctx.out;
  const result = await createJobs(
    {
      encryption: svc.encryption,
      keys: svc.keys,
      account: svc.account,
      buckets: svc.buckets,
      batchJobs: svc.batchJobs,
      batchFiles: svc.batchFiles,
      inventory: svc.inventory,
      offlineInventory: ctx.app.offline.inventory,
      sha256Hex: ctx.app.offline.digests.sha256Hex,
    },
    {
      flags,
      checked,
      key,
      region: svc.region,
      cwd: ctx.app.cwd,
      summary,
      now: () => new Date(),
      signal: ctx.app.signal,
    },
    {
      ready: (plan) => renderJobsReady(out, plan),
      created: (job) => renderJobCreated(out, svc.region, job),
      allCreated: (created) => renderAllCreated(out, svc.region, created),
    },
  );
  renderCreateJobsResult(out, result);
  return ExitCode.OK;
}
