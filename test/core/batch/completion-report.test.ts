import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  FailureTally,
  failedResultFiles,
  interpretReportRow,
  ReportIndex,
  reportIndexKey,
} from '../../../src/core/batch/completion-report.js';

// The top-level manifest.json and failed-task rows from AWS's "Examples: S3 Batch Operations
// completion reports" page (the rows put HTTPStatusCode before ErrorCode, unlike ReportSchema).
const INDEX = {
  Format: 'Report_CSV_20180820',
  ReportCreationDate: '2019-04-05T17:48:39.725Z',
  Results: [
    {
      TaskExecutionStatus: 'succeeded',
      Bucket: 'my-job-reports',
      MD5Checksum: '83b1c4cbe93fc893f54053697e10fd6e',
      Key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv',
    },
    {
      TaskExecutionStatus: 'failed',
      Bucket: 'my-job-reports',
      MD5Checksum: '22ee037f3515975f7719699e5c416eaa',
      Key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv',
    },
  ],
  ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
};

const AWS_ROWS = [
  'awsexamplebucket1,image_14975,,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""2019-04-05T17:35:21.155Z 2845ca0d-38d9-4c4b-abcf-379dc749c452 Task timed out after 3.00 seconds""}"',
  "awsexamplebucket1,image_15897,,succeeded,200,,\"{u'message': u'Success'}\"",
].join('\n');

const rows = (csv: string): string[][] => parse(csv, { relax_column_count: true }) as string[][];

describe('completion report', () => {
  it('finds the index under <prefix>/job-<id>/manifest.json', () => {
    expect(reportIndexKey('batch/reports/', 'f8fb9d89')).toBe('batch/reports/job-f8fb9d89/manifest.json');
    expect(reportIndexKey(undefined, 'f8fb9d89')).toBe('job-f8fb9d89/manifest.json');
  });

  it("parses AWS's example index and picks only the failed results files", () => {
    const index = ReportIndex.parse(INDEX);
    expect(failedResultFiles(index)).toEqual([
      {
        bucket: 'my-job-reports',
        key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv',
      },
    ]);
  });

  it('reads AWS\'s example rows: HTTP status before the error code, quoted message with "" escapes', () => {
    const [failed, succeeded] = rows(AWS_ROWS).map(interpretReportRow);
    expect(failed).toEqual({
      bucket: 'awsexamplebucket1',
      key: 'image_14975',
      status: 'failed',
      errorCode: 'PermanentFailure',
      httpStatus: 200,
      message:
        'Lambda returned function error: {"errorMessage":"2019-04-05T17:35:21.155Z 2845ca0d-38d9-4c4b-abcf-379dc749c452 Task timed out after 3.00 seconds"}',
    });
    expect(succeeded).toMatchObject({ key: 'image_15897', status: 'succeeded', httpStatus: 200 });
    expect(succeeded?.errorCode).toBeUndefined();
  });

  it('also reads rows in ReportSchema order (error code before the HTTP status)', () => {
    const [r] = rows('src-bucket,a%20b.txt,3HL4kqtJvjVBH40Nrjfkd,failed,AccessDenied,403,Access Denied').map(
      interpretReportRow,
    );
    expect(r).toEqual({
      bucket: 'src-bucket',
      key: 'a%20b.txt',
      versionId: '3HL4kqtJvjVBH40Nrjfkd',
      status: 'failed',
      errorCode: 'AccessDenied',
      httpStatus: 403,
      message: 'Access Denied',
    });
  });

  it('keeps an unquoted message that contains commas whole, and skips rows too short to be tasks', () => {
    const [r] = rows(
      'b1b,k,,failed,500,InternalError,We encountered an internal error, please try again.',
    ).map(interpretReportRow);
    expect(r?.message).toBe('We encountered an internal error, please try again.');
    expect(interpretReportRow(['b1b', 'k', ''])).toBeUndefined();
  });

  it('counts failures by error code, largest first, with one example each', () => {
    const t = new FailureTally();
    const csv = [
      'b1b,k1,,failed,403,AccessDenied,denied one',
      'b1b,k2,,failed,403,AccessDenied,denied two',
      'b1b,k3,,failed,404,NoSuchKey,gone',
      'b1b,k4,,failed,500,,',
      'b1b,k5,,succeeded,200,,ok',
    ].join('\n');
    for (const r of rows(csv).map(interpretReportRow)) if (r) t.add(r);
    expect(t.summary()).toEqual({
      failed: 4,
      byCode: [
        ['AccessDenied', 2],
        ['HTTP 500', 1],
        ['NoSuchKey', 1],
      ],
      examples: { AccessDenied: 'denied one', NoSuchKey: 'gone' },
    });
  });
});
