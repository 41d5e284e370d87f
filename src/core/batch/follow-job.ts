import { InterruptedError, S3EncryptError, UsageError } from '../errors.js';
import type { BucketEncryptionStore, AccountInfo } from '../ports.js';
import { describeRef, toFileRef } from './file-ref.js';
import { isTerminal, jobSucceeded, type JobInfo } from './job-status.js';
import type { BatchFiles, BatchJobs, FileRef } from './ports.js';
import { readCompletionReport, type ReportReading } from './read-report.js';

/** The ports status's use case works through. */
export interface FollowJobPorts {
  account: AccountInfo;
  batchJobs: BatchJobs;
  batchFiles: BatchFiles;
  /** Only for the key a retry command names (a copy job names none). */
  encryption: BucketEncryptionStore;
  /** MD5 of text: an S3 retry manifest's ETag, to tell our own earlier write from something else. */
  md5Hex(text: string): string;
  /** Waits between polls; false when the interrupt cut the wait short. */
  wait(ms: number, signal: AbortSignal): Promise<boolean>;
}

export interface FollowJobInput {
  jobId: string;
  watch: boolean;
  intervalSeconds: number;
  /** --retry-manifest, resolved (retryTarget). */
  retryRef?: FileRef | undefined;
  signal: AbortSignal;
}

interface WrittenRetryManifest {
  location: string;
  etag?: string | undefined;
  rows: number;
}

export type FollowJobResult =
  /** Ctrl-C while watching: the job keeps running. */
  | { interrupted: true; job: JobInfo }
  | {
      interrupted: false;
      /** With the bucket default's key filled in when a retry command must name one. */
      job: JobInfo;
      /** Read once the job has ended. */
      reading?: ReportReading | undefined;
      retry?: WrittenRetryManifest | undefined;
      /** Complete, and no failed task in the report. */
      succeeded: boolean;
    };

export interface FollowJobEvents {
  /** Each DescribeJob answer, the first one included. */
  polled?(job: JobInfo): void;
  /** No more polls. */
  watchEnded?(): void;
}

/**
 * status: DescribeJob (polled with --watch until the job ends or is Suspended), then for an ended
 * job its completion report (failures by code) and, if asked and there are failed tasks to
 * retry, the retry manifest.
 */
export async function followJob(
  ports: FollowJobPorts,
  input: FollowJobInput,
  events: FollowJobEvents = {},
): Promise<FollowJobResult> {
  const accountId = await ports.account.accountId();
  let job = await ports.batchJobs.describeJob(accountId, input.jobId);
  for (;;) {
    events.polled?.(job);
    if (!input.watch || isTerminal(job.status) || job.status === 'Suspended') break;
    if (!(await ports.wait(input.intervalSeconds * 1000, input.signal))) break;
    job = await ports.batchJobs.describeJob(accountId, input.jobId);
  }
  events.watchEnded?.();
  if (input.signal.aborted) return { interrupted: true, job };

  const reading = isTerminal(job.status) ? await readCompletionReport(ports.batchFiles, job) : undefined;
  let retry: WrittenRetryManifest | undefined;
  const retryRef = input.retryRef;
  if (retryRef && reading?.found && reading.retry.rows > 0) {
    await refuseForeignRetryTarget(ports, retryRef, reading.retry.csv);
    const written = await ports.batchFiles.writeText(retryRef, reading.retry.csv, 'text/csv');
    retry = { location: describeRef(retryRef), etag: written.etag, rows: reading.retry.rows };
  }
  const succeeded = jobSucceeded(job) && (!reading?.found || reading.failures.failed === 0);
  // A copy job names no key (it takes the bucket default's, which create-job checked): the retry
  // command names the key that default uses now, or KEY when it cannot be read.
  if (retry && job.kmsKeyArn === undefined && job.targetBucket)
    job = { ...job, kmsKeyArn: await defaultKeyOf(ports.encryption, job.targetBucket) };
  return { interrupted: false, job, reading, retry, succeeded };
}

/** A directory-like S3 target (`s3://b/retry/`) gets a file name of its own. */
export function retryTarget(value: string, jobId: string, cwd: string): FileRef {
  const v = value.trim();
  if (/^s3:\/\/[^/]+\/?$/i.test(v) || (/^s3:\/\//i.test(v) && v.endsWith('/')))
    return toFileRef(`${v.replace(/\/?$/, '/')}retry-job-${jobId}.csv`, '--retry-manifest', cwd);
  return toFileRef(v, '--retry-manifest', cwd);
}

/**
 * --retry-manifest never replaces a file or object that holds something else (another job's retry
 * manifest, the job's own manifest, a summary): the same bytes (status run again on the same job)
 * are written again, anything else is refused before the write. S3 compares the ETag with the
 * MD5 of the text, which is what a single PUT with SSE-S3 (how it is written) gets.
 */
async function refuseForeignRetryTarget(ports: FollowJobPorts, ref: FileRef, csv: string): Promise<void> {
  let other: boolean;
  if (ref.kind === 's3') {
    const facts = await ports.batchFiles.head(ref.location);
    other = facts !== undefined && facts.etag !== ports.md5Hex(csv);
  } else {
    try {
      other = (await ports.batchFiles.readText(ref)) !== csv;
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
async function defaultKeyOf(encryption: BucketEncryptionStore, bucket: string): Promise<string | undefined> {
  try {
    const rule = (await encryption.getEncryption(bucket))?.Rules[0];
    const d = rule?.ApplyServerSideEncryptionByDefault;
    return d?.SSEAlgorithm === 'aws:kms' ? d.KMSMasterKeyID : undefined;
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    return undefined; // only a hint in a printed command: KEY says it is not known
  }
}

/** The wait between polls, cut short by the interrupt (resolves false then). */
export function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
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
