// Fakes for plan's ports (bucket and key audit, JSON files). `unfakedPlanPorts()` fills
// fakeServices() for tests that never run plan; `planServices()` builds services for plan tests.
import type { GlobalConfig } from '../../src/config/global.js';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import type {
  BucketAudit,
  InventoryConfigInfo,
  JsonFiles,
  KeyAudit,
  LifecycleRule,
  Notifications,
  ObjectAcl,
  ObjectLockSettings,
  ReplicationRule,
  VersioningStatus,
} from '../../src/core/plan/ports.js';
import type { Services, ServicesFactory } from '../../src/deps.js';
import { fakeServices, type FakeWorld } from './fakes.js';

function notFaked(port: string): never {
  throw new Error(`${port} is not faked in this test: build the services with test/support/plan-fakes.ts`);
}

export function unfakedPlanPorts(): { bucketAudit: BucketAudit; keyAudit: KeyAudit; files: JsonFiles } {
  const audit = (): never => notFaked('bucketAudit');
  return {
    bucketAudit: {
      versioning: audit,
      lifecycleRules: audit,
      objectLock: audit,
      ownership: audit,
      objectAcl: audit,
      replicationRules: audit,
      notifications: audit,
      inventoryConfigurations: audit,
    },
    keyAudit: { rotationEnabled: () => notFaked('keyAudit'), keyPolicy: () => notFaked('keyAudit') },
    files: { readJson: () => notFaked('files') },
  };
}

/** One bucket's settings as plan reads them. */
export interface AuditedBucket {
  versioning: VersioningStatus;
  lifecycle: LifecycleRule[];
  lock?: ObjectLockSettings;
  ownership?: string;
  acls: Map<string, ObjectAcl>;
  replication: ReplicationRule[];
  notifications: Notifications;
  policy?: string;
  inventories: InventoryConfigInfo[];
}

export interface PlanWorld {
  buckets: Map<string, AuditedBucket>;
  rotation: Map<string, boolean>;
  keyPolicies: Map<string, string>;
  files: Map<string, unknown>;
  /** IAM actions that answer AccessDenied. */
  denied: Set<string>;
  /** Every call, as "action target". */
  calls: string[];
}

export function auditedBucket(over: Partial<AuditedBucket> = {}): AuditedBucket {
  return {
    versioning: 'Off',
    lifecycle: [],
    acls: new Map(),
    replication: [],
    notifications: { targets: [], eventBridge: false },
    inventories: [],
    ...over,
  };
}

export function planWorld(): PlanWorld {
  return {
    buckets: new Map(),
    rotation: new Map(),
    keyPolicies: new Map(),
    files: new Map(),
    denied: new Set(),
    calls: [],
  };
}

export function defaultKeyPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/** fakeServices(world) plus plan's ports reading `pw`; every plan read honours `pw.denied`. */
export function planServices(world: FakeWorld, pw: PlanWorld): ServicesFactory {
  const base = fakeServices(world);
  return (config: GlobalConfig): Services => {
    const svc = base(config);
    const gate = (action: string, target: string): void => {
      pw.calls.push(`${action} ${target}`);
      if (pw.denied.has(action))
        throw new PreconditionError(
          'AccessDenied',
          `access denied: ${action} on ${target}`,
          `grant ${action}`,
        );
    };
    const b = (bucket: string, action: string): AuditedBucket => {
      gate(action, bucket);
      const found = pw.buckets.get(bucket);
      if (!found) throw new UsageError(`bucket ${bucket} does not exist`, 'check --bucket', 'NoSuchBucket');
      return found;
    };
    const bucketAudit: BucketAudit = {
      versioning: async (bucket) => b(bucket, 's3:GetBucketVersioning').versioning,
      lifecycleRules: async (bucket) => b(bucket, 's3:GetLifecycleConfiguration').lifecycle,
      objectLock: async (bucket) => b(bucket, 's3:GetBucketObjectLockConfiguration').lock,
      ownership: async (bucket) => b(bucket, 's3:GetBucketOwnershipControls').ownership,
      objectAcl: async (bucket, key) => b(bucket, 's3:GetObjectAcl').acls.get(key),
      replicationRules: async (bucket) => b(bucket, 's3:GetReplicationConfiguration').replication,
      notifications: async (bucket) => b(bucket, 's3:GetBucketNotification').notifications,
      inventoryConfigurations: async (bucket) => b(bucket, 's3:GetInventoryConfiguration').inventories,
    };
    const keyAudit: KeyAudit = {
      async rotationEnabled(arn) {
        gate('kms:GetKeyRotationStatus', arn);
        return pw.rotation.get(arn) ?? false;
      },
      async keyPolicy(arn) {
        gate('kms:GetKeyPolicy', arn);
        const p = pw.keyPolicies.get(arn);
        if (p === undefined) throw new Error(`no key policy faked for ${arn}`);
        return p;
      },
    };
    const files: JsonFiles = {
      async readJson(path, flag) {
        if (!pw.files.has(path))
          throw new UsageError(
            `cannot read ${flag} ${path}: no such file`,
            'give a readable JSON file',
            'UnreadableFile',
          );
        return structuredClone(pw.files.get(path));
      },
    };
    const bucketPolicies = {
      async get(bucket: string) {
        return b(bucket, 's3:GetBucketPolicy').policy;
      },
      put: async (): Promise<void> => {
        throw new Error('plan must not write bucket policies');
      },
      delete: async (): Promise<void> => {
        throw new Error('plan must not delete bucket policies');
      },
    };
    const objects = {
      ...svc.objects,
      list(bucket: string, opts: { prefix?: string | undefined; allVersions: boolean }) {
        gate('s3:ListBucket', bucket);
        return svc.objects.list(bucket, opts);
      },
    };
    return { ...svc, objects, bucketAudit, keyAudit, files, bucketPolicies };
  };
}
