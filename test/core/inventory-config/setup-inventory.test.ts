import { describe, expect, it } from 'vitest';
import type { BucketEncryption } from '../../../src/core/encryption/bucket-default.js';
import { S3EncryptError } from '../../../src/core/errors.js';
import {
  setupInventory,
  type SetupInventoryInput,
  type SetupInventoryPorts,
} from '../../../src/core/inventory-config/setup-inventory.js';
import { fakeInventoryStores } from '../../support/batch-fakes.js';

function world(opts: { destRegion?: string; destEncryption?: BucketEncryption } = {}) {
  const stores = fakeInventoryStores();
  const ports: SetupInventoryPorts = {
    inventory: stores.inventoryConfigs,
    policies: stores.bucketPolicies,
    encryption: {
      async getEncryption() {
        return opts.destEncryption;
      },
      async putEncryption() {
        throw new Error('setup-inventory never changes encryption');
      },
    },
    buckets: {
      async bucketRegion(b) {
        return b === 'dest-bucket' ? (opts.destRegion ?? 'eu-west-1') : 'eu-west-1';
      },
    },
    keys: {
      async describeKey() {
        throw new Error('no key expected');
      },
    },
    account: {
      async accountId() {
        return '111122223333';
      },
    },
  };
  return { stores, ports };
}

const input: SetupInventoryInput = {
  sourceBucket: 'src-bucket',
  sourceRegion: 'eu-west-1',
  id: 's3-encrypt',
  versions: 'All',
  frequency: 'Daily',
  destinationBucket: 'dest-bucket',
  destinationPrefix: 'inv',
  dryRun: false,
};

describe('setupInventory', () => {
  it('writes the policy, then the configuration, and a second run writes nothing', async () => {
    const { stores, ports } = world();
    const first = await setupInventory(ports, input);
    expect(first.configOutcome).toBe('created');
    expect(first.policy.outcome).toBe('added');
    expect(first.changed).toBe(true);
    expect(stores.writes).toEqual(['putPolicy dest-bucket', 'putInventory src-bucket/s3-encrypt']);
    expect(first.location).toBe('s3://dest-bucket/inv/src-bucket/s3-encrypt/');

    const second = await setupInventory(ports, input);
    expect(second.configOutcome).toBe('unchanged');
    expect(second.policy.outcome).toBe('unchanged');
    expect(second.changed).toBe(false);
    expect(stores.writes).toHaveLength(2);
  });

  it('dry run computes the same plan and writes nothing', async () => {
    const { stores, ports } = world();
    const r = await setupInventory(ports, { ...input, dryRun: true });
    expect(r.configOutcome).toBe('created');
    expect(r.policy.outcome).toBe('added');
    expect(r.changed).toBe(true);
    expect(stores.writes).toEqual([]);
  });

  it('updates only the configuration with this id, showing the difference', async () => {
    const { stores, ports } = world();
    await setupInventory(ports, input);
    stores.configs.set('src-bucket/other', {
      ...structuredClone(stores.configs.get('src-bucket/s3-encrypt')!),
      Id: 'other',
    });
    const r = await setupInventory(ports, { ...input, frequency: 'Weekly' });
    expect(r.configOutcome).toBe('updated');
    expect(r.configChanges).toEqual([{ field: 'Schedule.Frequency', before: 'Daily', after: 'Weekly' }]);
    expect(r.policy.outcome).toBe('unchanged');
    expect(stores.writes.slice(2)).toEqual(['putInventory src-bucket/s3-encrypt']);
    expect(stores.configs.get('src-bucket/other')?.Schedule.Frequency).toBe('Daily');
  });

  it('refuses a destination in another region before any write', async () => {
    const { stores, ports } = world({ destRegion: 'us-west-2' });
    const err = await setupInventory(ports, input).catch((e: unknown) => e as S3EncryptError);
    expect(err).toBeInstanceOf(S3EncryptError);
    expect((err as S3EncryptError).code).toBe('DestinationInOtherRegion');
    expect((err as S3EncryptError).exitCode).toBe(2);
    expect(stores.writes).toEqual([]);
  });

  it('refuses an AWS managed destination key before any write', async () => {
    const { stores, ports } = world({
      destEncryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    });
    await expect(setupInventory(ports, input)).rejects.toMatchObject({ code: 'DestinationAwsManagedKey' });
    expect(stores.writes).toEqual([]);
  });

  it("leaves another account's bucket policy alone and hands back the statement to add", async () => {
    const { stores, ports } = world();
    const r = await setupInventory(ports, { ...input, destinationAccount: '444455556666' });
    expect(r.policy.outcome).toBe('skipped');
    expect(r.policy.statement.Condition?.StringEquals).toMatchObject({ 'aws:SourceAccount': '111122223333' });
    expect(r.config.Destination.S3BucketDestination.AccountId).toBe('444455556666');
    expect(stores.writes).toEqual(['putInventory src-bucket/s3-encrypt']);
  });

  it('fails loudly when the store does not keep the configuration', async () => {
    const { stores, ports } = world();
    ports.inventory = { get: async () => undefined, put: stores.inventoryConfigs.put };
    await expect(setupInventory(ports, input)).rejects.toMatchObject({
      code: 'InventoryNotStored',
      exitCode: 4,
    });
  });
});
