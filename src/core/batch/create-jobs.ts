import { readDefaultEncryption } from '../encryption/default-state.js';
import type { BuildResult } from '../inventory/build-manifests.js';
import type { InventoryPorts, OfflineInventoryPorts } from '../inventory/ports.js';
import type { ResolvedKey } from '../kms/key.js';
import type { AccountInfo, BucketEncryptionStore, BucketInfo, KeyDirectory } from '../ports.js';
import type { ManifestSummary } from '../inventory/manifest-summary.js';
import type { CheckedCreateJobFlags, CreateJobFlags } from './create-job-flags.js';
import { requireBatchReadyDefault } from './default-encryption-gate.js';
import type { SkippedManifest } from './batch-manifests.js';
import { checkJobBucket, otherRunningJobs } from './job-preconditions.js';
import { checkAccountId, checkRoleAccount, type CommonJobInput, type Sha256Hex } from './job-request.js';
import { generatorJobs, manifestJobs, type JobDraft } from './job-drafts.js';
import type { BatchFiles, BatchJobs } from './ports.js';

/** The ports create-job's use case works through. */
export interface CreateJobsPorts {
  encryption: BucketEncryptionStore;
  keys: KeyDirectory;
  account: AccountInfo;
  buckets: BucketInfo;
  batchJobs: BatchJobs;
  batchFiles: BatchFiles;
  inventory: InventoryPorts;
  offlineInventory: OfflineInventoryPorts;
  /** For the ClientRequestToken of each job. */
  sha256Hex: Sha256Hex;
}

export interface CreateJobsInput {
  flags: CreateJobFlags;
  checked: CheckedCreateJobFlags;
  /** The target key, resolved (create-job refuses --skip-key-check). */
  key: ResolvedKey;
  /** The bucket's region: the jobs run there. */
  region: string;
  /** For a relative --summary path. */
  cwd: string;
  /** A local --summary, already read (readLocalSummary): it is read before any request. */
  summary?: ManifestSummary | undefined;
  now: () => Date;
  signal?: AbortSignal | undefined;
}

/** What is known before the first CreateJob. */
export interface JobsToCreate {
  dryRun: boolean;
  region: string;
  bucket: string;
  /** The bucket default's check, passed. */
  defaultNote: string;
  /** --inventory: the manifests built (and, unless a dry run, uploaded) from the delivery. */
  built?: BuildResult | undefined;
  jobs: JobDraft[];
  skipped: SkippedManifest[];
  /** Printed after the result, so a refusal is never preceded by unrelated warnings. */
  notes: string[];
}

export interface CreatedJob {
  jobId: string;
  job: JobDraft;
}

export interface CreateJobsResult extends JobsToCreate {
  /** Empty for a dry run or when there is nothing to do. */
  created: CreatedJob[];
  /** Other s3-encrypt jobs still running on the bucket (see otherRunningJobs). */
  otherJobs: { jobId: string; status: string }[];
}

/** Told as the run goes, so what happened is shown even if a later CreateJob fails. */
export interface CreateJobsEvents {
  /** Every check passed; before the first CreateJob (also for a dry run). */
  ready?(plan: JobsToCreate): void;
  created?(job: CreatedJob): void;
  /** Every job created; before other running jobs are listed. */
  allCreated?(created: readonly CreatedJob[]): void;
}

/**
 * create-job: the bucket-default gate, the account and role checks, the jobs from a summary, a
 * manifest, an inventory delivery or a generated list with their preconditions, then CreateJob
 * for each (idempotent: the token is derived from what the job does) unless a dry run.
 */
export async function createJobs(
  ports: CreateJobsPorts,
  input: CreateJobsInput,
  events: CreateJobsEvents = {},
): Promise<CreateJobsResult> {
  const { flags, key, region } = input;
  // Before any upload or job: the copies take their encryption from the bucket default.
  const defaultNote = requireBatchReadyDefault(
    await readDefaultEncryption(ports, flags.bucket, key),
    flags.bucket,
    key.id,
  );
  const accountId = checkAccountId(await ports.account.accountId());
  checkRoleAccount(input.checked.roleArn, accountId);
  // A run that would fail at CreateJob for want of S3 Control fails before it uploads anything.
  if (!flags.dryRun) await ports.batchJobs.checkEndpoint?.();
  const common: CommonJobInput = {
    accountId,
    region,
    roleArn: input.checked.roleArn,
    priority: flags.priority,
    report: input.checked.report,
    keyArn: key.id,
    bucket: flags.bucket,
  };
  const report = input.checked.report.bucket;
  const reportNote = await checkJobBucket(ports.buckets, region, report, 'report', '--report', flags.dryRun);
  const planned = flags.generateManifest
    ? await generatorJobs(ports, input, common)
    : await manifestJobs(ports, input, common);
  const plan: JobsToCreate = {
    dryRun: flags.dryRun,
    region,
    bucket: flags.bucket,
    defaultNote,
    built: planned.built,
    jobs: planned.jobs,
    skipped: planned.skipped,
    notes: [...(reportNote ? [reportNote] : []), ...planned.notes],
  };
  events.ready?.(plan);
  if (plan.jobs.length === 0 || flags.dryRun) return { ...plan, created: [], otherJobs: [] };
  const created: CreatedJob[] = [];
  for (const job of plan.jobs) {
    const c = { jobId: await ports.batchJobs.createJob(job.request), job };
    created.push(c);
    events.created?.(c);
  }
  events.allCreated?.(created);
  const otherJobs = await otherRunningJobs(ports.batchJobs, accountId, flags.bucket, created);
  return { ...plan, created, otherJobs };
}
