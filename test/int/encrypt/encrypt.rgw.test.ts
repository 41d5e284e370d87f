// encrypt end to end on a real Ceph RGW 16.2: no SSE-S3, no bucket keys reported, key ids are
// plain names (--skip-key-check). RGW answers 200 to an SSE-KMS CopyObject and stores plaintext
// (versioned source) or refuses the in-place copy (unversioned): the run must catch that by
// read-back, switch to multipart copies, and keep every attribute, tag, ACL, class and byte.
// RGW also ignores x-amz-copy-source-if-match; the fault proxy enforces it for the race test.
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

function rgwSeeds(): Seed[] {
  return [
    ...commonSeeds(),
    { key: 'enc/kms-other.bin', size: 91, put: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: OTHER } },
    { key: 'enc/kms-target.bin', size: 92, put: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY } },
    { key: 'acl/public.txt', size: 50, put: { ACL: 'public-read' } },
  ];
}

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

async function encryptAndCheck(
  bucket: string,
  versioned: boolean,
  extra: string[] = [],
  plaintextProbeVersions = 1,
) {
  const before = await snapshotBucket(s3, bucket);
  const versionsBefore = versioned ? await snapshotVersions(s3, bucket) : undefined;
  const r = await encrypt(t, [...args(bucket), ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const { objects, summary } = parseRun(r);
  expect(summary.failures).toBe(0);
  expect(summary.copyMethod).toMatchObject({ mode: 'auto', used: 'multipart' });
  expect(summary.updateObjectEncryption.note).toMatch(/needs a key ARN/);
  expect(summary.bucketKey).toEqual({ policy: 'accept-absent', acceptedAbsent: true });
  expect(r.stderr).toMatch(/Bucket key: not verifiable \(--skip-key-check\)/);
  const by = new Map(objects.map((o) => [o.key, o]));
  expect(by.get('enc/kms-target.bin')).toMatchObject({ action: 'skip-compliant', outcome: 'done' });
  const rewritten = objects.filter((o) => o.outcome === 'done' && o.action !== 'skip-compliant');
  expect(rewritten.every((o) => o.action === 'multipart')).toBe(true);
  expect(rewritten).toHaveLength(before.size - 1);

  const verify = await runBin(
    ['verify', '--bucket', bucket, '--kms-key', KEY, '--skip-key-check', '--live'],
    t,
  );
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  const after = await snapshotBucket(s3, bucket);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [key, b] of before) {
    const a = after.get(key);
    expect(a && kept(a), key).toEqual(kept(b));
    expect([a?.sse, a?.kmsKeyId], key).toEqual(['aws:kms', KEY]);
  }
  expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
  if (versionsBefore) {
    const versionsAfter = await snapshotVersions(s3, bucket);
    const rewrittenKeys = new Set(rewritten.map((o) => o.key));
    for (const [id, v] of versionsBefore)
      expect(versionsAfter.get(id), id).toEqual({ ...v, isLatest: v.isLatest && !rewrittenKeys.has(v.key) });
    // One new version per rewritten object, plus the plaintext one of a probe copy RGW accepted.
    expect(versionsAfter.size).toBe(versionsBefore.size + rewritten.length + plaintextProbeVersions);
  }
  return { by, summary, after };
}

describe('encrypt on Ceph RGW', () => {
  it('versioned: the read-back catches the plaintext CopyObject, the run switches to multipart, nothing is lost', async () => {
    const bucket = uniqueBucket('enc-rgw-v');
    await createBucket(s3, bucket, { versioned: true });
    await putSeeds(s3, bucket, rgwSeeds());
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'plain/a.txt', Body: body('plain/a.txt v2', 100) }),
    );
    // One worker, so the probe is the first key in listing order (acl/public.txt): RGW answers an
    // SSE-KMS source's in-place copy with NotImplemented instead, which would test the other path.
    const { by, summary, after } = await encryptAndCheck(bucket, true, ['--concurrency', '1']);
    const caught = [...by.values()].filter((o) => /caught by read-back/.test(o.reason ?? ''));
    expect(caught).toHaveLength(1);
    expect(summary.copyMethod.note).toMatch(/answered 200 but the read-back shows no SSE-KMS/);
    expect(after.get('tags/tagged.txt')?.tags).toEqual(['note=two words', 'project=blue']);
    expect(after.get('acl/public.txt')?.grants).toContain(
      'Group:http://acs.amazonaws.com/groups/global/AllUsers:READ',
    );
  });

  it('versioned, SSE-KMS probe: RGW refuses its in-place copy (NotImplemented), the run switches to multipart', async () => {
    const bucket = uniqueBucket('enc-rgw-vk');
    await createBucket(s3, bucket, { versioned: true });
    await putSeeds(
      s3,
      bucket,
      rgwSeeds().filter((s) => /^(enc|plain)\//.test(s.key)),
    );
    const { by, summary } = await encryptAndCheck(bucket, true, ['--concurrency', '1'], 0);
    expect(summary.copyMethod.note).toMatch(/refused the in-place copy \(NotImplemented\)/);
    expect(by.get('enc/kms-other.bin')).toMatchObject({ action: 'multipart', outcome: 'done' });
    expect([...by.values()].filter((o) => /caught by read-back/.test(o.reason ?? ''))).toEqual([]);
  });

  it('unversioned: the refused in-place copy switches the run to multipart', async () => {
    const bucket = uniqueBucket('enc-rgw-u');
    await createBucket(s3, bucket);
    await putSeeds(s3, bucket, rgwSeeds());
    const { summary, after } = await encryptAndCheck(bucket, false);
    expect(summary.copyMethod.note).toMatch(/refused the in-place copy/);
    expect(after.get('class/ia.txt')?.storageClass).toBe('STANDARD_IA');
  });

  it("leaves a key with '%' alone (RGW would copy another object, or crash) and says why", async () => {
    const bucket = uniqueBucket('enc-rgw-pct');
    await createBucket(s3, bucket);
    await putSeeds(s3, bucket, [
      { key: 'a%41', size: 20 },
      { key: 'aA', size: 21 },
    ]);
    const r = await encrypt(t, [...args(bucket), '--copy-method', 'multipart']);
    // The '%' key is left as it was: the run is not done (exit 1), and says why.
    expect(r.code, r.stderr).toBe(1);
    const by = new Map(parseRun(r).objects.map((o) => [o.key, o]));
    expect(by.get('a%41')).toMatchObject({
      action: 'skip',
      outcome: 'skipped',
      reason: expect.stringMatching(/^unsafe-copy-source:/),
    });
    expect(by.get('aA')).toMatchObject({ action: 'multipart', outcome: 'done' });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a%41' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body('a%41', 20))).toBe(true);
  });

  it('a concurrent writer: no newer content overwritten, no deleted key back (guards enforced by the proxy)', async () => {
    // RGW copies although x-amz-copy-source-if-match does not match:
    const probe = uniqueBucket('guards-rgw');
    await createBucket(s3, probe, { versioned: true });
    await s3.send(new PutObjectCommand({ Bucket: probe, Key: 'k', Body: 'x' }));
    await s3.send(
      new CopyObjectCommand({
        Bucket: probe,
        Key: 'k2',
        CopySource: `${probe}/k`,
        CopySourceIfMatch: '"nope"',
      }),
    );
    expect((await s3.send(new HeadObjectCommand({ Bucket: probe, Key: 'k2' }))).ContentLength).toBe(1);

    const bucket = uniqueBucket('race-rgw');
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
      enforceIfMatch: s3,
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
    expect(proxy.stats.preconditionFailures).toBeGreaterThanOrEqual(overwrite.size);
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
