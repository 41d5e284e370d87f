// setup-inventory in-process against fakes: the output contract and every bad input.
// test/int/inventory-config/*.moto.test.ts runs the same command against real S3 semantics.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeInventoryStores } from '../support/batch-fakes.js';
import { ACCOUNT, fakeServices, fakeWorld, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let world: FakeWorld;
let stores: ReturnType<typeof fakeInventoryStores>;

function services(): ServicesFactory {
  const base = fakeServices(world);
  return (cfg) => ({
    ...base(cfg),
    inventoryConfigs: stores.inventoryConfigs,
    bucketPolicies: stores.bucketPolicies,
  });
}

beforeEach(() => {
  world = fakeWorld();
  world.buckets.set('data-1', { region: 'us-east-1', objects: [] });
  world.buckets.set('inv-1', { region: 'us-east-1', objects: [] });
  world.buckets.set('far-away', { region: 'ap-southeast-2', objects: [] });
  world.buckets.set('aws-managed', {
    region: 'us-east-1',
    objects: [],
    encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
  });
  stores = fakeInventoryStores();
});

describe('setup-inventory', () => {
  it('--json reports the configuration, the policy and where reports land', async () => {
    const r = await runCli(
      ['--json', 'setup-inventory', '--bucket', 'data-1', '--destination', 's3://inv-1/reports/'],
      services(),
    );
    expect(r.code).toBe(0);
    const [doc] = r.json() as [Record<string, unknown>];
    expect(doc).toMatchObject({
      bucket: 'data-1',
      id: 's3-encrypt',
      location: 's3://inv-1/reports/data-1/s3-encrypt/',
      dryRun: false,
      configuration: { outcome: 'created' },
      destinationPolicy: { outcome: 'added' },
      firstReportWithinHours: 48,
    });
    expect(stores.configs.get('data-1/s3-encrypt')?.Destination.S3BucketDestination).toEqual({
      Bucket: 'arn:aws:s3:::inv-1',
      AccountId: ACCOUNT,
      Format: 'CSV',
      Prefix: 'reports',
    });
  });

  it('tells the user when the first report comes and where', async () => {
    const r = await runCli(
      ['setup-inventory', '--bucket', 'data-1', '--destination', 'inv-1', '--weekly'],
      services(),
    );
    expect(r.stdout).toContain('The first report can take up to 48 hours (then every Sunday)');
    expect(r.stdout).toContain('it lands in s3://inv-1/data-1/s3-encrypt/<YYYY-MM-DDTHH-MMZ>/manifest.json');
  });
});

it('warns when the reports would land in the inventoried bucket itself', async () => {
  const r = await runCli(['setup-inventory', '--bucket', 'data-1', '--destination', 'data-1'], services());
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('warning: the reports land in data-1 itself');
  const filtered = await runCli(
    ['setup-inventory', '--bucket', 'data-1', '--destination', 'data-1', '--prefix', 'app/', '--id', 'app'],
    services(),
  );
  expect(filtered.stderr).not.toContain('land in data-1 itself');
});

describe('setup-inventory bad input: one line, the documented exit code, nothing written', () => {
  const cases: [string, string[], number, RegExp][] = [
    [
      'destination in another region',
      ['--destination', 'far-away'],
      2,
      /destination bucket far-away is in ap-southeast-2, but data-1 is in us-east-1: S3 Inventory delivers only within one region/,
    ],
    [
      'destination is not a bucket name',
      ['--destination', 'Not_A_Bucket'],
      2,
      /invalid --destination "Not_A_Bucket": give a bucket name, or s3:\/\/BUCKET\/PREFIX/,
    ],
    [
      'destination bucket missing',
      ['--destination', 'no-such-bucket'],
      2,
      /bucket no-such-bucket does not exist/,
    ],
    [
      'two destination prefixes',
      ['--destination', 's3://inv-1/a', '--destination-prefix', 'b'],
      2,
      /--destination names a prefix and --destination-prefix gives another/,
    ],
    [
      'bad --versions',
      ['--destination', 'inv-1', '--versions', 'some'],
      2,
      /invalid --versions "some": use all or current/,
    ],
    [
      'bad --destination-account',
      ['--destination', 'inv-1', '--destination-account', '12345'],
      2,
      /invalid --destination-account "12345": an AWS account id is 12 digits/,
    ],
    ['bad --id', ['--destination', 'inv-1', '--id', 'has space'], 2, /invalid --id "has space"/],
    [
      'destination with an AWS managed key',
      ['--destination', 'aws-managed'],
      3,
      /encrypts new objects with the AWS managed key aws\/s3, which S3 Inventory cannot use: set its default encryption/,
    ],
  ];
  it.each(cases)('%s', async (_name, args, code, message) => {
    const r = await runCli(['setup-inventory', '--bucket', 'data-1', ...args], services());
    expect(r.code).toBe(code);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(stores.writes).toEqual([]);
  });
});
