import { formatBytes, formatCount } from '../format.js';
import type { BuildResult } from '../inventory/build-manifests.js';
import { parseManifestSummary, type ManifestSummary } from '../inventory/manifest-summary.js';
import { formatS3Uri, isS3Uri } from '../s3-uri.js';
import type { CreateJobFlags } from './create-job-flags.js';
import type { CreateJobsInput, CreateJobsPorts } from './create-jobs.js';
import { buildDeliveryManifests } from './delivery-manifests.js';
import { describeRef, toFileRef } from './file-ref.js';
import {
  checkCopyUnversioned,
  manifestColumns,
  parseManifestArg,
  batchManifestsOf,
  type BatchManifests,
  type BatchManifest,
  type SkippedManifest,
} from './batch-manifests.js';
import { checkGeneratorCopy, checkJobBucket, checkManifestObject } from './job-preconditions.js';
import {
  generatorJobRequest,
  manifestJobRequest,
  type CommonJobInput,
  type CreateJobRequest,
  type JobGroup,
} from './job-request.js';
import type { BatchFiles } from './ports.js';

/** One CreateJob request and what it is about, for the output. */
export interface JobDraft {
  request: CreateJobRequest;
  group: JobGroup;
  storageClass?: string | undefined;
  source: string;
  objects?: number | undefined;
  bytes?: number | undefined;
}

/** The jobs of one run, before their checks of the bucket default and the report bucket. */
export interface JobDrafts {
  jobs: JobDraft[];
  skipped: SkippedManifest[];
  /** Warnings, printed after the result. */
  notes: string[];
  /** --inventory: the manifests built (and, unless a dry run, uploaded) from the delivery. */
  built?: BuildResult | undefined;
}

/** --generate-manifest: one job per group, Batch lists the objects itself. */
export async function generatorJobs(
  ports: CreateJobsPorts,
  input: CreateJobsInput,
  common: CommonJobInput,
): Promise<JobDrafts> {
  const { flags } = input;
  const notes: string[] = [];
  const groups: JobGroup[] = flags.group ? [flags.group] : ['copy', 'update-encryption'];
  if (groups.includes('copy')) {
    const note = await checkGeneratorCopy(ports.batchJobs, flags.bucket, flags.allowVersioned);
    if (note) notes.push(note);
  }
  if (groups.includes('update-encryption'))
    notes.push(
      'the generated update-encryption job covers SSE-S3 objects only; SSE-KMS objects under another key or without a bucket key need an inventory (setup-inventory + build-manifest)',
    );
  const day = input.now().toISOString().slice(0, 10);
  const jobs = groups.map((group): JobDraft => {
    const storageClass = group === 'copy' ? flags.storageClass : undefined;
    const request = generatorJobRequest(ports.sha256Hex, {
      ...common,
      group,
      storageClass,
      prefix: flags.prefix,
      day,
    });
    return { request, group, storageClass, source: 'generated list' };
  });
  return { jobs, skipped: [], notes };
}

/** One job per manifest: from --summary, --manifest or an inventory delivery built now. */
export async function manifestJobs(
  ports: CreateJobsPorts,
  input: CreateJobsInput,
  common: CommonJobInput,
): Promise<JobDrafts> {
  const { flags, key } = input;
  const delivery = input.checked.delivery;
  const built = delivery
    ? await buildDeliveryManifests(
        { inventory: ports.inventory, offline: ports.offlineInventory },
        {
          ...delivery,
          kmsKey: key.id,
          dryRun: flags.dryRun,
          concurrency: 4,
          now: input.now,
          signal: input.signal,
        },
      )
    : undefined;
  const plan: BatchManifests = built
    ? batchManifestsOf(built.summary, flags.bucket, key)
    : flags.summary !== undefined
      ? await fromManifestSummary(ports.batchFiles, input)
      : { manifests: [await fromManifestArg(ports.batchFiles, flags)], skipped: [] };
  const jobs: JobDraft[] = [];
  const notes: string[] = built ? [...built.warnings] : [];
  for (const bucket of new Set(plan.manifests.map((m) => m.location.bucket))) {
    const where = 'the manifest location';
    const note = await checkJobBucket(ports.buckets, input.region, bucket, 'manifest', where, flags.dryRun);
    if (note) notes.push(note);
  }
  for (const m of plan.manifests) {
    // A dry run from a delivery uploaded nothing: its ETags are the predicted ones.
    if (!(built && flags.dryRun)) await checkManifestObject(ports.batchFiles, m);
    const request = manifestJobRequest(ports.sha256Hex, {
      ...common,
      group: m.group,
      storageClass: m.storageClass,
      manifest: m.location,
      etag: m.etag,
      versioned: m.versioned,
      description: describeJob(m, flags.bucket),
    });
    const { group, storageClass, objects, bytes } = m;
    jobs.push({ request, group, storageClass, source: formatS3Uri(m.location), objects, bytes });
  }
  for (const s of plan.skipped)
    notes.push(
      `not a Batch job: ${s.name} (${formatCount(s.objects)} objects, ${formatBytes(s.bytes)}): ${s.reason}`,
    );
  return { jobs, skipped: plan.skipped, notes, built };
}

async function fromManifestSummary(files: BatchFiles, input: CreateJobsInput): Promise<BatchManifests> {
  const summary = input.summary ?? (await readSummary(files, input.flags.summary as string, input.cwd));
  return batchManifestsOf(summary, input.flags.bucket, input.key);
}

function readSummary(files: BatchFiles, value: string, cwd: string): Promise<ManifestSummary> {
  const ref = toFileRef(value, '--summary', cwd);
  return files.readText(ref).then((text) => parseManifestSummary(text, `--summary ${describeRef(ref)}`));
}

/**
 * --summary when it is a local file, read and checked before any request: a dead network or a
 * missing bucket must not hide a missing or malformed file. An s3:// one is read with the rest.
 */
export async function readLocalSummary(
  files: () => Promise<BatchFiles>,
  flags: Pick<CreateJobFlags, 'summary'>,
  cwd: string,
): Promise<ManifestSummary | undefined> {
  if (flags.summary === undefined || isS3Uri(flags.summary)) return undefined;
  return readSummary(await files(), flags.summary, cwd);
}

async function fromManifestArg(files: BatchFiles, flags: CreateJobFlags): Promise<BatchManifest> {
  const { location, etag } = parseManifestArg(flags.manifest as string);
  const group: JobGroup = flags.group ?? 'copy';
  const where = `manifest ${formatS3Uri(location)}`;
  const versioned = manifestColumns(await files.firstLine(location), where) === 3;
  if (group === 'copy') checkCopyUnversioned(versioned, formatS3Uri(location));
  return {
    name: location.key.split('/').pop() ?? location.key,
    group,
    ...(group === 'copy' ? { storageClass: flags.storageClass } : {}),
    location,
    etag,
    versioned,
  };
}

function describeJob(m: BatchManifest, bucket: string): string {
  const what = `${m.group}${m.storageClass ? ` ${m.storageClass}` : ''}`;
  const count = m.objects !== undefined ? `, ${m.objects} objects` : '';
  return `s3-encrypt ${what} s3://${bucket} (${m.name}${count})`;
}
