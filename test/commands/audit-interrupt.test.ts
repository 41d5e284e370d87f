// An interrupt (SIGINT) in the middle of audit --report over 1,000 buckets: exit 130, one line,
// and no page, so nothing claims a verdict over the buckets not yet read.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fakeAuditDirectory, kmsKey } from '../support/audit-fakes.js';
import { fakeServices, fakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

it('SIGINT during audit --json --report: exit 130, no report, no summary record', async () => {
  const A = '111111111111';
  const buckets: Record<string, object> = {};
  for (let i = 0; i < 1000; i++) buckets[`b-${String(i).padStart(4, '0')}`] = {};
  const world = {
    profiles: { '': A },
    calls: [] as string[],
    accounts: [{ id: A, keys: { 'us-east-1': { 'alias/app': kmsKey(A, 'us-east-1', 'k') } }, buckets }],
  };
  const ac = new AbortController();
  // The interrupt comes after 300 requests, with most buckets not yet read.
  const push = world.calls.push.bind(world.calls);
  world.calls.push = (...x: string[]) => {
    if (world.calls.length === 300) ac.abort();
    return push(...x);
  };
  const dir = mkdtempSync(join(tmpdir(), 's3e-audit-int-'));
  const base = fakeServices(fakeWorld());
  const r = await runCli(
    ['--json', 'audit', '--kms-key', 'alias/app', '--report', join(dir, 'r.html')],
    (c) => ({ ...base(c), audit: fakeAuditDirectory(world) }),
    { signal: ac.signal },
  );
  expect(r.code, r.stderr).toBe(130);
  expect(r.stderr).toMatch(/^error: interrupted after \d+ of 1000 buckets: run audit again/m);
  expect(readdirSync(dir)).toEqual([]);
  const lines = r.json() as Record<string, unknown>[];
  expect(lines).toEqual([{ error: expect.objectContaining({ code: 'Interrupted', exitCode: 130 }) }]);
});
