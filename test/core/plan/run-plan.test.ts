import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import { emptyStats } from '../../../src/core/cost/workload.js';
import { InterruptedError, PreconditionError } from '../../../src/core/errors.js';
import type { KeyDescription } from '../../../src/core/kms/key.js';
import type { ListedObject } from '../../../src/core/objects.js';
import type { BucketAudit, KeyAudit, ObjectAcl } from '../../../src/core/plan/ports.js';
import { runPlan, type PlanInput, type PlanPorts } from '../../../src/core/plan/run-plan.js';

const ACCOUNT = '111122223333';
const ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`;
const OWNER = 'owner';
const description: KeyDescription = {
  arn: ARN,
  keyId: 'k1',
  state: 'Enabled',
  spec: 'SYMMETRIC_DEFAULT',
  usage: 'ENCRYPT_DECRYPT',
  manager: 'CUSTOMER',
  region: 'us-east-1',
};

interface Setup {
  objects: number;
  publicEvery?: number;
  denied?: string[];
  versioning?: 'Enabled' | 'Off';
}

function ports(s: Setup): { ports: PlanPorts; calls: string[] } {
  const calls: string[] = [];
  const gate = (action: string) => {
    calls.push(action);
    if (s.denied?.includes(action)) throw new PreconditionError('AccessDenied', `access denied: ${action}`);
  };
  const acl = (i: number): ObjectAcl => ({
    ownerId: OWNER,
    grants: [
      { type: 'CanonicalUser', id: OWNER, permission: 'FULL_CONTROL' },
      ...(s.publicEvery && i % s.publicEvery === 0
        ? [{ type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' }]
        : []),
    ],
  });
  const audit: BucketAudit = {
    versioning: async () => (gate('s3:GetBucketVersioning'), s.versioning ?? 'Off'),
    lifecycleRules: async () => (gate('s3:GetLifecycleConfiguration'), []),
    objectLock: async () => (gate('s3:GetBucketObjectLockConfiguration'), undefined),
    ownership: async () => (gate('s3:GetBucketOwnershipControls'), 'ObjectWriter'),
    objectAcl: async (_b, key) => (gate('s3:GetObjectAcl'), acl(Number(key.slice(4)))),
    replicationRules: async () => (gate('s3:GetReplicationConfiguration'), []),
    notifications: async () => (gate('s3:GetBucketNotification'), { targets: [], eventBridge: false }),
    inventoryConfigurations: async () => (gate('s3:GetInventoryConfiguration'), []),
  };
  return {
    calls,
    ports: {
      audit,
      encryption: {
        getEncryption: async () => (gate('s3:GetEncryptionConfiguration'), undefined),
        putEncryption: async () => Promise.reject(new Error('read-only')),
      },
      bucketPolicy: async () => (gate('s3:GetBucketPolicy'), undefined),
      objects: {
        async *list() {
          gate('s3:ListBucket');
          for (let i = 0; i < s.objects; i++)
            yield { key: `obj-${i}`, size: 1024, storageClass: 'STANDARD' } satisfies ListedObject;
        },
        head: async () => undefined,
      },
    },
  };
}

const keyAudit: KeyAudit = {
  rotationEnabled: async () => true,
  keyPolicy: async () =>
    JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    }),
};

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  bucket: 'b',
  region: 'us-east-1',
  account: ACCOUNT,
  key: { ref: ARN, description, audit: keyAudit, allowAwsManaged: false },
  aclSample: 100,
  maxList: 100_000,
  prices: DEFAULT_PRICES,
  roleName: 's3-encrypt-batch',
  ...over,
});
const check = (r: Awaited<ReturnType<typeof runPlan>>, id: string) => r.checks.find((c) => c.id === id);

describe('runPlan', () => {
  it('lists up to --max-list objects and marks the count partial', async () => {
    const { ports: p } = ports({ objects: 25 });
    const r = await runPlan(p, input({ maxList: 10, aclSample: 5 }));
    expect(r.counts).toMatchObject({ source: 'listing', partial: true });
    expect(r.counts?.stats.byStorageClass.STANDARD).toEqual({ objects: 10, bytes: 10 * 1024 });
    expect(r.cost.partial).toBe(true);
    expect(r.cost.lines.find((l) => l.id === 'copy-requests')?.quantity).toBe(10);
  });

  it('samples at most --acl-sample ACLs and reports the non-default ones', async () => {
    const { ports: p, calls } = ports({ objects: 50, publicEvery: 10 });
    const r = await runPlan(p, input({ aclSample: 20 }));
    expect(calls.filter((c) => c === 's3:GetObjectAcl')).toHaveLength(20);
    expect(check(r, 'object-acls')).toMatchObject({ status: 'WARN' });
    expect(check(r, 'object-acls')?.detail).toContain('2 of 20 sampled objects');
    expect(check(r, 'object-acls')?.detail).toContain('"obj-0": AllUsers READ; "obj-10": AllUsers READ');
  });

  it('turns every denied read into a WARN naming the action, and still finishes', async () => {
    const denied = [
      's3:GetBucketVersioning',
      's3:GetObjectAcl',
      's3:GetBucketPolicy',
      's3:GetInventoryConfiguration',
    ];
    const { ports: p } = ports({ objects: 3, denied });
    const r = await runPlan(p, input());
    for (const [id, action] of [
      ['versioning', 's3:GetBucketVersioning'],
      ['object-acls', 's3:GetObjectAcl'],
      ['bucket-policy', 's3:GetBucketPolicy'],
      ['inventory-config', 's3:GetInventoryConfiguration'],
    ] as const) {
      expect(check(r, id)?.status, id).toBe('WARN');
      expect(check(r, id)?.detail, id).toContain(action);
    }
    expect(r.status).toBe('WARN');
  });

  it('reports a denied listing as its own WARN and prices nothing', async () => {
    const { ports: p } = ports({ objects: 3, denied: ['s3:ListBucket'] });
    const r = await runPlan(p, input());
    expect(check(r, 'object-listing')?.detail).toContain('s3:ListBucket');
    expect(r.counts).toBeUndefined();
    expect(r.cost.lines.find((l) => l.id === 'batch-objects')?.quantity).toBe(0);
  });

  it('with inventory counts, lists only what the ACL sample needs', async () => {
    const { ports: p } = ports({ objects: 500 });
    const stats = {
      ...emptyStats(),
      byEncryptionStatus: { 'NOT-SSE': { objects: 7, bytes: 70 } },
      byStorageClass: { STANDARD: { objects: 7, bytes: 70 } },
    };
    const r = await runPlan(
      p,
      input({
        aclSample: 5,
        inventory: {
          source: 'inventory',
          label: 'delivery X',
          stats,
          // Inventory counts: the 7 NOT-SSE objects are copies, one job for their one storage class.
          workload: {
            basis: 'inventory',
            partial: false,
            copy: { objects: 7, bytes: 70 },
            copyJobs: 1,
            update: { objects: 0, bytes: 0 },
            updateFromKms: 0,
            large: { objects: 0, bytes: 0 },
            archived: { objects: 0, bytes: 0 },
            listedRows: 7,
            notes: [],
          },
          warnings: [],
        },
      }),
    );
    expect(r.counts).toMatchObject({ source: 'inventory', label: 'delivery X', partial: false });
    expect(r.cost.basis).toBe('inventory');
    expect(r.cost.lines.find((l) => l.id === 'copy-requests')?.quantity).toBe(7);
    expect(check(r, 'object-acls')?.detail).toContain('none of 5 sampled objects');
  });

  it('skips key checks it cannot read and keeps the WARN it was given', async () => {
    const { ports: p } = ports({ objects: 0 });
    const unreadable = {
      id: 'key-state',
      status: 'WARN' as const,
      title: 'KMS key',
      detail: 'not checked',
      advice: 'x',
    };
    const r = await runPlan(
      p,
      input({ key: { ref: 'alias/app', unreadable, audit: keyAudit, allowAwsManaged: false } }),
    );
    expect(r.checks.filter((c) => c.id.startsWith('key-'))).toEqual([unreadable]);
    expect(r.kmsKey).toBe('alias/app');
  });

  it('returns the next commands filled with the bucket and key ARN', async () => {
    const { ports: p } = ports({ objects: 1 });
    const r = await runPlan(p, input());
    expect(r.next[0]).toBe(
      `s3-encrypt policy --bucket b --kms-key ${ARN} --manifest-bucket s3://INVENTORY-BUCKET/s3-encrypt --for all`,
    );
    expect(r.next).toContain(`s3-encrypt enable-sse --bucket b --kms-key ${ARN}`);
    expect(r.next.at(-1)).toBe(
      `s3-encrypt verify --bucket b --kms-key ${ARN} --live --all-versions --require-bucket-key`,
    );
  });
});

describe('runPlan, interrupted while sampling ACLs', () => {
  it('stops with the interrupt instead of judging a sample it cut short', async () => {
    const { ports: p } = ports({ objects: 20 });
    const controller = new AbortController();
    let reads = 0;
    p.audit = {
      ...p.audit,
      objectAcl: async () => {
        // The interrupt aborts the reads in flight, as the adapters' requests are.
        if (++reads === 3) controller.abort();
        await new Promise((r) => setTimeout(r, 5));
        if (controller.signal.aborted)
          throw new InterruptedError('interrupted while calling s3:GetObjectAcl');
        return { ownerId: OWNER, grants: [] };
      },
    };
    await expect(runPlan(p, input({ signal: controller.signal }))).rejects.toBeInstanceOf(InterruptedError);
  });
});
