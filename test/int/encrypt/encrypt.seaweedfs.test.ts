// encrypt end to end on a real SeaweedFS 4.48 (SSE-KMS through its local KMS provider, key ids are
// plain names: --skip-key-check). What differs from AWS, and what the run must make of it:
// - versioned bucket: an in-place CopyObject re-encrypts (plain -> key, key B -> key A), read back;
// - unversioned bucket: an in-place copy that changes only encryption is refused (400
//   InvalidRequest), so the run switches to multipart copies; UploadPartCopy of an SSE-KMS source
//   is not implemented (501) and a 0-byte object cannot be copied by multipart (InvalidPart): those
//   objects fail, named, exit 1, and stay as they were (verify still flags them);
// - a full key ARN as key id: every write under it answers 500 (the object fails, stays plaintext);
// - conditional copies are enforced by the store itself (no proxy needed for the race test).
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { faultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { target, uniqueBucket } from '../support/servers.js';
import { kept, snapshotBucket, snapshotVersions } from '../support/snapshot.js';
import { body, commonSeeds, createBucket, encrypt, KIB, parseRun, putSeeds, type Seed } from './fixtures.js';

const t = target();
const s3 = s3For(t);
const [KEY, OTHER] = t.kmsKeyIds as [string, string];
const proxies: FaultProxy[] = [];
afterAll(async () => {
  for (const p of proxies) await p.close();
});

const kmsSeeds = (): Seed[] => [
  { key: 'enc/kms-other.bin', size: 91, put: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: OTHER } },
  { key: 'enc/kms-target.bin', size: 92, put: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY } },
];

const args = (bucket: string) => [
  '--bucket',
  bucket,
  '--kms-key',
  KEY,
  '--skip-key-check',
  '--multipart-threshold',
  '8KiB',
  '--part-size',
  '5MiB',
  '--no-state',
];

const verifyLive = (bucket: string) =>
  runBin(['--json', 'verify', '--bucket', bucket, '--kms-key', KEY, '--skip-key-check', '--live'], t);

async function bodyOf(bucket: string, key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
}

describe('encrypt on SeaweedFS', () => {
  it('versioned: in-place copies re-encrypt (read back), key B -> key A included, nothing is lost', async () => {
    const bucket = uniqueBucket('enc-sw-v');
    await createBucket(s3, bucket, { versioned: true });
    await putSeeds(s3, bucket, [...commonSeeds(), ...kmsSeeds()]);
    const before = await snapshotBucket(s3, bucket);
    const versionsBefore = await snapshotVersions(s3, bucket);
    const r = await encrypt(t, [...args(bucket), '--concurrency', '1']);
    expect(r.code, r.stderr).toBe(0);
    const { objects, summary } = parseRun(r);
    expect(summary.failures).toBe(0);
    expect(summary.copyMethod).toMatchObject({ mode: 'auto', used: 'copy' });
    expect(summary.copyMethod.note).toMatch(/CopyObject encrypts on this store \(read back\)/);
    expect(summary.bucketKey).toEqual({ policy: 'accept-absent', acceptedAbsent: true });
    const by = new Map(objects.map((o) => [o.key, o]));
    expect(by.get('enc/kms-target.bin')).toMatchObject({ action: 'skip-compliant', outcome: 'done' });
    expect(by.get('enc/kms-other.bin')).toMatchObject({ action: 'copy', outcome: 'done' });
    expect(by.get('big/three-parts.bin')).toMatchObject({ action: 'multipart', outcome: 'done', parts: 3 });
    const rewritten = objects.filter((o) => o.outcome === 'done' && o.action !== 'skip-compliant');
    expect(rewritten).toHaveLength(before.size - 1);

    const v = await verifyLive(bucket);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    // SeaweedFS reports BucketKeyEnabled on what a copy or a multipart upload wrote with it (not
    // on a PutObject: verify.seaweedfs.test.ts); the one object left as PUT is flagged, nothing else.
    const strict = await runBin(
      [
        '--json',
        'verify',
        '--bucket',
        bucket,
        '--kms-key',
        KEY,
        '--skip-key-check',
        '--live',
        '--require-bucket-key',
      ],
      t,
    );
    expect(strict.code, strict.stdout + strict.stderr).toBe(1);
    expect(
      (strict.lines() as { key?: string; class?: string }[])
        .filter((l) => l.key)
        .map((l) => [l.key, l.class]),
    ).toEqual([['enc/kms-target.bin', 'SSE-KMS-no-bucket-key']]);
    const after = await snapshotBucket(s3, bucket);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, b] of before) {
      const a = after.get(key);
      expect(a && kept(a), key).toEqual(kept(b));
      expect([a?.sse, a?.kmsKeyId], key).toEqual(['aws:kms', KEY]);
    }
    for (const s of commonSeeds())
      expect((await bodyOf(bucket, s.key)).equals(body(s.key, s.size)), s.key).toBe(true);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
    const versionsAfter = await snapshotVersions(s3, bucket);
    const rewrittenKeys = new Set(rewritten.map((o) => o.key));
    for (const [id, ver] of versionsBefore)
      expect(versionsAfter.get(id), id).toEqual({
        ...ver,
        isLatest: ver.isLatest && !rewrittenKeys.has(ver.key),
      });
    expect(versionsAfter.size).toBe(versionsBefore.size + rewritten.length);
  });

  it('unversioned: the refused in-place copy switches the run to multipart; what SeaweedFS cannot copy fails, named, and stays as it was', async () => {
    const bucket = uniqueBucket('enc-sw-u');
    await createBucket(s3, bucket);
    await putSeeds(s3, bucket, [...commonSeeds(), ...kmsSeeds()]);
    const before = await snapshotBucket(s3, bucket);
    const r = await encrypt(t, [...args(bucket), '--concurrency', '1']);
    expect(r.code, r.stderr).toBe(1);
    const { objects, summary } = parseRun(r);
    expect(summary.copyMethod).toMatchObject({ mode: 'auto', used: 'multipart' });
    expect(summary.copyMethod.note).toMatch(/refused the in-place copy \(InvalidRequest\)/);
    const by = new Map(objects.map((o) => [o.key, o]));
    // UploadPartCopy of an SSE-KMS source: 501; a 0-byte object by multipart: InvalidPart.
    expect(by.get('enc/kms-other.bin')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/NotImplemented \(HTTP 501\)/),
    });
    expect(by.get('plain/empty')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/InvalidPart \(HTTP 400\)/),
    });
    expect(summary.failures).toBe(2);
    const failed = new Set(['enc/kms-other.bin', 'plain/empty']);
    for (const o of objects) if (!failed.has(o.key)) expect(o.outcome, o.key).toBe('done');

    // verify sees exactly the two left behind, as they were.
    const v = await verifyLive(bucket);
    expect(v.code, v.stdout + v.stderr).toBe(1);
    const flagged = (v.lines() as { key?: string; class?: string }[]).filter((l) => l.key);
    expect(flagged.map((l) => [l.key, l.class]).sort()).toEqual([
      ['enc/kms-other.bin', 'SSE-KMS-other-key'],
      ['plain/empty', 'NOT-SSE'],
    ]);
    const after = await snapshotBucket(s3, bucket);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, b] of before) {
      const a = after.get(key);
      expect(a && kept(a), key).toEqual(kept(b));
      if (!failed.has(key)) expect([a?.sse, a?.kmsKeyId], key).toEqual(['aws:kms', KEY]);
    }
    expect([after.get('enc/kms-other.bin')?.sse, after.get('enc/kms-other.bin')?.kmsKeyId]).toEqual([
      'aws:kms',
      OTHER,
    ]);
    expect((await bodyOf(bucket, 'enc/kms-other.bin')).equals(body('enc/kms-other.bin', 91))).toBe(true);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
  });

  it('the store itself: a key B -> key A self-copy with MetadataDirective REPLACE answers 200 and keeps key B; with COPY (what encrypt sends) it is refused', async () => {
    const bucket = uniqueBucket('enc-sw-noop');
    await createBucket(s3, bucket);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: OTHER,
      }),
    );
    const copy = (MetadataDirective: 'COPY' | 'REPLACE') =>
      s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'k',
          CopySource: `${bucket}/k`,
          MetadataDirective,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: KEY,
        }),
      );
    await expect(copy('COPY')).rejects.toMatchObject({ name: 'InvalidRequest' });
    await copy('REPLACE');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }))).SSEKMSKeyId).toBe(OTHER);
    // and encrypt does not take that 200 for a re-encryption
    const r = await encrypt(t, [...args(bucket), '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(parseRun(r).objects).toEqual([expect.objectContaining({ key: 'k', outcome: 'failed' })]);
  });

  it('a full key ARN (SeaweedFS answers 500 to any write under it): the object fails, named, and stays plaintext', async () => {
    const bucket = uniqueBucket('enc-sw-arn');
    await createBucket(s3, bucket, { versioned: true });
    await putSeeds(s3, bucket, [{ key: 'p/a', size: 10 }]);
    const arn = `arn:aws:kms:${t.region}:123456789012:key/${KEY}`;
    const r = await encrypt(t, [
      '--bucket',
      bucket,
      '--kms-key',
      arn,
      '--skip-key-check',
      '--no-state',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(parseRun(r).objects).toEqual([
      expect.objectContaining({
        key: 'p/a',
        outcome: 'failed',
        reason: expect.stringMatching(/InternalError \(HTTP 500\)/),
      }),
    ]);
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'p/a' }))).ServerSideEncryption,
    ).toBeUndefined();
    expect((await bodyOf(bucket, 'p/a')).equals(body('p/a', 10))).toBe(true);
  });

  it('a concurrent writer: no newer content overwritten, no deleted key back (the store enforces x-amz-copy-source-if-match)', async () => {
    const probe = uniqueBucket('guards-sw');
    await createBucket(s3, probe, { versioned: true });
    await s3.send(new PutObjectCommand({ Bucket: probe, Key: 'k', Body: 'x' }));
    await expect(
      s3.send(
        new CopyObjectCommand({
          Bucket: probe,
          Key: 'k2',
          CopySource: `${probe}/k`,
          CopySourceIfMatch: '"nope"',
        }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });

    const bucket = uniqueBucket('race-sw');
    await createBucket(s3, bucket, { versioned: true });
    const seeds: Seed[] = [];
    for (let i = 0; i < 30; i++)
      seeds.push({ key: `r/${String(i).padStart(2, '0')}`, size: i % 4 === 0 ? 10 * KIB : 40 + i });
    await putSeeds(s3, bucket, seeds);
    const overwrite = new Set(seeds.filter((_, i) => i % 3 === 1).map((s) => s.key));
    const remove = new Set(seeds.filter((_, i) => i % 5 === 2 && i % 3 !== 1).map((s) => s.key));
    const acted = new Set<string>();
    const proxy = await faultProxy({
      upstream: t.endpoint,
      seed: 11,
      onHead: async (b, key) => {
        if (b !== bucket || acted.has(key)) return;
        acted.add(key);
        if (overwrite.has(key))
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: `newer ${key}`,
              ServerSideEncryption: 'aws:kms',
              SSEKMSKeyId: KEY,
            }),
          );
        if (remove.has(key)) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      },
    });
    proxies.push(proxy);
    const r = await encrypt(t, [...args(bucket), '--concurrency', '4'], { endpoint: proxy.endpoint });
    expect(r.code, r.stderr).toBe(0);
    const by = new Map(parseRun(r).objects.map((o) => [o.key, o]));
    for (const key of overwrite) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await got.Body?.transformToString(), key).toBe(`newer ${key}`);
      expect(by.get(key)?.action, key).toBe('skip-compliant');
    }
    for (const key of remove) {
      expect(by.get(key)?.outcome, key).toBe('vanished');
      const status = await s3
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .then(() => 200)
        .catch((e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
      expect(status, key).toBe(404);
    }
  });
});
