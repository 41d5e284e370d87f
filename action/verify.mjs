#!/usr/bin/env node
// The step of action.yml: runs `s3-encrypt --json verify` from this repository's build with the
// action's inputs (passed in S3E_* variables, never pasted into a shell line), keeps its JSON
// lines in a file, writes the job summary with summary.mjs and exits with verify's exit code.
//
// Inputs: S3E_BUCKET, S3E_KMS_KEY (required); S3E_MODE live | inventory (default live);
// S3E_INVENTORY s3://DEST/PREFIX and S3E_INVENTORY_ID (inventory mode); S3E_REGION;
// S3E_REQUIRE_BUCKET_KEY, S3E_ALL_VERSIONS (true | false); S3E_PREFIX.
// The JSON lines go to $RUNNER_TEMP (the OS temp folder outside Actions), named in the output `report`.
// Credentials and the endpoint come from the usual AWS_* variables (the caller's OIDC role).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, appendFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/s3-encrypt.js', import.meta.url));
const SUMMARY = fileURLToPath(new URL('./summary.mjs', import.meta.url));

/** One line naming the bad input and the fix, exit 2 (usage), as the CLI does. */
function refuse(problem, fix) {
  console.error(`error: ${problem}: ${fix}`);
  process.exit(2);
}

const env = process.env;
const input = (name) => (env[name] ?? '').trim();

function flag(name, label) {
  const v = input(name).toLowerCase();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  refuse(`input ${label} is ${JSON.stringify(env[name])}, not true or false`, `set ${label}: true or false`);
}

function args() {
  const bucket = input('S3E_BUCKET');
  const key = input('S3E_KMS_KEY');
  if (bucket === '') refuse('input bucket is empty', 'set bucket: the name of the bucket to verify');
  if (key === '') refuse('input kms-key is empty', 'set kms-key: the key ARN, key id or alias/NAME');
  const mode = input('S3E_MODE') || 'live';
  const inventory = input('S3E_INVENTORY');
  const id = input('S3E_INVENTORY_ID');
  const argv = ['--json'];
  if (input('S3E_REGION') !== '') argv.push('--region', input('S3E_REGION'));
  argv.push('verify', '--bucket', bucket, '--kms-key', key);
  if (mode === 'live') {
    if (inventory !== '' || id !== '')
      refuse('inputs inventory and id apply to mode: inventory', 'drop them, or set mode: inventory');
    argv.push('--live');
  } else if (mode === 'inventory') {
    if (inventory === '' || id === '')
      refuse(
        'mode inventory needs the inputs inventory and id',
        'set inventory: s3://DEST/PREFIX and id: the inventory configuration id (as given to setup-inventory)',
      );
    argv.push('--inventory', inventory, '--id', id);
  } else {
    refuse(`input mode is ${JSON.stringify(mode)}, not live or inventory`, 'set mode: live or inventory');
  }
  if (flag('S3E_REQUIRE_BUCKET_KEY', 'require-bucket-key')) argv.push('--require-bucket-key');
  if (flag('S3E_ALL_VERSIONS', 'all-versions')) argv.push('--all-versions');
  if (input('S3E_PREFIX') !== '') argv.push('--prefix', env.S3E_PREFIX ?? '');
  return argv;
}

/** Runs verify with stdout into `report`; resolves with its exit code (128 + n for a signal). */
function runVerify(argv, report) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(report);
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(out);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const exit = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15);
      out.end(() => resolve(exit));
    });
  });
}

const argv = args();
const report = join(env.RUNNER_TEMP || tmpdir(), `s3-encrypt-verify-${process.pid}.jsonl`);
const code = await runVerify(argv, report);
const fd = openSync(report, 'r');
const where = `s3://${input('S3E_BUCKET')}/${env.S3E_PREFIX ?? ''}`;
const summary = spawnSync(process.execPath, [SUMMARY, '--exit-code', String(code)], {
  stdio: [fd, 'inherit', 'inherit'],
  env: { ...env, S3E_SUMMARY_TITLE: `s3-encrypt verify ${where} (${input('S3E_MODE') || 'live'})` },
});
closeSync(fd);
// verify's failure stays its exit code whatever the summary did; an exit 0 stands only when the
// summary script ran and found the output bears it out (else its own code, or 1 if it died).
const final = code !== 0 ? code : (summary.status ?? 1);
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `exit-code=${final}\nreport=${report}\n`);
process.exit(final);
