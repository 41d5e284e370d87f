/**
 * status's output: the progress line (or the terminal's bar) while watching, then the job, its
 * completion report's failures by code, the retry manifest and command, and the verdict.
 */
import type { FollowJobResult } from '../core/batch/follow-job.js';
import { isTerminal, jobSucceeded, progressFraction, type JobInfo } from '../core/batch/job-status.js';
import type { ReportReading } from '../core/batch/read-report.js';
import { shellArg } from '../core/format.js';
import { formatS3Uri } from '../core/s3-uri.js';
import { formatCount, formatDuration, table } from './format.js';
import type { Output } from './output.js';
import { renderProgress, type ProgressView } from './progress.js';

/**
 * Each poll: the terminal's bar, or (watching without a terminal) the progress line when it
 * changed. Returns the function to call with each DescribeJob answer.
 */
export function pollRenderer(out: Output, watch: boolean): (job: JobInfo) => void {
  let last = '';
  return (job) => {
    const line = progressLine(job);
    if (out.interactive) out.progress(renderProgress(progressView(job), out.columns));
    else if (watch && line !== last) out.say(line);
    last = line;
  };
}

const BAR = 24;

function progressLine(job: JobInfo, now = Date.now()): string {
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

/** The terminal's progress bar: tasks done of the job's total, the job's own rate and an ETA. @internal */
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

/** The job, its completion report's failures by code, the retry manifest and the verdict. */
export function renderJobStatus(
  out: Output,
  region: string,
  result: Extract<FollowJobResult, { interrupted: false }>,
  retryAsked: boolean,
): void {
  const { job, reading, retry } = result;
  const s = out.style;
  const lines: string[] = [];
  const what = `${job.operation ?? 'job'}${job.storageClass ? ` ${job.storageClass}` : ''}`;
  lines.push(`Job ${job.jobId} (${what}${job.description ? `: ${job.description}` : ''})`);
  lines.push(`  ${progressLine(job)}`);
  if (job.statusUpdateReason) lines.push(`  reason: ${job.statusUpdateReason}`);
  for (const f of job.failureReasons) lines.push(s.red(`  failure: ${f.code}: ${f.reason}`));
  if (job.status === 'Suspended') {
    lines.push(
      `  suspended${job.suspendedCause ? ` (${job.suspendedCause})` : ''}: confirm it with aws s3control update-job-status --job-id ${job.jobId} --requested-job-status Ready --region ${region}`,
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
        : `Job ${job.jobId} is ${job.status}: follow it with ${followCommand(job, region)}`;
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
      follow: isTerminal(job.status) ? null : followCommand(job, region),
    },
    lines.join('\n'),
  );
}

function followCommand(job: JobInfo, region: string): string {
  return `s3-encrypt status --job-id ${job.jobId} --region ${region} --watch`;
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
