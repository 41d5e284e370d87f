// action/summary.mjs on hand-written verify output: an exit 0 stands only when the output bears
// it out; verify's other exit codes pass through; the offender list is bounded.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SUMMARY = fileURLToPath(new URL('../../action/summary.mjs', import.meta.url));
let dir = '';
let n = 0;

const byClass = {
  compliant: 2,
  'NOT-SSE': 0,
  'SSE-S3': 0,
  'SSE-KMS-other-key': 0,
  'SSE-KMS-no-bucket-key': 0,
  'SSE-C': 0,
  'DSSE-KMS': 0,
  vanished: 0,
  unverified: 0,
};
const summary = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    summary: {
      checked: 2,
      compliant: 2,
      needWork: 0,
      vanished: 0,
      unverified: 0,
      byClass,
      interrupted: false,
      ...over,
    },
  });
const record = (key: string, cls = 'NOT-SSE', extra: Record<string, unknown> = {}) =>
  JSON.stringify({ key, versionId: null, class: cls, isLatest: true, ...extra });

async function run(lines: string[], args: string[], env: Record<string, string> = {}) {
  const file = join(dir, `s${n++}.md`);
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [SUMMARY, ...args], {
      env: { PATH: process.env.PATH ?? '', GITHUB_STEP_SUMMARY: file, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
  return { ...r, md: await readFile(file, 'utf8').catch(() => '') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-summary-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an exit 0 the output does not bear out fails the step (exit 1)', () => {
  it.each([
    ['no output at all', [], 'verify printed no summary line'],
    [
      'a summary naming objects that need work',
      [summary({ needWork: 1, compliant: 1 })],
      'the summary names objects that need work',
    ],
    [
      'a summary naming unverified objects',
      [summary({ unverified: 1, compliant: 1 })],
      'the summary names objects that need work or were not verified',
    ],
    [
      'offender lines before a clean summary',
      [record('plain'), summary()],
      'verify listed objects that need work',
    ],
    ['an interrupted run', [summary({ interrupted: true })], 'the run was interrupted'],
    [
      'an error document',
      [JSON.stringify({ error: { code: 'X', message: 'm', hint: 'h', exitCode: 4 } })],
      'verify printed an error document',
    ],
    ['a line that is not JSON', ['garbage', summary()], 'verify printed a line that is not JSON (line 1)'],
    [
      'a summary without its counts',
      [JSON.stringify({ summary: { checked: 2 } })],
      'verify printed a summary line without its counts',
    ],
    [
      'a JSON line of another shape',
      [summary(), JSON.stringify({ hello: 1 })],
      'verify printed a JSON object that is neither',
    ],
  ])('%s', async (_what, lines, reason) => {
    const r = await run(lines, ['--exit-code', '0']);
    expect(r.code).toBe(1);
    expect(r.md).toContain(`The step fails: ${reason}`);
    expect(r.stderr).toContain(`error: verify exited 0 but ${reason}`);
  });
});

describe('what passes and what passes through', () => {
  it('a clean summary with exit 0: COMPLIANT, exit 0, no warning', async () => {
    const r = await run([summary()], ['--exit-code', '0']);
    expect(r.code).toBe(0);
    expect(r.md).toContain('**Verdict:** COMPLIANT: all 2 objects seen are compliant');
    expect(r.md).not.toContain('CAUTION');
    expect(r.stderr).toBe('');
  });

  it('--allow-empty: nothing examined with exit 0 stays 0', async () => {
    const r = await run([summary({ checked: 0, compliant: 0 })], ['--exit-code', '0']);
    expect(r.code).toBe(0);
    expect(r.md).toContain('**Verdict:** NOTHING EXAMINED (--allow-empty)');
  });

  it.each([1, 3, 4, 130])("verify's exit %i passes through, output or not", async (code) => {
    const empty = await run([], ['--exit-code', String(code)]);
    expect(empty.code).toBe(code);
    expect(empty.md).toContain(`**Verdict:** NO SUMMARY (exit ${code})`);
    const garbage = await run(['not json'], ['--exit-code', String(code)]);
    expect(garbage.code).toBe(code);
  });

  it('an error document is shown field by field, escaped', async () => {
    const error = {
      code: 'NoSuchBucket',
      message: 'bucket a|b does not exist',
      hint: 'check <the> name',
      exitCode: 2,
    };
    const r = await run([JSON.stringify({ error })], ['--exit-code', '2']);
    expect(r.code).toBe(2);
    expect(r.md).toContain('**Verdict:** ERROR (exit 2)');
    expect(r.md).toContain('| code | NoSuchBucket |');
    expect(r.md).toContain('| message | bucket a&#124;b does not exist |');
    expect(r.md).toContain('| hint | check &lt;the&gt; name |');
  });

  it('shows the first 20 offenders of many and says how many more', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => record(`k${i}`));
    lines.push(summary({ checked: 25, compliant: 0, needWork: 25, byClass: { ...byClass, compliant: 0 } }));
    const r = await run(lines, ['--exit-code', '1']);
    expect(r.code).toBe(1);
    expect(r.md).toContain(
      'First 20 of 25 objects that need work or could not be verified (5 more in the JSON lines):',
    );
    expect(r.md).toContain('| k19 |');
    expect(r.md).not.toContain('| k20 |');
  });

  it('an unverified object shows its reason; a noncurrent one says latest: no', async () => {
    const r = await run(
      [
        record('u', 'unverified', { reason: 'HEAD 403 without an error code\nsecond line' }),
        record('old', 'NOT-SSE', { isLatest: false, versionId: 'v1' }),
        summary({ checked: 3, compliant: 1, needWork: 1, unverified: 1 }),
      ],
      ['--exit-code', '1'],
    );
    expect(r.md).toContain('| u | null | unverified | yes | HEAD 403 without an error code\\nsecond line |');
    expect(r.md).toContain('| old | v1 | NOT-SSE | no |  |');
    expect(r.md).toContain(
      '**Verdict:** NOT COMPLIANT: 1 of 3 objects need work, 1 could not be verified (exit 1)',
    );
  });

  it("verify --inventory's noncurrent versions and a stale delivery are named", async () => {
    const r = await run(
      [summary({ source: 'inventory', noncurrent: { versions: 4, unencrypted: 3 }, stale: true })],
      ['--exit-code', '0'],
    );
    expect(r.code).toBe(0);
    expect(r.md).toContain(
      '3 noncurrent versions are not encrypted (not counted above; all-versions: true fails on them).',
    );
    expect(r.md).toContain('The inventory delivery is stale');
    const quiet = await run(
      [summary({ noncurrent: { versions: 4, unencrypted: 0 }, stale: false })],
      ['--exit-code', '0'],
    );
    expect(quiet.md).not.toContain('noncurrent');
    expect(quiet.md).not.toContain('stale');
  });

  it('the title comes from S3E_SUMMARY_TITLE, escaped', async () => {
    const r = await run([summary()], ['--exit-code', '0'], {
      S3E_SUMMARY_TITLE: 's3-encrypt verify s3://b/<x> (live)',
    });
    expect(r.md).toMatch(/^### s3-encrypt verify s3:\/\/b\/&lt;x&gt; \(live\)\n/);
  });

  it('without GITHUB_STEP_SUMMARY the Markdown goes to stdout', async () => {
    const r = await run([summary()], ['--exit-code', '0'], { GITHUB_STEP_SUMMARY: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('**Verdict:** COMPLIANT');
  });

  it.each([[[]], [['--exit-code']], [['--exit-code', 'x']], [['--exit-code', '256']]])(
    'no usable --exit-code (%j): exit 2, one line',
    async (args) => {
      const r = await run([summary()], args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: --exit-code N is missing or not 0-255: .*\n$/);
      expect(r.md).toBe('');
    },
  );
});
