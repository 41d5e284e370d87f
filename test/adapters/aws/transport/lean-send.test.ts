// The lean sender (src/adapters/aws/transport/lean-send.ts) must address, sign and time every request as the
// S3 client's own command would: same URL, Host and credential scope for every endpoint setting
// the SDK knows (custom endpoints, a profile's endpoint_url or services section, FIPS, dual-stack,
// other partitions, dotted buckets); nothing it cannot sign with plain SigV4; the client's signer's
// exact signature; and one clock correction shared both ways.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyHeaders } from '../../../../src/adapters/aws/objects/lean-copy.js';
import {
  leanSender,
  type LeanRequest,
  type Transport,
} from '../../../../src/adapters/aws/transport/lean-send.js';

const CREDS = { accessKeyId: 'AKIDLEANSEND', secretAccessKey: 'lean/secret+key=' };

/** What decides where a request goes and how it is signed. */
interface Wire {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
  host: string | undefined;
  /** Credential scope without the date: region/service. */
  scope: string | undefined;
}

const scopeOf = (auth: unknown) =>
  /Credential=[^/]+\/\d{8}\/([^/]+\/[^/]+)\/aws4_request/.exec(String(auth))?.[1];

class Captured extends Error {}

/** A client whose every request is captured and refused before it leaves the process. */
function capturingClient(config: S3ClientConfig): { s3: S3Client; sent: Wire[] } {
  const sent: Wire[] = [];
  const s3 = new S3Client({
    region: 'eu-west-1',
    credentials: CREDS,
    maxAttempts: 1,
    ...config,
    requestHandler: {
      handle: (req: {
        protocol: string;
        hostname: string;
        port?: number;
        path: string;
        headers: Record<string, string>;
      }) => {
        sent.push({
          protocol: req.protocol,
          hostname: req.hostname,
          port: req.port,
          path: req.path,
          host: req.headers.host,
          scope: scopeOf(req.headers.authorization),
        });
        return Promise.reject(new Captured('captured'));
      },
    },
  });
  return { s3, sent };
}

/** A transport that records where the lean sender would send, and answers 404. */
function capturingTransport(): { transport: Transport; sent: Wire[] } {
  const sent: Wire[] = [];
  const transport: Transport = (req) => {
    sent.push({
      protocol: req.protocol,
      hostname: req.hostname,
      port: req.port,
      path: req.path.split('?')[0] as string,
      host: req.headers.host,
      scope: scopeOf(req.headers.authorization),
    });
    return Promise.resolve({ status: 404, headers: {}, body: Readable.from([]) });
  };
  return { transport, sent };
}

const KEY = 'dir/a b+c~ü.txt';

/** Each lean request and the SDK command that sends the same operation. */
function operations(bucket: string) {
  const copy = { Bucket: bucket, Key: KEY, CopySource: `${bucket}/${encodeURIComponent(KEY)}` };
  return [
    {
      name: 'HeadObject',
      lean: { method: 'HEAD', bucket, key: KEY } as LeanRequest,
      sdk: new HeadObjectCommand({ Bucket: bucket, Key: KEY }),
    },
    {
      name: 'HeadBucket',
      lean: { method: 'HEAD', bucket } as LeanRequest,
      sdk: new HeadBucketCommand({ Bucket: bucket }),
    },
    {
      name: 'ListObjectsV2',
      lean: { method: 'GET', bucket, query: { 'list-type': '2' } } as LeanRequest,
      sdk: new ListObjectsV2Command({ Bucket: bucket }),
    },
    {
      name: 'CopyObject',
      lean: {
        method: 'PUT',
        bucket,
        key: KEY,
        query: { 'x-id': 'CopyObject' },
        headers: copyHeaders(copy),
      } as LeanRequest,
      sdk: new CopyObjectCommand(copy),
    },
  ];
}

/** Where the SDK command sends each operation, and where the lean sender does. */
async function bothWays(config: S3ClientConfig, bucket: string) {
  const { s3, sent: sdkSent } = capturingClient(config);
  const { transport, sent: leanSent } = capturingTransport();
  const send = leanSender(s3, transport);
  const out: { name: string; sdk: Wire | undefined; lean: Wire | undefined }[] = [];
  for (const op of operations(bucket)) {
    sdkSent.length = 0;
    leanSent.length = 0;
    await expect(s3.send(op.sdk as HeadObjectCommand)).rejects.toBeInstanceOf(Captured);
    await send(op.lean);
    out.push({ name: op.name, sdk: sdkSent[0], lean: leanSent[0] });
  }
  s3.destroy();
  return out;
}

// A temporary shared config, read by the SDK through AWS_CONFIG_FILE and AWS_PROFILE, as the CLI
// arranges for --profile (src/cli.ts).
let home: string;
const saved = { ...process.env };
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 's3e-lean-send-'));
  writeFileSync(
    join(home, 'config'),
    [
      '[profile with-endpoint]',
      'endpoint_url = http://127.0.0.1:4599',
      '',
      '[profile with-services]',
      'services = local-s3',
      '',
      '[services local-s3]',
      's3 =',
      '  endpoint_url = https://s3.store.example.net:8443/base',
      '',
      '[profile fips]',
      'use_fips_endpoint = true',
      '',
    ].join('\n'),
  );
  writeFileSync(join(home, 'credentials'), '');
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_PROFILE', 'AWS_USE_FIPS_ENDPOINT'])
    delete process.env[name];
});
afterEach(() => {
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

describe('lean requests go where the SDK command goes', () => {
  const cases: [string, S3ClientConfig, string, string | undefined][] = [
    // name, client settings, bucket, AWS_PROFILE
    [
      '--endpoint-url, path-style',
      { endpoint: 'http://127.0.0.1:4566', forcePathStyle: true },
      'my-bucket',
      undefined,
    ],
    [
      'an endpoint with a base path',
      { endpoint: 'http://127.0.0.1:4566/store/', forcePathStyle: true },
      'my-bucket',
      undefined,
    ],
    [
      'an endpoint addressed virtual-hosted',
      { endpoint: 'https://store.example.com' },
      'my-bucket',
      undefined,
    ],
    [
      'an endpoint with a query (the rules drop it)',
      { endpoint: 'http://127.0.0.1:4566/?x=1', forcePathStyle: true },
      'b-1',
      undefined,
    ],
    ["a profile's endpoint_url", {}, 'my-bucket', 'with-endpoint'],
    ["a profile's services section", {}, 'my-bucket', 'with-services'],
    ['FIPS', { useFipsEndpoint: true }, 'my-bucket', undefined],
    ["a profile's use_fips_endpoint", {}, 'my-bucket', 'fips'],
    ['dual-stack', { useDualstackEndpoint: true }, 'my-bucket', undefined],
    ['a dotted bucket', {}, 'my.dotted.bucket', undefined],
    ['a dotted bucket on a custom endpoint', { endpoint: 'https://store.example.com' }, 'a.b.c', undefined],
    ['another partition', { region: 'cn-north-1' }, 'my-bucket', undefined],
    ['Transfer Acceleration', { useAccelerateEndpoint: true }, 'my-bucket', undefined],
    ['a plain AWS bucket', {}, 'my-bucket', undefined],
  ];

  it.each(cases)('%s', async (_name, config, bucket, profile) => {
    if (profile) process.env.AWS_PROFILE = profile;
    for (const { name, sdk, lean } of await bothWays(config, bucket)) {
      expect(sdk, name).toBeDefined();
      expect(lean, name).toEqual(sdk);
    }
  });

  it('reaches the endpoint_url of the profile, not AWS', async () => {
    process.env.AWS_PROFILE = 'with-endpoint';
    const [head] = await bothWays({}, 'my-bucket');
    expect(head?.lean).toMatchObject({ protocol: 'http:', hostname: '127.0.0.1', port: 4599 });
    expect(head?.lean?.path).toBe('/my-bucket/dir/a%20b%2Bc~%C3%BC.txt');
  });
});

describe('what only the SDK command can send', () => {
  it.each([
    ['an S3 Express directory bucket (sigv4-s3express)', { region: 'us-west-2' }, 'dir--usw2-az1--x-s3'],
    [
      'a directory bucket behind --endpoint-url',
      { endpoint: 'http://127.0.0.1:4566', forcePathStyle: true },
      'dir--usw2-az1--x-s3',
    ],
    [
      'a Multi-Region Access Point (sigv4a)',
      { endpoint: 'https://store.example.com' },
      'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap',
    ],
  ] as const)('%s: undefined, nothing sent', async (_name, config, bucket) => {
    const { s3 } = capturingClient(config);
    const { transport, sent } = capturingTransport();
    const send = leanSender(s3, transport);
    for (const op of operations(bucket)) expect(await send(op.lean), op.name).toBeUndefined();
    expect(sent).toEqual([]);
    s3.destroy();
  });
});

describe('route resolution', () => {
  it("asks the client's endpoint rules once per operation and bucket", async () => {
    const { s3 } = capturingClient({ endpoint: 'http://127.0.0.1:4566', forcePathStyle: true });
    const rules = vi.spyOn(s3.config, 'endpointProvider');
    const { transport, sent } = capturingTransport();
    const send = leanSender(s3, transport);
    for (let i = 0; i < 20; i++) await send({ method: 'HEAD', bucket: 'b-1', key: `k${i}` });
    expect(rules).toHaveBeenCalledTimes(1);
    await send({ method: 'HEAD', bucket: 'b-2', key: 'k' });
    await send({ method: 'GET', bucket: 'b-1', query: { 'list-type': '2' } });
    expect(rules).toHaveBeenCalledTimes(3);
    expect(sent.map((s) => s.path)).toContain('/b-2/k');
    s3.destroy();
  });
});

describe('signature', () => {
  afterEach(() => vi.useRealTimers());

  it('gives the S3 documentation\'s "GET Object" signature', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, example 1.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2013-05-24T00:00:00Z') });
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: 'https://s3.amazonaws.com',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    });
    let headers: Record<string, string> = {};
    const send = leanSender(s3, (req) => {
      headers = req.headers;
      return Promise.resolve({ status: 200, headers: {}, body: Readable.from([]) });
    });
    await send({ method: 'GET', bucket: 'examplebucket', key: 'test.txt', headers: { range: 'bytes=0-9' } });
    expect(headers.host).toBe('examplebucket.s3.amazonaws.com');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    s3.destroy();
  });

  it.each<[string, { accessKeyId: string; secretAccessKey: string; sessionToken?: string }]>([
    ['long-term credentials', CREDS],
    ['a session token', { ...CREDS, sessionToken: 'FQoGZXIvYXdzE//session+token=' }],
  ])("equals the client's own SigV4 signer's, with %s", async (_name, credentials) => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T10:20:30.456Z') });
    const s3 = new S3Client({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
      forcePathStyle: true,
      credentials,
    });
    const seen: { method: string; path: string; headers: Record<string, string> }[] = [];
    const send = leanSender(s3, (req) => {
      seen.push({ method: req.method, path: req.path, headers: req.headers });
      return Promise.resolve({ status: 200, headers: {}, body: Readable.from([]) });
    });
    const key = "dir/a b+c%d (1)!*'~ü日本.txt";
    const copy = copyHeaders({
      Bucket: 'b',
      Key: key,
      CopySource: `b/${encodeURIComponent(key)}`,
      CopySourceIfMatch: '"9b2cf535f27731c974343645a3985328"',
      MetadataDirective: 'COPY',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k-1',
      BucketKeyEnabled: true,
    });
    await send({ method: 'HEAD', bucket: 'b', key, query: { versionId: 'v+1/2=' } });
    await send({ method: 'PUT', bucket: 'b', key, query: { 'x-id': 'CopyObject' }, headers: copy });
    await send({
      method: 'GET',
      bucket: 'b',
      query: { 'list-type': '2', prefix: 'a b/', 'encoding-type': 'url' },
    });
    const signer = await s3.config.signer({
      name: 'sigv4',
      signingName: 's3',
      signingRegion: 'eu-west-1',
      properties: {},
    });
    expect(seen).toHaveLength(3);
    for (const { method, path, headers } of seen) {
      const [p, q = ''] = path.split('?') as [string, string?];
      const query = Object.fromEntries(new URLSearchParams(q));
      const { authorization, 'user-agent': _ua, ...toSign } = headers;
      if (credentials.sessionToken) expect(toSign['x-amz-security-token']).toBe(credentials.sessionToken);
      const signed = await signer.sign(
        {
          method,
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: 4566,
          path: p,
          query,
          headers: Object.fromEntries(
            Object.entries(toSign).filter(([n]) => n !== 'x-amz-date' && n !== 'x-amz-security-token'),
          ),
        },
        { signingDate: new Date(), signingRegion: 'eu-west-1', signingService: 's3' },
      );
      expect(authorization, path).toBe(signed.headers.authorization);
    }
    s3.destroy();
  });
});

describe('clock correction', () => {
  let server: Server;
  let endpoint: string;
  let serverDate = '';
  let status = 200;
  const dates: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      dates.push(String(req.headers['x-amz-date']));
      req.resume();
      res.writeHead(status, { date: serverDate, 'content-type': 'application/xml' });
      res.end(
        status === 403
          ? '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>'
          : '',
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  afterEach(() => {
    dates.length = 0;
    status = 200;
  });

  const client = () =>
    new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
  const amzDate = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const anHourAhead = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);

  it("learns the store's clock from a lean answer, for lean and SDK requests alike", async () => {
    const s3 = client();
    const ahead = anHourAhead();
    status = 403;
    serverDate = ahead.toUTCString();
    const send = leanSender(s3);
    (await send({ method: 'HEAD', bucket: 'b-1', key: 'k' }))?.body.resume();
    expect(s3.config.systemClockOffset).toBeGreaterThan(3_590_000);
    status = 200;
    (await send({ method: 'HEAD', bucket: 'b-1', key: 'k' }))?.body.resume();
    await s3.send(new HeadObjectCommand({ Bucket: 'b-1', Key: 'k' }));
    const [, lean, sdk] = dates as [string, string, string];
    for (const d of [lean, sdk]) expect(d.slice(0, 11)).toBe(amzDate(ahead).slice(0, 11));
    s3.destroy();
  });

  it('signs with the correction an SDK command learned', async () => {
    const s3 = client();
    const ahead = anHourAhead();
    status = 403;
    serverDate = ahead.toUTCString();
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'b-1', Key: 'k' }))).rejects.toThrow();
    expect(Math.abs((s3.config.systemClockOffset ?? 0) - 3_600_000)).toBeLessThan(5_000);
    status = 200;
    (await leanSender(s3)({ method: 'HEAD', bucket: 'b-1', key: 'k' }))?.body.resume();
    expect(dates[1]?.slice(0, 11)).toBe(amzDate(ahead).slice(0, 11));
    s3.destroy();
  });
});
