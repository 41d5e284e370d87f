// setup-inventory writes the destination's bucket policy, then the configuration. When the second
// write fails, the first is undone: the policy text restored exactly, or deleted if there was none.
import { describe, expect, it } from 'vitest';
import type { S3EncryptError } from '../../../src/core/errors.js';
import { ServiceError } from '../../../src/core/errors.js';
import {
  setupInventory,
  type SetupInventoryInput,
  type SetupInventoryPorts,
} from '../../../src/core/inventory-config/setup-inventory.js';
import { fakeInventoryStores } from '../../support/batch-fakes.js';

const PREVIOUS =
  '{ "Version": "2012-10-17",\n  "Statement": [ {"Sid":"Keep","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::dest-bucket/*"} ] }';

function world(opts: { policy?: string; failPut?: boolean; failReadBack?: boolean; failUndo?: boolean }) {
  const stores = fakeInventoryStores();
  if (opts.policy !== undefined) stores.policies.set('dest-bucket', opts.policy);
  const inventory = {
    get: stores.inventoryConfigs.get,
    async put(bucket: string, config: Parameters<typeof stores.inventoryConfigs.put>[1]) {
      if (opts.failPut)
        throw new ServiceError(
          'InternalError',
          's3:PutInventoryConfiguration on bucket src-bucket failed with InternalError (HTTP 500)',
          'retry',
        );
      if (opts.failReadBack) return; // answers 200, keeps nothing
      await stores.inventoryConfigs.put(bucket, config);
    },
  };
  const policies = {
    ...stores.bucketPolicies,
    async put(bucket: string, json: string) {
      if (opts.failUndo && stores.writes.includes('putPolicy dest-bucket'))
        throw new ServiceError('InternalError', 'PutBucketPolicy failed');
      await stores.bucketPolicies.put(bucket, json);
    },
    async delete(bucket: string) {
      if (opts.failUndo) throw new ServiceError('InternalError', 'DeleteBucketPolicy failed');
      await stores.bucketPolicies.delete(bucket);
    },
  };
  const ports: SetupInventoryPorts = {
    inventory,
    policies,
    encryption: { getEncryption: async () => undefined, putEncryption: async () => undefined },
    buckets: { bucketRegion: async () => 'eu-west-1' },
    keys: {
      describeKey: async () => {
        throw new Error('no key expected');
      },
    },
    account: { accountId: async () => '111122223333' },
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

async function failure(ports: SetupInventoryPorts): Promise<S3EncryptError> {
  try {
    await setupInventory(ports, input);
  } catch (e) {
    return e as S3EncryptError;
  }
  throw new Error('succeeded');
}

describe('setupInventory undoes its policy write when the configuration write fails', () => {
  it('restores the previous policy text exactly, and keeps the failure (code, exit code)', async () => {
    const { stores, ports } = world({ policy: PREVIOUS, failPut: true });
    const err = await failure(ports);
    expect(stores.policies.get('dest-bucket')).toBe(PREVIOUS);
    expect(stores.writes).toEqual(['putPolicy dest-bucket', 'putPolicy dest-bucket']);
    expect(err.code).toBe('InternalError');
    expect(err.exitCode).toBe(4);
    expect(err.oneLine()).toBe(
      's3:PutInventoryConfiguration on bucket src-bucket failed with InternalError (HTTP 500); the bucket policy of dest-bucket, written just before, was restored to its previous text: retry',
    );
  });

  it('deletes the policy it wrote where there was none', async () => {
    const { stores, ports } = world({ failPut: true });
    const err = await failure(ports);
    expect(stores.policies.has('dest-bucket')).toBe(false);
    expect(stores.writes).toEqual(['putPolicy dest-bucket', 'deletePolicy dest-bucket']);
    expect(err.oneLine()).toMatch(/was deleted again: retry$/);
  });

  it('not when the configuration was accepted but reads back missing (it is in place; the policy lets it deliver)', async () => {
    const { stores, ports } = world({ policy: PREVIOUS, failReadBack: true });
    const err = await failure(ports);
    expect(err.code).toBe('InventoryNotStored');
    expect(stores.policies.get('dest-bucket')).not.toBe(PREVIOUS);
    expect(stores.writes).toEqual(['putPolicy dest-bucket']);
  });

  it('when the undo fails too: says what was changed and prints the command that reverts it', async () => {
    const restored = world({ policy: PREVIOUS, failPut: true, failUndo: true });
    const err = await failure(restored.ports);
    expect(err.exitCode).toBe(4);
    expect(err.oneLine()).toMatch(
      /; the bucket policy of dest-bucket was already changed \(statement \S+ added\) and restoring it failed too \(PutBucketPolicy failed\): revert it with: aws s3api put-bucket-policy --bucket dest-bucket --policy '\{"Version":"2012-10-17","Statement":\[\{"Sid":"Keep",.*\}\]\}'$/,
    );
    const none = world({ failPut: true, failUndo: true });
    expect((await failure(none.ports)).oneLine()).toMatch(
      /written as a new policy\) and restoring it failed too \(DeleteBucketPolicy failed\): revert it with: aws s3api delete-bucket-policy --bucket dest-bucket$/,
    );
  });

  it('changes nothing to undo when the policy was already in place', async () => {
    const first = world({});
    await setupInventory(first.ports, input);
    const policy = first.stores.policies.get('dest-bucket');
    first.stores.configs.clear();
    const again = { ...first.ports, inventory: world({ failPut: true }).ports.inventory };
    await failure(again);
    expect(first.stores.policies.get('dest-bucket')).toBe(policy);
  });
});
