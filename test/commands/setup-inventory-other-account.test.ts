// setup-inventory --json with a destination in another account: the bucket policy is that
// account's to change, so the document carries the statement its owner must add
// (destinationPolicy.outcome "skipped", schema setup-inventory) and no destination encryption.
import { expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeInventoryStores } from '../support/batch-fakes.js';
import { fakeServices, fakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

it('--destination-account of another account: the statement to add, nothing written there', async () => {
  const world = fakeWorld();
  world.buckets.set('data-1', { region: 'us-east-1', objects: [] });
  world.buckets.set('inv-1', { region: 'us-east-1', objects: [] });
  const stores = fakeInventoryStores();
  const base = fakeServices(world);
  const services: ServicesFactory = (cfg) => ({
    ...base(cfg),
    inventoryConfigs: stores.inventoryConfigs,
    bucketPolicies: stores.bucketPolicies,
  });
  const r = await runCli(
    [
      '--json',
      'setup-inventory',
      '--bucket',
      'data-1',
      '--destination',
      's3://inv-1/reports/',
      '--destination-account',
      '999988887777',
    ],
    services,
  );
  expect(r.stderr).toContain('belongs to another account');
  expect(r.code).toBe(0);
  const [doc] = r.json() as [
    { destinationPolicy: { outcome: string; statement: { Effect: string } }; destinationEncryption: null },
  ];
  expect(doc.destinationPolicy.outcome).toBe('skipped');
  expect(doc.destinationPolicy.statement.Effect).toBe('Allow');
  expect(doc.destinationEncryption).toBeNull();
});
