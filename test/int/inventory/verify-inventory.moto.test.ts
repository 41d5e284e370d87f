// verify --inventory on moto: a delivery written from the real bucket, read back by the built CLI;
// then the offenders are fixed, a newer delivery arrives, and verify passes.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, recordsFromBucket, renderDelivery } from '../support/inventory-delivery.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const src = uniqueBucket('vi-src');
const dest = uniqueBucket('vi-dest');
let keyArn = '';

const folderAt = (msAgo: number): string =>
  new Date(Date.now() - msAgo).toISOString().slice(0, 16).replace(':', '-') + 'Z';
const put = (Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: src, Key, Body: `body of ${Key}`, ...extra }));

async function deliver(id: string, folder: string): Promise<void> {
  const records = await recordsFromBucket(s3, src);
  await putDelivery(
    s3,
    dest,
    renderDelivery(records, {
      sourceBucket: src,
      destinationBucket: dest,
      prefix: 'inv',
      id,
      folder,
      files: 2,
    }),
  );
}

const verify = (id: string, ...extra: string[]) =>
  runBin(
    [
      '--json',
      'verify',
      '--bucket',
      src,
      '--kms-key',
      keyArn,
      '--inventory',
      `s3://${dest}/inv`,
      '--id',
      id,
      ...extra,
    ],
    t,
  );

type Line = { key?: string; class?: string; isLatest?: boolean; summary?: Record<string, unknown> };

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: src }));
  await s3.send(new CreateBucketCommand({ Bucket: dest }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: src, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await put('plain with space+plus');
  await put('sse-s3', { ServerSideEncryption: 'AES256' });
  await put('kms-no-bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: false });
  await put('kms-bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
  await put('rewritten');
  await put('rewritten', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
  await deliver('before', folderAt(2 * 3600_000));
});

describe('verify --inventory on moto', () => {
  it('reports the offenders of the delivery by real key, exit 1', async () => {
    const r = await verify('before');
    expect(r.code, r.stderr).toBe(1);
    const lines = r.lines() as Line[];
    expect(
      lines
        .slice(0, -1)
        .map((l) => `${l.class} ${l.key}`)
        .sort(),
    ).toEqual(['NOT-SSE plain with space+plus', 'SSE-KMS-no-bucket-key kms-no-bk', 'SSE-S3 sse-s3']);
    expect(lines.at(-1)?.summary).toMatchObject({
      checked: 5,
      compliant: 2,
      source: 'inventory',
      noncurrent: { versions: 1, unencrypted: 1 },
      interrupted: false,
    });
    expect(r.stderr).toContain('1 noncurrent versions are not encrypted');
  });

  it('after the fix and a newer delivery: exit 0, and --all-versions still fails on the old plaintext version', async () => {
    for (const Key of ['plain with space+plus', 'sse-s3', 'kms-no-bk'])
      await s3.send(
        new CopyObjectCommand({
          Bucket: src,
          Key,
          CopySource: `${src}/${encodeURIComponent(Key)}`,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: keyArn,
          BucketKeyEnabled: true,
        }),
      );
    await deliver('after', folderAt(60_000));
    const ok = await verify('after');
    expect(ok.code, ok.stderr).toBe(0);
    expect((ok.lines() as Line[]).at(-1)?.summary).toMatchObject({ checked: 5, compliant: 5, stale: false });
    const all = await verify('after', '--all-versions');
    expect(all.code).toBe(1);
    const offenders = (all.lines() as Line[]).slice(0, -1);
    expect(offenders.every((l) => l.isLatest === false)).toBe(true);
    expect(offenders.map((l) => l.key).sort()).toEqual([
      'kms-no-bk',
      'plain with space+plus',
      'rewritten',
      'sse-s3',
    ]);
  });

  it("warns that a delivery older than build-manifest's output is stale", async () => {
    const bm = await runBin(
      [
        'build-manifest',
        '--bucket',
        src,
        '--inventory',
        `s3://${dest}/inv`,
        '--id',
        'before',
        '--kms-key',
        keyArn,
      ],
      t,
    );
    expect(bm.code, bm.stderr).toBe(0);
    const r = await verify('before');
    expect(r.stderr).toMatch(/began scanning at .*, before build-manifest last wrote manifests/);
    expect((r.lines() as Line[]).at(-1)?.summary).toMatchObject({ stale: true });
  });

  it('no delivery yet: one line, exit 3', async () => {
    const r = await verify('never');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      // other configurations deliver next to it: the line names them and the 48-hour wait
      /no inventory configuration "never" has delivered under .* \(found: .*\): pass one of them with --id; if "never" was set up less than 48 hours ago, try again later/,
    );
    expect(r.code).toBe(3);
  });
});

describe('offline', () => {
  it('build-manifest --from-dir --out needs no credentials and no network', async () => {
    const { mkdtemp, readdir, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeDeliveryDir } = await import('../support/inventory-delivery.js');
    const dir = await mkdtemp(join(tmpdir(), 's3e-offline-'));
    try {
      const records = await recordsFromBucket(s3, src);
      await writeDeliveryDir(
        join(dir, 'in'),
        renderDelivery(records, {
          sourceBucket: src,
          destinationBucket: dest,
          prefix: '',
          id: 'x',
          folder: folderAt(0),
        }),
      );
      const r = await runBin(
        [
          'build-manifest',
          '--bucket',
          src,
          '--from-dir',
          join(dir, 'in'),
          '--out',
          join(dir, 'out'),
          '--kms-key',
          'alias/anything',
        ],
        t,
        {
          endpoint: false,
          env: {
            AWS_ACCESS_KEY_ID: '',
            AWS_SECRET_ACCESS_KEY: '',
            AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_CONFIG_FILE: join(dir, 'none'),
            AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
          },
          timeoutMs: 20_000,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      // By now every current object was re-encrypted (previous test): only the summary is written.
      expect(await readdir(join(dir, 'out'))).toEqual(['summary.json']);
      expect(r.stdout).toContain('Left alone (current objects): compliant 5');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
