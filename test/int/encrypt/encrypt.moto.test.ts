// encrypt end to end on moto (AWS semantics): every kind of object, in an unversioned bucket and
// in a versioned Object Lock bucket. Before: a snapshot of every attribute and a content hash;
// after: verify --live --require-bucket-key exits 0, every attribute and hash is equal (ETag,
// version id and LastModified may change) and every old version is still there, unchanged.
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  RestoreObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { kept, snapshotBucket, snapshotVersions } from '../support/snapshot.js';
import {
  body,
  commonSeeds,
  createBucket,
  encrypt,
  parseRun,
  putSeeds,
  tempDir,
  type Seed,
} from './fixtures.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
let keyArn: string;
let otherKeyArn: string;
const GLACIER = 'class/glacier.txt';
const noGlacierContent = { skipContent: (k: string) => k === GLACIER };

beforeAll(async () => {
  keyArn =
    (await kms.send(new CreateKeyCommand({ Description: 's3e encrypt target' }))).KeyMetadata?.Arn ?? '';
  otherKeyArn = (await kms.send(new CreateKeyCommand({ Description: 's3e other' }))).KeyMetadata?.Arn ?? '';
});

function motoSeeds(): Seed[] {
  return [
    ...commonSeeds(),
    { key: 'enc/sse-s3.bin', size: 90, put: { ServerSideEncryption: 'AES256' } },
    {
      key: 'enc/kms-other.bin',
      size: 91,
      put: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: otherKeyArn, BucketKeyEnabled: true },
    },
    {
      key: 'enc/kms-no-bucket-key.bin',
      size: 92,
      put: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: false },
    },
    { key: 'acl/public.txt', size: 50, put: { ACL: 'public-read' } },
    { key: GLACIER, size: 70, put: { StorageClass: 'GLACIER' } },
    { key: 'special/100%?#.txt', size: 33 },
  ];
}

async function enableSse(bucket: string): Promise<void> {
  const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', keyArn], t);
  expect(r.code, r.stderr).toBe(0);
}

async function noUploadsLeft(bucket: string): Promise<void> {
  const ups = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  expect(ups.Uploads ?? []).toEqual([]);
}

async function noProbeLeft(bucket: string): Promise<void> {
  const v = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: '.s3-encrypt-probe/' }));
  expect([...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])]).toEqual([]);
}

function expectKept(
  before: Awaited<ReturnType<typeof snapshotBucket>>,
  after: Awaited<ReturnType<typeof snapshotBucket>>,
) {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [key, b] of before) {
    const a = after.get(key);
    expect(a && kept(a), key).toEqual(kept(b));
    expect(a?.sse, key).toBe('aws:kms');
    expect(a?.kmsKeyId, key).toBe(keyArn);
    expect(a?.bucketKey, key).toBe(true);
  }
}

/** Full run, a GLACIER object restored, a resumed second run, verify. */
async function encryptWholeBucket(bucket: string, versioned: boolean) {
  const dir = tempDir('moto-enc');
  const before = await snapshotBucket(s3, bucket, noGlacierContent);
  const versionsBefore = versioned ? await snapshotVersions(s3, bucket, noGlacierContent) : undefined;
  const args = [
    '--bucket',
    bucket,
    '--kms-key',
    keyArn,
    '--multipart-threshold',
    '8KiB',
    '--part-size',
    '5MiB',
  ];
  const state = ['--state', join(dir, 'state.jsonl')];

  const plan = parseRun(await encrypt(t, [...args, '--dry-run']));
  const large = [...before.values()].filter((o) => o.size > 8 * 1024);
  expect(plan.summary.planned.multipart).toEqual({
    objects: large.length,
    bytes: large.reduce((n, o) => n + o.size, 0),
  });
  expect(plan.summary.requests?.UploadPartCopy).toBe(
    large.reduce((n, o) => n + Math.ceil(o.size / (5 * 1024 * 1024)), 0),
  );
  // A dry run never probes UpdateObjectEncryption (the probe may write): SSE-S3 and other-key
  // objects are planned as updates, copied at run time where the store lacks the API.
  expect(plan.summary.planned.update?.objects).toBe(3);
  expect(plan.summary.planned.copy?.objects).toBe(before.size - large.length - 1 - 3);
  expect(await snapshotBucket(s3, bucket, noGlacierContent)).toEqual(before);

  const first = await encrypt(t, [...args, ...state, '--report', join(dir, 'report.jsonl')]);
  // The archived object is left as it was, so the run is not done (exit 1) until it is restored.
  expect(first.code, first.stderr).toBe(1);
  const run1 = parseRun(first);
  const byKey = new Map(run1.objects.map((o) => [o.key, o]));
  expect(byKey.get(GLACIER)).toMatchObject({
    action: 'skip',
    outcome: 'skipped',
    reason: expect.stringMatching(/^archived:/),
  });
  expect(byKey.get('big/three-parts.bin')).toMatchObject({ action: 'multipart', outcome: 'done' });
  expect(byKey.get('big/over-threshold.bin')).toMatchObject({ action: 'multipart', outcome: 'done' });
  expect(byKey.get('enc/sse-s3.bin')).toMatchObject({ action: 'copy', outcome: 'done' });
  expect(byKey.get('plain/a.txt')).toMatchObject({ action: 'copy', outcome: 'done' });
  expect(run1.summary.failures).toBe(0);
  // moto stores an UpdateObjectEncryption request as a PutObject: the probe must see that.
  expect(run1.summary.updateObjectEncryption.state).toBe('unsupported');
  expect(run1.summary.updateObjectEncryption.note).toMatch(/PutObject/);
  expect(run1.summary.copyMethod.used).toBe('copy');
  expect(run1.summary.bucketKey.acceptedAbsent).toBe(false);
  await noProbeLeft(bucket);
  await noUploadsLeft(bucket);

  await s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: GLACIER, RestoreRequest: { Days: 1 } }));
  const second = await encrypt(t, [...args, ...state]);
  expect(second.code, second.stderr).toBe(0);
  const run2 = parseRun(second);
  expect(run2.summary.resumed).toBe(before.size - 1);
  expect(run2.objects).toEqual([expect.objectContaining({ key: GLACIER, action: 'copy', outcome: 'done' })]);

  const verify = await runBin(
    ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--require-bucket-key'],
    t,
  );
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);

  const after = await snapshotBucket(s3, bucket, noGlacierContent);
  expectKept(before, after);
  if (versionsBefore) {
    const versionsAfter = await snapshotVersions(s3, bucket, noGlacierContent);
    for (const [id, v] of versionsBefore)
      expect(versionsAfter.get(id), id).toEqual({ ...v, isLatest: false });
    // One new version per rewritten object, nothing else.
    expect(versionsAfter.size).toBe(versionsBefore.size + before.size);
  }
  await noUploadsLeft(bucket);

  const third = parseRun(await encrypt(t, [...args, '--no-state']));
  expect(third.summary.byCategory['skipped-compliant']?.objects).toBe(before.size);
  expect(third.summary.failures).toBe(0);
  return { run1, after };
}

describe('encrypt on moto', () => {
  it('re-encrypts an unversioned bucket and keeps every attribute, tag, ACL, class and byte', async () => {
    const bucket = uniqueBucket('enc-moto-u');
    await createBucket(s3, bucket, { ownership: 'ObjectWriter' });
    await putSeeds(s3, bucket, motoSeeds());
    await enableSse(bucket);
    const { after } = await encryptWholeBucket(bucket, false);
    expect(after.get('acl/public.txt')?.grants).toContain(
      'Group:http://acs.amazonaws.com/groups/global/AllUsers:READ',
    );
    expect(after.get('class/ia.txt')?.storageClass).toBe('STANDARD_IA');
    expect(after.get(GLACIER)?.storageClass).toBe('GLACIER');
    expect(after.get('big/three-parts.bin')?.tags).toEqual(['parts=3']);
    expect(after.get('redirect/index.html')?.websiteRedirectLocation).toBe('/new/index.html');
  });

  it('re-encrypts a versioned Object Lock bucket: new versions keep the lock, old versions stay untouched', async () => {
    const bucket = uniqueBucket('enc-moto-v');
    await createBucket(s3, bucket, { lock: true, versioned: true, ownership: 'ObjectWriter' });
    const retainUntil = new Date(Date.now() + 2 * 86_400_000);
    await putSeeds(s3, bucket, [
      ...motoSeeds(),
      {
        key: 'lock/governance.txt',
        size: 40,
        put: {
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: retainUntil,
          ChecksumAlgorithm: 'CRC32',
        },
      },
      {
        key: 'lock/held.txt',
        size: 41,
        put: { ObjectLockLegalHoldStatus: 'ON', ChecksumAlgorithm: 'CRC32' },
      },
      {
        key: 'lock/big-governance.bin',
        size: 9 * 1024,
        put: {
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: retainUntil,
          ChecksumAlgorithm: 'CRC32',
        },
      },
    ]);
    // A noncurrent version the run must leave as it is.
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'plain/a.txt', Body: body('plain/a.txt v2', 101) }),
    );
    await enableSse(bucket);
    const { after } = await encryptWholeBucket(bucket, true);
    expect(after.get('lock/governance.txt')).toMatchObject({
      lockMode: 'GOVERNANCE',
      lockRetainUntil: retainUntil.getTime(),
    });
    expect(after.get('lock/held.txt')?.legalHold).toBe('ON');
    expect(after.get('lock/big-governance.bin')?.lockMode).toBe('GOVERNANCE');
  });

  it('reads a Batch CSV manifest and a summary.json, and refuses one naming another bucket', async () => {
    const bucket = uniqueBucket('enc-moto-m');
    await createBucket(s3, bucket);
    await putSeeds(s3, bucket, [
      { key: 'm/one.txt', size: 10 },
      { key: 'm/two words.txt', size: 11 },
      { key: 'm/not-listed.txt', size: 12 },
    ]);
    const dir = tempDir('moto-manifest');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'copy-STANDARD.csv'), `${bucket},m/one.txt\n${bucket},m/two%20words.txt\n`);
    writeFileSync(join(dir, 'other.csv'), `some-other-bucket,m/one.txt\n`);
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({
        version: 1,
        sourceBucket: bucket,
        kmsKey: keyArn,
        inventory: {
          manifest: 's3://inv/x/manifest.json',
          date: '2026-11-01T00-00Z',
          creationTimestamp: '1',
        },
        createdAt: new Date().toISOString(),
        manifests: [
          {
            name: 'copy-STANDARD',
            group: 'copy',
            storageClass: 'STANDARD',
            location: join(dir, 'copy-STANDARD.csv'),
            etag: null,
            versioned: false,
            objects: 2,
            bytes: 21,
          },
        ],
        leftAlone: {},
        stats: {
          byEncryptionStatus: {},
          byStorageClass: {},
          large: { objects: 0, bytes: 0 },
          archived: { objects: 0, bytes: 0 },
          noncurrent: { objects: 0, bytes: 0 },
          noncurrentUnencrypted: { objects: 0, bytes: 0 },
          deleteMarkers: 0,
          kmsWithBucketKey: { objects: 0, bytes: 0 },
        },
      }),
    );
    const bad = await encrypt(t, [
      '--bucket',
      bucket,
      '--kms-key',
      keyArn,
      '--manifest',
      join(dir, 'other.csv'),
      '--no-state',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/names bucket some-other-bucket/);

    const viaSummary = parseRun(
      await encrypt(t, [
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--manifest',
        join(dir, 'summary.json'),
        '--no-state',
      ]),
    );
    expect(viaSummary.objects.map((o) => o.key).sort()).toEqual(['m/one.txt', 'm/two words.txt']);
    expect(viaSummary.summary.byCategory.copied?.objects).toBe(2);
    // The same manifest from S3, and a missing one.
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'manifests/one.csv', Body: `${bucket},m/one.txt\n` }),
    );
    const viaS3 = parseRun(
      await encrypt(t, [
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--manifest',
        `s3://${bucket}/manifests/one.csv`,
        '--no-state',
      ]),
    );
    expect(viaS3.objects).toEqual([expect.objectContaining({ key: 'm/one.txt', action: 'skip-compliant' })]);
    const missing = await encrypt(t, [
      '--bucket',
      bucket,
      '--kms-key',
      keyArn,
      '--manifest',
      `s3://${bucket}/manifests/nope.csv`,
    ]);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      `error: manifest s3://${bucket}/manifests/nope.csv does not exist: check --manifest`,
    ]);
    const untouched = await snapshotBucket(s3, bucket);
    expect(untouched.get('m/not-listed.txt')?.sse).toBeUndefined();
  });
});
