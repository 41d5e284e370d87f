// verify --report on a run that fails before its summary (here: no delivery): the error
// is the usual one line with its exit code. The {"error"} document used to reach the report's
// record parser, which threw a ZodError past the error handler: a stack dump and exit 1.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-vr-failed-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const args = (json: boolean) => [
  ...(json ? ['--json'] : []),
  'verify',
  '--bucket',
  'data-1',
  '--kms-key',
  keyDesc().arn,
  '--from-dir',
  dir,
  '--report',
  join(dir, 'r.html'),
];

for (const json of [false, true])
  it(`no delivery in --from-dir${json ? ' (--json)' : ''}: one error line, its exit code, no page`, async () => {
    const r = await runCli(args(json), fakeServices(fakeWorld()), { cwd: dir });
    expect(r.stderr).not.toMatch(/ZodError|invalid_type/);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: no manifest\.json in /m);
    if (json) expect(r.json().at(-1)).toMatchObject({ error: { exitCode: 2 } });
    expect(await readdir(dir)).toEqual([]);
  });
