import { PreconditionError, S3EncryptError, UsageError } from '../errors.js';
import type { BucketInfo } from '../ports.js';
import { formatS3Uri, type S3Location } from '../s3-uri.js';
import type { BatchFiles, BatchJobs } from './ports.js';

/**
 * The report bucket (and a manifest's bucket) must exist and be in the job's region: Batch
 * accepts the job and fails it later otherwise (or writes no report). A dry run warns (returned
 * as a note); a real run refuses before CreateJob. A bucket the caller may not HEAD is not
 * judged (the job's role, not the caller, reads and writes it): a note says it was not checked.
 */
export async function checkJobBucket(
  buckets: BucketInfo,
  jobRegion: string,
  bucket: string,
  what: 'report' | 'manifest',
  flag: string,
  dryRun: boolean,
): Promise<string | undefined> {
  let region: string;
  try {
    region = await buckets.bucketRegion(bucket);
  } catch (err) {
    if (err instanceof S3EncryptError && err.code === 'NoSuchBucket') {
      const problem = `the ${what} bucket ${bucket} does not exist`;
      const fix = `create it in ${jobRegion}, or fix ${flag}`;
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
  if (region === jobRegion) return undefined;
  const problem = `the ${what} bucket ${bucket} is in ${region}, but the job runs in ${jobRegion} (the region of --bucket)`;
  const fix = `use a ${what} bucket in ${jobRegion}`;
  if (dryRun) return `${problem}: the job would fail; ${fix}`;
  throw new UsageError(
    problem,
    fix,
    what === 'report' ? 'ReportBucketInOtherRegion' : 'ManifestBucketInOtherRegion',
  );
}

/** Batch fails a job whose manifest changed or is SSE-KMS: catch both before a job exists. */
export async function checkManifestObject(
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
export async function checkGeneratorCopy(
  batchJobs: BatchJobs,
  bucket: string,
  allowVersioned: boolean,
): Promise<string | undefined> {
  const status = await batchJobs.bucketVersioning(bucket);
  if (status === 'Enabled' || status === 'Suspended') {
    const risk =
      'AWS does not document whether a generated list names noncurrent versions; a copy of one would make old content current again';
    if (!allowVersioned) {
      throw new PreconditionError(
        'VersionedGeneratorCopy',
        `${bucket} is versioned (${status}): ${risk}`,
        'use setup-inventory + build-manifest (copy manifests without version ids), or pass --allow-versioned to accept the risk',
      );
    }
    return `${bucket} is versioned: ${risk} (--allow-versioned given)`;
  }
  return undefined;
}

/**
 * Other s3-encrypt jobs still running on this bucket (an earlier delivery's, say): an object in
 * both manifests is copied twice, an extra version and request each. Said, not refused: they may
 * be this run's own from another region or a job the operator meant to run.
 */
export async function otherRunningJobs(
  batchJobs: BatchJobs,
  accountId: string,
  bucket: string,
  created: readonly { jobId: string }[],
): Promise<{ jobId: string; status: string }[]> {
  const ours = new Set(created.map((c) => c.jobId));
  return ((await batchJobs.unfinishedJobs?.(accountId)) ?? []).filter(
    (j) =>
      !ours.has(j.jobId) &&
      j.description.startsWith('s3-encrypt ') &&
      j.description.includes(`s3://${bucket} `),
  );
}
