// Fakes for audit's ports: accounts reached by profile or role, buckets in regions, reads that a
// test can deny by IAM action. Inventory deliveries are real files read by the real local reader
// (the same scanner as S3's), so a test counts what build-manifest would.
import type { AccountAccess, AuditDirectory, OrgAccount, RegionReader } from '../../src/core/audit/ports.js';
import type { BucketEncryption } from '../../src/core/encryption/bucket-default.js';
import { PreconditionError, UnverifiedObjectError, UsageError } from '../../src/core/errors.js';
import type { KeyDescription } from '../../src/core/kms/key.js';
import type { ObjectHead } from '../../src/core/objects.js';
import type { InventoryConfigInfo, VersioningStatus } from '../../src/core/plan/ports.js';
import { offlineServices } from '../../src/deps.js';

interface FakeAuditBucket {
  region?: string;
  encryption?: BucketEncryption;
  versioning?: VersioningStatus;
  objectLock?: boolean;
  inventories?: InventoryConfigInfo[];
  /** A local directory holding the newest delivery (flat layout) of its usable configuration. */
  deliveryDir?: string;
  objects?: (ObjectHead | { key: string; unverified: true; size: number })[];
  /** IAM actions refused on this bucket. */
  deny?: string[];
}

export interface FakeAuditAccount {
  id: string;
  buckets: Record<string, FakeAuditBucket>;
  /** alias or key id -> the key, per region. */
  keys?: Record<string, Record<string, KeyDescription>>;
  /** Account-level actions refused: sts:AssumeRole, s3:ListAllMyBuckets, organizations:ListAccounts. */
  deny?: string[];
}

export interface FakeAuditWorld {
  accounts: FakeAuditAccount[];
  /** profile name ('' for the default chain) -> account id. */
  profiles: Record<string, string>;
  org?: OrgAccount[];
  /** Every call, "ACTION target", for assertions that nothing was written. */
  calls: string[];
}

const denied = (action: string, where: string) =>
  new PreconditionError('AccessDenied', `access denied: ${action} on ${where}`, `grant ${action}`);

export function fakeAuditDirectory(world: FakeAuditWorld): AuditDirectory {
  const byId = (id: string) => world.accounts.find((a) => a.id === id);
  const access = (acct: FakeAuditAccount, arn: string): AccountAccess => {
    const gate = (action: string, bucket?: string) => {
      world.calls.push(`${action} ${acct.id}${bucket ? `/${bucket}` : ''}`);
      if (acct.deny?.includes(action)) throw denied(action, 'the account');
      if (bucket && acct.buckets[bucket]?.deny?.includes(action)) throw denied(action, `bucket ${bucket}`);
    };
    const bucketOf = (b: string) => {
      const x = acct.buckets[b];
      if (!x) throw new UsageError(`bucket ${b} does not exist`, 'check', 'NoSuchBucket');
      return x;
    };
    return {
      async identity() {
        return { account: acct.id, arn };
      },
      async listBuckets() {
        gate('s3:ListAllMyBuckets');
        return Object.keys(acct.buckets);
      },
      async bucketRegion(b) {
        gate('s3:GetBucketLocation', b);
        return bucketOf(b).region ?? 'us-east-1';
      },
      async organizationAccounts() {
        gate('organizations:ListAccounts');
        return world.org ?? [];
      },
      async assumeRole(roleArn) {
        gate('sts:AssumeRole');
        const id = /:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? '';
        const target = byId(id);
        if (!target || target.deny?.includes('sts:AssumeRole')) throw denied('sts:AssumeRole', roleArn);
        return access(target, `arn:aws:sts::${id}:assumed-role/${roleArn.split('/').pop()}/s3-encrypt-audit`);
      },
      inRegion(region): RegionReader {
        return {
          encryption: {
            async getEncryption(b) {
              gate('s3:GetEncryptionConfiguration', b);
              return structuredClone(bucketOf(b).encryption);
            },
          },
          settings: {
            async versioning(b) {
              gate('s3:GetBucketVersioning', b);
              return bucketOf(b).versioning ?? 'Off';
            },
            async objectLock(b) {
              gate('s3:GetBucketObjectLockConfiguration', b);
              return bucketOf(b).objectLock ? { enabled: true } : undefined;
            },
            async inventoryConfigurations(b) {
              gate('s3:GetInventoryConfiguration', b);
              return bucketOf(b).inventories ?? [];
            },
            async lifecycleRules(b) {
              gate('s3:GetLifecycleConfiguration', b);
              return [];
            },
          },
          delivery(loc) {
            const b = acct.buckets[loc.sourceBucket];
            if (b?.deny?.includes('s3:GetObject') || !b?.deliveryDir)
              return {
                where: `s3://${loc.bucket}/${loc.prefix}`,
                open: async () => {
                  if (b?.deny?.includes('s3:GetObject')) throw denied('s3:GetObject', `bucket ${loc.bucket}`);
                  throw new PreconditionError(
                    'NoInventoryDelivery',
                    `no complete inventory delivery under s3://${loc.bucket}/`,
                    'wait',
                  );
                },
              };
            return offlineServices.inventory.dirDelivery(b.deliveryDir);
          },
          objects: {
            async *list(b) {
              gate('s3:ListBucket', b);
              for (const o of bucketOf(b).objects ?? [])
                yield { key: o.key, size: o.size, storageClass: 'STANDARD' };
            },
            async head(b, key) {
              gate('s3:GetObject', b);
              const o = bucketOf(b).objects?.find((x) => x.key === key);
              if (o && 'unverified' in o)
                throw new UnverifiedObjectError(`a bare 403 for ${key}`, { status: 403 });
              return o as ObjectHead | undefined;
            },
          },
          keys: {
            async describeKey(ref) {
              world.calls.push(`kms:DescribeKey ${acct.id}/${region}`);
              if (acct.deny?.includes('kms:DescribeKey')) throw denied('kms:DescribeKey', `key ${ref}`);
              const k = acct.keys?.[region]?.[ref];
              if (!k)
                throw new UsageError(`KMS key ${ref} was not found in ${region}`, 'check', 'UnknownKey');
              return k;
            },
          },
        };
      },
    };
  };
  return {
    async open(profile) {
      const id = world.profiles[profile ?? ''];
      if (id === undefined)
        throw new PreconditionError('ProfileNotFound', `the AWS profile "${profile}" is not found`, 'check');
      const acct = byId(id);
      if (!acct) throw new Error(`no fake account ${id}`);
      return access(acct, `arn:aws:iam::${id}:user/${profile || 'default'}`);
    },
  };
}

/** For fakeServices(): tests that never run audit. */
export function unfakedAuditPorts(): { audit: AuditDirectory } {
  return {
    audit: {
      open: () => {
        throw new Error(
          'audit is not faked in this test: build the services with test/support/audit-fakes.ts',
        );
      },
    },
  };
}

export function kmsKey(account: string, region: string, id: string): KeyDescription {
  return {
    arn: `arn:aws:kms:${region}:${account}:key/${id}`,
    keyId: id,
    state: 'Enabled',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    manager: 'CUSTOMER',
    region,
  };
}
