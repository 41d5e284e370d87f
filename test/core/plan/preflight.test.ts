// plan's use case (core/plan/preflight.ts) over the plan fakes, for the branches the command
// tests do not reach: the flags checked before the bucket is reached, the owner's account when
// STS refuses or cannot be reached, and an inventory delivery that cannot be read.
import { beforeEach, describe, expect, it } from 'vitest';
import type { GlobalConfig } from '../../../src/config/global.js';
import { PreconditionError, ServiceError, UsageError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import type { JsonFiles } from '../../../src/core/plan/ports.js';
import {
  preflight,
  type PreflightEvents,
  type PreflightRequest,
  type PreflightTarget,
} from '../../../src/core/plan/preflight.js';
import { ACCOUNT, fakeWorld, head, keyDesc, REGION } from '../../support/fakes.js';
import { auditedBucket, defaultKeyPolicy, planServices, planWorld } from '../../support/plan-fakes.js';

const BUCKET = 'data-bucket';
const KEY = keyDesc();

let target: PreflightTarget;
let files: JsonFiles;
let connected: number;
let log: string[];

beforeEach(async () => {
  const world = fakeWorld();
  const pw = planWorld();
  world.keys.set(KEY.arn, KEY);
  world.buckets.set(BUCKET, { region: REGION, objects: [head('a.txt', { size: 10 })] });
  pw.buckets.set(BUCKET, auditedBucket({ ownership: 'BucketOwnerEnforced' }));
  pw.keyPolicies.set(KEY.arn, defaultKeyPolicy(ACCOUNT));
  pw.rotation.set(KEY.arn, true);
  const svc = await planServices(world, pw)({ region: REGION } as GlobalConfig);
  files = svc.files;
  target = {
    region: svc.region,
    account: svc.account,
    inventory: svc.inventory,
    keys: svc.keys,
    keyAudit: svc.keyAudit,
    keysIn: async () => ({ keys: svc.keys, keyAudit: svc.keyAudit }),
    audit: svc.bucketAudit,
    encryption: svc.encryption,
    bucketPolicy: (b) => svc.bucketPolicies.get(b),
    objects: svc.objects,
  };
  connected = 0;
  log = [];
});

const ports = () => ({
  files: async () => files,
  connect: async () => {
    connected++;
    return target;
  },
});
const events: PreflightEvents = {
  checking: (c) => log.push(`checking ${c.key}`),
  readingInventory: () => {
    log.push('inventory start');
    return { onProgress: () => undefined, stop: () => log.push('inventory stop') };
  },
  listed: () => undefined,
};
const request = (over: Partial<PreflightRequest> = {}): PreflightRequest => ({
  bucket: BUCKET,
  kmsKey: KEY.arn,
  aclSample: 10,
  maxList: 100,
  roleName: 'role',
  ...over,
});

describe('preflight', () => {
  it.each([
    [{ inventory: 's3://inv/p' }, /--inventory needs --id/],
    [{ id: 'cfg' }, /--id needs --inventory/],
    [{ inventory: 's3://inv/p', id: 'cfg', summary: 's.json' }, /--inventory and --summary/],
    [{ inventory: 'inv/p', id: 'cfg' }, /--inventory/],
  ])('refuses %j before the bucket is reached', async (over, message) => {
    const run = preflight(ports(), request(over), events);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(connected).toBe(0);
  });

  // A dead network or a missing bucket must not hide a bad local file: it is read first.
  it.each([
    [{ prices: 'missing.json' }, /--prices missing\.json/],
    [{ summary: 'missing.json' }, /--summary missing\.json/],
  ])('reads %j before the bucket is reached', async (over, message) => {
    await expect(preflight(ports(), request(over), events)).rejects.toThrow(message);
    expect(connected).toBe(0);
  });

  it('an account STS refuses is left unknown (the key-policy check says so); an unreachable STS stops', async () => {
    target.account = {
      accountId: async () => Promise.reject(new PreconditionError('AccessDenied', 'denied sts')),
    };
    const r = await preflight(ports(), request(), events);
    expect(r.plan.checks.find((c) => c.id === 'key-policy')?.detail).toMatch(/account/);
    target.account = {
      accountId: async () => Promise.reject(new ServiceError('Unreachable', 'cannot reach sts')),
    };
    await expect(preflight(ports(), request(), events)).rejects.toThrow(/cannot reach sts/);
  });

  it('an inventory delivery that cannot be read is a WARN, counts from a listing, and its progress stops', async () => {
    target.inventory = {
      s3Delivery: () => {
        throw new PreconditionError('AccessDenied', 'access denied: s3:GetObject on s3://inv/p');
      },
    };
    const r = await preflight(ports(), request({ inventory: 's3://inv/p', id: 'cfg' }), events);
    const check = r.plan.checks.find((c) => c.id === 'inventory-read');
    expect(check?.status).toBe('WARN');
    expect(check?.advice).toMatch(/; counts below come from a live listing instead$/);
    expect(r.plan.counts?.source).toBe('listing');
    expect(log).toEqual(['checking ' + KEY.arn, 'inventory start', 'inventory stop']);
    expect(r.exitCode).toBe(
      r.plan.checks.some((c) => c.status === 'FAIL') ? ExitCode.PRECONDITION : ExitCode.OK,
    );
  });

  it('a key ARN of another region is described there', async () => {
    const other = keyDesc({ arn: 'arn:aws:kms:eu-west-1:111122223333:key/k2', region: 'eu-west-1' });
    const asked: string[] = [];
    target.keysIn = async (region) => {
      asked.push(region);
      return {
        keys: { describeKey: async () => other },
        keyAudit: { rotationEnabled: async () => true, keyPolicy: async () => defaultKeyPolicy(ACCOUNT) },
      };
    };
    const r = await preflight(ports(), request({ kmsKey: other.arn }), events);
    expect(asked).toEqual(['eu-west-1']);
    expect(r.plan.kmsKey).toBe(other.arn);
    expect(r.exitCode).toBe(ExitCode.PRECONDITION);
  });
});
