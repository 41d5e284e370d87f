// encrypt --json over a manifest with no rows: the one summary line it writes before anything is
// opened ({"summary":{"processed":0,"empty":true}}, schema encrypt-summary), exit 1.
import { expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { FakeStore, fakeEncryptServices, MemoryReport, MemoryState } from '../support/encrypt-fakes.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

it('writes the empty-source summary line and exits 1', async () => {
  const KEY = keyDesc();
  const world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  world.buckets.set('bkt', { region: 'us-east-1', objects: [] });
  const store = new FakeStore('bkt', false, {});
  const base = fakeServices(world);
  const services: ServicesFactory = (config) => ({
    ...base(config),
    encrypt: fakeEncryptServices(store, {
      manifests: { 'empty.csv': '' },
      state: new MemoryState(),
      report: new MemoryReport(),
    }),
  });
  const r = await runCli(
    ['--json', 'encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--manifest', 'empty.csv'],
    services,
    { cwd: '/tmp' },
  );
  expect(r.code).toBe(1);
  expect(r.json()).toEqual([{ summary: { processed: 0, empty: true } }]);
  expect(store.calls).toEqual([]);
});
