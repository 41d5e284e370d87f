// The benchmark's raw client must sign exactly like AWS, or its figures measure rejected requests.
// Checked against published AWS vectors (SigV4 test suite, S3 GET Object example) and against
// the SDK's own signer (@smithy/signature-v4) for the S3 requests the benchmark actually sends.
import { describe, expect, it } from 'vitest';
import { sdkSign } from '../support/sdk-signer.js';
import {
  copyInPlaceRequest,
  EMPTY_SHA256,
  isUnderKey,
  objectPath,
  parseHead,
  parseAcl,
  parseListPage,
  runPool,
  signV4,
  uriEncode,
} from '../../bench/lib/sigv4-client.mjs';

const suite = {
  region: 'us-east-1',
  service: 'service',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  date: new Date('2015-08-30T12:36:00Z'),
};

describe('signV4 against the AWS SigV4 test suite', () => {
  it('get-vanilla: canonical request, string to sign and signature', () => {
    const s = signV4({
      ...suite,
      method: 'GET',
      path: '/',
      headers: { host: 'example.amazonaws.com' },
      payloadHash: EMPTY_SHA256,
    });
    expect(s.canonicalRequest).toBe(
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
    );
    expect(s.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(s.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('get-vanilla-query-order-key-case: query parameters sorted by name', () => {
    const s = signV4({
      ...suite,
      method: 'GET',
      path: '/',
      query: [
        ['Param2', 'value2'],
        ['Param1', 'value1'],
      ],
      headers: { host: 'example.amazonaws.com' },
      payloadHash: EMPTY_SHA256,
    });
    expect(s.canonicalQuery).toBe('Param1=value1&Param2=value2');
    expect(s.signature).toBe('b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('post-vanilla', () => {
    const s = signV4({
      ...suite,
      method: 'POST',
      path: '/',
      headers: { host: 'example.amazonaws.com' },
      payloadHash: EMPTY_SHA256,
    });
    expect(s.signature).toBe('5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });

  it('S3 docs "Example: GET Object" (Range header, signed payload hash)', () => {
    const s = signV4({
      method: 'GET',
      path: '/test.txt',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
      },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      date: new Date('2013-05-24T00:00:00Z'),
    });
    expect(s.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

/** The SDK's S3 signer (the path is encoded once by the caller, as S3 signs it). */
async function smithySign(req: {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
}): Promise<string> {
  const headers = await sdkSign(req, {
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing-secret' },
    region: 'us-east-1',
    date: new Date('2026-03-01T10:20:30Z'),
  });
  return String(headers.authorization);
}

function ourSign(req: {
  method: string;
  path: string;
  query?: [string, string][];
  headers: Record<string, string>;
}): string {
  return signV4({
    method: req.method,
    path: req.path,
    query: req.query ?? [],
    headers: { host: '127.0.0.1:4566', 'x-amz-content-sha256': EMPTY_SHA256, ...req.headers },
    payloadHash: EMPTY_SHA256,
    region: 'us-east-1',
    accessKeyId: 'testing',
    secretAccessKey: 'testing-secret',
    date: new Date('2026-03-01T10:20:30Z'),
  }).authorization;
}

describe('signV4 matches @smithy/signature-v4 on the benchmark requests', () => {
  const awkward = "dir/a b+c%d (1)!*'~ü日本.txt";

  it('HeadObject with a key that needs encoding', async () => {
    const path = objectPath('bench-bucket', awkward);
    expect(path).toBe('/bench-bucket/dir/a%20b%2Bc%25d%20%281%29%21%2A%27~%C3%BC%E6%97%A5%E6%9C%AC.txt');
    expect(ourSign({ method: 'HEAD', path, headers: {} })).toBe(
      await smithySign({ method: 'HEAD', path, headers: {} }),
    );
  });

  it('ListObjectsV2 with a prefix and a continuation token', async () => {
    const query = { 'list-type': '2', prefix: 'a b/ü', 'continuation-token': '1/Ab+c=d==' };
    const ours = ourSign({ method: 'GET', path: '/bench-bucket', query: Object.entries(query), headers: {} });
    expect(ours).toBe(await smithySign({ method: 'GET', path: '/bench-bucket', query, headers: {} }));
  });

  it('CopyObject in place with the SSE-KMS headers', async () => {
    const req = copyInPlaceRequest('bench-bucket', awkward, {
      kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-123456789abc',
      storageClass: 'STANDARD_IA',
      etag: '"9b2cf535f27731c974343645a3985328"',
    });
    expect(ourSign(req)).toBe(await smithySign(req));
  });

  it('a changed header changes the signature (the comparison is not vacuous)', async () => {
    const path = objectPath('bench-bucket', 'k');
    expect(ourSign({ method: 'HEAD', path, headers: {} })).not.toBe(
      await smithySign({ method: 'HEAD', path, headers: { 'x-amz-meta-x': '1' } }),
    );
  });
});

describe('request and response helpers', () => {
  it('uriEncode keeps only unreserved characters, and "/" only when asked', () => {
    expect(uriEncode("a/b c!*'()~._-")).toBe('a%2Fb%20c%21%2A%27%28%29~._-');
    expect(uriEncode('a/b c', true)).toBe('a/b%20c');
  });

  it('copyInPlaceRequest carries every header encrypt sends for a NOT-SSE object', () => {
    const r = copyInPlaceRequest('b', 'x y', { kmsKeyId: 'K', storageClass: 'GLACIER_IR', etag: '"e"' });
    expect(r).toEqual({
      method: 'PUT',
      path: '/b/x%20y',
      headers: {
        'x-amz-copy-source': '/b/x%20y',
        'x-amz-copy-source-if-match': '"e"',
        'if-match': '"e"',
        'x-amz-metadata-directive': 'COPY',
        'x-amz-tagging-directive': 'COPY',
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'K',
        'x-amz-server-side-encryption-bucket-key-enabled': 'true',
        'x-amz-storage-class': 'GLACIER_IR',
      },
    });
  });

  it('parseListPage decodes XML entities and returns the continuation token only when truncated', () => {
    const xml = `<?xml version="1.0"?><ListBucketResult><IsTruncated>true</IsTruncated>
      <Contents><Key>a &amp; b &lt;c&gt; &#228;&#x20AC;</Key><ETag>&quot;e1&quot;</ETag><Size>1024</Size>
      <StorageClass>STANDARD_IA</StorageClass></Contents>
      <Contents><Key>second</Key><ETag>"e2"</ETag><Size>0</Size></Contents>
      <NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>`;
    expect(parseListPage(xml)).toEqual({
      objects: [
        { key: 'a & b <c> ä€', etag: '"e1"', size: 1024, storageClass: 'STANDARD_IA' },
        { key: 'second', etag: '"e2"', size: 0, storageClass: 'STANDARD' },
      ],
      nextToken: 'tok+/=',
    });
    expect(parseListPage(xml.replace('<IsTruncated>true', '<IsTruncated>false')).nextToken).toBeUndefined();
  });

  it('parseAcl reads the owner and the grants in a stable order, and spots the default ACL', () => {
    const grant = (type: string, who: string, perm: string) =>
      `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${type}">${who}</Grantee><Permission>${perm}</Permission></Grant>`;
    const acl = (...grants: string[]) =>
      `<AccessControlPolicy><Owner><ID>o1</ID><DisplayName>me</DisplayName></Owner><AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`;
    const owner = grant('CanonicalUser', '<ID>o1</ID><DisplayName>me</DisplayName>', 'FULL_CONTROL');
    const publicRead = grant('Group', '<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>', 'READ');
    expect(parseAcl(acl(publicRead, owner))).toEqual({
      ownerId: 'o1',
      grants: ['CanonicalUser:o1:FULL_CONTROL', 'Group:http://acs.amazonaws.com/groups/global/AllUsers:READ'],
      isDefault: false,
    });
    expect(parseAcl(acl(owner)).isDefault).toBe(true);
    expect(parseAcl(acl(grant('CanonicalUser', '<ID>o2</ID>', 'FULL_CONTROL'))).isDefault).toBe(false);
  });

  it('parseHead and isUnderKey read the SSE headers (ARN or bare key id)', () => {
    const head = parseHead({
      etag: '"e"',
      'content-length': '1024',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:123456789012:key/k-1',
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
    });
    expect(head).toMatchObject({
      size: 1024,
      storageClass: 'STANDARD',
      sse: 'aws:kms',
      bucketKeyEnabled: true,
    });
    expect(isUnderKey(head, 'k-1')).toBe(true);
    expect(isUnderKey(head, 'arn:aws:kms:us-east-1:123456789012:key/k-1')).toBe(true);
    expect(isUnderKey(head, 'k-2')).toBe(false);
    expect(isUnderKey(parseHead({ etag: '"e"' }), 'k-1')).toBe(false);
    expect(isUnderKey(undefined, 'k-1')).toBe(false);
  });

  it('runPool processes every item with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    async function* items() {
      for (let i = 0; i < 50; i++) yield i;
    }
    const n = await runPool(items(), 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, i % 3));
      seen.push(i);
      inFlight--;
    });
    expect(n).toBe(50);
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
