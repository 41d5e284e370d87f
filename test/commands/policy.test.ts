import { beforeEach, describe, expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { IamPolicy, scanWildcards } from '../core/policy/iam-scan.js';
import { balanced, layoutProblems } from '../core/policy/hcl-check.js';
import { ACCOUNT, fakeServices, fakeWorld, keyDesc, REGION, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const BUCKET = 'data-bucket';
const KEY = keyDesc();
let world: FakeWorld;

beforeEach(() => {
  world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  world.buckets.set(BUCKET, { region: REGION, objects: [] });
  world.buckets.set('ops-bucket', { region: REGION, objects: [] });
});

const policy = (args: string[], services: ServicesFactory = fakeServices(world)) =>
  runCli(['policy', '--bucket', BUCKET, ...args], services);

/** A services factory whose every call fails the test: proves a command made no AWS call. */
const offline: ServicesFactory = () =>
  new Proxy({} as ReturnType<ServicesFactory>, {
    get(_t, prop) {
      throw new Error(`AWS port ${String(prop)} used in offline mode`);
    },
  });

interface PolicyJson {
  kmsKey: string;
  accountId: string;
  region: string;
  documents: { name: string; attachTo: string; policy: unknown }[];
  terraform?: string;
}

describe('policy', () => {
  it('resolves an alias to the key ARN and prints every document with a heading', async () => {
    const r = await policy(['--kms-key', 'alias/app', '--manifest-bucket', 's3://ops-bucket/s3-encrypt']);
    expect(r.code).toBe(0);
    const headings = [...r.stdout.matchAll(/^# ([a-z-]+): /gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'app',
      'batch-role-trust',
      'batch-role-permissions',
      'inventory-destination',
      'key-policy',
    ]);
    expect(r.stdout).toContain(`"${KEY.arn}"`);
    expect(r.stdout).not.toContain('alias/app');
    expect(r.stderr).not.toContain('Resource "*"');
  });

  it('--for operator prints the CreateJob statement, the one that needs Resource "*", with a warning', async () => {
    const r = await policy([
      '--kms-key',
      'alias/app',
      '--manifest-bucket',
      'ops-bucket',
      '--for',
      'operator',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('s3:CreateJob');
    expect(r.stderr).toContain('S3EncryptCreateJobs uses Resource "*"');
  });

  it('--for app prints exactly one JSON document (pipe it to a file)', async () => {
    const r = await policy(['--kms-key', 'alias/app', '--for', 'app', '--context-condition']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as unknown;
    expect(
      IamPolicy.parse(doc).Statement[0]?.Condition?.StringEquals?.['kms:EncryptionContext:aws:s3:arn'],
    ).toEqual([`arn:aws:s3:::${BUCKET}`]);
  });

  it('--json documents validate as IAM policies with no wildcard action or resource', async () => {
    for (const operation of ['copy', 'update', 'both']) {
      const r = await policy([
        '--kms-key',
        'alias/app',
        '--manifest-bucket',
        'ops-bucket',
        '--operation',
        operation,
        '--json',
      ]);
      expect(r.code).toBe(0);
      const [out] = r.json() as PolicyJson[];
      expect(out).toMatchObject({ kmsKey: KEY.arn, accountId: ACCOUNT, region: REGION });
      for (const d of out?.documents ?? []) {
        expect(IamPolicy.safeParse(d.policy).success, d.name).toBe(true);
        expect(scanWildcards(d.policy), `${operation} ${d.name}`).toEqual([]);
      }
      const text = JSON.stringify(out);
      expect(text.includes('s3:UpdateObjectEncryption')).toBe(operation !== 'copy');
      expect(text.includes('s3:PutObjectAcl')).toBe(operation !== 'update');
    }
  });

  it('--format terraform prints data sources in terraform fmt layout', async () => {
    const r = await policy([
      '--kms-key',
      'alias/app',
      '--manifest-bucket',
      'ops-bucket',
      '--format',
      'terraform',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# app: /);
    expect(balanced(r.stdout)).toBe(true);
    expect(layoutProblems(r.stdout)).toEqual([]);
    const j = await policy([
      '--kms-key',
      'alias/app',
      '--manifest-bucket',
      'ops-bucket',
      '--format',
      'terraform',
      '--json',
    ]);
    const [out] = j.json() as PolicyJson[];
    expect(out?.terraform).toBe(r.stdout);
  });

  it('works offline with a key ARN and --account-id: no AWS call at all', async () => {
    const arn = 'arn:aws:kms:eu-west-1:444455556666:key/abcd-1234';
    const r = await runCli(
      [
        'policy',
        '--bucket',
        BUCKET,
        '--kms-key',
        arn,
        '--account-id',
        '444455556666',
        '--region',
        'eu-west-1',
        '--manifest-bucket',
        'ops-bucket',
        '--json',
      ],
      offline,
    );
    expect(r.stderr).not.toContain('offline mode');
    expect(r.code).toBe(0);
    const [out] = r.json() as PolicyJson[];
    expect(out).toMatchObject({ kmsKey: arn, accountId: '444455556666', region: 'eu-west-1' });
    expect(JSON.stringify(out)).toContain('s3.eu-west-1.amazonaws.com');
  });

  it('adds the S3 inventory-delivery key statement when the manifest bucket encrypts with the key', async () => {
    (world.buckets.get('ops-bucket') as { encryption?: unknown }).encryption = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
          BucketKeyEnabled: true,
        },
      ],
    };
    const r = await policy([
      '--kms-key',
      'alias/app',
      '--manifest-bucket',
      'ops-bucket',
      '--for',
      'key-policy',
    ]);
    expect(JSON.parse(r.stdout).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'S3EncryptBatchRoleUseKey',
      'S3EncryptInventoryDelivery',
    ]);
  });

  it.each([
    [
      ['--kms-key', 'alias/app', '--skip-key-check', '--for', 'app'],
      'policy does not accept --skip-key-check',
    ],
    [['--kms-key', 'alias/app'], '--for all needs --manifest-bucket'],
    [['--kms-key', 'alias/app', '--for', 'everything'], "argument 'everything' is invalid"],
    [['--kms-key', 'alias/app', '--for', 'app', '--format', 'yaml'], "argument 'yaml' is invalid"],
    [['--kms-key', 'alias/app', '--manifest-bucket', 'Bad_Bucket'], 'invalid --manifest-bucket "Bad_Bucket"'],
    [
      ['--kms-key', 'alias/app', '--for', 'app', '--app-role-arn', 'role/app'],
      'invalid --app-role-arn "role/app"',
    ],
    [['--kms-key', 'not a key!', '--for', 'app'], 'invalid --kms-key'],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await policy(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('refuses a key ARN in another region than --region, offline (exit 2)', async () => {
    const r = await runCli(
      [
        'policy',
        '--bucket',
        BUCKET,
        '--kms-key',
        'arn:aws:kms:us-west-2:111122223333:key/k',
        '--account-id',
        ACCOUNT,
        '--region',
        'us-east-1',
        '--for',
        'app',
      ],
      offline,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--kms-key is in us-west-2 but --region is us-east-1');
  });

  it('refuses (exit 3) a key in another region than the bucket, and an AWS managed key', async () => {
    world.keys.set('alias/west', keyDesc({ region: 'us-west-2' }));
    let r = await policy(['--kms-key', 'alias/west', '--for', 'app']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is in us-west-2 but the bucket is in us-east-1');
    world.keys.set('alias/aws/s3', keyDesc({ manager: 'AWS' }));
    r = await policy(['--kms-key', 'alias/aws/s3', '--for', 'app']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('AWS managed');
  });
});
