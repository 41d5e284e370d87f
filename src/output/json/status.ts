import { z } from 'zod';
import { NonNegativeInt } from './common.js';

/** status --json: one document (src/commands/status.ts); with --watch, the one printed when it stops. */

const Count = NonNegativeInt.nullable();

export const StatusOutput = z
  .strictObject({
    jobId: z.string().describe('the job'),
    status: z
      .string()
      .describe(
        "the job's status as S3 Batch Operations reports it (New, Preparing, Suspended, Ready, Active, Pausing, Paused, Complete, Cancelling, Cancelled, Failing, Failed, ...): AWS's vocabulary, passed on as it is",
      ),
    operation: z
      .string()
      .nullable()
      .describe(
        'copy or update-encryption for jobs this tool creates; the raw operation name otherwise; null when unknown',
      ),
    storageClass: z.string().nullable().describe('copy jobs: the storage class written; null otherwise'),
    total: Count.describe('tasks in the job; null until known'),
    succeeded: Count.describe('tasks that succeeded so far; null until known'),
    failed: Count.describe('tasks that failed so far; null until known'),
    failureReasons: z
      .array(
        z
          .strictObject({
            code: z.string().describe('failure code'),
            reason: z.string().describe('failure reason'),
          })
          .describe('one reason the job gives'),
      )
      .describe("the job's own failure reasons (the job as a whole, not its tasks)"),
    succeededOverall: z
      .boolean()
      .describe(
        'true only when the job completed and no task failed (per its counts and, when read, its report)',
      ),
    report: z
      .union([
        z
          .strictObject({
            index: z.string().describe("the completion report's manifest.json (s3://...)"),
            failed: NonNegativeInt.describe('failed tasks the report lists'),
            byCode: z
              .record(z.string(), NonNegativeInt)
              .describe("failed tasks by result code (free-form map: the codes are S3's)"),
            retryable: NonNegativeInt.describe(
              'failed tasks that can be retried (their objects still exist)',
            ),
            gone: NonNegativeInt.describe('failed tasks whose objects were proved deleted since'),
          })
          .describe('the completion report, read'),
        z
          .strictObject({
            index: z
              .string()
              .nullable()
              .describe('where the report was looked for; null when the job has none'),
            missing: z.string().describe('why it could not be read'),
          })
          .describe('the completion report could not be read'),
      ])
      .nullable()
      .describe('the completion report of a finished job; null while the job runs'),
    retryManifest: z
      .strictObject({
        location: z.string().describe('where the retry manifest was written (s3://... or a path)'),
        etag: z.string().optional().describe('its ETag, when uploaded to S3'),
        rows: z.number().int().positive().describe('tasks in it'),
      })
      .nullable()
      .describe('--retry-manifest: the manifest of retryable tasks written; null when none was written'),
    follow: z.string().nullable().describe('the command that follows the job; null once it has ended'),
  })
  .describe("status --json: a Batch job's progress and, once it ends, its failures.");
export type StatusOutput = z.infer<typeof StatusOutput>;
