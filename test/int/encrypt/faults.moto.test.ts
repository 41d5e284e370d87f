// encrypt through a misbehaving network (503 SlowDown, dropped connections) and against a
// concurrent writer, on moto. moto does not check x-amz-copy-source-if-match nor If-Match (proved
// below), so the fault proxy enforces them as S3 does; Ceph RGW ignores them too (rgw tests).
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { faultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { target, uniqueBucket } from '../support/servers.js';
import { kept, snapshotBucket } from '../support/snapshot.js';
import { body, createBucket, encrypt, KIB, MIB, parseRun, putSeeds, type Seed } from './fixtures.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
let keyArn: string;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 's3e faults' }))).KeyMetadata?.Arn ?? '';
});
afterAll(async () => {
  for (const p of proxies) await p.close();
});

async function enableSse(bucket: string) {
  const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', keyArn], t);
  expect(r.code, r.stderr).toBe(0);
}

describe('moto and the copy guards', () => {
  it('moto copies even when x-amz-copy-source-if-match and If-Match do not match (why the proxy enforces them)', async () => {
    const bucket = uniqueBucket('guards-moto');
    await createBucket(s3, bucket);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const out = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'k',
        CopySource: `${bucket}/k`,
        CopySourceIfMatch: '"not-the-etag"',
        IfMatch: '"not-the-etag"',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    expect(out.CopyObjectResult?.ETag).toBeDefined();
  });
});

describe('encrypt through faults', () => {
  it('completes through 503 SlowDown and dropped connections: nothing lost, every attribute kept', async () => {
    const bucket = uniqueBucket('faults-moto');
    await createBucket(s3, bucket, { versioned: true });
    const seeds: Seed[] = [];
    for (let i = 0; i < 100; i++)
      seeds.push({
        key: `f/${String(i).padStart(3, '0')}${i % 7 === 0 ? ' spaced' : ''}.txt`,
        size: i % 10 === 0 ? 9 * KIB : 50 + i,
        put: {
          ContentType: i % 2 ? 'text/plain' : 'application/json',
          Metadata: { n: String(i) },
          ...(i % 3 === 0 ? { Tagging: `i=${i}` } : {}),
          ...(i % 5 === 0 ? { ServerSideEncryption: 'AES256' as const } : {}),
        },
      });
    seeds.push({ key: 'f/two-parts.bin', size: 6 * MIB, put: { ContentType: 'app/two' } });
    await putSeeds(s3, bucket, seeds);
    await enableSse(bucket);
    const before = await snapshotBucket(s3, bucket, { acls: false });
    const proxy = await faultProxy({
      upstream: t.endpoint,
      seed: 42,
      slowDownRate: 0.1,
      dropRate: 0.02,
      maxFaults: 400,
    });
    proxies.push(proxy);

    const r = await encrypt(
      t,
      [
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--concurrency',
        '8',
        '--multipart-threshold',
        '8KiB',
        '--part-size',
        '5MiB',
        '--no-state',
      ],
      { endpoint: proxy.endpoint },
    );
    expect(r.code, r.stderr).toBe(0);
    const { summary, objects } = parseRun(r);
    expect(summary.failures).toBe(0);
    expect(objects).toHaveLength(seeds.length);
    // The faults really happened, and the engine saw them.
    expect(proxy.stats.slowDowns).toBeGreaterThan(15);
    expect(proxy.stats.dropsBefore + proxy.stats.dropsAfter).toBeGreaterThan(2);
    expect(summary.pacing.throttles).toBeGreaterThan(0);
    expect(summary.pacing.retries).toBeGreaterThan(15);
    expect(summary.pacing.lowestConcurrency).toBeLessThan(8);

    const after = await snapshotBucket(s3, bucket, { acls: false });
    for (const [key, b] of before) {
      const a = after.get(key);
      expect(a && kept(a), key).toEqual(kept(b));
      expect([a?.sse, a?.kmsKeyId, a?.bucketKey], key).toEqual(['aws:kms', keyArn, true]);
    }
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const ups = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(ups.Uploads ?? []).toEqual([]);
    const verify = await runBin(
      ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--require-bucket-key'],
      t,
    );
    expect(verify.code, verify.stdout).toBe(0);
  }, 170_000);
});

describe('a concurrent writer', () => {
  async function raceRun(versioned: boolean) {
    const bucket = uniqueBucket(`race-moto-${versioned ? 'v' : 'u'}`);
    await createBucket(s3, bucket, { versioned });
    const seeds: Seed[] = [];
    for (let i = 0; i < 60; i++)
      seeds.push({ key: `r/${String(i).padStart(2, '0')}`, size: i % 4 === 0 ? 10 * KIB : 30 + i });
    await putSeeds(s3, bucket, seeds);
    await enableSse(bucket);
    const overwrite = new Set(seeds.filter((_, i) => i % 3 === 1).map((s) => s.key));
    const remove = new Set(seeds.filter((_, i) => i % 5 === 2 && i % 3 !== 1).map((s) => s.key));
    const acted = new Set<string>();
    // The "other process": acts on a key right after the engine's first HEAD of it, before the
    // engine can write, so every one of these writes races the engine's copy.
    const proxy = await faultProxy({
      upstream: t.endpoint,
      seed: 7,
      enforceIfMatch: s3,
      onHead: async (b, key) => {
        if (b !== bucket || acted.has(key)) return;
        acted.add(key);
        if (overwrite.has(key))
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: `newer content of ${key}`,
              ContentType: 'text/newer',
            }),
          );
        if (remove.has(key)) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      },
    });
    proxies.push(proxy);
    const r = await encrypt(
      t,
      [
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--concurrency',
        '6',
        '--multipart-threshold',
        '8KiB',
        '--part-size',
        '5MiB',
        '--no-state',
      ],
      { endpoint: proxy.endpoint },
    );
    expect(r.code, r.stderr).toBe(0);
    const { objects, summary } = parseRun(r);
    const by = new Map(objects.map((o) => [o.key, o]));
    expect(summary.failures).toBe(0);
    // Every racing overwrite made the engine's guarded copy fail with 412 and re-read the object.
    // A deletion on an unversioned bucket shows earlier (the source ACL read finds nothing); on a
    // versioned one the old version is still readable, and only If-Match stops the copy.
    expect(proxy.stats.preconditionFailures).toBeGreaterThanOrEqual(
      overwrite.size + (versioned ? remove.size : 0),
    );

    for (const key of overwrite) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await got.Body?.transformToString(), key).toBe(`newer content of ${key}`);
      expect(got.ContentType).toBe('text/newer');
      // The newer write was made under the bucket default: already compliant, left alone.
      expect(by.get(key), key).toMatchObject({
        action: 'skip-compliant',
        outcome: 'done',
        reason: expect.stringMatching(/changed during the run/),
      });
    }
    for (const key of remove) {
      expect(by.get(key)?.outcome, key).toBe('vanished');
      const head = await s3
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .catch((e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
      expect(head, key).toBe(404);
      if (versioned) {
        const v = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
        expect(v.DeleteMarkers?.find((d) => d.IsLatest)?.Key, key).toBe(key);
        expect(
          (v.Versions ?? []).filter((x) => x.Key === key),
          key,
        ).toHaveLength(1);
      }
    }
    for (const s of seeds) {
      if (overwrite.has(s.key) || remove.has(s.key)) continue;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: s.key }));
      expect(
        Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body(s.key, s.size)),
        s.key,
      ).toBe(true);
      expect([got.ServerSideEncryption, got.SSEKMSKeyId, got.BucketKeyEnabled]).toEqual([
        'aws:kms',
        keyArn,
        true,
      ]);
    }
  }

  it('never overwrites newer content nor brings back a deleted key (versioned bucket)', () => raceRun(true));
  it('never overwrites newer content nor brings back a deleted key (unversioned bucket)', () =>
    raceRun(false));
});
