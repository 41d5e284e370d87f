import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { mapAwsError } from '../../../../src/adapters/aws/transport/errors.js';

function sdkError(name: string, status: number, headers: Record<string, string> = {}, message = name) {
  const e = new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
  (e as unknown as { $response: unknown }).$response = { headers };
  return e;
}

const ctx = { action: 's3:PutEncryptionConfiguration', bucket: 'b-1', region: 'us-east-1' };

describe('mapAwsError', () => {
  it.each([
    [
      'AccessDenied names the denied action',
      sdkError('AccessDenied', 403),
      'AccessDenied',
      3,
      /access denied: s3:PutEncryptionConfiguration on bucket b-1: grant s3:PutEncryptionConfiguration/,
    ],
    ['NoSuchBucket', sdkError('NoSuchBucket', 404), 'NoSuchBucket', 2, /bucket b-1 does not exist/],
    [
      'wrong region names the bucket region',
      sdkError('PermanentRedirect', 301, { 'x-amz-bucket-region': 'eu-west-1' }),
      'WrongRegion',
      2,
      /is in eu-west-1, not us-east-1: pass --region eu-west-1/,
    ],
    [
      'bad credentials',
      sdkError('InvalidAccessKeyId', 403),
      'BadCredentials',
      3,
      /credentials were rejected \(InvalidAccessKeyId\)/,
    ],
    [
      'signature mismatch',
      sdkError('SignatureDoesNotMatch', 403),
      'BadCredentials',
      3,
      /SignatureDoesNotMatch/,
    ],
    ['throttling after retries', sdkError('SlowDown', 503), 'Throttled', 4, /throttled.*lower --concurrency/],
    [
      'anything else is a service error with its code',
      sdkError('InternalError', 500, {}, 'We encountered an internal error'),
      'InternalError',
      4,
      /failed with InternalError \(HTTP 500\): We encountered/,
    ],
  ])('%s', (_n, err, code, exit, line) => {
    const mapped = mapAwsError(err, ctx);
    expect(mapped.code).toBe(code);
    expect(mapped.exitCode).toBe(exit);
    expect(mapped.oneLine()).toMatch(line);
    expect(mapped.cause).toBe(err);
  });

  it('KMS NotFoundException is an unknown key, naming the key and region', () => {
    const e = Object.assign(new Error('Alias arn:... is not found.'), {
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    const mapped = mapAwsError(e, { action: 'kms:DescribeKey', kmsKey: 'alias/nope', region: 'us-east-1' });
    expect(mapped.code).toBe('UnknownKey');
    expect(mapped.exitCode).toBe(2);
    expect(mapped.oneLine()).toMatch(/KMS key alias\/nope was not found in us-east-1: .*alias\/ prefix/);
  });

  it('a refused connection is "unreachable", naming the endpoint', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const mapped = mapAwsError(e, { action: 's3:ListBucket', bucket: 'b-1', endpoint: 'http://127.0.0.1:1' });
    expect(mapped.code).toBe('Unreachable');
    expect(mapped.exitCode).toBe(4);
    expect(mapped.oneLine()).toMatch(/cannot reach http:\/\/127.0.0.1:1 \(ECONNREFUSED\)/);
  });

  // A profile's endpoint_url is read by the SDK itself (no --endpoint-url): the message must not
  // send the operator to "the AWS endpoint" while the requests went elsewhere.
  it.each([
    [
      { address: '127.0.0.1', port: 9 },
      /cannot reach the endpoint for us-east-1 at 127\.0\.0\.1:9 \(ECONNREFUSED\).*profile's endpoint_url/,
    ],
    [{ address: '::1', port: 9 }, /cannot reach the endpoint for us-east-1 at \[::1\]:9 \(ECONNREFUSED\)/],
    [{}, /cannot reach the endpoint for us-east-1 \(ECONNREFUSED\) calling s3:ListBucket/],
  ])('without --endpoint-url, a refused connection names where it went: %j', (peer, line) => {
    const socket = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', ...peer });
    const e = Object.assign(new Error('request failed'), { cause: socket });
    const mapped = mapAwsError(e, { action: 's3:ListBucket', bucket: 'b-1', region: 'us-east-1' });
    expect(mapped.code).toBe('Unreachable');
    expect(mapped.oneLine()).toMatch(line);
  });

  it('missing credentials say how to provide them', () => {
    const e = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(mapAwsError(e, ctx).oneLine()).toMatch(/no AWS credentials were found: set AWS_PROFILE/);
  });
});
