import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toHead } from '../../../../src/adapters/aws/objects/head-proof.js';
import { bucketRegionVia, headVia } from '../../../../src/adapters/aws/objects/lean-head.js';
import { encodeKey, leanSender, type Transport } from '../../../../src/adapters/aws/transport/lean-send.js';
import { objectReader } from '../../../../src/adapters/aws/objects/object-reader.js';
import { UnverifiedObjectError } from '../../../../src/core/errors.js';
import type { AwsClients } from '../../../../src/adapters/aws/transport/clients.js';

const CREDS = { accessKeyId: 'AKIDLEANTEST', secretAccessKey: 'lean-secret/+key' };
const REGION = 'us-east-1';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

let server: Server;
let endpoint: string;
let seen: Seen[] = [];
/** What every HEAD answer of a store carries (lean-head.ts missingHeadHeaders). */
const okHead = (_q: IncomingMessage, res: ServerResponse): void => {
  res.setHeader('etag', '"e1"');
  res.setHeader('last-modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
  res.setHeader('content-length', '0');
  res.end();
};
let reply: (req: IncomingMessage, res: ServerResponse) => void = okHead;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => reply(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A reply with this status and no body. */
const answer =
  (code: number) =>
  (_q: IncomingMessage, res: ServerResponse): void => {
    res.statusCode = code;
    res.end();
  };
afterEach(() => {
  seen = [];
  reply = okHead;
});

function client(extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {}): S3Client {
  return new S3Client({
    region: REGION,
    endpoint,
    forcePathStyle: true,
    credentials: CREDS,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}

/** Recomputes the SigV4 signature from what arrived on the wire, as S3 does. */
function expectedSignature(s: Seen): string {
  const auth = String(s.headers.authorization);
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) throw new Error(`bad Authorization: ${auth}`);
  const [, , day, region, signed] = m as unknown as [string, string, string, string, string];
  const [path, query = ''] = s.url.split('?') as [string, string?];
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const names = signed.split(';');
  const canonical = [
    s.method,
    path,
    canonicalQuery,
    ...names.map((n) => `${n}:${String(s.headers[n]).trim()}`),
    '',
    signed,
    String(s.headers['x-amz-content-sha256']),
  ].join('\n');
  const amzDate = String(s.headers['x-amz-date']);
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let k: Buffer = createHmac('sha256', `AWS4${CREDS.secretAccessKey}`).update(day).digest();
  for (const part of [region, 's3', 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
  return createHmac('sha256', k).update(toSign).digest('hex');
}

describe('headVia over a local HTTP server', () => {
  it('sends a path-style HEAD signed with the client credentials and region', async () => {
    const s3 = client();
    const r = await headVia(leanSender(s3))('my-bucket', 'dir/a b+c%d/é€😀.txt', 'v 1');
    expect(r.kind).toBe('head');
    expect(seen).toHaveLength(1);
    const s = seen[0] as Seen;
    expect(s.method).toBe('HEAD');
    expect(s.url).toBe('/my-bucket/dir/a%20b%2Bc%25d/%C3%A9%E2%82%AC%F0%9F%98%80.txt?versionId=v%201');
    expect(s.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLEANTEST\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=.*host.*x-amz-content-sha256;x-amz-date/,
    );
    expect(s.headers['x-amz-content-sha256']).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(String(s.headers.authorization).endsWith(`Signature=${expectedSignature(s)}`)).toBe(true);
    s3.destroy();
  });

  it('sends the same URL as the SDK command for awkward keys', async () => {
    const s3 = client();
    const keys = ["sp ace/plus+/pct%25/x!'()*~._-", 'uni/ü/日本', 'trailing/', 'a//b', '=&?#;:@$,'];
    for (const key of keys) {
      await headVia(leanSender(s3))('b-1', key);
      await s3.send(new HeadObjectCommand({ Bucket: 'b-1', Key: key }));
    }
    const urls = seen.map((s) => s.url);
    for (let i = 0; i < keys.length; i++) expect(urls[2 * i]).toBe(urls[2 * i + 1]);
    s3.destroy();
  });

  it('builds the same ObjectHead as the SDK path for every header', async () => {
    reply = (_q, res) => {
      res.writeHead(200, {
        'content-length': '1024',
        etag: '"abc"',
        'last-modified': 'Wed, 12 Oct 2022 17:50:00 GMT',
        'x-amz-version-id': 'ver-1',
        'x-amz-storage-class': 'STANDARD_IA',
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/k-1',
        'x-amz-server-side-encryption-bucket-key-enabled': 'true',
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'max-age=60',
        'content-disposition': 'attachment; filename="a b.txt"',
        'content-encoding': 'gzip',
        'content-language': 'de',
        expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
        'x-amz-website-redirect-location': '/other',
        'x-amz-meta-Owner': 'team a',
        'x-amz-meta-empty': '',
        'x-amz-object-lock-mode': 'GOVERNANCE',
        'x-amz-object-lock-retain-until-date': '2030-01-02T03:04:05.000Z',
        'x-amz-object-lock-legal-hold': 'ON',
        'x-amz-restore': 'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"',
        'x-amz-archive-status': 'ARCHIVE_ACCESS',
        'x-amz-mp-parts-count': '3',
        'x-amz-tagging-count': '2',
      });
      res.end();
    };
    const s3 = client();
    const r = await headVia(leanSender(s3))('b-1', 'k');
    const sdk = toHead('k', await s3.send(new HeadObjectCommand({ Bucket: 'b-1', Key: 'k' })));
    expect(r).toEqual({ kind: 'head', head: sdk });
    expect(sdk.metadata).toEqual({ owner: 'team a', empty: '' });
    expect(sdk.bucketKeyEnabled).toBe(true);
    s3.destroy();
  });

  it('defaults like the SDK path when the store sends few headers', async () => {
    const s3 = client();
    const r = await headVia(leanSender(s3))('b-1', 'k');
    const sdk = toHead('k', await s3.send(new HeadObjectCommand({ Bucket: 'b-1', Key: 'k' })));
    expect(r).toEqual({ kind: 'head', head: sdk });
    expect(sdk.storageClass).toBe('STANDARD');
    s3.destroy();
  });

  it.each([
    // A bare status proves nothing: the caller takes a second look (head-proof.ts).
    [404, { kind: 'refused', status: 404 }],
    [400, { kind: 'refused', status: 400 }],
    [403, { kind: 'refused', status: 403 }],
    [500, { kind: 'fallback', status: 500 }],
    [503, { kind: 'fallback', status: 503 }],
    [301, { kind: 'fallback', status: 301 }],
  ])('maps HTTP %i to %o', async (status, result) => {
    reply = answer(status);
    const s3 = client();
    expect(await headVia(leanSender(s3))('b-1', 'k')).toEqual(result);
    s3.destroy();
  });

  it('falls back on a network error', async () => {
    const s3 = client({ endpoint: 'http://127.0.0.1:1' });
    expect(await headVia(leanSender(s3))('b-1', 'k')).toEqual({ kind: 'fallback' });
    s3.destroy();
  });

  it('falls back for keys a plain URL cannot express', async () => {
    const s3 = client();
    expect(await headVia(leanSender(s3))('b-1', 'a/../k')).toEqual({ kind: 'fallback' });
    expect(await headVia(leanSender(s3))('b-1', '\ud800')).toEqual({ kind: 'fallback' });
    expect(seen).toHaveLength(0);
    s3.destroy();
  });
});

describe('HeadBucket through the lean path', () => {
  it("answers the bucket's region from one signed HEAD on the bucket", async () => {
    const s3 = client();
    reply = (_q, res) => {
      res.setHeader('x-amz-bucket-region', 'eu-central-1');
      res.end();
    };
    expect(await bucketRegionVia(leanSender(s3))('my-bucket', 'us-east-1')).toBe('eu-central-1');
    // The SDK's HeadBucket path, trailing slash included (lean-send.test.ts compares them).
    expect(seen.map((s) => [s.method, s.url])).toEqual([['HEAD', '/my-bucket/']]);
    expect(
      String(seen[0]?.headers.authorization).endsWith(`Signature=${expectedSignature(seen[0] as Seen)}`),
    ).toBe(true);
    s3.destroy();
  });

  it('takes the configured region from a store that does not name one', async () => {
    const s3 = client();
    expect(await bucketRegionVia(leanSender(s3))('my-bucket', 'us-east-1')).toBe('us-east-1');
    s3.destroy();
  });

  it.each([301, 403, 404, 500])(
    'leaves a %i to the SDK command (its errors are mapped there)',
    async (status) => {
      const s3 = client();
      reply = answer(status);
      expect(await bucketRegionVia(leanSender(s3))('my-bucket', 'us-east-1')).toBeUndefined();
      s3.destroy();
    },
  );
});

describe('headVia without --endpoint-url', () => {
  // No AWS here: a transport that records where each request would go and answers 404.
  function capturing(region: string, extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {}) {
    const requests: { hostname: string; protocol: string; path: string; port: number | undefined }[] = [];
    const s3 = new S3Client({ region, credentials: CREDS, ...extra });
    const transport: Transport = (req) => {
      requests.push(req);
      return Promise.resolve({ status: 404, headers: {}, body: Readable.from([]) });
    };
    return { head: headVia(leanSender(s3, transport)), requests };
  }

  it('addresses DNS-compatible buckets virtual-hosted in the client region', async () => {
    const { head, requests } = capturing('eu-west-1');
    expect(await head('my-bucket-1', 'a b')).toEqual({ kind: 'refused', status: 404 });
    expect(requests).toMatchObject([
      { protocol: 'https:', hostname: 'my-bucket-1.s3.eu-west-1.amazonaws.com', path: '/a%20b' },
    ]);
  });

  // Every other address (FIPS, dual-stack, other partitions, dotted buckets) is the SDK's own,
  // compared request by request in lean-send.test.ts.
  it('addresses a dotted bucket path-style, as the SDK does', async () => {
    const { head, requests } = capturing('eu-west-1');
    expect(await head('my.dotted.bucket', 'k')).toEqual({ kind: 'refused', status: 404 });
    expect(requests).toMatchObject([
      { protocol: 'https:', hostname: 's3.eu-west-1.amazonaws.com', path: '/my.dotted.bucket/k' },
    ]);
  });

  it('leaves S3 Express directory buckets to the SDK (another auth scheme)', async () => {
    const { head, requests } = capturing('us-west-2');
    expect(await head('dir-bucket--usw2-az1--x-s3', 'k')).toEqual({ kind: 'fallback' });
    expect(requests).toHaveLength(0);
  });
});

describe('objectReader.head', () => {
  function clients(s3: S3Client): AwsClients {
    return { config: { region: REGION, endpoint }, s3 } as unknown as AwsClients;
  }

  it('answers from one lean request when the store answers 200', async () => {
    const s3 = client();
    const head = await objectReader(clients(s3)).head('b-1', 'k');
    expect(head?.key).toBe('k');
    expect(seen).toHaveLength(1);
    s3.destroy();
  });

  it('sends nothing more than the HEAD for a 200 with the headers every HEAD carries', async () => {
    const s3 = client();
    await objectReader(clients(s3)).head('b-1', 'k');
    expect(seen.map((r) => r.method)).toEqual(['HEAD']);
    s3.destroy();
  });

  it('goes through the SDK command for other statuses, and a 5xx after it is unverified, not fatal', async () => {
    const s3 = client();
    reply = answer(500);
    await expect(objectReader(clients(s3)).head('b-1', 'k')).rejects.toBeInstanceOf(UnverifiedObjectError);
    // One lean request, then the SDK's own (maxAttempts 1 here).
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    s3.destroy();
  });
});

describe('encodeKey', () => {
  it('encodes per RFC 3986 and keeps slashes', () => {
    expect(encodeKey("a b/+%/é/!'()*~")).toBe('a%20b/%2B%25/%C3%A9/%21%27%28%29%2A~');
    expect(encodeKey('')).toBeUndefined();
    expect(encodeKey('./x')).toBeUndefined();
  });
});
