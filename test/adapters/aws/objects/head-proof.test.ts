// What a HEAD proves, through both adapters that HEAD objects (verify's reader and the encrypt
// engine's store), against a local server that answers exactly as each case says. Every case
// here was a false verdict before head-proof.ts: a bare 404 counted as "gone", a bare 400 as
// SSE-C, a 200 without the headers of a store counted as an object.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../../src/adapters/aws/transport/clients.js';
import { judge } from '../../../../src/adapters/aws/objects/head-proof.js';
import { objectDetails } from '../../../../src/adapters/aws/objects/object-details.js';
import { objectReader } from '../../../../src/adapters/aws/objects/object-reader.js';
import { StoreError } from '../../../../src/core/encrypt/store-error.js';
import { RunStopError, UnverifiedObjectError } from '../../../../src/core/errors.js';

let server: Server;
let endpoint: string;
let seen: { method: string; url: string; range?: string | undefined }[] = [];
type Reply = { status: number; code?: string; message?: string; headers?: Record<string, string> };
let onHead: Reply = { status: 200 };
let onGet: Reply = { status: 206 };

const HEAD_HEADERS = {
  etag: '"e1"',
  'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
  'content-length': '5',
};

function send(res: ServerResponse, r: Reply, isHead: boolean): void {
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  if (r.code !== undefined && !isHead) {
    res.setHeader('content-type', 'application/xml');
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${r.code}</Code><Message>${r.message ?? ''}</Message></Error>`,
    );
  } else res.end();
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', range: req.headers.range });
    req.resume();
    req.on('end', () => send(res, req.method === 'HEAD' ? onHead : onGet, req.method === 'HEAD'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen = [];
  onHead = { status: 200, headers: HEAD_HEADERS };
  onGet = { status: 206 };
});

function client(): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** Both HEADing adapters, each over a fresh client. */
const readers = {
  verify: (bucket: string, key: string, v?: string) =>
    objectReader({ config: { region: 'us-east-1', endpoint }, s3: client() } as unknown as AwsClients).head(
      bucket,
      key,
      v,
    ),
  engine: (bucket: string, key: string, v?: string) =>
    objectDetails(client(), { region: 'us-east-1', endpoint }).head(bucket, key, v),
};

describe.each(Object.entries(readers))('%s HEAD', (_name, head) => {
  it('a 200 with the headers every HEAD carries is the object, with no second request', async () => {
    onHead = { status: 200, headers: HEAD_HEADERS };
    expect(await head('b-1', 'k')).toMatchObject({ key: 'k', etag: '"e1"', size: 5 });
    expect(seen.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('a 200 without ETag / Last-Modified proves nothing', async () => {
    onHead = { status: 200 };
    await expect(head('b-1', 'k')).rejects.toMatchObject({ message: expect.stringMatching(/without etag/) });
  });

  it('a 404 is "vanished" only when a GET of one byte answers NoSuchKey', async () => {
    onHead = { status: 404 };
    onGet = { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
    expect(await head('b-1', 'k')).toBeUndefined();
    expect(seen).toEqual(
      [
        { method: 'HEAD', url: '/b-1/k' },
        { method: 'GET', url: '/b-1/k', range: 'bytes=0-0' },
      ].map((r) => ({ range: undefined, ...r })),
    );
  });

  it('a version: NoSuchVersion proves it absent, asked for that version', async () => {
    onHead = { status: 404 };
    onGet = { status: 404, code: 'NoSuchVersion' };
    expect(await head('b-1', 'k', 'v 1')).toBeUndefined();
    expect(seen[1]?.url).toBe('/b-1/k?versionId=v%201');
  });

  it.each([
    ['a body-less GET', { status: 404 }],
    ['a GET that reads the object', { status: 206 }],
    ['an empty object (416)', { status: 416, code: 'InvalidRange' }],
    ['AccessDenied', { status: 403, code: 'AccessDenied' }],
    ['a 500', { status: 500, code: 'InternalError' }],
  ])('a 404 followed by %s is unverified, never absent', async (_what, get) => {
    onHead = { status: 404 };
    onGet = get;
    const err = await head('b-1', 'k').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(
      err instanceof UnverifiedObjectError || (err instanceof StoreError && err.kind === 'unverified'),
    ).toBe(true);
    expect((err as Error).message).toMatch(/HEAD answered 404/);
  });

  it('a 400 is SSE-C only when the GET says InvalidRequest about encryption', async () => {
    onHead = { status: 400 };
    onGet = {
      status: 400,
      code: 'InvalidRequest',
      message:
        'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    };
    expect(await head('b-1', 'k')).toMatchObject({ key: 'k', sseCustomerAlgorithm: 'AES256' });
  });

  it('a body-less 400 twice is unverified, not SSE-C', async () => {
    onHead = { status: 400 };
    onGet = { status: 400 };
    await expect(head('b-1', 'k')).rejects.toMatchObject({
      message: expect.stringMatching(/HEAD answered 400, a GET answered 400 with no error code/),
    });
  });

  it.each([
    [400, 'ExpiredToken'],
    [400, 'InvalidToken'],
    [400, 'TokenRefreshRequired'],
    [400, 'AuthorizationHeaderMalformed'],
    [403, 'RequestTimeTooSkewed'],
    [403, 'SignatureDoesNotMatch'],
    [403, 'InvalidAccessKeyId'],
  ])('a %i whose GET says %s stops the run (exit 3)', async (status, code) => {
    onHead = { status };
    onGet = { status, code };
    await expect(head('b-1', 'k')).rejects.toSatisfy(
      (e: unknown) => e instanceof RunStopError && e.exitCode === 3 && e.message.includes(code),
    );
  });

  it('NoSuchBucket stops the run', async () => {
    onHead = { status: 404 };
    onGet = { status: 404, code: 'NoSuchBucket' };
    await expect(head('b-1', 'k')).rejects.toSatisfy(
      (e: unknown) => e instanceof RunStopError && e.code === 'NoSuchBucket',
    );
  });

  it('a 403 whose GET says AccessDenied is unverified (this object), not a stop', async () => {
    onHead = { status: 403 };
    onGet = { status: 403, code: 'AccessDenied' };
    await expect(head('b-1', 'k')).rejects.toMatchObject({ message: expect.stringMatching(/AccessDenied/) });
  });
});

describe('judge', () => {
  it('never believes a 404 that a GET contradicts or cannot explain', () => {
    expect(judge(404, { status: 404, code: 'NoSuchKey' }, 'b', 'k').kind).toBe('vanished');
    expect(judge(404, { status: 400, code: 'InvalidRequest', message: 'encryption' }, 'b', 'k').kind).toBe(
      'unverified',
    );
    expect(judge(400, { status: 404, code: 'NoSuchKey' }, 'b', 'k').kind).toBe('unverified');
    expect(judge(404, { error: new Error('reset') }, 'b', 'k').kind).toBe('unverified');
  });
});
