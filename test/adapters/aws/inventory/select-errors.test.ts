// Which failed S3 Select means "this endpoint cannot run S3 Select" (exit 3, drop --engine
// select) and which stays what it is everywhere else (throttling and an unreachable endpoint:
// exit 4; the run's interrupt: 130; credentials: 3 with their own fix).
import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { NoAnswerError } from '../../../../src/adapters/aws/transport/request-limits.js';
import { selectError, type SelectPhase } from '../../../../src/adapters/aws/inventory/select-errors.js';

const ctx = { action: 's3:GetObject', bucket: 'dest', key: 'inv/src/cfg/data/a.csv.gz', region: 'us-east-1' };

function sdkError(name: string, status: number, message = name, attempts = 1): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts },
    message,
  });
}

function netError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** What an error event in the answer's stream becomes in the SDK: a plain Error named by its code. */
function eventError(code: string, message: string): Error {
  const e = new Error(message);
  e.name = code;
  return e;
}

const CANNOT = /^this endpoint cannot run S3 Select: drop --engine select \(/;

describe('selectError: the endpoint cannot run S3 Select (exit 3, one line)', () => {
  it.each<[string, unknown, SelectPhase, RegExp]>([
    [
      "a 500 after the SDK retries (a store whose SQL parser raised; not S3's own InternalError)",
      sdkError('InternalServerError', 500, 'KeyError: s', 5),
      'request',
      /it answered HTTP 500 InternalServerError after 5 tries: KeyError: s, reading inv\/src\/cfg\/data\/a\.csv\.gz;/,
    ],
    [
      'a 500 whose body is not S3 XML (an HTML page)',
      sdkError(
        'Error',
        500,
        '@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error',
        5,
      ),
      'request',
      /it answered HTTP 500 after 5 tries \(its error body is not S3 XML\)/,
    ],
    ['502 from a proxy in front', sdkError('BadGateway', 502), 'request', /it answered HTTP 502 BadGateway/],
    ['501 NotImplemented', sdkError('NotImplemented', 501), 'request', /it answered HTTP 501 NotImplemented/],
    [
      '405 MethodNotAllowed',
      sdkError('MethodNotAllowed', 405),
      'request',
      /it answered HTTP 405 MethodNotAllowed/,
    ],
    [
      "400 to AWS's documented SQL",
      sdkError('ParseUnexpectedToken', 400, 'Unexpected token found S3OBJECT'),
      'request',
      /it answered HTTP 400 ParseUnexpectedToken: Unexpected token found S3OBJECT/,
    ],
    [
      'NotImplemented named without a status',
      eventError('NotImplemented', 'SelectObjectContent is not implemented'),
      'request',
      /it answered NotImplemented: SelectObjectContent is not implemented/,
    ],
    [
      'a reset connection (after the tries)',
      netError('ECONNRESET', 'socket hang up'),
      'request',
      /it closed the connection \(ECONNRESET\)/,
    ],
    [
      "a reset connection as the SDK's handler names it (TimeoutError, ECONNRESET)",
      Object.assign(netError('ECONNRESET', 'socket hang up'), { name: 'TimeoutError' }),
      'request',
      /it closed the connection \(ECONNRESET\)/,
    ],
    [
      'an answer that is not HTTP (RGW 16.2 on GZIP input)',
      netError('HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/'),
      'request',
      /its answer is not HTTP \(HPE_INVALID_CONSTANT\)/,
    ],
    [
      'the connection cut in the middle of the stream',
      netError('ECONNRESET', 'aborted'),
      'stream',
      /it closed the connection \(ECONNRESET\)/,
    ],
    [
      'an error event in the stream',
      eventError('UnsupportedSqlStructure', 'Unsupported SQL structure.'),
      'stream',
      /its event stream failed: UnsupportedSqlStructure: Unsupported SQL structure\./,
    ],
    [
      'a message the event-stream decoder refuses',
      new Error(
        'The prelude checksum specified in the message (1) does not match the calculated CRC32 checksum (2)',
      ),
      'stream',
      /its event stream failed: Error: The prelude checksum specified/,
    ],
  ])('%s', (_what, err, phase, reason) => {
    const e = selectError(err, ctx, phase);
    expect(e).toMatchObject({ code: 'SelectUnavailable', exitCode: 3 });
    expect(e.oneLine()).toMatch(CANNOT);
    expect(e.oneLine()).toMatch(reason);
    expect(e.oneLine()).not.toMatch(/retry/i);
    expect(e.cause).toBe(err);
  });
});

describe('selectError: failures that say nothing about S3 Select keep their own meaning', () => {
  it.each<[string, unknown, SelectPhase, { code: string; exitCode: number }]>([
    [
      '503 SlowDown: AWS asks to slow down',
      sdkError('SlowDown', 503, 'Please reduce your request rate.', 5),
      'request',
      { code: 'Throttled', exitCode: 4 },
    ],
    ['a bare 503', sdkError('ServiceUnavailable', 503), 'request', { code: 'Throttled', exitCode: 4 }],
    [
      'SlowDown as an error event',
      eventError('SlowDown', 'Please reduce your request rate.'),
      'stream',
      { code: 'Throttled', exitCode: 4 },
    ],
    ['429', sdkError('TooManyRequests', 429), 'request', { code: 'TooManyRequests', exitCode: 4 }],
    ['connection refused', netError('ECONNREFUSED'), 'stream', { code: 'Unreachable', exitCode: 4 }],
    ['no such host', netError('ENOTFOUND'), 'stream', { code: 'Unreachable', exitCode: 4 }],
    [
      'our wait for the answer ran out',
      new NoAnswerError('idle', 30_000, 'http://127.0.0.1:1'),
      'stream',
      { code: 'Unreachable', exitCode: 4 },
    ],
    [
      'the run was interrupted',
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      'stream',
      { code: 'Interrupted', exitCode: 130 },
    ],
    [
      'bad credentials',
      sdkError('InvalidAccessKeyId', 403),
      'request',
      { code: 'BadCredentials', exitCode: 3 },
    ],
    [
      'the data file is gone',
      sdkError('NoSuchKey', 404),
      'request',
      { code: 'InventoryFileMissing', exitCode: 3 },
    ],
    ['an unknown failure before any answer', new Error('boom'), 'request', { code: 'Error', exitCode: 4 }],
  ])('%s', (_what, err, phase, expected) => {
    const e = selectError(err, ctx, phase);
    expect(e).toMatchObject(expected);
    expect(e.oneLine()).not.toMatch(/cannot run S3 Select/);
  });

  it('AccessDenied names the closed-to-new-accounts rule and the IAM action, not the endpoint', () => {
    const e = selectError(sdkError('AccessDenied', 403), ctx, 'request');
    expect(e).toMatchObject({ code: 'SelectUnavailable', exitCode: 3 });
    expect(e.oneLine()).toMatch(/S3 Select is closed to accounts .*drop --engine select.*grant s3:GetObject/);
  });
});
