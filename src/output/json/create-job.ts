import { z } from 'zod';
import { NonNegativeInt } from './common.js';

/**
 * create-job --json (src/commands/create-job.ts): a dry run prints one document with the exact
 * CreateJob requests; a run that creates jobs prints one line per job; a run with nothing for
 * Batch to do prints one document saying so.
 */

const Group = z
  .enum(['copy', 'update-encryption'])
  .describe(
    'copy: Batch copies NOT-SSE objects onto themselves; update-encryption: UpdateObjectEncryption of SSE-S3 / other-key objects',
  );

const Skipped = z
  .array(
    z
      .strictObject({
        name: z.string().describe("the manifest's name (large, archived, ...)"),
        group: z.string().describe('its group'),
        objects: NonNegativeInt.describe('objects in it'),
        bytes: z.number().nonnegative().describe('their sizes added up'),
        reason: z.string().describe('why no job is made for it, and what to run instead'),
      })
      .describe('a manifest no Batch job is made for'),
  )
  .describe('manifests left to other commands (large objects, archived objects)');

/** With --inventory: the delivery build-manifest's code read and the manifests it uploaded (or would). */
const Built = {
  delivery: z
    .strictObject({
      manifest: z.string().describe("the delivery's manifest.json"),
      date: z.string().describe('the delivery folder, YYYY-MM-DDTHH-MMZ'),
      creationTimestamp: z
        .string()
        .describe('manifest.json creationTimestamp, epoch milliseconds as a string'),
      files: NonNegativeInt.describe('data files read'),
      engine: z.enum(['local', 'select']).describe('how they were read'),
    })
    .optional()
    .describe('--inventory only: the delivery the manifests were built from'),
  summary: z
    .string()
    .optional()
    .describe('--inventory only: where summary.json is (or, in a dry run, would be)'),
  manifests: z
    .array(
      z.strictObject({
        name: z.string().describe('copy-<CLASS>, update-encryption, large, archived'),
        objects: NonNegativeInt.describe('rows'),
        bytes: z.number().nonnegative().describe('their sizes added up'),
        location: z.string().describe('s3://BUCKET/KEY of the manifest'),
        etag: z.string().nullable().describe('its ETag (the one the upload gets, in a dry run)'),
      }),
    )
    .optional()
    .describe('--inventory only: the manifests built'),
};

/** A CreateJob request as S3 Control takes it (AWS's shape; the tests check each against AWS's model). */
const CreateJobRequest = z
  .looseObject({
    AccountId: z.string().describe('the account the job runs in'),
    ClientRequestToken: z
      .string()
      .describe('idempotency token: the same manifest gives the same token, so a rerun returns the same job'),
    RoleArn: z.string().describe('the role S3 Batch Operations assumes'),
    Operation: z
      .record(z.string(), z.unknown())
      .describe('S3PutObjectCopy or the update-encryption operation'),
    Report: z.record(z.string(), z.unknown()).describe('the completion report'),
  })
  .describe(
    "an S3 Control CreateJob request, exactly as it would be sent (AWS's shape: free-form beyond the fields named)",
  );

export const CreateJobDryRun = z
  .strictObject({
    dryRun: z.literal(true).describe('--dry-run: nothing was created'),
    bucketDefault: z
      .string()
      .describe("the bucket's default encryption, in words (a warning when it is not SSE-KMS under the key)"),
    ...Built,
    requests: z.array(CreateJobRequest).min(1).describe('the CreateJob requests, one per job'),
    skipped: Skipped,
  })
  .describe('create-job --dry-run --json: the exact CreateJob requests; nothing is created.');
export type CreateJobDryRun = z.infer<typeof CreateJobDryRun>;

export const CreateJobNothingToDo = z
  .strictObject({
    dryRun: z.boolean().describe('whether --dry-run was given'),
    jobs: z
      .array(z.never())
      .length(0)
      .describe('no job: the summary lists no copy or update-encryption objects'),
    skipped: Skipped,
    ...Built,
  })
  .describe('create-job --json when there is nothing for Batch to do.');
export type CreateJobNothingToDo = z.infer<typeof CreateJobNothingToDo>;

export const CreateJobRecord = z
  .strictObject({
    jobId: z.string().min(1).describe('the job S3 Batch Operations created (or returned for the same token)'),
    group: Group,
    storageClass: z
      .string()
      .nullable()
      .describe('copy jobs: the storage class the objects keep; null for update-encryption'),
    source: z
      .string()
      .describe('s3://BUCKET/KEY of the manifest the job reads, or "generated list" (--generate-manifest)'),
    token: z.string().describe('its ClientRequestToken'),
    follow: z.string().describe('the command that follows the job'),
  })
  .describe('create-job --json: one line per job created.');
export type CreateJobRecord = z.infer<typeof CreateJobRecord>;
