// create-job in-process: fakes for KMS, buckets and files; the real S3 Control adapter with the
// SDK client mocked, so the exact CreateJob input is what the assertions see.
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchJobs } from '../../src/adapters/aws/batch/batch-jobs.js';
import { makeClients } from '../../src/adapters/aws/transport/clients.js';
import type { ManifestEntry, ManifestSummary } from '../../src/core/inventory/manifest-summary.js';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeBatchFiles, fakeFileWorld, type FakeFileWorld } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const control = mockClient(S3ControlClient);
const KEY = keyDesc();
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;
const ETAG = '3858f62230ac3c915f300c664312c11f';
const zero = { objects: 0, bytes: 0 };

let world: FakeWorld;
let files: FakeFileWorld;
let versioning: string | undefined;

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => {
    const real = batchJobs(makeClients({ region: cfg.region }));
    return {
      ...base(cfg),
      batchJobs: { ...real, bucketVersioning: async () => versioning },
      batchFiles: fakeBatchFiles(files),
    };
  };
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

const STANDARD_MANIFEST = entry({});
const IA_MANIFEST = entry({
  name: 'copy-STANDARD_IA',
  storageClass: 'STANDARD_IA',
  location: 's3://my-reports/manifests/copy-STANDARD_IA.csv',
  etag: 'a'.repeat(32),
});
const UPDATE_MANIFEST = entry({
  name: 'update-encryption',
  group: 'update-encryption',
  storageClass: undefined,
  location: 's3://my-reports/manifests/update-encryption.csv',
  etag: 'b'.repeat(32),
  versioned: true,
});
const LARGE = entry({
  name: 'large',
  group: 'large',
  storageClass: undefined,
  location: 's3://my-reports/manifests/large.csv',
  objects: 1,
  bytes: 6e9,
});

beforeEach(() => {
  control.reset();
  let n = 0;
  control.on(CreateJobCommand).callsFake(() => ({ JobId: `job-000${++n}` }));
  world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  // The bucket default create-job requires: SSE-KMS under the key with S3 Bucket Keys.
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
  // The report and manifest bucket: create-job checks it exists in the job's region.
  world.buckets.set('my-reports', { region: 'us-east-1', objects: [] });
  files = fakeFileWorld();
  files.files.set('s3://my-reports/manifests/copy-STANDARD.csv', {
    text: 'data-1,a.txt\ndata-1,b%20c.txt\n',
    etag: ETAG,
    sse: 'AES256',
  });
  files.files.set('s3://my-reports/manifests/copy-STANDARD_IA.csv', {
    text: 'data-1,ia.txt\n',
    etag: 'a'.repeat(32),
    sse: 'AES256',
  });
  files.files.set('s3://my-reports/manifests/update-encryption.csv', {
    text: 'data-1,s3.txt,v1\n',
    etag: 'b'.repeat(32),
    sse: 'AES256',
  });
  files.files.set('summary.json', {
    text: JSON.stringify(summary([STANDARD_MANIFEST, IA_MANIFEST, UPDATE_MANIFEST, LARGE])),
  });
  versioning = undefined;
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
  's3://my-reports/batch',
];

describe('create-job --summary', () => {
  it('creates one job per copy / update manifest with the exact CreateJob inputs', async () => {
    const r = await runCli(['create-job', '--summary', 'summary.json', ...common], services());
    expect(r.stderr).toContain('not a Batch job: large (1 objects');
    expect(r.code).toBe(0);
    const inputs = control.commandCalls(CreateJobCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(3);
    expect(inputs[0]).toEqual({
      AccountId: ACCOUNT,
      ConfirmationRequired: false,
      ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      Priority: 10,
      RoleArn: ROLE,
      Description: 's3-encrypt copy STANDARD s3://data-1 (copy-STANDARD, 3 objects)',
      Operation: {
        S3PutObjectCopy: {
          TargetResource: 'arn:aws:s3:::data-1',
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD',
          MetadataDirective: 'COPY',
        },
      },
      Report: {
        Bucket: 'arn:aws:s3:::my-reports',
        Format: 'Report_CSV_20180820',
        Enabled: true,
        Prefix: 'batch',
        ReportScope: 'FailedTasksOnly',
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: { ObjectArn: 'arn:aws:s3:::my-reports/manifests/copy-STANDARD.csv', ETag: ETAG },
      },
    });
    expect(inputs[1]?.Operation?.S3PutObjectCopy?.StorageClass).toBe('STANDARD_IA');
    expect(inputs[2]?.Operation).toEqual({
      S3UpdateObjectEncryption: {
        ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY.arn, BucketKeyEnabled: true } },
      },
    });
    expect(inputs[2]?.Manifest?.Spec?.Fields).toEqual(['Bucket', 'Key', 'VersionId']);
    expect(new Set(inputs.map((i) => i.ClientRequestToken)).size).toBe(3);
    expect(r.stdout).toContain(
      'Job job-0001: copy STANDARD, 3 objects (300 B) from s3://my-reports/manifests/copy-STANDARD.csv',
    );
    expect(r.stdout).toContain('follow: s3-encrypt status --job-id job-0001 --region us-east-1 --watch');
  });

  // A dead network or a missing bucket must not hide a missing or malformed local summary.
  it('reads a local --summary before the bucket is looked up', async () => {
    const gone = ['--bucket', 'no-such-bucket', ...common.slice(2)];
    files.files.set('bad.json', { text: 'not json' });
    for (const [file, line] of [
      ['missing.json', /file missing\.json does not exist/],
      ['bad.json', /--summary bad\.json is not JSON/],
    ] as const) {
      const r = await runCli(['create-job', '--summary', file, ...gone], services());
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
    }
  });

  it('sends the same tokens when run again, so S3 never starts a second job', async () => {
    await runCli(['create-job', '--summary', 'summary.json', ...common], services());
    await runCli(['create-job', '--summary', 'summary.json', ...common, '--priority', '50'], services());
    const tokens = control.commandCalls(CreateJobCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens.slice(3)).toEqual(tokens.slice(0, 3));
  });

  it('--dry-run prints the exact requests as JSON and creates nothing', async () => {
    const r = await runCli(
      ['--json', 'create-job', '--summary', 'summary.json', ...common, '--dry-run'],
      services(),
    );
    expect(r.code).toBe(0);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
    const [doc] = r.json() as [
      { dryRun: boolean; requests: { Operation: object; ClientRequestToken: string }[] },
    ];
    expect(doc.dryRun).toBe(true);
    expect(doc.requests).toHaveLength(3);
    expect(doc.requests[0]?.Operation).toEqual({
      S3PutObjectCopy: {
        TargetResource: 'arn:aws:s3:::data-1',
        BucketKeyEnabled: true,
        StorageClass: 'STANDARD',
        MetadataDirective: 'COPY',
      },
    });
    const human = await runCli(
      ['create-job', '--summary', 'summary.json', ...common, '--dry-run'],
      services(),
    );
    expect(human.stdout).toContain('"ConfirmationRequired": false');
    expect(human.stdout).toContain('Dry run: 3 CreateJob request(s) above; nothing was created.');
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
  });
});

describe('create-job --manifest', () => {
  it('makes one copy job, with the version column read from the manifest itself', async () => {
    const r = await runCli(
      [
        'create-job',
        '--manifest',
        `s3://my-reports/manifests/update-encryption.csv,"${'b'.repeat(32)}"`,
        '--group',
        'update-encryption',
        ...common,
      ],
      services(),
    );
    expect(r.code).toBe(0);
    const input = control.commandCalls(CreateJobCommand)[0]?.args[0].input;
    expect(input?.Manifest).toEqual({
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
      Location: {
        ObjectArn: 'arn:aws:s3:::my-reports/manifests/update-encryption.csv',
        ETag: 'b'.repeat(32),
      },
    });
  });

  it('refuses a manifest that changed since its ETag was taken', async () => {
    const r = await runCli(
      [
        'create-job',
        '--manifest',
        `s3://my-reports/manifests/copy-STANDARD.csv,${'c'.repeat(32)}`,
        '--storage-class',
        'STANDARD',
        ...common,
      ],
      services(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /manifest s3:\/\/my-reports\/manifests\/copy-STANDARD.csv has ETag 3858f.*, not cccc/,
    );
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
  });

  it('refuses an SSE-KMS manifest, which Batch cannot read', async () => {
    files.files.set('s3://my-reports/m/kms.csv', { text: 'data-1,a\n', etag: ETAG, sse: 'aws:kms' });
    const r = await runCli(
      [
        'create-job',
        '--manifest',
        `s3://my-reports/m/kms.csv,${ETAG}`,
        '--storage-class',
        'STANDARD',
        ...common,
      ],
      services(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is SSE-KMS encrypted.*upload it again with SSE-S3/);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
  });

  it('refuses a copy manifest with version ids (it could bring old versions back)', async () => {
    const r = await runCli(
      [
        'create-job',
        '--manifest',
        `s3://my-reports/manifests/update-encryption.csv,${'b'.repeat(32)}`,
        '--storage-class',
        'STANDARD',
        ...common,
      ],
      services(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/lists version ids/);
  });
});

describe('create-job --generate-manifest', () => {
  it('creates a NOT-SSE copy job for one class and an SSE-S3 update job', async () => {
    const r = await runCli(
      ['create-job', '--generate-manifest', '--storage-class', 'STANDARD', ...common],
      services(),
    );
    expect(r.code).toBe(0);
    const inputs = control.commandCalls(CreateJobCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.ManifestGenerator?.S3JobManifestGenerator?.Filter)).toEqual([
      { MatchAnyObjectEncryption: [{ NOTSSE: {} }], MatchAnyStorageClass: ['STANDARD'] },
      { MatchAnyObjectEncryption: [{ SSES3: {} }] },
    ]);
    expect(inputs.every((i) => i.Manifest === undefined && i.ConfirmationRequired === false)).toBe(true);
    expect(r.stderr).toMatch(/covers SSE-S3 objects only/);
  });

  it('refuses a copy job on a versioned bucket unless --allow-versioned', async () => {
    versioning = 'Enabled';
    const r = await runCli(
      ['create-job', '--generate-manifest', '--storage-class', 'STANDARD', ...common],
      services(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/data-1 is versioned \(Enabled\).*pass --allow-versioned/);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
    const ok = await runCli(
      ['create-job', '--generate-manifest', '--storage-class', 'STANDARD', '--allow-versioned', ...common],
      services(),
    );
    expect(ok.code).toBe(0);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(2);
  });
});

describe('create-job --summary for another key', () => {
  it('is refused when the bucket default is that other key', async () => {
    const other = keyDesc({ keyId: '0ther' });
    world.keys.set('alias/other', other);
    const b = world.buckets.get('data-1');
    const rule = b?.encryption?.Rules[0]?.ApplyServerSideEncryptionByDefault;
    if (rule) rule.KMSMasterKeyID = other.arn;
    const r = await runCli(
      [
        'create-job',
        '--summary',
        'summary.json',
        ...common.slice(0, 2),
        '--kms-key',
        'alias/other',
        ...common.slice(4),
      ],
      services(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/built for key .*, not arn:aws:kms:us-east-1:111122223333:key\/0ther/);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
  });
});

describe('create-job bad input: one line, the documented exit code, nothing created', () => {
  const cases: [string, string[], number, RegExp][] = [
    [
      'bad role ARN',
      [
        'create-job',
        '--summary',
        'summary.json',
        '--bucket',
        'data-1',
        '--kms-key',
        'alias/app',
        '--role-arn',
        'batch-role',
        '--report',
        's3://my-reports/x',
      ],
      2,
      /invalid --role-arn "batch-role": give the IAM role S3 Batch Operations assumes/,
    ],
    [
      'report without s3://',
      [
        'create-job',
        '--summary',
        'summary.json',
        '--bucket',
        'data-1',
        '--kms-key',
        'alias/app',
        '--role-arn',
        ROLE,
        '--report',
        'my-reports/x',
      ],
      2,
      /--report "my-reports\/x" is not an s3:\/\/ URI: write it as s3:\/\/BUCKET\/PREFIX/,
    ],
    [
      'summary file missing',
      ['create-job', '--summary', 'nope.json', ...common],
      2,
      /file nope.json does not exist/,
    ],
    [
      'summary not JSON',
      ['create-job', '--summary', 'bad.json', ...common],
      2,
      /--summary bad.json is not JSON: pass the summary.json/,
    ],
    [
      'summary of the wrong shape',
      ['create-job', '--summary', 'shape.json', ...common],
      2,
      /is not a build-manifest summary\.json \(version: /,
    ],
    [
      'manifest without ETag',
      [
        'create-job',
        '--manifest',
        's3://my-reports/manifests/copy-STANDARD.csv',
        '--storage-class',
        'STANDARD',
        ...common,
      ],
      2,
      /has no ETag: write it as s3:\/\/BUCKET\/KEY,ETAG/,
    ],
    [
      'copy manifest without a class',
      ['create-job', '--manifest', `s3://my-reports/manifests/copy-STANDARD.csv,${ETAG}`, ...common],
      2,
      /a copy job needs --storage-class/,
    ],
    ['no source', ['create-job', ...common], 2, /create-job needs a list of objects/],
    [
      'two sources',
      ['create-job', '--summary', 'summary.json', '--generate-manifest', ...common],
      2,
      /give only one list of objects/,
    ],
    [
      '--skip-key-check',
      ['create-job', '--summary', 'summary.json', ...common, '--skip-key-check'],
      2,
      /--skip-key-check is not allowed with create-job: Batch needs the full key ARN/,
    ],
    [
      'generator without a class',
      ['create-job', '--generate-manifest', ...common],
      2,
      /a copy job needs --storage-class: the generated list cannot be split by class/,
    ],
    [
      'class Batch cannot write',
      ['create-job', '--generate-manifest', '--storage-class', 'GLACIER', ...common],
      2,
      /storage class GLACIER cannot be written by a Batch copy job/,
    ],
    [
      'a key the bucket default is not under',
      [
        'create-job',
        '--summary',
        'summary.json',
        ...common.slice(0, 2),
        '--kms-key',
        'alias/other',
        ...common.slice(4),
      ],
      3,
      /the default encryption of data-1 is SSE-KMS under .*1234abcd.*, not arn:aws:kms:us-east-1:111122223333:key\/0ther \(Batch copies take their encryption from it\): run s3-encrypt enable-sse --bucket data-1 --kms-key arn:aws:kms:us-east-1:111122223333:key\/0ther first/,
    ],
    [
      'storage class on an update job',
      [
        'create-job',
        '--generate-manifest',
        '--group',
        'update-encryption',
        '--storage-class',
        'STANDARD',
        ...common,
      ],
      2,
      /--storage-class does not apply to update-encryption jobs/,
    ],
    [
      'bad priority',
      ['create-job', '--summary', 'summary.json', ...common, '--priority', '-1'],
      2,
      /invalid --priority "-1": must be 0 or more/,
    ],
  ];

  it.each(cases)('%s', async (_name, argv, code, message) => {
    files.files.set('bad.json', { text: '{"version":1,' });
    files.files.set('shape.json', { text: JSON.stringify({ version: 2 }) });
    world.keys.set('alias/other', keyDesc({ keyId: '0ther' }));
    const r = await runCli(argv, services());
    expect(r.code).toBe(code);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
    expect(files.writes).toEqual([]);
  });
});
