/**
 * create-job's output: the checks passed (and the manifests built from a delivery) before the
 * first job, one record and two lines per job created, then the result, the other running jobs
 * and the notes.
 */
import { deliveryReport } from '../core/batch/delivery-manifests.js';
import type { CreatedJob, CreateJobsResult, JobsToCreate } from '../core/batch/create-jobs.js';
import { formatBytes, formatCount, printable } from './format.js';
import type { Output } from './output.js';

const followCommand = (jobId: string, region: string): string =>
  `s3-encrypt status --job-id ${jobId} --region ${region} --watch`;

/** Before the first CreateJob: the bucket default's check and the manifests built. */
export function renderJobsReady(out: Output, plan: JobsToCreate): void {
  if (out.json) return;
  out.say(plan.defaultNote);
  if (plan.built) out.say(deliveryReport(plan.built).text);
}

/** One job, as soon as CreateJob returned its id. */
export function renderJobCreated(out: Output, region: string, { jobId, job }: CreatedJob): void {
  const follow = followCommand(jobId, region);
  out.record({
    jobId,
    group: job.group,
    storageClass: job.storageClass ?? null,
    source: job.source,
    token: job.request.ClientRequestToken,
    follow,
  });
  if (out.json) return;
  const what = `${job.group}${job.storageClass ? ` ${job.storageClass}` : ''}`;
  const size =
    job.objects !== undefined ? `, ${formatCount(job.objects)} objects (${formatBytes(job.bytes ?? 0)})` : '';
  out.say(`Job ${jobId}: ${what}${size} from ${job.source}`);
  out.say(`  follow: ${follow}`);
}

export function renderAllCreated(out: Output, region: string, created: readonly CreatedJob[]): void {
  if (!out.json)
    out.say(
      `${created.length} job(s) submitted in ${region}. Running this command again returns the same jobs; it never starts new ones for these manifests.`,
    );
}

/** The result document (nothing to do, or a dry run's requests), the other running jobs, the notes. */
export function renderCreateJobsResult(out: Output, r: CreateJobsResult): void {
  const builtDoc = r.built ? deliveryReport(r.built).doc : {};
  if (r.jobs.length === 0) {
    out.result(
      { dryRun: r.dryRun, jobs: [], skipped: r.skipped, ...builtDoc },
      'Nothing for Batch to do: the summary lists no copy or update-encryption objects.',
    );
  } else if (r.dryRun) {
    const requests = r.jobs.map((j) => j.request);
    out.result(
      { dryRun: true, bucketDefault: r.defaultNote, ...builtDoc, requests, skipped: r.skipped },
      `${JSON.stringify(requests, null, 2)}\nDry run: ${r.jobs.length} CreateJob request(s) above; nothing was created.`,
    );
  } else if (r.otherJobs.length > 0) {
    const others = r.otherJobs;
    // Job ids and statuses are the service's text: quoted as printable, never raw.
    out.warn(
      printable(
        `${others.length} other s3-encrypt job(s) still running on s3://${r.bucket} in ${r.region} (${others
          .slice(0, 5)
          .map((j) => `${j.jobId} ${j.status}`)
          .join(
            ', ',
          )}${others.length > 5 ? ', ...' : ''}): objects in both manifests are copied twice; follow them with s3-encrypt status --job-id ID, and cancel one you do not need`,
      ),
    );
  }
  for (const n of r.notes) out.warn(n);
}
