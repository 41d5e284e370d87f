import type { S3Location } from '../s3-uri.js';
import type { CreateJobRequest } from './job-request.js';
import type { JobInfo } from './job-status.js';

/** S3 Batch Operations through S3 Control, in the region the services were built for. */
export interface BatchJobs {
  /**
   * Refuses (without sending anything) when S3 Control cannot be asked as configured: no endpoint
   * of its own beside a custom S3 endpoint, or one that cannot be a URL for it. create-job calls
   * it before its first upload. Adapters that send S3 Control requests implement it.
   */
  checkEndpoint?(): Promise<void>;
  /** CreateJob; returns the job id. A replay with the same ClientRequestToken creates nothing new. */
  createJob(request: CreateJobRequest): Promise<string>;
  /** DescribeJob. Throws UsageError(UnknownJob) when the account has no such job in this region. */
  describeJob(accountId: string, jobId: string): Promise<JobInfo>;
  /**
   * ListJobs of the jobs not yet ended (New ... Active, Paused, Suspended), or undefined when they
   * cannot be listed (s3:ListJobs not granted, an odd answer): only a warning rests on it.
   */
  unfinishedJobs?(
    accountId: string,
  ): Promise<{ jobId: string; description: string; status: string }[] | undefined>;
  /** GetBucketVersioning: 'Enabled', 'Suspended', or undefined for a never-versioned bucket. */
  bucketVersioning(bucket: string): Promise<string | undefined>;
}

/** A small file around a Batch job: in S3 (s3://...) or on the local disk. */
export type FileRef =
  | { kind: 's3'; location: S3Location }
  /** `path` as the user typed it; relative paths are resolved against `cwd`. */
  | { kind: 'file'; path: string; cwd: string; flag?: string | undefined };

/** @internal */
export interface ObjectFacts {
  etag: string;
  serverSideEncryption?: string | undefined;
}

/** Reading and writing manifests, summaries and completion reports. */
export interface BatchFiles {
  /** The whole text. Throws UsageError(NotFound) when the file or object does not exist. */
  readText(ref: FileRef): Promise<string>;
  /** The first line (read with a ranged GET: manifests can be large). '' for an empty object. */
  firstLine(location: S3Location): Promise<string>;
  /** HeadObject facts, or undefined when the object does not exist. */
  head(location: S3Location): Promise<ObjectFacts | undefined>;
  /** Parsed CSV rows of a report results file, streamed. */
  csvRows(location: S3Location): AsyncIterable<string[]>;
  /**
   * Write text. In S3 always with SSE-S3 (Batch cannot read SSE-KMS CSV manifests, and the bucket's
   * default may be SSE-KMS); returns the ETag without quotes. On disk returns no ETag.
   */
  writeText(ref: FileRef, text: string, contentType: string): Promise<{ etag?: string | undefined }>;
}

/**
 * Hex digests of UTF-8 text, injected because the core does no crypto itself: SHA-256 for the
 * CreateJob ClientRequestToken, MD5 to compare a text with the ETag of its single-PUT object.
 * Plain functions (no `this`), handed on on their own.
 */
export interface TextDigests {
  sha256Hex: (text: string) => string;
  md5Hex: (text: string) => string;
}
