import { createHash } from 'node:crypto';
import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { describeRef, toFileRef } from '../core/batch/file-ref.js';
import { isTerminal, jobSucceeded, progressFraction, type JobInfo } from '../core/batch/job-status.js';
import type { BatchFiles, FileRef } from '../core/batch/ports.js';
import { readCompletionReport, type ReportReading } from '../core/batch/read-report.js';
import { InterruptedError, S3EncryptError, UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { shellArg } from '../core/format.js';
import { formatS3Uri } from '../core/s3-uri.js';
import { resolve } from 'node:path';
import type { Services } from '../deps.js';
import { formatCount, formatDuration, table } from '../output/format.js';
import type { Output } from '../output/output.js';
import { renderProgress, type ProgressView } from '../output/progress.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';

const Options = z.object({
  jobId: z
    .string({ error: 'required: the id create-job printed' })
    .regex(/^[A-Za-z0-9_-]{5,36}$/, 'a Batch job id is 5-36 letters, digits, hyphens and underscores'),
  bucket: schemas.bucket.optional(),
  watch: z.boolean().default(false),
  interval: z.coerce
    .number()
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600')
    .default(15),
  retryManifest: z.string().optional(),
});

export function statusCommand(run: Runner): Command {
  return new Command('status')
    .description(
      "show a Batch job's progress; once it ends, count failures by error code from its completion report and write a retry manifest",
    )
    .requiredOption('--job-id <id>', 'the job id create-job printed')
    .option('--bucket <name>', "use this bucket's region (default: --region / AWS_REGION)")
    .option('--watch', 'poll until the job ends')
    .option('--interval <seconds>', 'seconds between polls with --watch', '15')
    .option(
      '--retry-manifest <file|s3://...>',
      'write the failed tasks as a Batch CSV manifest (S3 uploads use SSE-S3 and print the ETag)',
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 the job is Complete with no failed task; 1 tasks failed, the job Failed or was
Cancelled, or it has not finished yet; 2 bad input or unknown job; 3 refused; 4 service error.

Examples:
  $ s3-encrypt status --job-id 6f0d2c7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f --region eu-west-1
  $ s3-encrypt status --job-id 6f0d2c7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f --bucket my-bucket --watch
  $ s3-encrypt status --job-id 6f0d2c7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f --retry-manifest s3://my-reports/retry/`,
    )
    .action(run(statusHandler));
}

export async function statusHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const retryRef =
    opts.retryManifest !== undefined ? retryTarget(opts.retryManifest, opts.jobId, ctx.app.cwd) : undefined;
  // A local path that cannot be written is refused now, not after watching the job.
  if (retryRef?.kind === 'file')
    await ctx.app.local.paths.outputFile(resolve(ctx.app.cwd, retryRef.path), '--retry-manifest');
  const svc = opts.bucket ? await servicesForBucket(ctx, opts.bucket) : await ctx.app.services(ctx.global);
  const accountId = await svc.account.accountId();
  const out = ctx.out;
  const signal = ctx.app.signal;

  let job = await svc.batchJobs.describeJob(accountId, opts.jobId);
  let last = '';
  for (;;) {
    const line = progressLine(job);
    if (out.interactive) out.progress(renderProgress(progressView(job), out.columns));
    else if (opts.watch && line !== last) out.say(line);
    last = line;
    if (!opts.watch || isTerminal(job.status) || job.status === 'Suspended') break;
    if (!(await sleep(opts.interval * 1000, signal))) break;
    job = await svc.batchJobs.describeJob(accountId, opts.jobId);
  }
  out.clearProgress();
  if (signal.aborted) {
    out.say(`Stopped watching job ${job.jobId} (${job.status}); the job keeps running.`);
    return ExitCode.INTERRUPTED;
  }

  const reading = isTerminal(job.status) ? await readCompletionReport(svc.batchFiles, job) : undefined;
  let retry: { location: string; etag?: string | undefined; rows: number } | undefined;
  if (retryRef && reading?.found && reading.retry.rows > 0) {
    await refuseForeignRetryTarget(svc.batchFiles, retryRef, reading.retry.csv);
    const written = await svc.batchFiles.writeText(retryRef, reading.retry.csv, 'text/csv');
    retry = { location: describeRef(retryRef), etag: written.etag, rows: reading.retry.rows };
  }
  // A copy job names no key (it takes the bucket default's, which create-job checked): the retry
  // command names the key that default uses now, or KEY when it cannot be read.
  const shown =
    retry && job.kmsKeyArn === undefined && job.targetBucket
      ? { ...job, kmsKeyArn: await defaultKeyOf(svc, job.targetBucket) }
      : job;
  render(out, svc, shown, reading, retry, opts.retryManifest !== undefined);
  return jobSucceeded(job) && (!reading?.found || reading.failures.failed === 0)
    ? ExitCode.OK
    : ExitCode.NOT_COMPLIANT;
}

/**
 * --retry-manifest never replaces a file or object that holds something else (another job's retry
 * manifest, the job's own manifest, a summary): the same bytes (status run again on the same job)
 * are written again, anything else is refused before the write. S3 compares the ETag with the
 * MD5 of the text, which is what a single PUT with SSE-S3 (how it is written) gets.
 */
async function refuseForeignRetryTarget(files: BatchFiles, ref: FileRef, csv: string): Promise<void> {
  let other: boolean;
  if (ref.kind === 's3') {
    const facts = await files.head(ref.location);
    other = facts !== undefined && facts.etag !== createHash('md5').update(csv, 'utf8').digest('hex');
  } else {
    try {
      other = (await files.readText(ref)) !== csv;
    } catch (err) {
      if (!(err instanceof S3EncryptError) || !['NotFound', 'NotUtf8'].includes(err.code)) throw err;
      other = err.code === 'NotUtf8';
    }
  }
  if (other)
    throw new UsageError(
      `--retry-manifest ${describeRef(ref)} already exists and holds something else`,
      'choose a new path, or pass a folder (s3://BUCKET/PREFIX/) and the file is named after the job',
      'RetryManifestExists',
    );
}

/** The KMS key the bucket's default encryption names; undefined when there is none or it cannot be read. */
async function defaultKeyOf(svc: Services, bucket: string): Promise<string | undefined> {
  try {
    const rule = (await svc.encryption.getEncryption(bucket))?.Rules[0];
    const d = rule?.ApplyServerSideEncryptionByDefault;
    return d?.SSEAlgorithm === 'aws:kms' ? d.KMSMasterKeyID : undefined;
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    return undefined; // only a hint in a printed command: KEY says it is not known
  }
}

/** A directory-like S3 target (`s3://b/retry/`) gets a file name of its own. */
function retryTarget(value: string, jobId: string, cwd: string): FileRef {
  const v = value.trim();
  if (/^s3:\/\/[^/]+\/?$/i.test(v) || (/^s3:\/\//i.test(v) && v.endsWith('/')))
    return toFileRef(`${v.replace(/\/?$/, '/')}retry-job-${jobId}.csv`, '--retry-manifest', cwd);
  return toFileRef(v, '--retry-manifest', cwd);
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const BAR = 24;

export function progressLine(job: JobInfo, now = Date.now()): string {
  const fraction = progressFraction(job);
  const bar =
    fraction === undefined
      ? `[${'.'.repeat(BAR)}]`
      : `[${'#'.repeat(Math.round(fraction * BAR)).padEnd(BAR, '-')}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const counts =
    job.total !== undefined
      ? `${formatCount(job.succeeded ?? 0)} succeeded, ${formatCount(job.failed ?? 0)} failed of ${formatCount(job.total)}`
      : 'counting tasks';
  return `${job.status.padEnd(10)} ${bar} ${counts}, elapsed ${formatDuration(elapsedSeconds(job, now))}`;
}

/** The terminal's progress bar: tasks done of the job's total, the job's own rate and an ETA. */
export function progressView(job: JobInfo, now = Date.now()): ProgressView {
  const done = (job.succeeded ?? 0) + (job.failed ?? 0);
  const seconds = elapsedSeconds(job, now);
  return {
    done,
    // A total of 0 before the job has counted its tasks is not yet a total (as progressFraction).
    total: job.total === 0 && job.status !== 'Complete' ? undefined : job.total,
    unit: 'tasks',
    rate: job.status === 'Active' && seconds > 0 ? done / seconds : undefined,
    extras: [job.status, `${formatCount(job.failed ?? 0)} failed`, `elapsed ${formatDuration(seconds)}`],
  };
}

function elapsedSeconds(job: JobInfo, now: number): number {
  if (job.creationTime) return ((job.terminationDate?.getTime() ?? now) - job.creationTime.getTime()) / 1000;
  return job.elapsedSeconds ?? 0;
}

function render(
  out: Output,
  svc: Services,
  job: JobInfo,
  reading: ReportReading | undefined,
  retry: { location: string; etag?: string | undefined; rows: number } | undefined,
  retryAsked: boolean,
): void {
  const s = out.style;
  const lines: string[] = [];
  const what = `${job.operation ?? 'job'}${job.storageClass ? ` ${job.storageClass}` : ''}`;
  lines.push(`Job ${job.jobId} (${what}${job.description ? `: ${job.description}` : ''})`);
  lines.push(`  ${progressLine(job)}`);
  if (job.statusUpdateReason) lines.push(`  reason: ${job.statusUpdateReason}`);
  for (const f of job.failureReasons) lines.push(s.red(`  failure: ${f.code}: ${f.reason}`));
  if (job.status === 'Suspended') {
    lines.push(
      `  suspended${job.suspendedCause ? ` (${job.suspendedCause})` : ''}: confirm it with aws s3control update-job-status --job-id ${job.jobId} --requested-job-status Ready --region ${svc.region}`,
    );
  }
  // A job with no failed task may have no report worth mentioning; a failed one must say where we looked.
  if (reading && !reading.found && !jobSucceeded(job))
    lines.push(s.yellow(`  completion report: ${reading.reason}`));
  if (reading?.found) {
    const f = reading.failures;
    lines.push(`  completion report: ${reading.index} (${reading.files} failed-task file(s))`);
    if (f.failed > 0) {
      const rows = [['error code', 'tasks', 'example']];
      for (const [code, n] of f.byCode) rows.push([code, formatCount(n), f.examples[code] ?? '']);
      lines.push('', table(rows).replace(/^/gm, '  '));
    }
    const r = reading.retry;
    if (r.gone > 0)
      lines.push(
        `  ${formatCount(r.gone)} failed task(s) name objects that no longer exist (404): not retried`,
      );
    if (r.droppedVersionIds)
      lines.push(s.yellow('  some failed rows had version ids and some not: the retry manifest has none'));
    if (retry) {
      lines.push(
        `  retry manifest: ${retry.location} (${formatCount(retry.rows)} tasks${retry.etag ? `, ETag ${retry.etag}` : ''})`,
      );
      lines.push(`  retry with: ${retryCommand(job, retry, reading)}`);
    } else if (r.rows > 0 && !retryAsked) {
      lines.push(
        `  ${formatCount(r.rows)} task(s) can be retried: add --retry-manifest s3://BUCKET/PREFIX/ (or a file path)`,
      );
    } else if (r.rows === 0 && retryAsked) {
      lines.push('  no failed task to retry: no retry manifest written');
    }
  } else if (retryAsked && !isTerminal(job.status)) {
    lines.push(`  the retry manifest is written once the job ends (it is ${job.status})`);
  }
  const verdict =
    jobSucceeded(job) && (!reading?.found || reading.failures.failed === 0)
      ? s.green(`SUCCEEDED: every task of job ${job.jobId} succeeded`)
      : isTerminal(job.status)
        ? s.red(
            `NOT DONE: job ${job.jobId} is ${job.status} with ${formatCount(Math.max(job.failed ?? 0, reading?.found ? reading.failures.failed : 0))} failed task(s)`,
          )
        : `Job ${job.jobId} is ${job.status}: follow it with ${followCommand(job, svc)}`;
  lines.push(verdict);
  out.result(
    {
      jobId: job.jobId,
      status: job.status,
      operation: job.operation ?? null,
      storageClass: job.storageClass ?? null,
      total: job.total ?? null,
      succeeded: job.succeeded ?? null,
      failed: job.failed ?? null,
      failureReasons: job.failureReasons,
      succeededOverall: jobSucceeded(job) && (!reading?.found || reading.failures.failed === 0),
      report: reading
        ? reading.found
          ? {
              index: reading.index,
              failed: reading.failures.failed,
              byCode: Object.fromEntries(reading.failures.byCode),
              retryable: reading.retry.rows,
              gone: reading.retry.gone,
            }
          : { index: reading.index ?? null, missing: reading.reason }
        : null,
      retryManifest: retry ?? null,
      follow: isTerminal(job.status) ? null : followCommand(job, svc),
    },
    lines.join('\n'),
  );
}

function followCommand(job: JobInfo, svc: Services): string {
  return `s3-encrypt status --job-id ${job.jobId} --region ${svc.region} --watch`;
}

function retryCommand(
  job: JobInfo,
  retry: { location: string; etag?: string | undefined },
  reading: Extract<ReportReading, { found: true }>,
): string {
  const group = job.operation === 'update-encryption' ? 'update-encryption' : 'copy';
  const manifest = retry.etag
    ? shellArg(`${retry.location},${retry.etag}`)
    : `<upload ${retry.location} with SSE-S3>,ETAG`;
  const bucket = job.targetBucket ?? firstBucket(reading) ?? 'BUCKET';
  const report = job.report?.bucket
    ? formatS3Uri({ bucket: job.report.bucket, key: job.report.prefix ?? '' })
    : 's3://REPORTS/PREFIX';
  return [
    `s3-encrypt create-job --manifest ${manifest} --group ${group}`,
    job.storageClass ? ` --storage-class ${shellArg(job.storageClass)}` : '',
    ` --bucket ${shellArg(bucket)} --kms-key ${shellArg(job.kmsKeyArn ?? 'KEY')} --role-arn ${shellArg(job.roleArn ?? 'ROLE_ARN')} --report ${shellArg(report)}`,
  ].join('');
}

function firstBucket(reading: Extract<ReportReading, { found: true }>): string | undefined {
  return reading.retry.csv.split(',')[0] || undefined;
}
