/** What DescribeJob tells us, in our own words. Counts are absent while a job is Preparing. */
export interface JobInfo {
  jobId: string;
  status: string;
  description?: string | undefined;
  /** copy / update-encryption for jobs this tool creates; the raw operation name otherwise. */
  operation?: string | undefined;
  storageClass?: string | undefined;
  /** The key ARN the job writes with (copy: SSEAwsKmsKeyId; update: KMSKeyArn). */
  kmsKeyArn?: string | undefined;
  roleArn?: string | undefined;
  /** Bucket name the job writes to (copy) or the manifest's bucket (others), when known. */
  targetBucket?: string | undefined;
  total?: number | undefined;
  succeeded?: number | undefined;
  failed?: number | undefined;
  elapsedSeconds?: number | undefined;
  creationTime?: Date | undefined;
  terminationDate?: Date | undefined;
  failureReasons: { code: string; reason: string }[];
  statusUpdateReason?: string | undefined;
  suspendedCause?: string | undefined;
  report?:
    { bucket: string; prefix?: string | undefined; enabled: boolean; scope?: string | undefined } | undefined;
}

/** Statuses a job never leaves. */
const TERMINAL_STATUSES: readonly string[] = ['Complete', 'Failed', 'Cancelled'];

export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * "Complete" only means the job stopped running; it is a success only when its counters say
 * that every task succeeded: all three present, none failed, succeeded equal to the total. A
 * counter that is missing proves nothing, so it is not read as 0.
 */
export function jobSucceeded(job: JobInfo): boolean {
  return (
    job.status === 'Complete' && job.failed === 0 && job.total !== undefined && job.succeeded === job.total
  );
}

/** Fraction of tasks done (succeeded + failed), or undefined while the total is unknown. */
export function progressFraction(job: JobInfo): number | undefined {
  if (!job.total) return job.status === 'Complete' ? 1 : undefined;
  return Math.min(1, ((job.succeeded ?? 0) + (job.failed ?? 0)) / job.total);
}
