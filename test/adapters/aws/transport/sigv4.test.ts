// The lean path's signer must sign exactly as AWS checks: published S3 vector, then the SDK's own
// signer on the requests the engine and verify send (keys needing encoding, version ids,
// the copy's SSE-KMS headers, session tokens).
import { describe, expect, it } from 'vitest';
import { sdkSign } from '../../../support/sdk-signer.js';
import { copyHeaders } from '../../../../src/adapters/aws/objects/lean-copy.js';
import { encodeKey } from '../../../../src/adapters/aws/transport/lean-send.js';
import { signS3, type SigningCredentials } from '../../../../src/adapters/aws/transport/sigv4.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const WHEN = new Date('2026-03-01T10:20:30.456Z');
const HOST = '127.0.0.1:4566';

interface Req {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

function sdkHeaders(req: Req, creds: SigningCredentials, region = 'eu-west-1') {
  return sdkSign(req, { credentials: creds, region, date: WHEN });
}

function ours(req: Req, creds: SigningCredentials, region = 'eu-west-1') {
  return signS3(
    {
      method: req.method,
      path: req.path,
      query: req.query ?? {},
      headers: { ...req.headers, host: HOST, 'x-amz-content-sha256': EMPTY },
    },
    creds,
    region,
    WHEN,
  );
}

const CREDS = { accessKeyId: 'AKIDLEAN', secretAccessKey: 'lean/secret+key=' };
const AWKWARD = "dir/a b+c%d (1)!*'~ü日本.txt";

describe('signS3', () => {
  it('gives the S3 documentation\'s "GET Object" signature', () => {
    const s = signS3(
      {
        method: 'GET',
        path: '/test.txt',
        query: {},
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          range: 'bytes=0-9',
          'x-amz-content-sha256': EMPTY,
        },
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      'us-east-1',
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(s.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(s.headers['x-amz-date']).toBe('20130524T000000Z');
  });

  it('signs a HEAD of a key that needs encoding, with a version id, as the SDK does', async () => {
    const req = { method: 'HEAD', path: `/b/${encodeKey(AWKWARD)}`, query: { versionId: 'v+1/2=' } };
    const s = ours(req, CREDS);
    expect(s.headers.authorization).toBe((await sdkHeaders(req, CREDS)).authorization);
    expect(s.queryString).toBe('versionId=v%2B1%2F2%3D');
  });

  it("signs the engine's in-place CopyObject as the SDK does", async () => {
    const headers = copyHeaders({
      Bucket: 'b',
      Key: AWKWARD,
      CopySource: `b/${encodeURIComponent(AWKWARD)}`,
      CopySourceIfMatch: '"9b2cf535f27731c974343645a3985328"',
      MetadataDirective: 'COPY',
      TaggingDirective: 'COPY',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0000-4000-8000-123456789abc',
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date('2030-01-01T00:00:00Z'),
    });
    const req = { method: 'PUT', path: `/b/${encodeKey(AWKWARD)}`, query: { 'x-id': 'CopyObject' }, headers };
    expect(ours(req, CREDS).headers.authorization).toBe((await sdkHeaders(req, CREDS)).authorization);
  });

  it('signs the session token of temporary credentials, as the SDK does', async () => {
    const temp = { ...CREDS, sessionToken: 'FwoGZXIvYXdzE//token+with/slashes==' };
    const req = { method: 'HEAD', path: '/b/k' };
    const s = ours(req, temp);
    const sdk = await sdkHeaders(req, temp);
    expect(s.headers['x-amz-security-token']).toBe(temp.sessionToken);
    expect(s.headers.authorization).toBe(sdk.authorization);
  });

  it('changes with the region, the secret, a header and the day (the comparisons are not vacuous)', () => {
    const req = { method: 'HEAD', path: '/b/k' };
    const base = ours(req, CREDS).headers.authorization;
    expect(ours(req, CREDS, 'us-east-1').headers.authorization).not.toBe(base);
    expect(ours(req, { ...CREDS, secretAccessKey: 'other' }).headers.authorization).not.toBe(base);
    expect(ours({ ...req, headers: { 'x-amz-meta-a': '1' } }, CREDS).headers.authorization).not.toBe(base);
    const nextDay = signS3(
      { method: 'HEAD', path: '/b/k', query: {}, headers: { host: HOST, 'x-amz-content-sha256': EMPTY } },
      CREDS,
      'eu-west-1',
      new Date('2026-03-02T10:20:30Z'),
    );
    expect(nextDay.headers.authorization).not.toBe(base);
    // The day's key is cached: going back to the first day must give the first signature again.
    expect(ours(req, CREDS).headers.authorization).toBe(base);
  });
});
