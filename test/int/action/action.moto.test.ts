// The GitHub Action's scripts against moto: verify --json piped into action/summary.mjs (the job
// summary table, the verdict, the first offenders, the exit code), and action/verify.mjs run as
// action.yml runs it (inputs in S3E_* variables, live and inventory mode, bad inputs refused).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, recordsFromBucket, renderDelivery } from '../support/inventory-delivery.js';
import { target, targetEnv, uniqueBucket } from '../support/servers.js';

const SUMMARY = fileURLToPath(new URL('../../../action/summary.mjs', import.meta.url));
const VERIFY = fileURLToPath(new URL('../../../action/verify.mjs', import.meta.url));

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const mixed = uniqueBucket('action-mixed');
const clean = uniqueBucket('action-clean');
const inv = uniqueBucket('action-inv');
const hostileKey = 'odd/a|b <img src=x> `tick` *star* [link](x)\u001b[31m';
let keyArn = '';
let dir = '';

type Run = { code: number; stdout: string; stderr: string };

function node(script: string, args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const put = (Bucket: string, Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ...extra }));
const kmsBk = (): Partial<PutObjectCommandInput> => ({
  ServerSideEncryption: 'aws:kms',
  SSEKMSKeyId: keyArn,
  BucketKeyEnabled: true,
});

/** verify --json on the bucket, its output piped into summary.mjs with verify's exit code. */
async function verifyThenSummary(bucket: string, summaryFile: string) {
  const v = await runBin(
    ['--json', 'verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--require-bucket-key'],
    t,
  );
  const s = await node(
    SUMMARY,
    ['--exit-code', String(v.code)],
    { GITHUB_STEP_SUMMARY: summaryFile },
    v.stdout,
  );
  return { verifyCode: v.code, code: s.code, stderr: s.stderr, md: await readFile(summaryFile, 'utf8') };
}

/** action/verify.mjs as action.yml runs it: inputs as S3E_* variables, the endpoint from AWS_*. */
function action(inputs: Record<string, string>, name: string) {
  const summary = join(dir, `${name}.md`);
  const output = join(dir, `${name}.out`);
  return node(VERIFY, [], {
    ...targetEnv(t),
    AWS_ENDPOINT_URL: t.endpoint,
    RUNNER_TEMP: dir,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    ...inputs,
  }).then(async (r) => ({
    ...r,
    md: await readFile(summary, 'utf8').catch(() => ''),
    outputs: await readFile(output, 'utf8').catch(() => ''),
  }));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-action-'));
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  for (const b of [mixed, clean, inv]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  // recordsFromBucket writes an inventory from ListObjectVersions, as S3 does for a versioned bucket.
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: clean, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await put(mixed, 'plain/one');
  await put(mixed, hostileKey);
  await put(mixed, 'sse-s3/a', { ServerSideEncryption: 'AES256' });
  await put(mixed, 'kms/no-bk', { ...kmsBk(), BucketKeyEnabled: false });
  await put(mixed, 'kms/ok', kmsBk());
  await put(clean, 'a', kmsBk());
  await put(clean, 'b/c d', kmsBk());
  const records = await recordsFromBucket(s3, clean);
  const folder = new Date(Date.now() - 60_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';
  await putDelivery(
    s3,
    inv,
    renderDelivery(records, {
      sourceBucket: clean,
      destinationBucket: inv,
      prefix: 'inv',
      id: 'ci',
      folder,
      files: 1,
    }),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('action/summary.mjs on verify --json output', () => {
  it('non-compliant bucket: counts per class, the verdict, the first offenders escaped, exit 1', async () => {
    const r = await verifyThenSummary(mixed, join(dir, 'mixed.md'));
    expect(r.verifyCode).toBe(1);
    expect(r.code, r.stderr).toBe(1);
    expect(r.md).toContain('**Verdict:** NOT COMPLIANT: 4 of 5 objects need work (exit 1)');
    expect(r.md).toContain('| class | objects |');
    for (const row of [
      '| compliant | 1 |',
      '| NOT-SSE | 2 |',
      '| SSE-S3 | 1 |',
      '| SSE-KMS-no-bucket-key | 1 |',
      '| SSE-KMS-other-key | 0 |',
      '| **checked** | **5** |',
    ])
      expect(r.md).toContain(row);
    expect(r.md).toContain('First 4 of 4 objects that need work or could not be verified:');
    expect(r.md).toContain('| plain/one | null | NOT-SSE | yes |  |');
    expect(r.md).toContain('| sse-s3/a | null | SSE-S3 | yes |  |');
    expect(r.md).toContain('| kms/no-bk | null | SSE-KMS-no-bucket-key | yes |  |');
    // The hostile key: no raw pipe, tag, backtick, emphasis, link or ESC reaches the Markdown.
    expect(r.md).toContain(
      '| odd/a&#124;b &lt;img src=x&gt; &#96;tick&#96; &#42;star&#42; &#91;link&#93;(x)\\u001b&#91;31m | null | NOT-SSE |',
    );
    expect(r.md).not.toContain('\u001b');
    expect(r.md).not.toContain('<img');
  });

  it('compliant bucket: verdict COMPLIANT, exit 0', async () => {
    const r = await verifyThenSummary(clean, join(dir, 'clean.md'));
    expect(r.verifyCode).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(r.md).toContain('**Verdict:** COMPLIANT: all 2 objects seen are compliant');
    expect(r.md).toContain('| compliant | 2 |');
    expect(r.md).not.toContain('First ');
    expect(r.md).not.toContain('CAUTION');
  });

  it("verify's error document (an unknown bucket): the error in a table, verify's exit code", async () => {
    const v = await runBin(
      ['--json', 'verify', '--bucket', uniqueBucket('action-none'), '--kms-key', keyArn, '--live'],
      t,
    );
    expect(v.code).toBe(2);
    const file = join(dir, 'error.md');
    const s = await node(SUMMARY, ['--exit-code', String(v.code)], { GITHUB_STEP_SUMMARY: file }, v.stdout);
    expect(s.code).toBe(2);
    const md = await readFile(file, 'utf8');
    expect(md).toContain('**Verdict:** ERROR (exit 2)');
    expect(md).toMatch(/\| message \| bucket action-none-\S+ (does not exist|not found)/);
    expect(md).toContain('| exitCode | 2 |');
  });
});

describe('action/verify.mjs, the step action.yml runs', () => {
  it('live mode on a bucket that needs work: exit 1, job summary, outputs exit-code and report', async () => {
    const r = await action(
      { S3E_BUCKET: mixed, S3E_KMS_KEY: keyArn, S3E_MODE: 'live', S3E_REQUIRE_BUCKET_KEY: 'true' },
      'live-mixed',
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.md).toMatch(new RegExp(`^### s3-encrypt verify s3://${mixed}/ \\(live\\)\n`));
    expect(r.md).toContain('**Verdict:** NOT COMPLIANT: 4 of 5 objects need work (exit 1)');
    expect(r.outputs).toMatch(/^exit-code=1\nreport=.*\.jsonl\n$/);
    const report = /report=(.*)\n/.exec(r.outputs)?.[1] ?? '';
    const lines = (await readFile(report, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ summary: { checked: 5, needWork: 4 } });
  });

  it('require-bucket-key false: an SSE-KMS object without a Bucket Key is compliant', async () => {
    const r = await action(
      { S3E_BUCKET: mixed, S3E_KMS_KEY: keyArn, S3E_REQUIRE_BUCKET_KEY: 'false' },
      'live-no-bk',
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.md).toContain('**Verdict:** NOT COMPLIANT: 3 of 5 objects need work (exit 1)');
  });

  it('live mode on a compliant bucket: exit 0', async () => {
    const r = await action({ S3E_BUCKET: clean, S3E_KMS_KEY: keyArn, S3E_MODE: 'live' }, 'live-clean');
    expect(r.code, r.stderr).toBe(0);
    expect(r.md).toContain('**Verdict:** COMPLIANT: all 2 objects seen are compliant');
    expect(r.outputs).toMatch(/^exit-code=0\n/);
  });

  it('inventory mode reads the newest delivery: exit 0', async () => {
    const r = await action(
      {
        S3E_BUCKET: clean,
        S3E_KMS_KEY: keyArn,
        S3E_MODE: 'inventory',
        S3E_INVENTORY: `s3://${inv}/inv`,
        S3E_INVENTORY_ID: 'ci',
      },
      'inventory',
    );
    expect(r.code, r.stderr + r.md).toBe(0);
    expect(r.stderr).toContain('in inventory delivery');
    expect(r.md).toContain('**Verdict:** COMPLIANT: all 2 objects seen are compliant');
  });

  it.each([
    [{ S3E_MODE: 'inventory' }, 'mode inventory needs the inputs inventory and id'],
    [
      { S3E_MODE: 'inventory', S3E_INVENTORY: 's3://x/inv' },
      'mode inventory needs the inputs inventory and id',
    ],
    [{ S3E_INVENTORY_ID: 'ci' }, 'inputs inventory and id apply to mode: inventory'],
    [{ S3E_MODE: 'full' }, 'input mode is "full", not live or inventory'],
    [{ S3E_REQUIRE_BUCKET_KEY: 'yes' }, 'input require-bucket-key is "yes", not true or false'],
    [{ S3E_BUCKET: ' ' }, 'input bucket is empty'],
    [{ S3E_KMS_KEY: '' }, 'input kms-key is empty'],
  ])('bad inputs %j: one line, exit 2, verify not run', async (bad, message) => {
    const r = await action({ S3E_BUCKET: clean, S3E_KMS_KEY: keyArn, ...bad }, 'bad');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`error: ${message}: `);
    expect(r.md).toBe('');
    expect(r.outputs).toBe('');
  });
});
