import { z } from 'zod';
import { joinKey } from '../s3-uri.js';

/** `<prefix>/job-<id>/manifest.json`: the index of a Batch completion report. */
export const ReportIndex = z.object({
  Format: z.string(),
  ReportCreationDate: z.string().optional(),
  Results: z.array(
    z.object({
      TaskExecutionStatus: z.string(),
      /** A bucket NAME here, not an ARN. */
      Bucket: z.string(),
      MD5Checksum: z.string().optional(),
      Key: z.string(),
    }),
  ),
  ReportSchema: z.string().optional(),
});
export type ReportIndex = z.infer<typeof ReportIndex>;

export function reportIndexKey(prefix: string | undefined, jobId: string): string {
  return joinKey(prefix ?? '', `job-${jobId}`, 'manifest.json');
}

/** The result files that can hold failed tasks (with AllTasks there are also `succeeded` ones). */
export function failedResultFiles(index: ReportIndex): { bucket: string; key: string }[] {
  return index.Results.filter((r) => r.TaskExecutionStatus.toLowerCase() === 'failed').map((r) => ({
    bucket: r.Bucket.replace(/^arn:aws[a-z-]*:s3:::/, ''),
    key: r.Key,
  }));
}

/** One row of a completion report, in our words. */
export interface TaskResult {
  bucket: string;
  /** As written in the report (the manifest's URL-encoded form). */
  key: string;
  versionId?: string | undefined;
  status: string;
  errorCode?: string | undefined;
  httpStatus?: number | undefined;
  message?: string | undefined;
}

const HTTP_STATUS = /^\d{3}$/;

/**
 * Interpret one parsed CSV row. ReportSchema says `Bucket, Key, VersionId, TaskStatus, ErrorCode,
 * HTTPStatusCode, ResultMessage`, but AWS's own example rows (and live reports) put the HTTP status
 * before the error code, so columns 4 and 5 are told apart by content: the 3-digit one is the status.
 */
export function interpretReportRow(fields: readonly string[]): TaskResult | undefined {
  if (fields.length < 4) return undefined;
  const [bucket = '', key = '', versionId = '', status = '', a = '', b = '', ...rest] = fields;
  let httpText: string | undefined;
  let code: string | undefined;
  if (HTTP_STATUS.test(a)) {
    httpText = a;
    code = b;
  } else if (HTTP_STATUS.test(b)) {
    httpText = b;
    code = a;
  } else {
    code = a || b;
  }
  const message = rest.join(',');
  return {
    bucket,
    key,
    ...(versionId ? { versionId } : {}),
    status: status.toLowerCase(),
    ...(code ? { errorCode: code } : {}),
    ...(httpText ? { httpStatus: Number(httpText) } : {}),
    ...(message ? { message } : {}),
  };
}

export interface FailureSummary {
  failed: number;
  /** Error code (or `HTTP <status>` when the row has none) -> count, largest first. */
  byCode: [string, number][];
  /** One example message per code, for the human summary. */
  examples: Record<string, string>;
}

export class FailureTally {
  private failed = 0;
  private readonly codes = new Map<string, number>();
  private readonly examples: Record<string, string> = {};

  add(r: TaskResult): void {
    if (r.status !== 'failed') return;
    this.failed++;
    const code = r.errorCode ?? (r.httpStatus ? `HTTP ${r.httpStatus}` : 'unknown');
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
    if (r.message && this.examples[code] === undefined) this.examples[code] = r.message.slice(0, 300);
  }

  summary(): FailureSummary {
    return {
      failed: this.failed,
      byCode: [...this.codes.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])),
      examples: { ...this.examples },
    };
  }
}
