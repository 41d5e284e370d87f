// audit --json when an account cannot be listed: its one line says so ("type":"account", schema
// audit-record), then the summary counts it unreadable; exit 1.
import { expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeAuditDirectory, type FakeAuditWorld } from '../support/audit-fakes.js';
import { fakeServices, fakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

it('writes an account line for an account whose buckets cannot be listed', async () => {
  const w: FakeAuditWorld = {
    profiles: { '': '111111111111', prod: '111111111111' },
    calls: [],
    accounts: [{ id: '111111111111', buckets: { 'a-1': {} }, deny: ['s3:ListAllMyBuckets'] }],
  };
  const base = fakeServices(fakeWorld());
  const services: ServicesFactory = (config) => ({ ...base(config), audit: fakeAuditDirectory(w) });
  const r = await runCli(['--profile', 'prod', '--json', 'audit', '--kms-key', 'alias/app'], services);
  expect(r.code).toBe(1);
  const lines = r.json() as {
    type: string;
    account?: string;
    verdict?: string;
    unreadableAccounts?: number;
  }[];
  expect(lines.map((l) => l.type)).toEqual(['account', 'summary']);
  expect(lines[0]).toMatchObject({ account: '111111111111', verdict: 'unknown' });
  expect(lines[1]?.unreadableAccounts).toBe(1);
});
