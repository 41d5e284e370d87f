// AWS's own transient faults during S3 Select are retried later (exit 4), never "this endpoint
// cannot run S3 Select" (exit 3): AWS runs Select, and says every 5xx from S3 can be retried.
// InternalError (500, in the XML body or as an error event mid-stream), ServiceUnavailable and
// RequestTimeout are S3's codes for that. A store's 500 without S3's code (moto's HTML page)
// still means the store cannot run it (select-errors.test.ts).
import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { selectError, type SelectPhase } from '../../../../src/adapters/aws/inventory/select-errors.js';

const ctx = { action: 's3:GetObject', bucket: 'dest', key: 'inv/src/cfg/data/a.csv.gz', region: 'us-east-1' };

function sdkError(name: string, status: number, message: string, attempts = 5): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts },
    message,
  });
}

function eventError(code: string, message: string): Error {
  const e = new Error(message);
  e.name = code;
  return e;
}

describe("selectError: S3's transient faults stay service errors", () => {
  it.each<[string, unknown, SelectPhase]>([
    [
      'HTTP 500 InternalError after the SDK retries',
      sdkError('InternalError', 500, 'We encountered an internal error. Please try again.'),
      'request',
    ],
    [
      'InternalError as an error event in the stream',
      eventError('InternalError', 'We encountered an internal error. Please try again.'),
      'stream',
    ],
    [
      'ServiceUnavailable as an error event in the stream',
      eventError('ServiceUnavailable', 'Please reduce your request rate.'),
      'stream',
    ],
    [
      'HTTP 400 RequestTimeout (S3 gave up on a slow socket)',
      sdkError(
        'RequestTimeout',
        400,
        'Your socket connection to the server was not read from or written to within the timeout period.',
      ),
      'request',
    ],
  ])('%s -> exit 4, retry', (_what, err, phase) => {
    const e = selectError(err, ctx, phase);
    expect(e.exitCode).toBe(4);
    expect(e.oneLine()).not.toMatch(/cannot run S3 Select|drop --engine select/);
    expect(e.oneLine()).toMatch(/^[^\n]+: [^\n]*retry/);
    expect(e.cause).toBe(err);
  });
});
