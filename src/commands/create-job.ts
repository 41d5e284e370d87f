import { createHash } from 'node:crypto';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { describeRef, toFileRef } from '../core/batch/file-ref.js';
import {
  checkCopyUnversioned,
  manifestColumns,
  parseManifestArg,
  planFromSummary,
  type JobPlan,
  type PlannedManifest,
  type SkippedManifest,
} from '../core/batch/job-plan.js';
import {
  checkAccountId,
  checkCopyStorageClass,
  checkRoleAccount,
  checkRoleArn,
  generatorJobRequest,
  manifestJobRequest,
  type CommonJobInput,
  type CreateJobRequest,
  type JobGroup,
} from '../core/batch/job-request.js';
import { requireBatchReadyDefault } from '../core/batch/default-encryption-gate.js';
import {
  buildDeliveryManifests,
  deliveryReport,
  deliverySource,
  type DeliverySource,
} from '../core/batch/delivery-manifests.js';
import { checkJobSource } from '../core/batch/job-source.js';
import type { BatchFiles } from '../core/batch/ports.js';
import { readDefaultEncryption } from '../core/encryption/default-state.js';
import { PreconditionError, S3EncryptError, UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { BuildResult } from '../core/inventory/build-manifests.js';
import { parseSummary } from '../core/inventory/summary.js';
import type { ResolvedKey } from '../core/kms/key.js';
import { formatS3Uri, parseS3Uri, type S3Location } from '../core/s3-uri.js';
import { formatBytes, formatCount, printable } from '../output/format.js';
import type { Services } from '../deps.js';
import type { Output } from '../output/output.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { inventorySourceSchemas } from './inventory-source.js';
import { keyFlags, resolveKey } from './key-options.js';

const Options = z.object({
  summary: z.string().optional(),
  manifest: z.string().optional(),
  generateManifest: z.boolean().default(false),
  inventory: inventorySourceSchemas.inventory,
  id: inventorySourceSchemas.id,
  // Checked in the handler (parseDeliveryDate), whose one line says how to list the deliveries.
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
  priority: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(2147483647, 'must be at most 2147483647')
    .default(10),
  prefix: schemas.prefix,
  allowVersioned: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
type Options = z.infer<typeof Options>;

export function createJobCommand(run: Runner): Command {
  return new Command('create-job')
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
    .requiredOption('--bucket <name>', 'the bucket whose objects are re-encrypted')
    .requiredOption('--kms-key <key>', 'target KMS key: ARN, key id or alias/NAME (resolved to the key ARN)')
    .option('--allow-aws-managed-key', 'accept an AWS managed key (aws/s3); not recommended')
    .addOption(new Option('--skip-key-check').hideHelp())
    .requiredOption(
      '--role-arn <arn>',
      'IAM role S3 Batch Operations assumes (arn:aws:iam::ACCOUNT:role/NAME)',
    )
    .requiredOption('--report <s3://BUCKET/PREFIX>', 'where Batch writes completion reports (failed tasks)')
    .option('--priority <n>', 'job priority, higher runs first', '10')
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

interface PlannedJob {
  request: CreateJobRequest;
  group: JobGroup;
  storageClass?: string | undefined;
  source: string;
  objects?: number | undefined;
  bytes?: number | undefined;
}

export async function createJobHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const source = checkJobSource(opts);
  if (opts.skipKeyCheck) {
    throw new UsageError(
      '--skip-key-check is not allowed with create-job',
      'Batch needs the full key ARN, which only KMS DescribeKey can give: pass a key KMS can describe',
      'KeyCheckRequired',
    );
  }
  const roleArn = checkRoleArn(opts.roleArn);
  const report = parseS3Uri(opts.report, '--report');
  if (opts.storageClass) checkCopyStorageClass(opts.storageClass, '--storage-class');
  const delivery =
    source === 'inventory'
      ? deliverySource(opts.inventory as string, opts.id as string, opts.bucket, opts.date)
      : undefined;

  const svc = await servicesForBucket(ctx, opts.bucket);
  const key = await resolveKey(
    ctx,
    svc,
    { kmsKey: opts.kmsKey, allowAwsManagedKey: opts.allowAwsManagedKey },
    svc.region,
  );
  // Before any upload or job: the copies take their encryption from the bucket default.
  const defaultNote = requireBatchReadyDefault(
    await readDefaultEncryption(svc, opts.bucket, key),
    opts.bucket,
    key.id,
  );
  const accountId = checkAccountId(await svc.account.accountId());
  checkRoleAccount(roleArn, accountId);
  // A run that would fail at CreateJob for want of S3 Control fails before it uploads anything.
  if (!opts.dryRun) await svc.batchJobs.checkEndpoint?.();
  const common = {
    accountId,
    region: svc.region,
    roleArn,
    priority: opts.priority,
    report,
    keyArn: key.id,
    bucket: opts.bucket,
  };

  const bucketNotes: string[] = [];
  const reportNote = await checkJobBucket(svc, report.bucket, 'report', '--report', opts.dryRun);
  if (reportNote) bucketNotes.push(reportNote);
  const planned = opts.generateManifest
    ? await planGeneratorJobs(svc, opts, common)
    : await planManifestJobs(ctx, svc, opts, common, key, delivery);
  const { jobs, skipped } = planned;
  const notes = [...bucketNotes, ...planned.notes];
  const built = planned.built;

  const out = ctx.out;
  const printNotes = (): void => notes.forEach((n) => out.warn(n));
  if (!out.json) out.say(defaultNote);
  const builtReport = built ? deliveryReport(built) : undefined;
  if (builtReport && !out.json) out.say(builtReport.text);
  const builtDoc = builtReport?.doc ?? {};
  if (jobs.length === 0) {
    out.result(
      { dryRun: opts.dryRun, jobs: [], skipped, ...builtDoc },
      'Nothing for Batch to do: the summary lists no copy or update-encryption objects.',
    );
    printNotes();
    return ExitCode.OK;
  }
  if (opts.dryRun) {
    const requests = jobs.map((j) => j.request);
    out.result(
      { dryRun: true, bucketDefault: defaultNote, ...builtDoc, requests, skipped },
      `${JSON.stringify(requests, null, 2)}\nDry run: ${jobs.length} CreateJob request(s) above; nothing was created.`,
    );
    printNotes();
    return ExitCode.OK;
  }
  const created: { jobId: string; group: JobGroup; storageClass?: string | undefined; source: string }[] = [];
  for (const job of jobs) {
    const jobId = await svc.batchJobs.createJob(job.request);
    const follow = `s3-encrypt status --job-id ${jobId} --region ${svc.region} --watch`;
    created.push({ jobId, group: job.group, storageClass: job.storageClass, source: job.source });
    out.record({
      jobId,
      group: job.group,
      storageClass: job.storageClass ?? null,
      source: job.source,
      token: job.request.ClientRequestToken,
      follow,
    });
    if (!out.json) {
      const what = `${job.group}${job.storageClass ? ` ${job.storageClass}` : ''}`;
      const size =
        job.objects !== undefined
          ? `, ${formatCount(job.objects)} objects (${formatBytes(job.bytes ?? 0)})`
          : '';
      out.say(`Job ${jobId}: ${what}${size} from ${job.source}`);
      out.say(`  follow: ${follow}`);
    }
  }
  if (!out.json)
    out.say(
      `${created.length} job(s) submitted in ${svc.region}. Running this command again returns the same jobs; it never starts new ones for these manifests.`,
    );
  await warnOfOtherJobs(out, svc, accountId, opts.bucket, created);
  printNotes();
  return ExitCode.OK;
}

/**
 * Other s3-encrypt jobs still running on this bucket (an earlier delivery's, say): an object in
 * both manifests is copied twice, an extra version and request each. Said, not refused: they may
 * be this run's own from another region or a job the operator meant to run.
 */
async function warnOfOtherJobs(
  out: Output,
  svc: Services,
  accountId: string,
  bucket: string,
  created: { jobId: string }[],
): Promise<void> {
  const ours = new Set(created.map((c) => c.jobId));
  const others = ((await svc.batchJobs.unfinishedJobs?.(accountId)) ?? []).filter(
    (j) =>
      !ours.has(j.jobId) &&
      j.description.startsWith('s3-encrypt ') &&
      j.description.includes(`s3://${bucket} `),
  );
  if (others.length === 0) return;
  // Job ids and statuses are the service's text: quoted as printable, never raw.
  out.warn(
    printable(
      `${others.length} other s3-encrypt job(s) still running on s3://${bucket} in ${svc.region} (${others
        .slice(0, 5)
        .map((j) => `${j.jobId} ${j.status}`)
        .join(
          ', ',
        )}${others.length > 5 ? ', ...' : ''}): objects in both manifests are copied twice; follow them with s3-encrypt status --job-id ID, and cancel one you do not need`,
    ),
  );
}

interface Planned {
  jobs: PlannedJob[];
  skipped: SkippedManifest[];
  /** Printed after the result, so a refusal is never preceded by unrelated warnings. */
  notes: string[];
  /** --inventory: the manifests built (and, unless a dry run, uploaded) from the delivery. */
  built?: BuildResult | undefined;
}

async function planGeneratorJobs(svc: Services, opts: Options, common: CommonJobInput): Promise<Planned> {
  const notes: string[] = [];
  const groups: JobGroup[] = opts.group ? [opts.group] : ['copy', 'update-encryption'];
  if (groups.includes('copy')) {
    const note = await checkGeneratorCopy(svc.batchJobs.bucketVersioning.bind(svc.batchJobs), opts);
    if (note) notes.push(note);
  }
  if (groups.includes('update-encryption'))
    notes.push(
      'the generated update-encryption job covers SSE-S3 objects only; SSE-KMS objects under another key or without a bucket key need an inventory (setup-inventory + build-manifest)',
    );
  const day = new Date().toISOString().slice(0, 10);
  const jobs = groups.map((group): PlannedJob => {
    const storageClass = group === 'copy' ? opts.storageClass : undefined;
    const request = generatorJobRequest(sha256, { ...common, group, storageClass, prefix: opts.prefix, day });
    return { request, group, storageClass, source: 'generated list' };
  });
  return { jobs, skipped: [], notes };
}

async function planManifestJobs(
  ctx: CommandContext,
  svc: Services,
  opts: Options,
  common: CommonJobInput,
  key: ResolvedKey,
  delivery: DeliverySource | undefined,
): Promise<Planned> {
  let built: BuildResult | undefined;
  if (delivery) {
    built = await buildDeliveryManifests(
      { inventory: svc.inventory, local: ctx.app.local.inventory },
      {
        ...delivery,
        kmsKey: key.id,
        dryRun: opts.dryRun,
        concurrency: 4,
        now: () => new Date(),
        signal: ctx.app.signal,
      },
    );
  }
  const plan: JobPlan = built
    ? planFromSummary(built.summary, opts.bucket, key)
    : opts.summary !== undefined
      ? await fromSummary(ctx, svc.batchFiles, opts, key)
      : { manifests: [await fromManifestArg(svc.batchFiles, opts)], skipped: [] };
  const jobs: PlannedJob[] = [];
  const notes: string[] = built ? [...built.warnings] : [];
  for (const bucket of new Set(plan.manifests.map((m) => m.location.bucket))) {
    const note = await checkJobBucket(svc, bucket, 'manifest', 'the manifest location', opts.dryRun);
    if (note) notes.push(note);
  }
  for (const m of plan.manifests) {
    // A dry run from a delivery uploaded nothing: its ETags are the predicted ones.
    if (!(built && opts.dryRun)) await checkManifestObject(svc.batchFiles, m);
    const request = manifestJobRequest(sha256, {
      ...common,
      group: m.group,
      storageClass: m.storageClass,
      manifest: m.location,
      etag: m.etag,
      versioned: m.versioned,
      description: describeJob(m, opts.bucket),
    });
    jobs.push({
      request,
      group: m.group,
      storageClass: m.storageClass,
      source: formatS3Uri(m.location),
      objects: m.objects,
      bytes: m.bytes,
    });
  }
  for (const s of plan.skipped)
    notes.push(
      `not a Batch job: ${s.name} (${formatCount(s.objects)} objects, ${formatBytes(s.bytes)}): ${s.reason}`,
    );
  return { jobs, skipped: plan.skipped, notes, built };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function fromSummary(
  ctx: CommandContext,
  files: BatchFiles,
  opts: Options,
  key: ResolvedKey,
): Promise<JobPlan> {
  const ref = toFileRef(opts.summary as string, '--summary', ctx.app.cwd);
  const summary = parseSummary(await files.readText(ref), `--summary ${describeRef(ref)}`);
  return planFromSummary(summary, opts.bucket, key);
}

async function fromManifestArg(files: BatchFiles, opts: Options): Promise<PlannedManifest> {
  const { location, etag } = parseManifestArg(opts.manifest as string);
  const group: JobGroup = opts.group ?? 'copy';
  const where = `manifest ${formatS3Uri(location)}`;
  const versioned = manifestColumns(await files.firstLine(location), where) === 3;
  if (group === 'copy') checkCopyUnversioned(versioned, formatS3Uri(location));
  return {
    name: location.key.split('/').pop() ?? location.key,
    group,
    ...(group === 'copy' ? { storageClass: opts.storageClass } : {}),
    location,
    etag,
    versioned,
  };
}

/**
 * The report bucket (and a manifest's bucket) must exist and be in the job's region: Batch
 * accepts the job and fails it later otherwise (or writes no report). A dry run warns (returned
 * as a note); a real run refuses before CreateJob. A bucket the caller may not HEAD is not
 * judged (the job's role, not the caller, reads and writes it): a note says it was not checked.
 */
async function checkJobBucket(
  svc: Services,
  bucket: string,
  what: 'report' | 'manifest',
  flag: string,
  dryRun: boolean,
): Promise<string | undefined> {
  let region: string;
  try {
    region = await svc.buckets.bucketRegion(bucket);
  } catch (err) {
    if (err instanceof S3EncryptError && err.code === 'NoSuchBucket') {
      const problem = `the ${what} bucket ${bucket} does not exist`;
      const fix = `create it in ${svc.region}, or fix ${flag}`;
      if (dryRun) return `${problem}: the job would fail; ${fix}`;
      throw new UsageError(
        problem,
        fix,
        what === 'report' ? 'ReportBucketMissing' : 'ManifestBucketMissing',
        {
          cause: err,
        },
      );
    }
    if (err instanceof S3EncryptError && err.code === 'AccessDenied')
      return `the ${what} bucket ${bucket} was not checked (${err.message}): the job's role needs access to it`;
    throw err;
  }
  if (region === svc.region) return undefined;
  const problem = `the ${what} bucket ${bucket} is in ${region}, but the job runs in ${svc.region} (the region of --bucket)`;
  const fix = `use a ${what} bucket in ${svc.region}`;
  if (dryRun) return `${problem}: the job would fail; ${fix}`;
  throw new UsageError(
    problem,
    fix,
    what === 'report' ? 'ReportBucketInOtherRegion' : 'ManifestBucketInOtherRegion',
  );
}

/** Batch fails a job whose manifest changed or is SSE-KMS: catch both before a job exists. */
async function checkManifestObject(
  files: BatchFiles,
  m: { location: S3Location; etag: string },
): Promise<void> {
  const uri = formatS3Uri(m.location);
  const facts = await files.head(m.location);
  if (!facts) {
    throw new UsageError(
      `manifest ${uri} does not exist`,
      'check the location, or rebuild the manifests',
      'NotFound',
    );
  }
  if (facts.etag !== m.etag) {
    throw new PreconditionError(
      'ManifestChanged',
      `manifest ${uri} has ETag ${facts.etag}, not ${m.etag}`,
      'the manifest was rewritten since: use the current summary or ETag',
    );
  }
  if (facts.serverSideEncryption === 'aws:kms' || facts.serverSideEncryption === 'aws:kms:dsse') {
    throw new PreconditionError(
      'ManifestKmsEncrypted',
      `manifest ${uri} is SSE-KMS encrypted, which S3 Batch Operations cannot read in a CSV manifest`,
      'upload it again with SSE-S3 (aws s3 cp ... --sse AES256) and use the new ETag',
    );
  }
}

/** Refuses a generated copy job on a versioned bucket unless allowed; returns the warning then. */
async function checkGeneratorCopy(
  versioning: (bucket: string) => Promise<string | undefined>,
  opts: Options,
): Promise<string | undefined> {
  const status = await versioning(opts.bucket);
  if (status === 'Enabled' || status === 'Suspended') {
    const risk =
      'AWS does not document whether a generated list names noncurrent versions; a copy of one would make old content current again';
    if (!opts.allowVersioned) {
      throw new PreconditionError(
        'VersionedGeneratorCopy',
        `${opts.bucket} is versioned (${status}): ${risk}`,
        'use setup-inventory + build-manifest (copy manifests without version ids), or pass --allow-versioned to accept the risk',
      );
    }
    return `${opts.bucket} is versioned: ${risk} (--allow-versioned given)`;
  }
  return undefined;
}

function describeJob(m: PlannedManifest, bucket: string): string {
  const what = `${m.group}${m.storageClass ? ` ${m.storageClass}` : ''}`;
  const count = m.objects !== undefined ? `, ${m.objects} objects` : '';
  return `s3-encrypt ${what} s3://${bucket} (${m.name}${count})`;
}
