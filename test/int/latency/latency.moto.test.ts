// encrypt and verify --live on moto behind the latency proxy (bench/lib/latency-proxy.mjs): every
// request 20 ms away, 5% of them answered 503 SlowDown. Without --concurrency the run finds its
// own: it completes, every object ends SSE-KMS under the key, and the summary says it backed off.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencyProxy, type LatencyProxy } from '../../../bench/lib/latency-proxy.mjs';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { snapshotBucket } from '../support/snapshot.js';
import { createBucket, encrypt, parseRun, putSeeds, type Seed } from '../encrypt/fixtures.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
let keyArn: string;
let proxy: LatencyProxy;

/** mulberry32: the proxy's 503s fall on the same requests every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 's3e latency' }))).KeyMetadata?.Arn ?? '';
  proxy = await latencyProxy(t.endpoint, {
    delayMs: 20,
    jitterMs: 5,
    slowDownShare: 0.05,
    random: seeded(13),
  });
});
afterAll(async () => {
  await proxy.close();
});

describe('encrypt and verify --live 20 ms away, 5% 503 SlowDown', () => {
  it('find their own concurrency, back off, and leave every object compliant', async () => {
    const bucket = uniqueBucket('latency-moto');
    await createBucket(s3, bucket);
    const seeds: Seed[] = Array.from({ length: 300 }, (_, i) => ({
      key: `l/${String(i).padStart(4, '0')}.txt`,
      size: 20 + (i % 50),
    }));
    await putSeeds(s3, bucket, seeds);

    const r = await encrypt(t, ['--bucket', bucket, '--kms-key', keyArn, '--no-state'], {
      endpoint: proxy.endpoint,
    });
    expect(r.code, r.stderr).toBe(0);
    const { summary, objects } = parseRun(r);
    expect(objects).toHaveLength(seeds.length);
    expect(summary.failures).toBe(0);
    expect(proxy.stats.slowDowns).toBeGreaterThan(10);
    expect(summary.pacing.throttles).toBeGreaterThan(0);
    expect(summary.pacing.backoffs).toBeGreaterThan(0);
    expect(summary.pacing.backoffs).toBeLessThanOrEqual(summary.pacing.throttles);
    // Grew from where it starts (8) before the 503s brought it down.
    expect(summary.pacing.highestConcurrency).toBeGreaterThan(8);
    expect(summary.pacing.highestConcurrency).toBeLessThanOrEqual(256);

    const after = await snapshotBucket(s3, bucket, { acls: false });
    expect(after.size).toBe(seeds.length);
    for (const [key, a] of after)
      expect([a.sse, a.kmsKeyId, a.bucketKey], key).toEqual(['aws:kms', keyArn, true]);

    const v = await runBin(
      [
        '--endpoint-url',
        proxy.endpoint,
        '--json',
        'verify',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--live',
        '--require-bucket-key',
      ],
      t,
      { endpoint: false },
    );
    expect(v.code, v.stderr).toBe(0);
    const last = v.lines().at(-1) as {
      summary: {
        compliant: number;
        pacing: { throttles: number; backoffs: number; highestConcurrency: number };
      };
    };
    expect(last.summary.compliant).toBe(seeds.length);
    expect(last.summary.pacing.throttles).toBeGreaterThan(0);
    expect(last.summary.pacing.backoffs).toBeGreaterThan(0);
  });

  it('--max-rate holds encrypt to the rate asked for', async () => {
    const bucket = uniqueBucket('latency-rate');
    await createBucket(s3, bucket);
    const seeds: Seed[] = Array.from({ length: 60 }, (_, i) => ({ key: `r/${i}`, size: 10 }));
    await putSeeds(s3, bucket, seeds);
    proxy.settings.slowDownShare = 0;
    try {
      const started = Date.now();
      const r = await encrypt(
        t,
        ['--bucket', bucket, '--kms-key', keyArn, '--no-state', '--max-rate', '30'],
        { endpoint: proxy.endpoint },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(parseRun(r).summary.failures).toBe(0);
      // 60 objects at 30/s: at least about two seconds (the burst is one object).
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    } finally {
      proxy.settings.slowDownShare = 0.05;
    }
  });
});
