// The jobs of the local S3 Batch Operations service and their life:
// New -> Preparing -> (Suspended until confirmed) -> Ready -> Active -> Complete | Failed
// (UG batch-ops-job-status.html), with ClientRequestToken idempotency per account.
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type {
  CreateJobRequest,
  JobDescriptor,
  JobListDescriptor,
  JobStatus,
} from '@aws-sdk/client-s3-control';
import { generateManifest } from './generator.js';
import { readManifest, type JobFailure } from './manifest.js';
import { reportFiles, type TaskOutcome } from './report.js';
import { bucketOfArn, canonical, pastFailureThreshold } from './rules.js';
import { errorOf } from './store.js';
import { probeUpdateSupport, runTask, type Task, type UpdateSupport } from './tasks.js';

export interface Job {
  accountId: string;
  jobId: string;
  request: CreateJobRequest;
  canonical: string;
  status: JobStatus;
  creationTime: Date;
  terminationDate?: Date;
  failureReasons: JobFailure[];
  total?: number;
  succeeded: number;
  failed: number;
  activeStart?: number;
  activeMs: number;
  statusUpdateReason?: string;
  suspendedDate?: Date;
  suspendedCause?: string;
  generated?: JobDescriptor['GeneratedManifestDescriptor'];
  confirm?: () => void;
  done: Promise<void>;
}

export class IdempotencyError extends Error {}

/** How many tasks run at once (AWS runs many; a local store needs few). */
const PARALLEL = 4;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly byToken = new Map<string, Job>();

  constructor(
    private readonly s3: S3Client,
    private readonly region: string,
  ) {}

  /** CreateJob: the same token with the same request gives the same job; with another, an error. */
  create(request: CreateJobRequest): Job {
    const tokenKey = `${request.AccountId}\n${request.ClientRequestToken}`;
    const canon = canonical({ ...request });
    const known = this.byToken.get(tokenKey);
    if (known) {
      if (known.canonical !== canon)
        throw new IdempotencyError('Job already exists with a different request');
      return known;
    }
    const job: Job = {
      accountId: request.AccountId ?? '',
      jobId: randomUUID(),
      request,
      canonical: canon,
      status: 'New',
      creationTime: new Date(),
      failureReasons: [],
      succeeded: 0,
      failed: 0,
      activeMs: 0,
      done: Promise.resolve(),
    };
    this.jobs.set(job.jobId, job);
    this.byToken.set(tokenKey, job);
    job.done = new Promise((r) => setImmediate(r)).then(() => this.run(job));
    return job;
  }

  get(accountId: string, jobId: string): Job | undefined {
    const j = this.jobs.get(jobId);
    return j && j.accountId === accountId ? j : undefined;
  }

  list(accountId: string, statuses: string[]): Job[] {
    return [...this.jobs.values()]
      .filter((j) => j.accountId === accountId && (statuses.length === 0 || statuses.includes(j.status)))
      .sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime());
  }

  /** UpdateJobStatus: Ready confirms a Suspended job; Cancelled stops one that has not ended. */
  update(job: Job, requested: string, reason?: string): string | undefined {
    if (requested === 'Ready') {
      if (job.status !== 'Suspended') return `Job is in state ${job.status}, not Suspended`;
      if (reason) job.statusUpdateReason = reason;
      job.confirm?.();
      return undefined;
    }
    if (requested === 'Cancelled') {
      if (['Complete', 'Failed', 'Cancelled'].includes(job.status))
        return `Job is in terminal state ${job.status}`;
      job.status = 'Cancelling';
      if (reason) job.statusUpdateReason = reason;
      job.confirm?.();
      return undefined;
    }
    return `RequestedJobStatus ${requested} is not Ready or Cancelled`;
  }

  private end(job: Job, status: JobStatus): void {
    if (job.activeStart !== undefined) job.activeMs += Date.now() - job.activeStart;
    job.activeStart = undefined;
    job.status = status;
    job.terminationDate = new Date();
  }

  private async run(job: Job): Promise<void> {
    job.status = 'Preparing';
    const r = job.request;
    let tasks: Task[];
    if (r.ManifestGenerator) {
      const g = await generateManifest(this.s3, r.ManifestGenerator, job.jobId);
      if ('failure' in g) return this.fail(job, g.failure);
      tasks = g.tasks;
      if (g.descriptor) job.generated = g.descriptor as JobDescriptor['GeneratedManifestDescriptor'];
    } else if (r.Manifest) {
      const m = await readManifest(this.s3, r.Manifest);
      if ('failure' in m) return this.fail(job, m.failure);
      tasks = m.tasks;
    } else {
      return this.fail(job, {
        FailureCode: 'InvalidManifest',
        FailureReason: 'No manifest or manifest generator',
      });
    }
    job.total = tasks.length;
    if (r.ConfirmationRequired) {
      job.status = 'Suspended';
      job.suspendedDate = new Date();
      job.suspendedCause = 'AwaitingConfirmation';
      await new Promise<void>((resolve) => (job.confirm = resolve));
      job.confirm = undefined;
      if ((job.status as string) === 'Cancelling') return this.end(job, 'Cancelled');
    }
    job.status = 'Ready';
    await new Promise((res) => setImmediate(res));
    job.status = 'Active';
    job.activeStart = Date.now();
    const outcomes: TaskOutcome[] = [];
    let probe: Promise<UpdateSupport> | undefined;
    const kmsArn = r.Operation?.S3UpdateObjectEncryption?.ObjectEncryption?.SSEKMS?.KMSKeyArn;
    const update = () => (probe ??= probeUpdateSupport(this.s3, kmsArn));
    let next = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && next < tasks.length) {
        const t = tasks[next++] as Task;
        const o = await runTask(this.s3, r.Operation ?? {}, t, update);
        outcomes.push(o);
        if (o.status === 'succeeded') job.succeeded++;
        else job.failed++;
        if (pastFailureThreshold(job.succeeded + job.failed, job.failed)) stop = true;
        if ((job.status as string) === 'Cancelling') stop = true;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const cancelled = (job.status as string) === 'Cancelling';
    const failedPast = pastFailureThreshold(job.succeeded + job.failed, job.failed);
    if (failedPast) {
      job.failureReasons.push({
        FailureCode: 'JobFailedTaskThresholdExceeded',
        FailureReason: `The job's task failure rate exceeded 50 percent after ${job.succeeded + job.failed} tasks`,
      });
    }
    const final: JobStatus = cancelled ? 'Cancelled' : failedPast ? 'Failed' : 'Complete';
    job.status = cancelled ? 'Cancelling' : failedPast ? 'Failing' : 'Completing';
    // "As long as at least one task has been invoked successfully, S3 Batch Operations generates a
    // report for jobs that have completed, failed, or been canceled."
    if (outcomes.length > 0) await this.writeReport(job, outcomes);
    this.end(job, final);
  }

  private fail(job: Job, failure: JobFailure): void {
    job.failureReasons.push(failure);
    this.end(job, 'Failed');
  }

  private async writeReport(job: Job, outcomes: TaskOutcome[]): Promise<void> {
    const rep = job.request.Report;
    if (!rep?.Enabled || !rep.Bucket) return;
    const bucket = bucketOfArn(rep.Bucket) ?? rep.Bucket;
    const files = reportFiles({
      jobId: job.jobId,
      bucket,
      prefix: rep.Prefix,
      scope: rep.ReportScope === 'AllTasks' ? 'AllTasks' : 'FailedTasksOnly',
      outcomes,
      now: new Date(),
    });
    for (const f of files) {
      try {
        // "Completion reports are always encrypted with Amazon S3 managed keys (SSE-S3)."
        await this.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body, ServerSideEncryption: 'AES256' }),
        );
      } catch (err) {
        const e = errorOf(err);
        job.failureReasons.push({
          FailureCode: 'ReportWriteFailed',
          FailureReason: `Writing the completion report s3://${bucket}/${f.key} failed: ${e.code} (${e.status})`,
        });
        return;
      }
    }
  }

  describe(job: Job): JobDescriptor {
    const r = job.request;
    const active = job.activeMs + (job.activeStart !== undefined ? Date.now() - job.activeStart : 0);
    return {
      JobId: job.jobId,
      JobArn: `arn:aws:s3:${this.region}:${job.accountId}:job/${job.jobId}`,
      ConfirmationRequired: r.ConfirmationRequired,
      Description: r.Description,
      Status: job.status,
      Manifest: r.Manifest,
      ManifestGenerator: r.ManifestGenerator,
      GeneratedManifestDescriptor: job.generated,
      Operation: r.Operation,
      Priority: r.Priority,
      ProgressSummary: {
        ...(job.total !== undefined ? { TotalNumberOfTasks: job.total } : {}),
        NumberOfTasksSucceeded: job.succeeded,
        NumberOfTasksFailed: job.failed,
        Timers: { ElapsedTimeInActiveSeconds: Math.floor(active / 1000) },
      },
      ...(job.statusUpdateReason ? { StatusUpdateReason: job.statusUpdateReason } : {}),
      ...(job.failureReasons.length ? { FailureReasons: job.failureReasons } : {}),
      Report: r.Report,
      CreationTime: job.creationTime,
      ...(job.terminationDate ? { TerminationDate: job.terminationDate } : {}),
      RoleArn: r.RoleArn,
      ...(job.suspendedDate ? { SuspendedDate: job.suspendedDate, SuspendedCause: job.suspendedCause } : {}),
    };
  }

  listed(job: Job): JobListDescriptor {
    const d = this.describe(job);
    return {
      JobId: d.JobId,
      Description: d.Description,
      Operation: Object.keys(job.request.Operation ?? {})[0] as JobListDescriptor['Operation'],
      Priority: d.Priority,
      Status: d.Status,
      CreationTime: d.CreationTime,
      TerminationDate: d.TerminationDate,
      ProgressSummary: d.ProgressSummary,
    };
  }
}
