// The npm package as an operator gets it: `npm pack` (of the build `npm run build` left in dist/),
// `npm install -g --prefix EMPTY` of the tarball, then the installed `s3-encrypt` run from an
// empty folder with an empty HOME: --version, --help, verify --live against moto, and an offline
// build-manifest of a gzip CSV delivery (its gunzip runs on dist/inflate-worker.mjs, a file of its
// own). The tarball must hold what bin/ needs and nothing else (no tests, sources, tsc output or
// dev files).
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsFor, s3For } from '../support/clients.js';
import { record, renderDelivery, writeDeliveryDir } from '../support/inventory-delivery.js';
import { target, uniqueBucket } from '../support/servers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
// The Node running vitest runs npm and the installed CLI (the runtime may be a Node the project's
// scripts installed, not the machine's): its folder goes first on PATH for `#!/usr/bin/env node`.
const NODE_DIR = dirname(process.execPath);
const NPM = existsSync(join(NODE_DIR, 'npm')) ? join(NODE_DIR, 'npm') : 'npm';
const PATH = [NODE_DIR, process.env.PATH ?? ''].join(delimiter);

const t = target();
const bucket = uniqueBucket('package');
let work = '';
let prefix = '';
let home = '';
let tarball = '';
let packed: string[] = [];
let keyArn = '';

type Run = { code: number; stdout: string; stderr: string };

/** npm with the caller's environment minus npm_* (an `npm run` parent's config must not leak in). */
function npm(args: string[], cwd: string): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return new Promise((done, fail) =>
    execFile(
      NPM,
      args,
      { cwd, env: { ...env, PATH }, timeout: 170_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        err ? fail(new Error(`npm ${args.join(' ')} failed: ${String(err)}\n${stderr}`)) : done(stdout),
    ),
  );
}

/** The installed CLI, run as an operator would: from an empty folder, with an empty HOME. */
function installed(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(join(prefix, 'bin', 's3-encrypt'), args, {
      cwd: work,
      env: { PATH, HOME: home, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  // Outside the repository, so nothing can resolve from its node_modules.
  work = await realpath(await mkdtemp(join(tmpdir(), 's3e-package-')));
  prefix = join(work, 'prefix');
  home = join(work, 'home');
  await mkdir(home);
  // --ignore-scripts: a prepack build here would rewrite dist/ under the tests running it in parallel.
  const pack = JSON.parse(
    await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, pack[0]?.filename ?? '');
  packed = (pack[0]?.files ?? []).map((f) => f.path).sort();
  await npm(
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      tarball,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    work,
  );
  const s3 = s3For(t);
  keyArn = (await kmsFor(t).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const Key of ['a', 'deep/b c'])
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: Key,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
        BucketKeyEnabled: true,
      }),
    );
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs the bin, the bundled CLI and inflate worker, and the documents, nothing else', () => {
    expect(packed).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'SECURITY.md',
      'bin/s3-encrypt.js',
      'dist/inflate-worker.mjs',
      'dist/s3-encrypt.mjs',
      'package.json',
    ]);
  });

  it('names the command after the package, so `npx s3-encrypt` runs it', () => {
    expect(PKG.bin).toEqual({ [PKG.name]: 'bin/s3-encrypt.js' });
    expect(readFileSync(join(ROOT, 'bin/s3-encrypt.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

describe('npx', () => {
  it('`npx --package TARBALL s3-encrypt` runs the command (npm exec, as the README shows)', async () => {
    const out = await npm(
      [
        'exec',
        '--yes',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--package',
        tarball,
        '--',
        's3-encrypt',
        '--version',
      ],
      work,
    );
    expect(out.trim()).toBe(PKG.version);
  });
});

describe('the installed package', () => {
  it('is installed under the prefix, not linked to the repository', async () => {
    const bin = await realpath(join(prefix, 'bin', 's3-encrypt'));
    expect(bin).toBe(join(prefix, 'lib', 'node_modules', PKG.name, 'bin', 's3-encrypt.js'));
    expect(bin.startsWith(ROOT + sep)).toBe(false);
  });

  it('--version prints the package version', async () => {
    const r = await installed(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  it('--help lists every command', async () => {
    const r = await installed(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: s3-encrypt');
    for (const cmd of [
      'plan',
      'policy',
      'enable-sse',
      'setup-inventory',
      'build-manifest',
      'create-job',
      'status',
      'verify',
      'encrypt',
    ])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('verify --live on a compliant bucket: exit 0; --verbose prints no credential', async () => {
    // Credentials no other test uses, so any trace of them in the output is this run's.
    const creds = {
      AWS_ACCESS_KEY_ID: 'AKIAPACKAGETESTKEYID7',
      AWS_SECRET_ACCESS_KEY: 'pkgTestSecret/Never+Printed0123456789abcd',
      AWS_SESSION_TOKEN: 'pkgTestSessionTokenNeverPrinted',
      AWS_REGION: t.region,
    };
    const args = ['--endpoint-url', t.endpoint, 'verify', '--bucket', bucket, '--kms-key', keyArn, '--live'];
    const r = await installed([...args, '--require-bucket-key'], creds);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('COMPLIANT: all 2 objects seen are SSE-KMS under the target key');

    // --verbose with a key id (a debug line resolves it) and, on an unknown bucket, an error with
    // its cause: none of it may carry the credentials.
    const keyId = keyArn.split('/').pop() ?? '';
    const v = await installed(['--verbose', ...args.slice(0, -3), '--kms-key', keyId, '--live'], creds);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toContain(`debug: --kms-key ${keyId} resolves to ${keyArn}`);
    const e = await installed(
      [
        '--verbose',
        '--json',
        '--endpoint-url',
        t.endpoint,
        'verify',
        '--bucket',
        `${bucket}-none`,
        '--kms-key',
        keyArn,
        '--live',
      ],
      creds,
    );
    expect(e.code).toBe(2);
    expect(e.stdout).toContain('{"error":');
    expect(e.stderr).toMatch(/debug: cause: NotFound .*requestId=/);
    for (const out of [v.stdout + v.stderr, e.stdout + e.stderr])
      for (const secret of [creds.AWS_ACCESS_KEY_ID, creds.AWS_SECRET_ACCESS_KEY, creds.AWS_SESSION_TOKEN])
        expect(out).not.toContain(secret);
  });

  it('build-manifest --from-dir reads a gzip CSV delivery (gunzip on the bundled inflate worker)', async () => {
    const rows = 20_000;
    const dir = join(work, 'delivery');
    await writeDeliveryDir(
      dir,
      renderDelivery(
        Array.from({ length: rows }, (_, i) => record('pkg-src', `k/${i}`)),
        { sourceBucket: 'pkg-src', destinationBucket: 'pkg-dest', prefix: '', id: 'x' },
      ),
    );
    const out = join(work, 'manifests');
    const r = await installed([
      'build-manifest',
      '--bucket',
      'pkg-src',
      '--from-dir',
      dir,
      '--out',
      out,
      '--kms-key',
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 data files, 20,000 rows');
    expect(readFileSync(join(out, 'copy-STANDARD.csv'), 'utf8').split('\n').length - 1).toBe(rows);
  });
});
