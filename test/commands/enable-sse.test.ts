import { beforeEach, describe, expect, it } from 'vitest';
import { fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let world: FakeWorld;
const key = keyDesc();

beforeEach(() => {
  world = fakeWorld();
  world.keys.set('alias/app', key);
  world.keys.set(key.arn, key);
  world.buckets.set('data-1', {
    region: 'us-east-1',
    encryption: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
          BucketKeyEnabled: false,
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
        },
      ],
    },
    objects: [],
  });
});

describe('enable-sse', () => {
  it('resolves the alias, prints the diff, writes aws:kms + ARN + bucket key and keeps BlockedEncryptionTypes', async () => {
    const r = await runCli(
      ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app'],
      fakeServices(world),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('- SSEAlgorithm: AES256');
    expect(r.stdout).toContain('+ SSEAlgorithm: aws:kms');
    expect(r.stdout).toContain(`+ KMSMasterKeyID: ${key.arn}`);
    expect(r.stdout).toContain('Applied and read back');
    expect(world.buckets.get('data-1')?.encryption).toEqual({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.arn },
          BucketKeyEnabled: true,
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
        },
      ],
    });
  });

  it('is a no-op the second time and says so', async () => {
    await runCli(['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app'], fakeServices(world));
    world.writes.length = 0;
    const r = await runCli(
      ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app'],
      fakeServices(world),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Already in place/);
    expect(world.writes).toEqual([]);
  });

  it('--dry-run prints the change and writes nothing', async () => {
    const before = structuredClone(world.buckets.get('data-1')?.encryption);
    const r = await runCli(
      ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app', '--dry-run'],
      fakeServices(world),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dry run: nothing was changed/);
    expect(world.writes).toEqual([]);
    expect(world.buckets.get('data-1')?.encryption).toEqual(before);
  });

  it('--json puts exactly one JSON document on stdout', async () => {
    const r = await runCli(
      ['--json', 'enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app', '--dry-run'],
      fakeServices(world),
    );
    const docs = r.json();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ bucket: 'data-1', kmsKey: key.arn, outcome: 'planned' });
  });

  it('--no-bucket-key opts out', async () => {
    await runCli(
      ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app', '--no-bucket-key'],
      fakeServices(world),
    );
    expect(world.buckets.get('data-1')?.encryption?.Rules[0]?.BucketKeyEnabled).toBe(false);
  });

  it('--skip-key-check takes the id as given without KMS', async () => {
    const r = await runCli(
      ['enable-sse', '--bucket', 'data-1', '--kms-key', 'my-ceph-key', '--skip-key-check'],
      fakeServices(world),
    );
    expect(r.code).toBe(0);
    expect(
      world.buckets.get('data-1')?.encryption?.Rules[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    ).toBe('my-ceph-key');
  });
});
