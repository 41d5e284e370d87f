// verify --inventory and the inventory configuration's prefix filter: a configuration that lists
// only keys under a prefix proves nothing about the rest of the bucket, so a verdict on more than
// that prefix is refused (it used to say COMPLIANT for the whole bucket from one prefix's objects).
// The filter is in the configuration, not in manifest.json: when it cannot be read, a warning
// says the coverage is unchecked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dirDeliveryReader } from '../../../src/adapters/fs/manifest-from-dir.js';
import { PreconditionError } from '../../../src/core/errors.js';
import {
  verifyDelivery,
  type DeliveryVerifyEvents,
  type DeliveryVerifyRequest,
} from '../../../src/core/inventory/verify-delivery.js';
import { uncheckedKey } from '../../../src/core/kms/key.js';
import type { InventoryConfigInfo } from '../../../src/core/plan/ports.js';
import { record, renderDelivery, writeDeliveryDir } from '../../int/support/inventory-delivery.js';

const B = 'data-1';
const kmsBk = { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' };
let dir: string;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-cover-'));
  warnings = [];
  const folder = new Date(Date.now() - 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';
  const d = renderDelivery([record(B, 'logs/a', kmsBk), record(B, 'logs/b', kmsBk)], {
    sourceBucket: B,
    destinationBucket: 'inv',
    prefix: '',
    id: 'cfg',
    folder,
  });
  await writeDeliveryDir(dir, d);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (filterPrefix: string | undefined): InventoryConfigInfo => ({
  id: 'cfg',
  enabled: true,
  format: 'CSV',
  includedVersions: 'Current',
  optionalFields: ['EncryptionStatus', 'BucketKeyStatus'],
  destinationBucket: 'arn:aws:s3:::inv',
  filterPrefix,
});

const events: DeliveryVerifyEvents = {
  warn: (t) => warnings.push(t),
  debug: () => undefined,
  checking: () => undefined,
  progress: () => undefined,
  reported: () => undefined,
  stopped: () => undefined,
};

function run(configs: () => Promise<InventoryConfigInfo[]>, prefix?: string) {
  const req: DeliveryVerifyRequest = {
    bucket: B,
    prefix,
    allVersions: false,
    allowEmpty: false,
    inventory: 's3://inv/',
    id: 'cfg',
    date: 'latest',
    maxAge: 48,
    signal: new AbortController().signal,
    now: () => new Date(),
  };
  return verifyDelivery(
    {
      connect: async () => ({
        key: uncheckedKey('arn:aws:kms:us-east-1:111122223333:key/k'),
        inventory: {
          s3Delivery: () => dirDeliveryReader(dir),
          clock: { newestUnder: async () => undefined },
        },
        inventoryConfigurations: configs,
      }),
      offlineKey: () => uncheckedKey('k'),
      dirDelivery: () => dirDeliveryReader(dir),
    },
    req,
    events,
  );
}

describe('verify --inventory: what the configuration lists', () => {
  it('a configuration of the whole bucket: the verdict stands', async () => {
    for (const filter of [undefined, '']) {
      const r = await run(async () => [config(filter)]);
      expect(r.exitCode).toBe(0);
    }
    expect(warnings).toEqual([]);
  });

  it('filtered by prefix: refused for the whole bucket or another prefix, with the fix', async () => {
    for (const prefix of [undefined, 'data/', 'log']) {
      const r = run(async () => [config('logs/')], prefix);
      await expect(r).rejects.toThrow(PreconditionError);
      await expect(r).rejects.toMatchObject({
        code: 'InventoryPartial',
        exitCode: 3,
        message: expect.stringMatching(/lists only keys under "logs\/", so its deliveries prove nothing/),
        hint: expect.stringMatching(/--prefix logs\//),
      });
    }
  });

  it('filtered by prefix: the verdict stands for that prefix or below it', async () => {
    for (const prefix of ['logs/', 'logs/a']) {
      const r = await run(async () => [config('logs/')], prefix);
      expect(r.exitCode).toBe(0);
    }
  });

  it('a configuration that cannot be read or is gone: the verdict stands, with a warning', async () => {
    const denied = await run(async () =>
      Promise.reject(
        new PreconditionError('AccessDenied', 'access denied: s3:GetInventoryConfiguration', 'grant it'),
      ),
    );
    expect(denied.exitCode).toBe(0);
    const gone = await run(async () => []);
    expect(gone.exitCode).toBe(0);
    expect(warnings).toEqual([
      expect.stringMatching(/^cannot read inventory configuration cfg of data-1 \(access denied.*unchecked$/),
      expect.stringMatching(/^bucket data-1 has no inventory configuration cfg now/),
    ]);
  });
});
