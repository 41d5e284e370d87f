// The completion report, where and how AWS writes it (UG batch-ops-job-status.html "Completion
// reports", batch-ops-examples-reports.html):
//   <Prefix>/job-<id>/manifest.json   {Format, ReportCreationDate, Results[{TaskExecutionStatus,
//                                      Bucket (a NAME), MD5Checksum, Key}], ReportSchema}
//   <Prefix>/job-<id>/results/<40 hex>.csv   one file per task status
// Rows follow AWS's example rows (and live reports), which put the HTTP status before the error
// code although ReportSchema lists ErrorCode first:
//   bucket,key,version,failed,200,PermanentFailure,"message"   /   bucket,key,version,succeeded,200,,Successful
// Keys are written as the manifest had them (URL-encoded). "Completion reports are always
// encrypted with Amazon S3 managed keys (SSE-S3)."
import { createHash } from 'node:crypto';

export interface TaskOutcome {
  bucket: string;
  /** As in the manifest (URL-encoded). */
  key: string;
  versionId?: string | undefined;
  status: 'succeeded' | 'failed';
  httpStatus: number;
  errorCode?: string | undefined;
  message: string;
}

const REPORT_SCHEMA = 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function reportRow(t: TaskOutcome): string {
  return [t.bucket, t.key, t.versionId ?? '', t.status, String(t.httpStatus), t.errorCode ?? '', t.message]
    .map(field)
    .join(',');
}

export interface ReportFile {
  key: string;
  body: string;
}

/** The files of one report: results CSVs first, the index manifest.json last (it names them). */
export function reportFiles(opts: {
  jobId: string;
  bucket: string;
  prefix?: string | undefined;
  scope: 'AllTasks' | 'FailedTasksOnly';
  outcomes: readonly TaskOutcome[];
  now: Date;
}): ReportFile[] {
  const base = [opts.prefix?.replace(/\/+$/, ''), `job-${opts.jobId}`].filter(Boolean).join('/');
  const statuses: TaskOutcome['status'][] = opts.scope === 'AllTasks' ? ['succeeded', 'failed'] : ['failed'];
  const files: ReportFile[] = [];
  const results: { TaskExecutionStatus: string; Bucket: string; MD5Checksum: string; Key: string }[] = [];
  for (const status of statuses) {
    const rows = opts.outcomes.filter((o) => o.status === status);
    if (rows.length === 0) continue;
    const name = createHash('sha1').update(`${opts.jobId}/${status}`).digest('hex');
    const key = `${base}/results/${name}.csv`;
    const body = rows.map(reportRow).join('\n') + '\n';
    files.push({ key, body });
    results.push({
      TaskExecutionStatus: status,
      Bucket: opts.bucket,
      MD5Checksum: createHash('md5').update(body).digest('hex'),
      Key: key,
    });
  }
  files.push({
    key: `${base}/manifest.json`,
    body: JSON.stringify({
      Format: 'Report_CSV_20180820',
      ReportCreationDate: opts.now.toISOString(),
      Results: results,
      ReportSchema: REPORT_SCHEMA,
    }),
  });
  return files;
}
