// create-job when the summary names no manifest for Batch (only large objects here): one
// document saying so (schema create-job-nothing-to-do), no job, exit 0.
import { beforeEach, expect, it } from 'vitest';
import type { ManifestSummary } from '../../src/core/inventory/manifest-summary.js';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeBatchFiles, fakeFileWorld, type FakeFileWorld } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const KEY = keyDesc();
const zero = { objects: 0, bytes: 0 };
let world: FakeWorld;
let files: FakeFileWorld;

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => ({ ...base(cfg), batchFiles: fakeBatchFiles(files) });
}

const summary: ManifestSummary = {
  version: 1,
  sourceBucket: 'data-1',
  kmsKey: KEY.arn,
  inventory: {
    manifest: 's3://inv/data-1/s3-encrypt/2026-05-01T01-00Z/manifest.json',
    date: '2026-05-01T01-00Z',
    creationTimestamp: '1777597200000',
  },
  createdAt: '2026-05-01T02:00:00.000Z',
  manifests: [
    {
      name: 'large',
      group: 'large',
      location: 's3://my-reports/manifests/large.csv',
      etag: 'c'.repeat(32),
      versioned: false,
      objects: 1,
      bytes: 6e9,
    },
  ],
  leftAlone: {},
  stats: {
    byEncryptionStatus: {},
    byStorageClass: {},
    large: { objects: 1, bytes: 6e9 },
    archived: zero,
    noncurrent: zero,
    noncurrentUnencrypted: zero,
    deleteMarkers: 0,
    kmsWithBucketKey: zero,
  },
};

beforeEach(() => {
  world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  world.buckets.set('data-1', {
    region: 'us-east-1',
    objects: [],
    encryption: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
  world.buckets.set('my-reports', { region: 'us-east-1', objects: [] });
  files = fakeFileWorld();
  files.files.set('summary.json', { text: JSON.stringify(summary) });
});

it('says there is nothing for Batch to do, in one document, and creates nothing', async () => {
  for (const dryRun of [false, true]) {
    const r = await runCli(
      [
        '--json',
        'create-job',
        '--summary',
        'summary.json',
        '--bucket',
        'data-1',
        '--kms-key',
        'alias/app',
        '--role-arn',
        `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
        '--report',
        's3://my-reports/batch',
        ...(dryRun ? ['--dry-run'] : []),
      ],
      services(),
    );
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const docs = r.json() as { dryRun: boolean; jobs: unknown[]; skipped: { name: string }[] }[];
    expect(docs).toHaveLength(1);
    expect(docs[0]?.dryRun).toBe(dryRun);
    expect(docs[0]?.jobs).toEqual([]);
    expect(docs[0]?.skipped.map((s) => s.name)).toEqual(['large']);
  }
});
