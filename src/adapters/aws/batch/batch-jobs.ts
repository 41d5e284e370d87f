import type { CreateJobCommandInput, JobDescriptor } from '@aws-sdk/client-s3-control';
import { PreconditionError, UsageError } from '../../../core/errors.js';
import type { JobInfo } from '../../../core/batch/job-status.js';
import type { CreateJobRequest } from '../../../core/batch/job-request.js';
import type { BatchJobs } from '../../../core/batch/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call, errorName, mapAwsError } from '../transport/errors.js';
import { checkControlEndpoint, controlEndpointError } from '../transport/control-endpoint.js';
import { sdk } from '../transport/sdk.js';

export function batchJobs(aws: AwsClients): BatchJobs {
  const region = aws.config.region;
  const base = { region, endpoint: aws.config.endpoint };
  // S3 Control ignores --endpoint-url (see clients.ts): with a custom S3 endpoint and no endpoint
  // of its own, these calls would go to AWS itself, with whatever credentials are around. Its own
  // endpoint is the one the SDK reads from its settings (AWS_ENDPOINT_URL_S3_CONTROL,
  // AWS_ENDPOINT_URL, a profile's `services` section): asked of the client, as its endpoint
  // middleware asks, so the answer is the SDK's. Refuse when there is none.
  const control = async () => {
    const client = aws.s3control(region);
    const cfg = client.config as {
      ignoreConfiguredEndpointUrls?: boolean;
      serviceConfiguredEndpoint?: () => Promise<string | undefined>;
    };
    const own = cfg.ignoreConfiguredEndpointUrls ? undefined : await cfg.serviceConfiguredEndpoint?.();
    if (own !== undefined) checkControlEndpoint(own);
    if (aws.config.endpoint && !own) {
      throw new PreconditionError(
        'BatchUnavailable',
        `S3 Batch Operations is an AWS service; ${aws.config.endpoint} has no S3 Control API`,
        "run against AWS (no --endpoint-url), set AWS_ENDPOINT_URL_S3_CONTROL to an S3 Control endpoint, or re-encrypt with 's3-encrypt encrypt' on this store",
      );
    }
    return { client, endpoint: own };
  };
  // Failures of S3 Control calls name where they went: its own endpoint, or AWS's.
  const mapped = (err: unknown, action: string, endpoint: string | undefined) =>
    controlEndpointError(mapAwsError(err, { region, endpoint, action }), endpoint);
  return {
    async checkEndpoint() {
      await control();
    },

    async createJob(request) {
      const { client, endpoint } = await control();
      try {
        const out = await client.send(
          new sdk.s3control.CreateJobCommand(request as unknown as CreateJobCommandInput),
        );
        if (!out.JobId) throw new Error('CreateJob returned no JobId');
        return out.JobId;
      } catch (err) {
        const name = errorName(err);
        if (name === 'IdempotencyException') throw alreadyCreated(request, region, err);
        const failure = mapped(err, 's3:CreateJob', endpoint);
        if (failure.code === 'AccessDenied') {
          throw new PreconditionError(
            'AccessDenied',
            `access denied creating a Batch job in ${region}`,
            `grant s3:CreateJob, and iam:PassRole on ${request.RoleArn}, to this principal`,
            { cause: err },
          );
        }
        throw failure;
      }
    },

    async describeJob(accountId, jobId) {
      const { client, endpoint } = await control();
      try {
        const out = await client.send(
          new sdk.s3control.DescribeJobCommand({ AccountId: accountId, JobId: jobId }),
        );
        if (!out.Job) throw new Error(`DescribeJob returned no job for ${jobId}`);
        return toJobInfo(out.Job, jobId);
      } catch (err) {
        if (errorName(err) === 'NotFoundException') {
          throw new UsageError(
            `no Batch job ${jobId} in account ${accountId}, region ${region}`,
            'check --job-id, and pass --region (or --bucket) for the region the job was created in',
            'UnknownJob',
            { cause: err },
          );
        }
        throw mapped(err, 's3:DescribeJob', endpoint);
      }
    },

    async unfinishedJobs(accountId) {
      const { client } = await control();
      const jobs: { jobId: string; description: string; status: string }[] = [];
      try {
        let token: string | undefined;
        do {
          const out = await client.send(
            new sdk.s3control.ListJobsCommand({
              AccountId: accountId,
              JobStatuses: [...UNFINISHED],
              ...(token ? { NextToken: token } : {}),
            }),
          );
          for (const j of out.Jobs ?? [])
            if (j.JobId)
              jobs.push({ jobId: j.JobId, description: j.Description ?? '', status: j.Status ?? '' });
          token = out.NextToken;
        } while (token);
      } catch (err) {
        if (errorName(err) === 'AbortError') throw err;
        return undefined;
      }
      return jobs;
    },

    async bucketVersioning(bucket) {
      const out = await call({ ...base, action: 's3:GetBucketVersioning', bucket }, () =>
        aws.s3.send(new sdk.s3.GetBucketVersioningCommand({ Bucket: bucket })),
      );
      return out.Status ?? undefined;
    },
  };
}

/** Job statuses before an end (Complete, Failed, Cancelled and the -ing forms of those). */
const UNFINISHED = ['New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Pausing', 'Paused'] as const;

/**
 * IdempotencyException: this token (account, region, operation, manifest and its ETag, key,
 * class: job-request.ts) already made a job, and this request differs from that one in what the
 * token leaves out (description, priority, role, report). That job is doing this work already:
 * the line says how to find it (ListJobs shows descriptions, not tokens), and how to run the same
 * objects again on purpose (the manifest's ARN is in the token; the same bytes uploaded again
 * keep their ETag, so only another key gives a new token).
 */
function alreadyCreated(request: CreateJobRequest, region: string, cause: unknown): PreconditionError {
  const manifest = request.Manifest?.Location;
  const what = manifest
    ? `manifest ${manifest.ObjectArn.replace(/^arn:aws[a-z-]*:s3:::/, 's3://')} (ETag ${manifest.ETag})`
    : 'this generated object list (same bucket, filter and day)';
  // Our descriptions begin "s3-encrypt <group> [class] s3://<bucket>"; the rest (counts, names) may differ.
  const described = request.Description.split(' (')[0] ?? request.Description;
  const again = manifest
    ? 'to run these objects again on purpose, copy the manifest to another key and pass that with --manifest'
    : 'to run it again on purpose, wait for the next day (UTC)';
  return new PreconditionError(
    'JobAlreadyCreated',
    `a Batch job for ${what} with the same key and class already exists in account ${request.AccountId}, ${region}, created with another description, priority, role or report`,
    `follow that job instead: find its id with 'aws s3control list-jobs --account-id ${request.AccountId} --region ${region}' (description "${described}..."), then 's3-encrypt status --job-id ID --region ${region}'; ${again}`,
    { cause },
  );
}

function toJobInfo(job: JobDescriptor, jobId: string): JobInfo {
  const op = job.Operation;
  const copy = op?.S3PutObjectCopy;
  const operation = copy
    ? 'copy'
    : op?.S3UpdateObjectEncryption
      ? 'update-encryption'
      : (Object.keys(op ?? {}).find((k) => (op as Record<string, unknown>)[k] !== undefined) ?? undefined);
  const progress = job.ProgressSummary;
  const report = job.Report;
  return {
    jobId: job.JobId ?? jobId,
    status: job.Status ?? 'unknown',
    description: job.Description,
    operation,
    storageClass: copy?.StorageClass,
    kmsKeyArn: copy?.SSEAwsKmsKeyId ?? op?.S3UpdateObjectEncryption?.ObjectEncryption?.SSEKMS?.KMSKeyArn,
    roleArn: job.RoleArn,
    targetBucket: copy?.TargetResource?.replace(/^arn:aws[a-z-]*:s3:::/, ''),
    total: progress?.TotalNumberOfTasks,
    succeeded: progress?.NumberOfTasksSucceeded,
    failed: progress?.NumberOfTasksFailed,
    elapsedSeconds: progress?.Timers?.ElapsedTimeInActiveSeconds,
    creationTime: job.CreationTime,
    terminationDate: job.TerminationDate,
    failureReasons: (job.FailureReasons ?? []).map((f) => ({
      code: f.FailureCode ?? 'unknown',
      reason: f.FailureReason ?? '',
    })),
    statusUpdateReason: job.StatusUpdateReason,
    suspendedCause: job.SuspendedCause,
    report:
      report?.Bucket !== undefined
        ? {
            bucket: report.Bucket.replace(/^arn:aws[a-z-]*:s3:::/, ''),
            prefix: report.Prefix,
            enabled: report.Enabled === true,
            scope: report.ReportScope,
          }
        : report
          ? { bucket: '', enabled: false }
          : undefined,
  };
}
