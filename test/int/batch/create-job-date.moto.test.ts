// create-job --inventory/--id/--date through the built CLI on moto: a delivery written in S3's
// exact format, real S3, KMS and STS. Only --dry-run (no S3 Control here): the counts and the exact
// requests, nothing uploaded, the predicted ETags equal to what a real upload of the same
// manifests gets (build-manifest uploads them), and the bucket-default precondition.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClients } from '../../../src/adapters/aws/transport/clients.js';
import { manifestUploader } from '../../../src/adapters/aws/inventory/inventory-upload.js';
import type { CreateJobRequest } from '../../../src/core/batch/job-request.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, record, renderDelivery } from '../support/inventory-delivery.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;
const src = uniqueBucket('cjd-src');
const plain = uniqueBucket('cjd-plain');
const viaAlias = uniqueBucket('cjd-alias');
const inv = uniqueBucket('cjd-inv');
const reports = uniqueBucket('cjd-reports');
const alias = `alias/${src}`;
let keyArn = '';

const ready = (bucket: string, keyId: string) =>
  s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );

async function deliver(bucket: string, folder: string, n: number): Promise<void> {
  const rows = [
    ...Array.from({ length: n }, (_, i) => record(bucket, `std/${i} a+b.txt`, { Size: '10' })),
    record(bucket, 'ia/one.txt', { StorageClass: 'STANDARD_IA', Size: '5' }),
    record(bucket, 'sse-s3/one.txt', { EncryptionStatus: 'SSE-S3', Size: '7' }),
    record(bucket, 'done/one.txt', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED', Size: '9' }),
  ];
  const d = renderDelivery(rows, {
    sourceBucket: bucket,
    destinationBucket: inv,
    prefix: 'inv',
    id: 'cfg',
    folder,
  });
  await putDelivery(s3, inv, d);
}

const args = (bucket: string, ...extra: string[]) => [
  '--json',
  'create-job',
  '--inventory',
  `s3://${inv}/inv`,
  '--id',
  'cfg',
  '--bucket',
  bucket,
  '--kms-key',
  alias,
  '--role-arn',
  ROLE,
  '--report',
  `s3://${reports}/batch`,
  ...extra,
];

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

interface DryDoc {
  delivery: { date: string };
  summary: string;
  manifests: { name: string; objects: number; bytes: number; location: string; etag: string }[];
  requests: CreateJobRequest[];
  bucketDefault: string;
}

beforeAll(async () => {
  // The uploader test below builds the CLI's own S3 client in this process: it reads these.
  process.env.AWS_ACCESS_KEY_ID = t.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = t.secretAccessKey;
  keyArn =
    (await kms.send(new CreateKeyCommand({ Description: 'create-job --date' }))).KeyMetadata?.Arn ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  for (const b of [src, plain, viaAlias, inv, reports]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await ready(src, keyArn);
  // The bucket default may name the key by alias: create-job resolves it to the ARN.
  await ready(viaAlias, alias);
  await deliver(src, '2026-05-01T00-00Z', 1);
  await deliver(src, '2026-05-03T00-00Z', 3);
  await deliver(plain, '2026-05-03T00-00Z', 1);
  await deliver(viaAlias, '2026-05-03T00-00Z', 1);
});
afterAll(() => {
  s3.destroy();
  kms.destroy();
});

describe('create-job --inventory --date on moto (dry run)', () => {
  it('--date latest: the manifest counts and the exact CreateJob requests; nothing uploaded', async () => {
    const r = await runBin(args(src, '--date', 'latest', '--dry-run'), t);
    expect(r.code, r.stderr).toBe(0);
    const [doc] = r.lines() as [DryDoc];
    const at = `s3://${inv}/inv/${src}/cfg/s3-encrypt/2026-05-03T00-00Z`;
    expect(doc.bucketDefault).toBe(
      `bucket default of ${src}: SSE-KMS under ${keyArn} with S3 Bucket Keys (checked)`,
    );
    expect(doc.delivery.date).toBe('2026-05-03T00-00Z');
    expect(
      doc.manifests.map(({ name, objects, bytes, location }) => ({ name, objects, bytes, location })),
    ).toEqual([
      { name: 'copy-STANDARD', objects: 3, bytes: 30, location: `${at}/copy-STANDARD.csv` },
      { name: 'copy-STANDARD_IA', objects: 1, bytes: 5, location: `${at}/copy-STANDARD_IA.csv` },
      { name: 'update-encryption', objects: 1, bytes: 7, location: `${at}/update-encryption.csv` },
    ]);
    expect(doc.requests.map((q) => Object.keys(q.Operation)[0])).toEqual([
      'S3PutObjectCopy',
      'S3PutObjectCopy',
      'S3UpdateObjectEncryption',
    ]);
    expect(doc.requests[0]).toEqual({
      AccountId: ACCOUNT,
      ConfirmationRequired: false,
      ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      Priority: 10,
      RoleArn: ROLE,
      Description: `s3-encrypt copy STANDARD s3://${src} (copy-STANDARD, 3 objects)`,
      Operation: {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${src}`,
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD',
          MetadataDirective: 'COPY',
        },
      },
      Report: {
        Bucket: `arn:aws:s3:::${reports}`,
        Format: 'Report_CSV_20180820',
        Enabled: true,
        Prefix: 'batch',
        ReportScope: 'FailedTasksOnly',
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: {
          ObjectArn: `arn:aws:s3:::${inv}/inv/${src}/cfg/s3-encrypt/2026-05-03T00-00Z/copy-STANDARD.csv`,
          ETag: doc.manifests[0]?.etag,
        },
      },
    });
    expect(doc.requests[2]?.Operation).toEqual({
      S3UpdateObjectEncryption: {
        ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } },
      },
    });
    expect(await keysUnder(inv, `inv/${src}/cfg/s3-encrypt/`)).toEqual([]);
  });

  it('predicts the ETags a real upload gets, and a rerun sends the same requests', async () => {
    const [dry] = (await runBin(args(src, '--dry-run'), t)).lines() as [DryDoc];
    // build-manifest uploads the same manifests to the same place (the same code).
    const built = await runBin(
      [
        '--json',
        'build-manifest',
        '--bucket',
        src,
        '--inventory',
        `s3://${inv}/inv`,
        '--id',
        'cfg',
        '--kms-key',
        alias,
      ],
      t,
    );
    expect(built.code, built.stderr).toBe(0);
    const summaryKey = `inv/${src}/cfg/s3-encrypt/2026-05-03T00-00Z/summary.json`;
    const text = await (
      await s3.send(new GetObjectCommand({ Bucket: inv, Key: summaryKey }))
    ).Body?.transformToString();
    const summary = JSON.parse(text ?? '{}') as { manifests: { name: string; etag: string }[] };
    expect(summary.manifests.map((m) => [m.name, m.etag])).toEqual(
      dry.manifests.map((m) => [m.name, m.etag]),
    );
    const [again] = (await runBin(args(src, '--dry-run'), t)).lines() as [DryDoc];
    expect(again.requests).toEqual(dry.requests);
  });

  it('--date YYYY-MM-DD takes that day; a day with none names the deliveries (exit 3); a bad date is exit 2', async () => {
    const day = await runBin(args(src, '--date', '2026-05-01', '--dry-run'), t);
    expect(day.code, day.stderr).toBe(0);
    expect((day.lines() as [DryDoc])[0].manifests[0]).toMatchObject({ name: 'copy-STANDARD', objects: 1 });
    const none = await runBin(args(src, '--date', '2026-05-02', '--dry-run'), t);
    expect(none.code).toBe(3);
    expect(none.stderr.trim().split('\n')).toEqual([
      `error: no 2026-05-02 complete inventory delivery under s3://${inv}/inv/${src}/cfg/: deliveries there: 2026-05-03T00-00Z, 2026-05-01T00-00Z; pass --date latest or one of their days`,
    ]);
    const bad = await runBin(args(src, '--date', 'yesterday', '--dry-run'), t);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `error: invalid --date "yesterday": not latest, a day (YYYY-MM-DD) or a delivery folder (YYYY-MM-DDTHH-MMZ): pass --date latest, or a day that has a delivery (list them: aws s3 ls s3://${inv}/inv/${src}/cfg/)`,
    ]);
  });

  it('refuses a bucket without SSE-KMS + Bucket Key under the key (exit 3, naming enable-sse), uploading nothing', async () => {
    for (const extra of [['--dry-run'], []]) {
      const r = await runBin(args(plain, ...extra), t);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([
        `error: the default encryption of ${plain} is not set (S3 applies SSE-S3 to new objects) (Batch copies take their encryption from it): run s3-encrypt enable-sse --bucket ${plain} --kms-key ${keyArn} first`,
      ]);
    }
    expect(await keysUnder(inv, `inv/${plain}/cfg/s3-encrypt/`)).toEqual([]);
  });

  it('accepts a bucket default that names the key by alias (resolved through KMS)', async () => {
    const r = await runBin(args(viaAlias, '--dry-run'), t);
    expect(r.code, r.stderr).toBe(0);
    expect((r.lines() as [DryDoc])[0].bucketDefault).toContain(`SSE-KMS under ${keyArn} with S3 Bucket Keys`);
  });
});

describe('manifest ETag prediction against a real multipart upload', () => {
  it('etagOf equals the ETag moto gives a manifest uploaded in 16 MiB parts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3e-etag-'));
    try {
      const path = join(dir, 'big.csv');
      const line = `${src},${'k'.repeat(90)}\n`;
      await writeFile(path, line.repeat(Math.ceil((17 * 1024 * 1024) / line.length)));
      const uploader = manifestUploader(makeClients({ region: t.region, endpoint: t.endpoint }));
      const predicted = await uploader.etagOf(path);
      expect(predicted).toMatch(/^[0-9a-f]{32}-2$/);
      expect(await uploader.uploadFile(path, { bucket: reports, key: 'big.csv' })).toBe(predicted);
      const small = join(dir, 'small.csv');
      await writeFile(small, line);
      expect(await uploader.uploadFile(small, { bucket: reports, key: 'small.csv' })).toBe(
        await uploader.etagOf(small),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
