// A shared-config profile whose endpoint_url is a recording proxy in front of moto, named with
// --profile, no --endpoint-url (issue 9, "one address for every request"). Every request of
// `verify --live` and `encrypt` must arrive there: the listing, the HEADs and the copies from the
// lean sender itself (its user agent), none from the SDK command after a lean request went
// elsewhere and failed, and the results must be right.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

interface Arrived {
  op: string;
  path: string;
  userAgent: string;
}

/** S3 operation of a path-style request (KMS and STS by their own marks). */
function operationOf(method: string, url: string, headers: http.IncomingHttpHeaders): string {
  const u = new URL(url, 'http://x');
  if (headers['x-amz-target']) return `KMS ${String(headers['x-amz-target']).split('.').pop()}`;
  const segments = u.pathname.split('/').filter(Boolean);
  const onObject = segments.length >= 2;
  if (segments.length === 0) return `${method} /`;
  if (method === 'HEAD') return onObject ? 'HeadObject' : 'HeadBucket';
  if (method === 'GET' && !onObject && u.searchParams.get('list-type') === '2') return 'ListObjectsV2';
  if (method === 'PUT' && onObject && headers['x-amz-copy-source']) return 'CopyObject';
  return `${method} ${onObject ? 'object' : 'bucket'}?${[...u.searchParams.keys()].join('&')}`;
}

/** A pass-through proxy that records what arrives and forwards it unchanged (Host included). */
async function recordingPassThrough(upstream: string) {
  const up = new URL(upstream);
  const arrived: Arrived[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    arrived.push({
      op: operationOf(req.method ?? 'GET', req.url ?? '/', req.headers),
      path: req.url ?? '/',
      userAgent: String(req.headers['user-agent'] ?? ''),
    });
    const fwd = http.request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    fwd.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const bucket = uniqueBucket('profile-endpoint');
const PROFILE = 's3e-local';
const N = 24;
const keys = Array.from({ length: N }, (_, i) => `obj/${String(i).padStart(2, '0')} ü+%.txt`);
let keyArn = '';
let home = '';
let proxy: Awaited<ReturnType<typeof recordingPassThrough>>;

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const Key of keys)
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}` }));
  proxy = await recordingPassThrough(t.endpoint);
  home = mkdtempSync(join(tmpdir(), 's3e-profile-home-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'config'),
    `[profile ${PROFILE}]\nregion = ${t.region}\nendpoint_url = ${proxy.endpoint}\n`,
  );
  writeFileSync(
    join(home, '.aws', 'credentials'),
    `[${PROFILE}]\naws_access_key_id = ${t.accessKeyId}\naws_secret_access_key = ${t.secretAccessKey}\n`,
  );
});
afterAll(async () => {
  await proxy?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  proxy.arrived.length = 0;
});

/** The CLI as an operator with that profile runs it: --profile, HOME, no endpoint anywhere else. */
function withProfile(args: string[]) {
  return runBin(['--profile', PROFILE, '--json', ...args], t, {
    endpoint: false,
    // Credentials only from the profile; no AWS_ENDPOINT_URL* reaches the child (runBin passes
    // only PATH, HOME and the target's keys and region).
    env: { HOME: home, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
  });
}

const lean = (a: Arrived) => a.userAgent.startsWith('s3-encrypt/');
const count = (op: string) => proxy.arrived.filter((a) => a.op === op);

/** The hot path's requests arrived, each once, each from the lean sender. */
function expectLeanAtProfileEndpoint(op: string, expected: number | 'some'): void {
  const seen = count(op);
  if (expected === 'some') expect(seen.length, op).toBeGreaterThan(0);
  else expect(seen.length, op).toBe(expected);
  expect(
    seen.filter((a) => !lean(a)).map((a) => `${a.op} ${a.path} (${a.userAgent.slice(0, 40)})`),
    `${op} sent through the SDK command instead of the lean path`,
  ).toEqual([]);
}

describe("a profile's endpoint_url, used with --profile", () => {
  it('verify --live lists and HEADs every object there, with the right verdict', async () => {
    const r = await withProfile(['verify', '--bucket', bucket, '--kms-key', keyArn, '--live']);
    const summary = (r.lines().at(-1) as { summary?: { checked: number; compliant: number } }).summary;
    expect(summary, r.stderr).toMatchObject({ checked: N, compliant: 0 });
    expect(r.code, r.stderr).toBe(1);
    expectLeanAtProfileEndpoint('ListObjectsV2', 'some');
    expectLeanAtProfileEndpoint('HeadObject', N);
    expectLeanAtProfileEndpoint('HeadBucket', 1);
  });

  it('encrypt copies every object there, then verify --live finds all compliant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3e-profile-enc-'));
    try {
      const r = await withProfile([
        'encrypt',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--state',
        join(dir, 'state.jsonl'),
      ]);
      expect(r.code, r.stderr).toBe(0);
      expectLeanAtProfileEndpoint('ListObjectsV2', 'some');
      expectLeanAtProfileEndpoint('CopyObject', N);
      // A HEAD before each copy and the read-back after it.
      expectLeanAtProfileEndpoint('HeadObject', 2 * N);
      expect(count('KMS DescribeKey').length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const Key of keys) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      expect([head.ServerSideEncryption, head.SSEKMSKeyId], Key).toEqual(['aws:kms', keyArn]);
    }
    proxy.arrived.length = 0;
    const v = await withProfile(['verify', '--bucket', bucket, '--kms-key', keyArn, '--live']);
    expect(v.code, v.stderr).toBe(0);
    expect((v.lines().at(-1) as { summary?: unknown }).summary).toMatchObject({ checked: N, compliant: N });
    expectLeanAtProfileEndpoint('HeadObject', N);
  });
});
