// The store's transport or answer is not what the endpoint URL promised: one line naming that.
import { describe, expect, it } from 'vitest';
import {
  badAnswerError,
  endpointProtocolError,
  mapAwsError,
} from '../../../../src/adapters/aws/transport/errors.js';

const at = (endpoint: string | undefined) => ({
  action: 's3:GetEncryptionConfiguration',
  bucket: 'b-1',
  region: 'us-east-1',
  endpoint,
});

/** Node's error for a TLS handshake that got an HTTP answer (as seen through the SDK). */
function tlsToHttp(): Error {
  const e = new Error(
    'write EPROTO 80BCA9D1877F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:',
  ) as Error & { code: string };
  e.code = 'EPROTO';
  return e;
}

function httpParse(): Error {
  const e = new Error('Parse Error: Expected HTTP/') as Error & { code: string };
  e.code = 'HPE_INVALID_CONSTANT';
  return e;
}

describe('endpointProtocolError', () => {
  it('https:// to a plain HTTP port: the endpoint speaks HTTP (exit 2), no OpenSSL text', () => {
    const err = mapAwsError(tlsToHttp(), at('https://127.0.0.1:7480'));
    expect(err.code).toBe('EndpointNotTls');
    expect(err.exitCode).toBe(2);
    expect(err.oneLine()).toBe(
      'the endpoint https://127.0.0.1:7480 speaks plain HTTP, not HTTPS (the TLS handshake got an HTTP answer) calling s3:GetEncryptionConfiguration: use --endpoint-url http://127.0.0.1:7480, or put TLS in front of the store',
    );
    expect(err.oneLine()).not.toMatch(/SSL|EPROTO|retry/);
  });

  it('the same error found on the cause chain', () => {
    const wrapped = new Error('request failed', { cause: tlsToHttp() });
    expect(mapAwsError(wrapped, at('https://s3.local')).code).toBe('EndpointNotTls');
  });

  it('http:// to a TLS port (an answer Node cannot parse as HTTP, or nginx saying so)', () => {
    expect(mapAwsError(httpParse(), at('http://127.0.0.1:443')).oneLine()).toMatch(
      /did not answer in plain HTTP \(it looks like a TLS\/HTTPS port\).*: use --endpoint-url https:\/\/127\.0\.0\.1:443$/,
    );
    const nginx = Object.assign(new Error('The plain HTTP request was sent to HTTPS port'), {
      name: 'BadRequest',
      $metadata: { httpStatusCode: 400 },
    });
    expect(mapAwsError(nginx, at('http://store:8443')).code).toBe('EndpointNotHttp');
  });

  it('says nothing without a custom endpoint, or for other errors', () => {
    expect(endpointProtocolError(tlsToHttp(), at(undefined))).toBeUndefined();
    expect(endpointProtocolError(httpParse(), at('https://x'))).toBeUndefined();
    expect(endpointProtocolError(new Error('socket hang up'), at('http://x'))).toBeUndefined();
  });
});

describe("badAnswerError: the SDK could not read the store's answer", () => {
  function parseFailure(message: string): Error {
    const e = new Error(
      `${message}\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
    );
    Object.defineProperty(e, '$responseBodyText', { value: '<Rule>' });
    Object.defineProperty(e, '$response', { value: { statusCode: 200 } });
    return e;
  }

  it('is one line naming the store and the call, exit 4, without the parser text', () => {
    const err = mapAwsError(
      parseFailure('@aws-sdk XML parse error: unexpected end of input.'),
      at('http://127.0.0.1:9000'),
    );
    expect(err.code).toBe('UnreadableAnswer');
    expect(err.exitCode).toBe(4);
    expect(err.oneLine()).toBe(
      's3:GetEncryptionConfiguration on bucket b-1: the store at http://127.0.0.1:9000 answered HTTP 200 with a body that is not a valid S3 response: check --endpoint-url points at an S3 API (not a proxy or web page); run with --verbose for the parser message',
    );
  });

  it('also on AWS itself (no endpoint), and for a JSON answer (KMS)', () => {
    const e = new SyntaxError('Unexpected end of JSON input');
    const err = mapAwsError(e, { action: 'kms:DescribeKey', kmsKey: 'alias/app', region: 'eu-west-1' });
    expect(err.code).toBe('UnreadableAnswer');
    expect(err.oneLine()).toMatch(
      /^kms:DescribeKey on key alias\/app: the store at the AWS endpoint in eu-west-1 answered with a body/,
    );
  });

  it('leaves ordinary service errors alone', () => {
    const e = Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    expect(badAnswerError(e, at(undefined))).toBeUndefined();
  });
});
