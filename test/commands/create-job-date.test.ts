// create-job --inventory/--id/--date in-process: the delivery is read from disk by the real local
// reader (standing in for the S3 one), uploads land in a fake bucket with S3's ETag (MD5 of the
// body), and CreateJob goes to an in-memory BatchJobs port that, like S3, answers a known
// ClientRequestToken with the job it already made.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dirDeliveryReader } from '../../src/adapters/fs/manifest-from-dir.js';
import type { CreateJobRequest } from '../../src/core/batch/job-request.js';
import { PreconditionError } from '../../src/core/errors.js';
import { formatS3Uri } from '../../src/core/s3-uri.js';
import type { ServicesFactory } from '../../src/deps.js';
import { record, renderDelivery, writeDeliveryDir } from '../int/support/inventory-delivery.js';
import { fakeBatchFiles, fakeFileWorld, type FakeFileWorld } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const B = 'data-1';
const KEY = keyDesc();
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`;
const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');
const READY = {
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
      BucketKeyEnabled: true,
    },
  ],
};

let dir: string;
let world: FakeWorld;
let files: FakeFileWorld;
let jobs: Map<string, { id: string; request: CreateJobRequest }>;
let createCalls: CreateJobRequest[];
/** What ListJobs answers besides the jobs this test created (all unfinished). */
let otherJobs: { jobId: string; description: string; status: string }[] = [];

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => ({
    ...base(cfg),
    inventory: {
      // The delivery folders under <dir>/inv/data-1/cfg, as S3 lays them out.
      s3Delivery: () => dirDeliveryReader(join(dir, 'inv', B, 'cfg')),
      uploader: {
        async uploadFile(path, to) {
          const body = await readFile(path);
          files.writes.push(formatS3Uri(to));
          files.files.set(formatS3Uri(to), { text: body.toString('utf8'), etag: md5(body), sse: 'AES256' });
          return md5(body);
        },
        etagOf: async (path) => md5(await readFile(path)),
        async uploadText(text, to) {
          files.writes.push(formatS3Uri(to));
          files.files.set(formatS3Uri(to), { text, etag: md5(text), sse: 'AES256' });
          return md5(text);
        },
      },
      clock: { newestUnder: async () => undefined },
    },
    batchJobs: {
      async createJob(request) {
        createCalls.push(request);
        const known = jobs.get(request.ClientRequestToken);
        if (known) return known.id;
        const id = `job-${jobs.size + 1}`;
        jobs.set(request.ClientRequestToken, { id, request });
        return id;
      },
      describeJob: () => Promise.reject(new Error('not used')),
      async unfinishedJobs() {
        const mine = [...jobs.values()].map((j) => ({
          jobId: j.id,
          description: j.request.Description,
          status: 'Active',
        }));
        return [...mine, ...otherJobs];
      },
      bucketVersioning: async () => undefined,
    },
    batchFiles: fakeBatchFiles(files),
  });
}

async function deliver(folder: string, keys: [string, string, string][]): Promise<void> {
  const records = keys.map(([key, cls, status]) =>
    record(B, key, {
      StorageClass: cls,
      EncryptionStatus: status,
      Size: '100',
      BucketKeyStatus: status === 'SSE-KMS' ? 'ENABLED' : '',
    }),
  );
  const d = renderDelivery(records, {
    sourceBucket: B,
    destinationBucket: 'inv-dest',
    prefix: 'inv',
    id: 'cfg',
    folder,
  });
  await writeDeliveryDir(dir, d, 's3');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-cj-date-'));
  world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  world.buckets.set(B, { region: 'us-east-1', objects: [], encryption: structuredClone(READY) });
  world.buckets.set('inv-dest', { region: 'us-east-1', objects: [] });
  world.buckets.set('my-reports', { region: 'us-east-1', objects: [] });
  files = fakeFileWorld();
  jobs = new Map();
  createCalls = [];
  await deliver('2026-05-01T00-00Z', [['old.txt', 'STANDARD', 'NOT-SSE']]);
  await deliver('2026-05-03T00-00Z', [
    ['a.txt', 'STANDARD', 'NOT-SSE'],
    ['b c.txt', 'STANDARD', 'NOT-SSE'],
    ['ia.txt', 'STANDARD_IA', 'NOT-SSE'],
    ['s3.txt', 'STANDARD', 'SSE-S3'],
    ['done.txt', 'STANDARD', 'SSE-KMS'],
  ]);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const common = [
  '--inventory',
  's3://inv-dest/inv',
  '--id',
  'cfg',
  '--bucket',
  B,
  '--kms-key',
  'alias/app',
  '--role-arn',
  ROLE,
  '--report',
  's3://my-reports/batch',
];
const at = 's3://inv-dest/inv/data-1/cfg/s3-encrypt/2026-05-03T00-00Z';

interface DryDoc {
  dryRun: boolean;
  bucketDefault: string;
  delivery: { date: string };
  summary: string;
  manifests: { name: string; objects: number; bytes: number; location: string; etag: string }[];
  requests: CreateJobRequest[];
}

describe('create-job --inventory --id --date', () => {
  it('--dry-run prints the manifest counts and the exact requests; uploads and creates nothing', async () => {
    const r = await runCli(['--json', 'create-job', ...common, '--date', 'latest', '--dry-run'], services());
    expect(r.code, r.stderr).toBe(0);
    const [doc] = r.json() as [DryDoc];
    expect(doc.bucketDefault).toBe(
      `bucket default of ${B}: SSE-KMS under ${KEY.arn} with S3 Bucket Keys (checked)`,
    );
    expect(doc.delivery.date).toBe('2026-05-03T00-00Z');
    expect(doc.summary).toBe(`${at}/summary.json`);
    const copyText = `${B},a.txt\n${B},b%20c.txt\n`;
    expect(
      doc.manifests.map(({ name, objects, bytes, location }) => ({ name, objects, bytes, location })),
    ).toEqual([
      { name: 'copy-STANDARD', objects: 2, bytes: 200, location: `${at}/copy-STANDARD.csv` },
      { name: 'copy-STANDARD_IA', objects: 1, bytes: 100, location: `${at}/copy-STANDARD_IA.csv` },
      { name: 'update-encryption', objects: 1, bytes: 100, location: `${at}/update-encryption.csv` },
    ]);
    expect(doc.requests).toHaveLength(3);
    expect(doc.requests[0]).toMatchObject({
      Operation: {
        S3PutObjectCopy: {
          TargetResource: `arn:aws:s3:::${B}`,
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD',
          MetadataDirective: 'COPY',
        },
      },
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        // The ETag the upload will get: S3's MD5 of the manifest body.
        Location: {
          ObjectArn: `arn:aws:s3:::inv-dest/inv/data-1/cfg/s3-encrypt/2026-05-03T00-00Z/copy-STANDARD.csv`,
          ETag: md5(copyText),
        },
      },
      Description: `s3-encrypt copy STANDARD s3://${B} (copy-STANDARD, 2 objects)`,
    });
    expect(files.writes).toEqual([]);
    expect(createCalls).toEqual([]);
    const human = await runCli(['create-job', ...common, '--dry-run'], services());
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`copy-STANDARD: 2 objects (200 B) would go to ${at}/copy-STANDARD.csv`);
    expect(human.stdout).toContain('Dry run: 3 CreateJob request(s) above; nothing was created.');
    expect(files.writes).toEqual([]);
  });

  it('uploads the manifests and summary where build-manifest does, then creates exactly the dry-run requests', async () => {
    const dry = await runCli(['--json', 'create-job', ...common, '--dry-run'], services());
    const [plan] = dry.json() as [DryDoc];
    const r = await runCli(['create-job', ...common, '--date', 'latest'], services());
    expect(r.code, r.stderr).toBe(0);
    expect(files.writes.sort()).toEqual(
      ['copy-STANDARD.csv', 'copy-STANDARD_IA.csv', 'summary.json', 'update-encryption.csv'].map(
        (f) => `${at}/${f}`,
      ),
    );
    expect(createCalls).toEqual(plan.requests);
    expect(r.stdout).toContain(`Summary: ${at}/summary.json`);
    expect(r.stdout).toMatch(
      /Job job-1: copy STANDARD, 2 objects \(200 B\) from s3:\/\/inv-dest\/.*copy-STANDARD.csv/,
    );
    const summary = JSON.parse(files.files.get(`${at}/summary.json`)?.text ?? '{}') as {
      manifests: { etag: string }[];
    };
    expect(summary.manifests.map((m) => m.etag)).toEqual(plan.requests.map((q) => q.Manifest?.Location.ETag));
  });

  it('a rerun on the same delivery sends the same tokens and gets the same jobs back: nothing new', async () => {
    const first = await runCli(['--json', 'create-job', ...common], services());
    expect(first.code, first.stderr).toBe(0);
    const etags = [...files.files.entries()].filter(([k]) => k.endsWith('.csv')).map(([, f]) => f.etag);
    const again = await runCli(['--json', 'create-job', ...common, '--date', '2026-05-03'], services());
    expect(again.code, again.stderr).toBe(0);
    expect(jobs.size).toBe(3);
    expect(createCalls.slice(3).map((c) => c.ClientRequestToken)).toEqual(
      createCalls.slice(0, 3).map((c) => c.ClientRequestToken),
    );
    expect((again.json() as { jobId: string }[]).map((j) => j.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
    expect([...files.files.entries()].filter(([k]) => k.endsWith('.csv')).map(([, f]) => f.etag)).toEqual(
      etags,
    );
  });

  it("warns of other s3-encrypt jobs still running on the bucket (an earlier delivery's), not of its own or other buckets'", async () => {
    otherJobs = [
      {
        jobId: 'old-1',
        description: `s3-encrypt copy STANDARD s3://${B} (copy-STANDARD, 9 objects)`,
        status: 'Active',
      },
      {
        jobId: 'old-2',
        description: `s3-encrypt copy STANDARD s3://${B}-other (copy-STANDARD, 9 objects)`,
        status: 'Active',
      },
      { jobId: 'foreign', description: `nightly copy of s3://${B} (x)`, status: 'Active' },
    ];
    try {
      const r = await runCli(['create-job', ...common], services());
      expect(r.code, r.stderr).toBe(0);
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warning: 1 other s3-encrypt job\\(s\\) still running on s3://${B} in us-east-1 \\(old-1 Active\\): objects in both manifests are copied twice`,
          ),
        ),
      ]);
      otherJobs = [];
      const again = await runCli(['create-job', ...common], services());
      expect(again.stderr).not.toMatch(/still running/);
    } finally {
      otherJobs = [];
    }
  });

  it('--date YYYY-MM-DD takes that day', async () => {
    const r = await runCli(
      ['--json', 'create-job', ...common, '--date', '2026-05-01', '--dry-run'],
      services(),
    );
    expect(r.code, r.stderr).toBe(0);
    const [doc] = r.json() as [DryDoc];
    expect(doc.delivery.date).toBe('2026-05-01T00-00Z');
    expect(doc.manifests.map((m) => [m.name, m.objects])).toEqual([['copy-STANDARD', 1]]);
  });

  it.each<[string, string[], number, RegExp]>([
    [
      'a day with no delivery',
      ['--date', '2026-04-30'],
      3,
      /^error: no 2026-04-30 complete inventory delivery under .*: deliveries there: 2026-05-03T00-00Z, 2026-05-01T00-00Z; pass --date latest or one of their days$/,
    ],
    [
      'yesterday',
      ['--date', 'yesterday'],
      2,
      /^error: invalid --date "yesterday": .*\(list them: aws s3 ls s3:\/\/inv-dest\/inv\/data-1\/cfg\/\)$/,
    ],
    ['month 13', ['--date', '2026-13-01'], 2, /^error: invalid --date "2026-13-01"/],
    [
      '--date with --summary',
      ['--date', 'latest', '--summary', 'summary.json'],
      2,
      /give only one list of objects/,
    ],
  ])(
    '%s: one line, the documented exit code, nothing uploaded or created',
    async (_name, extra, code, message) => {
      const r = await runCli(['create-job', ...common, ...extra], services());
      expect(r.code).toBe(code);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(files.writes).toEqual([]);
      expect(createCalls).toEqual([]);
    },
  );
});

describe('create-job refuses unless the bucket default is SSE-KMS under the key with a bucket key', () => {
  const refused = async (argv: string[], message: RegExp) => {
    for (const dry of [[], ['--dry-run']]) {
      const r = await runCli([...argv, ...dry], services());
      expect(r.code).toBe(3);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
    expect(files.writes).toEqual([]);
    expect(createCalls).toEqual([]);
  };
  const fix = `s3-encrypt enable-sse --bucket ${B} --kms-key ${KEY.arn}`.replace(/[/.]/g, '\\$&');

  it.each<[string, object | undefined, string]>([
    ['none', undefined, 'not set'],
    ['SSE-S3', { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }, 'SSE-S3'],
    [
      'no bucket key',
      {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn } }],
      },
      'SSE-KMS under .* without S3 Bucket Keys',
    ],
    [
      'another key',
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: keyDesc({ keyId: '0ther' }).arn,
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      'SSE-KMS under .*0ther',
    ],
  ])('%s: exit 3 naming enable-sse, dry run too, before any upload', async (_name, encryption, what) => {
    const b = world.buckets.get(B);
    if (b) b.encryption = encryption as never;
    await refused(
      ['create-job', ...common],
      new RegExp(`^error: the default encryption of ${B} is ${what}.*: run ${fix} first$`),
    );
  });

  it('unknown (GetBucketEncryption refused) is refused too, never taken as fine', async () => {
    const base = services();
    const denied: ServicesFactory = async (cfg) => ({
      ...(await base(cfg)),
      encryption: {
        getEncryption: () =>
          Promise.reject(
            new PreconditionError('AccessDenied', 'access denied (s3:GetEncryptionConfiguration)'),
          ),
        putEncryption: () => Promise.reject(new Error('never')),
      },
    });
    for (const dry of [[], ['--dry-run']]) {
      const r = await runCli(['create-job', ...common, ...dry], denied);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /could not be checked \(GetBucketEncryption: access denied \(s3:GetEncryptionConfiguration\)\).*enable-sse --bucket data-1/,
      );
    }
    expect(files.writes).toEqual([]);
    expect(createCalls).toEqual([]);
  });

  it('accepts a default that names the key by alias (resolved to its ARN)', async () => {
    const b = world.buckets.get(B);
    const rule = b?.encryption?.Rules[0]?.ApplyServerSideEncryptionByDefault;
    if (rule) rule.KMSMasterKeyID = 'alias/app';
    const r = await runCli(['create-job', ...common, '--dry-run'], services());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `bucket default of ${B}: SSE-KMS under ${KEY.arn} with S3 Bucket Keys (checked)`,
    );
  });
});
