// The conformance proxy the tiers' global setup puts in front of the server: it forwards every
// request untouched (the answers are the server's) and records each request's operation and its
// violations of AWS's models. Here a second one, in front of target(), is watched directly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { checkIntercepted } from '../support/conformance-intercepted.js';
import { conformanceProxy, type ConformanceProxy } from '../support/conformance-proxy.js';
import { violationLines } from '../support/conformance-report.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const bucket = uniqueBucket('conformance');
let proxy: ConformanceProxy;

beforeAll(async () => {
  proxy = await conformanceProxy(t.endpoint);
});
afterAll(() => proxy.close());

describe('conformance proxy', () => {
  it("forwards SDK and CLI requests, with the server's answers, and names their operations", async () => {
    const s3 = s3For({ ...t, endpoint: proxy.endpoint });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a b/c.txt', Body: 'hello' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a b/c.txt' }));
    expect(head.ContentLength).toBe(5);
    const viaProxy = { ...t, endpoint: proxy.endpoint };
    const key = await kmsFor(viaProxy).send(new CreateKeyCommand({ Description: 'conformance test' }));
    const r = await runBin(
      ['--json', 'verify', '--bucket', bucket, '--kms-key', key.KeyMetadata?.Arn ?? '', '--live'],
      viaProxy,
    );
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(1); // the object is not under the key: a verdict, not an error
    expect(proxy.log.seen).toMatchObject({ 'kms CreateKey': 1 });
    expect(proxy.log.seen['kms DescribeKey']).toBeGreaterThanOrEqual(1);
    expect(proxy.log.seen).toMatchObject({ 's3 CreateBucket': 1, 's3 PutObject': 1 });
    expect(proxy.log.seen['s3 HeadObject']).toBeGreaterThanOrEqual(2);
    expect(proxy.log.seen['s3 ListObjectsV2']).toBeGreaterThanOrEqual(1);
    expect(violationLines(proxy.log)).toEqual([]);
  });

  it('records a request that breaks the model, with its operation, member path and rule', async () => {
    // Upstream is a stand-in server here: a bad request sent on to target() would (rightly) fail
    // this run at the global conformance check.
    const standIn = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
    const bad = await conformanceProxy(`http://127.0.0.1:${(standIn.address() as AddressInfo).port}`);
    try {
      const res = await fetch(`${bad.endpoint}/${bucket}/a%20b/c.txt?versionid=1`, { method: 'HEAD' });
      expect(res.status).toBe(204); // forwarded, and the upstream's answer came back
      await fetch(`${bad.endpoint}/${bucket}?list-type=2&max-keys=ten`);
      await fetch(`${bad.endpoint}/${bucket}/k`, { method: 'PATCH' });
      expect(bad.log.failedCount).toBe(3);
      const text = violationLines(bad.log).join('\n');
      expect(text).toContain(`HEAD /${bucket}/a%20b/c.txt?versionid=1 (s3 HeadObject`);
      expect(text).toContain('versionid [unknown-query-parameter]');
      expect(text).toContain('MaxKeys [type] MaxKeys is an integer; the wire has "ten"');
      expect(text).toContain('(request) [unknown-operation]');
      expect(bad.log.seen).toEqual({ 's3 HeadObject': 1, 's3 ListObjectsV2': 1, 's3 ?': 1 });
    } finally {
      await bad.close();
      await new Promise<void>((r) => standIn.close(() => r()));
    }
  });

  it("a request a test's own proxy answered itself is judged from a copy, which never reaches the server", async () => {
    let reached = 0;
    const standIn = http.createServer((_req, res) => {
      reached++;
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
    const checker = await conformanceProxy(`http://127.0.0.1:${(standIn.address() as AddressInfo).port}`);
    try {
      const lied = { method: 'HEAD', url: `/${bucket}/k?colour=red`, headers: { host: 'liar' } };
      checkIntercepted(checker.endpoint, lied, Buffer.alloc(0), checker.endpoint);
      // Not chained to the checker: no copy is sent anywhere.
      checkIntercepted('http://127.0.0.1:9', lied, Buffer.alloc(0), checker.endpoint);
      await expect.poll(() => checker.log.failedCount).toBe(1);
      expect(checker.log.failed[0]).toMatchObject({
        operation: 'HeadObject',
        violations: [{ path: 'colour' }],
      });
      expect(reached).toBe(0);
    } finally {
      await checker.close();
      await new Promise<void>((r) => standIn.close(() => r()));
    }
  });
});
