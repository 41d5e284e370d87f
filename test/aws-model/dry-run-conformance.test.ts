// Every --dry-run --json document that prints AWS request inputs ("exactly what would be sent")
// must pass AWS's own model of that request: create-job's CreateJob requests (summary, --manifest,
// --generate-manifest; copy and update-encryption), enable-sse's PutBucketEncryption,
// setup-inventory's PutBucketInventoryConfiguration and PutBucketPolicy. The CreateJob inputs the
// adapter really sends (S3 Control client mocked) are checked too.
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../src/adapters/aws/transport/clients.js';
import type { ManifestEntry, ManifestSummary } from '../../src/core/inventory/manifest-summary.js';
import type { ServicesFactory } from '../../src/deps.js';
import { checkInput, type Violation } from '../support/aws-model/check-input.js';
import {
  fakeBatchFiles,
  fakeFileWorld,
  fakeInventoryStores,
  type FakeFileWorld,
} from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const control = mockClient(S3ControlClient);
const KEY = keyDesc();
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;
const ETAG = '3858f62230ac3c915f300c664312c11f';
const zero = { objects: 0, bytes: 0 };

let world: FakeWorld;
let files: FakeFileWorld;

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => ({
    ...base(cfg),
    batchJobs: { ...batchJobs(makeClients({ region: cfg.region })), bucketVersioning: async () => undefined },
    batchFiles: fakeBatchFiles(files),
  });
}

function entry(over: Partial<ManifestEntry>): ManifestEntry {
  return {
    name: 'copy-STANDARD',
    group: 'copy',
    storageClass: 'STANDARD',
    location: 's3://my-reports/manifests/copy-STANDARD.csv',
    etag: ETAG,
    versioned: false,
    objects: 3,
    bytes: 300,
    ...over,
  };
}

function summary(manifests: ManifestEntry[]): ManifestSummary {
  return {
    version: 1,
    sourceBucket: 'data-1',
    kmsKey: KEY.arn,
    inventory: {
      manifest: 's3://inv/data-1/s3-encrypt/2026-05-01T01-00Z/manifest.json',
      date: '2026-05-01T01-00Z',
      creationTimestamp: '1777597200000',
    },
    createdAt: '2026-05-01T02:00:00.000Z',
    manifests,
    leftAlone: {},
    stats: {
      byEncryptionStatus: {},
      byStorageClass: {},
      large: zero,
      archived: zero,
      noncurrent: zero,
      noncurrentUnencrypted: zero,
      deleteMarkers: 0,
      kmsWithBucketKey: zero,
    },
  };
}

beforeEach(() => {
  control.reset();
  let n = 0;
  control.on(CreateJobCommand).callsFake(() => ({ JobId: `job-${++n}` }));
  world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  world.buckets.set('data-1', { region: 'us-east-1', objects: [] });
  world.buckets.set('my-reports', { region: 'us-east-1', objects: [] });
  world.buckets.set('inv-1', { region: 'us-east-1', objects: [] });
  files = fakeFileWorld();
  files.files.set('s3://my-reports/manifests/copy-STANDARD.csv', {
    text: 'data-1,a.txt\n',
    etag: ETAG,
    sse: 'AES256',
  });
  files.files.set('s3://my-reports/manifests/copy-GLACIER_IR.csv', {
    text: 'data-1,g.txt\n',
    etag: 'a'.repeat(32),
    sse: 'AES256',
  });
  files.files.set('s3://my-reports/manifests/update-encryption.csv', {
    text: 'data-1,s3.txt,v1\n',
    etag: 'b'.repeat(32),
    sse: 'AES256',
  });
  files.files.set('summary.json', {
    text: JSON.stringify(
      summary([
        entry({}),
        entry({
          name: 'copy-GLACIER_IR',
          storageClass: 'GLACIER_IR',
          location: 's3://my-reports/manifests/copy-GLACIER_IR.csv',
          etag: 'a'.repeat(32),
        }),
        entry({
          name: 'update-encryption',
          group: 'update-encryption',
          storageClass: undefined,
          location: 's3://my-reports/manifests/update-encryption.csv',
          etag: 'b'.repeat(32),
          versioned: true,
        }),
      ]),
    ),
  });
});
afterEach(() => control.reset());

const common = [
  '--bucket',
  'data-1',
  '--kms-key',
  'alias/app',
  '--role-arn',
  ROLE,
  '--report',
  's3://my-reports/batch/',
];

const FORMS: [string, string[], number][] = [
  ['--summary (copy STANDARD, copy GLACIER_IR, update-encryption)', ['--summary', 'summary.json'], 3],
  [
    '--manifest, copy',
    ['--manifest', `s3://my-reports/manifests/copy-STANDARD.csv,${ETAG}`, '--storage-class', 'STANDARD'],
    1,
  ],
  [
    '--manifest, update-encryption',
    [
      '--manifest',
      `s3://my-reports/manifests/update-encryption.csv,${'b'.repeat(32)}`,
      '--group',
      'update-encryption',
    ],
    1,
  ],
  [
    '--generate-manifest (NOT-SSE copy and SSE-S3 update)',
    ['--generate-manifest', '--storage-class', 'STANDARD'],
    2,
  ],
  [
    '--generate-manifest with --prefix',
    ['--generate-manifest', '--storage-class', 'STANDARD_IA', '--prefix', 'logs/2026/'],
    2,
  ],
  [
    '--generate-manifest --group update-encryption',
    ['--generate-manifest', '--group', 'update-encryption'],
    1,
  ],
];

/** Fails with the violations themselves, so a red run says what broke. */
function expectConforms(what: string, violations: Violation[]): void {
  expect(violations.map((v) => `${what}: ${v.path} [${v.rule}] ${v.message}`)).toEqual([]);
}

describe('create-job requests follow the S3 Control model', () => {
  // The bucket default create-job requires (SSE-KMS under the key with S3 Bucket Keys); the
  // enable-sse dry runs below start from a bucket without one.
  beforeEach(() => {
    const data1 = world.buckets.get('data-1');
    if (data1)
      data1.encryption = {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
            BucketKeyEnabled: true,
          },
        ],
      };
  });

  it.each(FORMS)('%s: --dry-run --json requests and the requests sent', async (_name, args, count) => {
    const dry = await runCli(['--json', 'create-job', ...args, ...common, '--dry-run'], services());
    expect(dry.stderr).not.toMatch(/^error/m);
    expect(dry.code).toBe(0);
    const [doc] = dry.json() as [{ dryRun: boolean; requests: Record<string, unknown>[] }];
    expect(doc.requests).toHaveLength(count);
    for (const [i, request] of doc.requests.entries()) {
      expectConforms(`dry-run request ${i}`, checkInput('s3control', 'CreateJob', request));
    }
    const real = await runCli(['create-job', ...args, ...common], services());
    expect(real.code).toBe(0);
    const sent = control.commandCalls(CreateJobCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(count);
    for (const [i, input] of sent.entries())
      expectConforms(`sent request ${i}`, checkInput('s3control', 'CreateJob', input));
    // The dry run printed exactly what was then sent.
    expect(JSON.parse(JSON.stringify(sent))).toEqual(doc.requests);
  });

  it('the checker is not blind here: an alias in place of the key ARN is caught', async () => {
    const dry = await runCli(
      ['--json', 'create-job', '--summary', 'summary.json', ...common, '--dry-run'],
      services(),
    );
    const [doc] = dry.json() as [
      {
        requests: {
          Operation: { S3UpdateObjectEncryption?: { ObjectEncryption: { SSEKMS: { KMSKeyArn: string } } } };
        }[];
      },
    ];
    const update = structuredClone(doc.requests.find((r) => r.Operation.S3UpdateObjectEncryption));
    if (!update?.Operation.S3UpdateObjectEncryption) throw new Error('no update-encryption request');
    update.Operation.S3UpdateObjectEncryption.ObjectEncryption.SSEKMS.KMSKeyArn = 'alias/app-key-long-enough';
    expect(checkInput('s3control', 'CreateJob', update).map((v) => v.rule)).toEqual(['pattern']);
  });
});

describe('enable-sse and setup-inventory dry runs follow the S3 model', () => {
  it("enable-sse --dry-run --json: the configuration it would put is PutBucketEncryption's", async () => {
    for (const extra of [[], ['--no-bucket-key']]) {
      const r = await runCli(
        ['--json', 'enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app', '--dry-run', ...extra],
        services(),
      );
      expect(r.code).toBe(0);
      const [doc] = r.json() as [{ outcome: string; after: unknown }];
      expect(doc.outcome).toBe('planned');
      expectConforms(
        'PutBucketEncryption',
        checkInput('s3', 'PutBucketEncryption', {
          Bucket: 'data-1',
          ServerSideEncryptionConfiguration: doc.after,
        }),
      );
    }
  });

  it('setup-inventory --dry-run --json: PutBucketInventoryConfiguration and PutBucketPolicy', async () => {
    const stores = fakeInventoryStores();
    const base = services();
    const svc: ServicesFactory = (cfg) => ({
      ...base(cfg),
      inventoryConfigs: stores.inventoryConfigs,
      bucketPolicies: stores.bucketPolicies,
    });
    for (const extra of [[], ['--versions', 'all', '--weekly', '--prefix', 'logs/']]) {
      const r = await runCli(
        [
          '--json',
          'setup-inventory',
          '--bucket',
          'data-1',
          '--destination',
          's3://inv-1/reports/',
          '--dry-run',
          ...extra,
        ],
        svc,
      );
      expect(r.stderr).not.toMatch(/^error/m);
      expect(r.code).toBe(0);
      const [doc] = r.json() as [
        { id: string; configuration: { config: unknown }; destinationPolicy: { policy: unknown } },
      ];
      expectConforms(
        'PutBucketInventoryConfiguration',
        checkInput('s3', 'PutBucketInventoryConfiguration', {
          Bucket: 'data-1',
          Id: doc.id,
          InventoryConfiguration: doc.configuration.config,
        }),
      );
      expect(doc.destinationPolicy.policy).toBeDefined();
      expectConforms(
        'PutBucketPolicy',
        checkInput('s3', 'PutBucketPolicy', {
          Bucket: 'inv-1',
          Policy: JSON.stringify(doc.destinationPolicy.policy),
        }),
      );
    }
  });
});
