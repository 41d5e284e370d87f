// In-memory implementations of the core ports, for command and use-case tests with no network.
import type { GlobalConfig } from '../../src/config/global.js';
import type { BucketEncryption } from '../../src/core/encryption/bucket-default.js';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import type { KeyDescription } from '../../src/core/kms/key.js';
import type { ListedObject, ObjectHead } from '../../src/core/objects.js';
import type { Services } from '../../src/deps.js';
import { unfakedBatchPorts } from './batch-fakes.js';
import { unfakedPlanPorts } from './plan-fakes.js';
import { unfakedAuditPorts } from './audit-fakes.js';
import { localInventoryPorts } from './inventory-fakes.js';
import { unfakedEncryptPorts } from './encrypt-fakes.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export function keyDesc(over: Partial<KeyDescription> = {}): KeyDescription {
  const keyId = over.keyId ?? '1234abcd-12ab-34cd-56ef-1234567890ab';
  const region = over.region ?? REGION;
  return {
    arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`,
    keyId,
    state: 'Enabled',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    manager: 'CUSTOMER',
    region,
    ...over,
  };
}

export interface FakeWorld {
  buckets: Map<string, { region: string; encryption?: BucketEncryption; objects: ObjectHead[] }>;
  keys: Map<string, KeyDescription>;
  /** Every write call, for "changes nothing" assertions. */
  writes: string[];
}

export function fakeWorld(): FakeWorld {
  return { buckets: new Map(), keys: new Map(), writes: [] };
}

export function head(key: string, over: Partial<ObjectHead> = {}): ObjectHead {
  return { key, size: 1, etag: '"e"', storageClass: 'STANDARD', metadata: {}, ...over };
}

export function fakeServices(world: FakeWorld): (config: GlobalConfig) => Services {
  return (config: GlobalConfig): Services => ({
    region: config.region,
    endpoint: config.endpointUrl,
    keys: {
      async describeKey(ref) {
        const k = world.keys.get(ref);
        if (!k)
          throw new UsageError(
            `KMS key ${ref} was not found in ${config.region}`,
            'check --kms-key',
            'UnknownKey',
          );
        return k;
      },
    },
    buckets: {
      async bucketRegion(bucket) {
        const b = world.buckets.get(bucket);
        if (!b) throw new UsageError(`bucket ${bucket} does not exist`, 'check --bucket', 'NoSuchBucket');
        return b.region;
      },
    },
    encryption: {
      async getEncryption(bucket) {
        return structuredClone(world.buckets.get(bucket)?.encryption);
      },
      async putEncryption(bucket, cfg) {
        const b = world.buckets.get(bucket);
        if (!b) throw new PreconditionError('NoSuchBucket', 'no bucket');
        world.writes.push(`putEncryption ${bucket}`);
        b.encryption = structuredClone(cfg);
      },
    },
    objects: {
      async *list(bucket, opts) {
        for (const o of world.buckets.get(bucket)?.objects ?? []) {
          if (opts.prefix && !o.key.startsWith(opts.prefix)) continue;
          const listed: ListedObject = {
            key: o.key,
            versionId: o.versionId,
            size: o.size,
            storageClass: o.storageClass,
            isLatest: true,
          };
          yield listed;
        }
      },
      async head(bucket, key) {
        return world.buckets.get(bucket)?.objects.find((o) => o.key === key);
      },
    },
    account: {
      async accountId() {
        return ACCOUNT;
      },
    },
    caller: {
      async identity() {
        return { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/tester` };
      },
    },
    ...unfakedBatchPorts(),
    ...unfakedPlanPorts(),
    ...localInventoryPorts(),
    ...unfakedEncryptPorts(),
    ...unfakedAuditPorts(),
  });
}
