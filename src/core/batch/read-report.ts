import { S3EncryptError } from '../errors.js';
import { formatS3Uri, type S3Location } from '../s3-uri.js';
import {
  FailureTally,
  failedResultFiles,
  interpretReportRow,
  ReportIndex,
  reportIndexKey,
  type FailureSummary,
} from './completion-report.js';
import type { JobInfo } from './job-status.js';
import type { BatchFiles } from './ports.js';
import { RetryManifestBuilder, type RetryManifest } from './retry-manifest.js';

export type ReportReading =
  | { found: true; index: string; files: number; failures: FailureSummary; retry: RetryManifest }
  | { found: false; index?: string | undefined; reason: string };

/**
 * Read a finished job's completion report: the index at `<prefix>/job-<id>/manifest.json`, then
 * every results file it lists as failed, row by row (a report can be large).
 */
export async function readCompletionReport(files: BatchFiles, job: JobInfo): Promise<ReportReading> {
  const report = job.report;
  if (!report?.enabled || !report.bucket)
    return { found: false, reason: 'the job was created without a completion report' };
  const location: S3Location = { bucket: report.bucket, key: reportIndexKey(report.prefix, job.jobId) };
  const index = formatS3Uri(location);
  let text: string;
  try {
    text = await files.readText({ kind: 's3', location });
  } catch (err) {
    if (err instanceof S3EncryptError && err.code === 'NotFound') {
      return {
        found: false,
        index,
        reason: `no report at ${index} (Batch writes one only once at least one task has run)`,
      };
    }
    throw err;
  }
  let parsed: ReportIndex;
  try {
    parsed = ReportIndex.parse(JSON.parse(text));
  } catch {
    return { found: false, index, reason: `${index} is not a Batch completion report index` };
  }
  const tally = new FailureTally();
  const retry = new RetryManifestBuilder();
  const results = failedResultFiles(parsed);
  for (const file of results) {
    for await (const fields of files.csvRows(file)) {
      const row = interpretReportRow(fields);
      if (!row) continue;
      tally.add(row);
      retry.add(row);
    }
  }
  return { found: true, index, files: results.length, failures: tally.summary(), retry: retry.build() };
}
