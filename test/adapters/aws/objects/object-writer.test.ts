// The engine's S3 requests on the wire (a capturing request handler behind a real S3Client):
// the copy guards S3 honours and moto / Ceph RGW ignore, the copy source encoding, the
// restated multipart headers, ACL grant headers, and the error classification.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CopyObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectDetails } from '../../../../src/adapters/aws/objects/object-details.js';
import { classifyStoreError, storeCall } from '../../../../src/adapters/aws/objects/object-errors.js';
import {
  copyObjectInput,
  copySource,
  grantHeaders,
  objectWriter,
} from '../../../../src/adapters/aws/objects/object-writer.js';
import type { CopyInPlace } from '../../../../src/core/encrypt/ports.js';
import { StoreError } from '../../../../src/core/encrypt/store-error.js';

interface Sent {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: string;
}

type Respond = (req: Sent) => { status?: number; body?: string; headers?: Record<string, string> };

// One loopback server for the file: the SDK commands and the lean path both reach it over real
// sockets, so what a test sees is what a store would receive.
let server: Server;
let endpoint: string;
let current: { sent: Sent[]; respond: Respond } = { sent: [], respond: () => ({}) };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const got: Sent = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      current.sent.push(got);
      const r = current.respond(got);
      res.writeHead(r.status ?? 200, r.headers ?? {});
      res.end(req.method === 'HEAD' ? undefined : (r.body ?? ''));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function capturingS3(respond: Respond = () => ({})) {
  const sent: Sent[] = [];
  current = { sent, respond };
  const s3 = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { s3, sent };
}

// The --endpoint-url the CLI would pass along with the client (the lean path addresses it path-style).
const where = {
  region: 'us-east-1',
  get endpoint(): string {
    return endpoint;
  },
};
const COPY_RESULT = '<CopyObjectResult><ETag>"n"</ETag></CopyObjectResult>';

describe('CopyObject onto itself', () => {
  it('sends both ETag guards, the version read, SSE-KMS with a bucket key, the class and COPY directives', async () => {
    const { s3, sent } = capturingS3(() => ({ body: COPY_RESULT, headers: { 'x-amz-version-id': 'v2' } }));
    const out = await objectWriter(s3, where).copyInPlace({
      bucket: 'b',
      key: 'dir/a b+c?d#e%f~ü',
      sourceVersionId: 'v1',
      guard: { sourceEtag: '"etag-read"', destinationEtag: '"etag-read"' },
      target: { keyId: 'arn:aws:kms:us-east-1:111122223333:key/k', bucketKey: true },
      storageClass: 'STANDARD_IA',
      websiteRedirectLocation: '/elsewhere',
      lock: {},
    });
    expect(out).toEqual({ versionId: 'v2' });
    const h = sent[0]?.headers ?? {};
    expect(sent[0]?.method).toBe('PUT');
    expect(h['x-amz-copy-source']).toBe('b/dir/a%20b%2Bc%3Fd%23e%25f~%C3%BC?versionId=v1');
    expect(h['x-amz-copy-source-if-match']).toBe('"etag-read"');
    expect(h['if-match']).toBe('"etag-read"');
    expect(h['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(h['x-amz-server-side-encryption-aws-kms-key-id']).toBe('arn:aws:kms:us-east-1:111122223333:key/k');
    expect(h['x-amz-server-side-encryption-bucket-key-enabled']).toBe('true');
    expect(h['x-amz-storage-class']).toBe('STANDARD_IA');
    expect(h['x-amz-metadata-directive']).toBe('COPY');
    expect(h['x-amz-tagging-directive']).toBe('COPY');
    expect(h['x-amz-website-redirect-location']).toBe('/elsewhere');
    expect(h['content-md5']).toBeUndefined();
    expect(h['x-amz-object-lock-mode']).toBeUndefined();
  });

  it('carries Object Lock settings, with the MD5 of the empty body that lock writes need', async () => {
    const { s3, sent } = capturingS3(() => ({ body: COPY_RESULT }));
    const until = new Date('2027-01-01T00:00:00.000Z');
    await objectWriter(s3, where).copyInPlace({
      bucket: 'b',
      key: 'k',
      guard: { sourceEtag: '"e"', destinationEtag: '"e"' },
      target: { keyId: 'key', bucketKey: true },
      storageClass: 'STANDARD',
      lock: { mode: 'GOVERNANCE', retainUntil: until, legalHold: 'ON' },
    });
    const h = sent[0]?.headers ?? {};
    expect(h['x-amz-copy-source']).toBe('b/k');
    expect(h['x-amz-object-lock-mode']).toBe('GOVERNANCE');
    expect(h['x-amz-object-lock-retain-until-date']).toBe('2027-01-01T00:00:00Z');
    expect(h['x-amz-object-lock-legal-hold']).toBe('ON');
    expect(h['content-md5']).toBe('1B2M2Y8AsgTpgAmY4PhCRg==');
  });
});

describe('multipart copy', () => {
  it('restates every header on CreateMultipartUpload and guards every part and the completion', async () => {
    const { s3, sent } = capturingS3((req) =>
      req.query.uploads !== undefined
        ? { body: '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>' }
        : req.query.partNumber !== undefined
          ? { body: '<CopyPartResult><ETag>"p1"</ETag></CopyPartResult>' }
          : { body: '<CompleteMultipartUploadResult><ETag>"x-1"</ETag></CompleteMultipartUploadResult>' },
    );
    const w = objectWriter(s3, where);
    const expires = new Date('2031-01-01T00:00:00Z');
    const id = await w.createMultipartUpload({
      bucket: 'b',
      key: 'big file',
      target: { keyId: 'key-arn', bucketKey: true },
      storageClass: 'STANDARD_IA',
      contentType: 'app/x',
      cacheControl: 'no-cache',
      contentDisposition: 'attachment',
      contentEncoding: 'gzip',
      contentLanguage: 'fr',
      expires,
      websiteRedirectLocation: '/r',
      metadata: { owner: 'team a' },
      tags: [{ key: 'k 1', value: 'v&2' }],
      lock: { legalHold: 'ON' },
    });
    expect(id).toBe('u1');
    const c = sent[0]?.headers ?? {};
    expect(c).toMatchObject({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'key-arn',
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'x-amz-storage-class': 'STANDARD_IA',
      'content-type': 'app/x',
      'cache-control': 'no-cache',
      'content-disposition': 'attachment',
      'content-encoding': 'gzip',
      'content-language': 'fr',
      'x-amz-website-redirect-location': '/r',
      'x-amz-meta-owner': 'team a',
      'x-amz-tagging': 'k%201=v%262',
      'x-amz-object-lock-legal-hold': 'ON',
    });
    expect(c.expires).toBe(expires.toUTCString());

    await w.uploadPartCopy({
      bucket: 'b',
      key: 'big file',
      uploadId: 'u1',
      partNumber: 2,
      sourceVersionId: 'v9',
      range: { start: 5, end: 9 },
      sourceEtag: '"src"',
    });
    const p = sent[1]?.headers ?? {};
    expect(p['x-amz-copy-source']).toBe('b/big%20file?versionId=v9');
    expect(p['x-amz-copy-source-range']).toBe('bytes=5-9');
    expect(p['x-amz-copy-source-if-match']).toBe('"src"');

    await w.completeMultipartUpload('b', 'big file', 'u1', [{ partNumber: 1, etag: '"p1"' }], '"src"');
    expect(sent[2]?.headers['if-match']).toBe('"src"');
    expect(sent[2]?.body).toContain('<PartNumber>1</PartNumber>');
  });

  it('sends UpdateObjectEncryption with the key ARN, a bucket key and the version', async () => {
    const { s3, sent } = capturingS3();
    await objectWriter(s3, where).updateObjectEncryption({
      bucket: 'b',
      key: 'k',
      versionId: 'v1',
      keyArn: 'arn:aws:kms:us-east-1:1:key/x',
    });
    expect(sent[0]?.method).toBe('PUT');
    expect(sent[0]?.query).toMatchObject({ encryption: '', versionId: 'v1' });
    expect(sent[0]?.body).toMatch(
      /<SSE-KMS><KMSKeyArn>arn:aws:kms:us-east-1:1:key\/x<\/KMSKeyArn><BucketKeyEnabled>true<\/BucketKeyEnabled><\/SSE-KMS>/,
    );
  });
});

describe('ACL grants', () => {
  it('become x-amz-grant-* headers (moto ignores an AccessControlPolicy body)', () => {
    expect(
      grantHeaders([
        { type: 'CanonicalUser', id: 'owner', permission: 'FULL_CONTROL' },
        { type: 'Group', id: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' },
        { type: 'AmazonCustomerByEmail', id: 'a@example.com', permission: 'READ' },
        { type: 'CanonicalUser', id: 'auditor', permission: 'READ_ACP' },
      ]),
    ).toEqual({
      GrantFullControl: 'id="owner"',
      GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers", emailAddress="a@example.com"',
      GrantReadACP: 'id="auditor"',
    });
  });

  it('read back as our grants', async () => {
    const { s3 } = capturingS3(() => ({
      body: `<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList>
        <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>o</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>
        <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>
      </AccessControlList></AccessControlPolicy>`,
    }));
    expect(await objectDetails(s3, where).getAcl('b', 'k')).toEqual({
      ownerId: 'o',
      grants: [
        { type: 'CanonicalUser', id: 'o', permission: 'FULL_CONTROL' },
        { type: 'Group', id: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' },
      ],
    });
  });
});

describe("the engine's HEAD", () => {
  const headers = {
    etag: '"e1"',
    'content-length': '12',
    'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
    'x-amz-version-id': 'v1',
    'x-amz-server-side-encryption': 'aws:kms',
    'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/k',
    'x-amz-meta-owner': 'team-a',
  };

  it('is one signed request without the SDK command stack, read into the same ObjectHead', async () => {
    const { s3, sent } = capturingS3(() => ({ headers }));
    const head = await objectDetails(s3, where).head('bkt', 'dir/a b', 'v1');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'HEAD', path: '/bkt/dir/a%20b', query: { versionId: 'v1' } });
    expect(sent[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=a\//);
    // The SDK command would add its invocation id; the lean request has none.
    expect(sent[0]?.headers['amz-sdk-invocation-id']).toBeUndefined();
    expect(head).toMatchObject({
      key: 'dir/a b',
      versionId: 'v1',
      etag: '"e1"',
      size: 12,
      serverSideEncryption: 'aws:kms',
      metadata: { owner: 'team-a' },
    });
  });

  it('reports a throttle at once, without asking again through the SDK', async () => {
    const { s3, sent } = capturingS3(() => ({ status: 503 }));
    const err = await objectDetails(s3, where)
      .head('bkt', 'k')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ kind: 'throttle', status: 503 });
    expect(sent).toHaveLength(1);
  });

  it('asks the SDK command about any other failure, for its error code', async () => {
    const { s3, sent } = capturingS3(() => ({
      status: 500,
      body: '<Error><Code>InternalError</Code><Message>no</Message></Error>',
    }));
    const err = await objectDetails(s3, where)
      .head('bkt', 'k')
      .catch((e: unknown) => e);
    expect(sent.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    expect(sent[1]?.headers['amz-sdk-invocation-id']).toBeDefined();
    expect(err).toMatchObject({ kind: 'transient' });
  });

  it('takes a second look (GET of one byte) at a refused HEAD: its error code decides', async () => {
    const { s3, sent } = capturingS3((req) =>
      req.method === 'HEAD'
        ? { status: 403 }
        : { status: 403, body: '<Error><Code>AccessDenied</Code><Message>no</Message></Error>' },
    );
    const err = await objectDetails(s3, where)
      .head('bkt', 'k')
      .catch((e: unknown) => e);
    expect(sent.map((r) => [r.method, r.headers.range])).toEqual([
      ['HEAD', undefined],
      ['GET', 'bytes=0-0'],
    ]);
    expect(err).toMatchObject({ kind: 'unverified', message: expect.stringMatching(/AccessDenied/) });
  });
});

describe('CopyObject through the lean path', () => {
  const req: CopyInPlace = {
    bucket: 'bkt',
    key: "dir/a b+c?d#e%f~ü!'()*",
    sourceVersionId: 'v1',
    guard: { sourceEtag: '"etag-read"', destinationEtag: '"etag-read"' },
    target: { keyId: 'arn:aws:kms:us-east-1:111122223333:key/k', bucketKey: true },
    storageClass: 'STANDARD_IA',
    websiteRedirectLocation: '/elsewhere',
    lock: { mode: 'GOVERNANCE', retainUntil: new Date('2030-01-02T03:04:05.678Z'), legalHold: 'ON' },
  };
  const SDK_ONLY = /^(x-amz-user-agent|user-agent|amz-sdk-.*|x-amz-date|authorization)$/;
  const s3Part = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).filter(([k]) => !SDK_ONLY.test(k)));

  it('sends one request with the path, query and S3 headers of the SDK command', async () => {
    const { s3, sent } = capturingS3(() => ({ body: COPY_RESULT, headers: { 'x-amz-version-id': 'v2' } }));
    expect(await objectWriter(s3, where).copyInPlace(req)).toEqual({ versionId: 'v2' });
    expect(sent).toHaveLength(1);
    const lean = sent[0];
    expect(lean?.headers['amz-sdk-invocation-id']).toBeUndefined();
    expect(lean?.headers['content-md5']).toBe('1B2M2Y8AsgTpgAmY4PhCRg==');
    await s3.send(new CopyObjectCommand(copyObjectInput(req)));
    const viaSdk = sent[1];
    expect([lean?.method, lean?.path, lean?.query]).toEqual([viaSdk?.method, viaSdk?.path, viaSdk?.query]);
    const { ['content-md5']: _md5, ...leanHeaders } = s3Part(lean?.headers ?? {});
    expect(leanHeaders).toEqual(s3Part(viaSdk?.headers ?? {}));
  });

  it.each([
    [
      200,
      '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>',
      'transient',
    ],
    [
      412,
      '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
      'precondition',
    ],
    [
      400,
      "<Error><Code>InvalidRequest</Code><Message>This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.</Message></Error>",
      'self-copy',
    ],
    [501, '<Error><Code>NotImplemented</Code></Error>', 'unsupported'],
    [
      503,
      '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
      'throttle',
    ],
    [403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', 'denied'],
  ])('an answer %i %s fails as %s, from that one request', async (status, body, kind) => {
    const { s3, sent } = capturingS3(() => ({ status, body }));
    const err = await objectWriter(s3, where)
      .copyInPlace({ ...req, lock: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ kind });
    expect(sent).toHaveLength(1);
  });
});

describe('copySource', () => {
  it('encodes the key, keeps slashes, appends the version', () => {
    expect(copySource('b', 'a/b c/ü')).toBe('b/a/b%20c/%C3%BC');
    expect(copySource('b', 'k', 'v/1')).toBe('b/k?versionId=v%2F1');
  });
});

describe('classifyStoreError', () => {
  const sdk = (name: string, status: number, message = name) =>
    new S3ServiceException({
      name,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
      message,
    });
  it.each([
    [sdk('SlowDown', 503), 'throttle'],
    [sdk('ServiceUnavailable', 503), 'throttle'],
    [sdk('KMS.ThrottlingException', 400), 'throttle'],
    [sdk('ThrottlingException', 400), 'throttle'],
    [sdk('InternalError', 500), 'transient'],
    [sdk('BadGateway', 502), 'transient'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    [Object.assign(new Error('timeout'), { name: 'TimeoutError' }), 'transient'],
    [sdk('PreconditionFailed', 412), 'precondition'],
    [sdk('ConditionalRequestConflict', 409), 'precondition'],
    [sdk('NoSuchUpload', 404), 'precondition'],
    [sdk('NoSuchKey', 404), 'not-found'],
    // The SDK's name for a body-less 404: no error code, so no proof that anything is gone.
    [sdk('NotFound', 404), 'unverified'],
    [sdk('NotImplemented', 501), 'unsupported'],
    [sdk('MethodNotAllowed', 405), 'unsupported'],
    [
      sdk(
        'InvalidRequest',
        400,
        'This copy request is illegal because it is trying to copy an object to itself without changing',
      ),
      'self-copy',
    ],
    [sdk('ObjectNotInActiveTierError', 403), 'archived'],
    [sdk('InvalidObjectState', 403), 'archived'],
    [sdk('AccessDenied', 403), 'denied'],
    [sdk('InvalidRequest', 400), 'invalid'],
    [sdk('Weird', 418), 'fatal'],
  ])('%s -> %s', (err, kind) => expect(classifyStoreError(err).kind).toBe(kind));

  it('wraps SDK failures into StoreError with the mapped one-line message', async () => {
    const err = await storeCall({ action: 's3:PutObject', bucket: 'b', key: 'k', region: 'us-east-1' }, () =>
      Promise.reject(sdk('AccessDenied', 403)),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({
      kind: 'denied',
      awsCode: 'AccessDenied',
      message: 'access denied: s3:PutObject on s3://b/k',
    });
  });
});
