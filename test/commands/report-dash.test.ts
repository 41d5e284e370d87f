// `--report -`: a tired operator's "stdout". It was written as a file named "-" in the working
// directory; now it is refused before the first request, for verify and audit alike.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeAuditDirectory } from '../support/audit-fakes.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-report-dash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const commands: [string, string[]][] = [
  ['verify', ['verify', '--bucket', 'data-1', '--kms-key', keyDesc().arn, '--from-dir', '.']],
  ['audit', ['audit', '--kms-key', 'alias/app']],
];
for (const [name, args] of commands)
  it(`${name} --report -: one line, exit 2, no file named "-"`, async () => {
    const world = {
      accounts: [{ id: '111111111111', buckets: {} }],
      profiles: { '': '111111111111' },
      calls: [] as string[],
    };
    const base = fakeServices(fakeWorld());
    const r = await runCli(
      [...args, '--report', '-'],
      (c) => ({ ...base(c), audit: fakeAuditDirectory(world) }),
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/invalid --report "-": the report is an HTML file, not stdout/);
    expect(await readdir(dir)).toEqual([]);
    expect(world.calls).toEqual([]);
  });
