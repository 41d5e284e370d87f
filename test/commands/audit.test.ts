// audit in-process against fake accounts: the flags, the renderings and the exit codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { fakeAuditDirectory, kmsKey, type FakeAuditWorld } from '../support/audit-fakes.js';
import { fakeServices, fakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const A = '111111111111';
const B = '222222222222';
const keyOf = (acct: string) => kmsKey(acct, 'us-east-1', `k-${acct}`);
const kms = (acct: string) => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyOf(acct).arn },
      BucketKeyEnabled: true,
    },
  ],
});

function auditWorld(): FakeAuditWorld {
  return {
    profiles: { '': A, prod: A, staging: B },
    calls: [],
    accounts: [
      {
        id: A,
        keys: { 'us-east-1': { 'alias/app': keyOf(A) } },
        buckets: {
          'a-s3': {
            encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          },
          'a-kms': { encryption: kms(A), deny: ['s3:GetBucketVersioning'] },
        },
      },
      { id: B, keys: { 'us-east-1': { 'alias/app': keyOf(B) } }, buckets: { 'b-none': {} } },
    ],
  };
}

function services(w: FakeAuditWorld): ServicesFactory {
  const base = fakeServices(fakeWorld());
  return (config) => ({ ...base(config), audit: fakeAuditDirectory(w) });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-audit-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('audit command', () => {
  it('several --profile: one row per bucket of each account; exit 1 while any is not compliant', async () => {
    const r = await runCli(
      ['--profile', 'prod', '--profile', 'staging', '--json', 'audit', '--kms-key', 'alias/app'],
      services(auditWorld()),
    );
    expect(r.code, r.stderr).toBe(1);
    const lines = r.json() as {
      type: string;
      bucket?: string;
      account?: string;
      via?: string;
      verdict?: string;
    }[];
    expect(lines.map((l) => [l.type, l.bucket, l.account, l.via])).toEqual([
      ['bucket', 'a-kms', A, 'profile prod'],
      ['bucket', 'a-s3', A, 'profile prod'],
      ['bucket', 'b-none', B, 'profile staging'],
      ['summary', undefined, undefined, undefined],
    ]);
  });

  it('the table names the denied permission; CSV and Markdown are the whole of stdout', async () => {
    const w = auditWorld();
    const table = await runCli(['audit', '--kms-key', 'alias/app'], services(w));
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/a-kms .*s3:GetBucketVersioning/);
    expect(table.stdout).toMatch(/2 bucket\(s\): 0 compliant, 1 need work, 1 unknown/);
    const csv = await runCli(['audit', '--kms-key', 'alias/app', '--format', 'csv'], services(w));
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^"account","bucket","region","default"/);
    expect(rows).toHaveLength(3);
    const md = await runCli(['audit', '--kms-key', 'alias/app', '--format', 'md'], services(w));
    expect(md.stdout.split('\n')[0]).toMatch(/^\| account \| bucket \|/);
    // Nothing but reads: no write port exists, and the calls show only Get/List/Describe.
    expect(w.calls.every((c) => /^(s3:Get|s3:List|kms:Describe|sts:)/.test(c))).toBe(true);
  });

  const bad: [string, string[], RegExp][] = [
    ['--role-name without --accounts', ['--role-name', 'Audit'], /--role-name needs --accounts/],
    ['--accounts without --role-name', ['--accounts', 'org'], /--accounts needs --role-name/],
    ['a role name IAM refuses', ['--role-name', 'a b', '--accounts', 'org'], /invalid --role-name/],
    ['--sample 0', ['--sample', '0'], /invalid --sample "0": must be at least 1/],
    ['--format html', ['--format', 'html'], /--format/],
    ['--concurrency 0', ['--concurrency', '0'], /invalid --concurrency/],
    ['a bad key', ['--kms-key', 'my-alias!'], /invalid --kms-key/],
  ];
  for (const [what, args, message] of bad)
    it(`refuses ${what}: one line, exit 2, no request`, async () => {
      const w = auditWorld();
      const r = await runCli(['audit', '--kms-key', 'alias/app', ...args], services(w));
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(w.calls).toEqual([]);
    });

  it('refuses --format csv with --json, and several --profile with --role-name', async () => {
    const w = auditWorld();
    const both = await runCli(['--json', 'audit', '--kms-key', 'alias/app', '--format', 'csv'], services(w));
    expect(both.code).toBe(2);
    const ids = join(dir, 'ids.txt');
    await writeFile(ids, `${B}\n`);
    const two = await runCli(
      [
        '--profile',
        'prod',
        '--profile',
        'staging',
        'audit',
        '--kms-key',
        'alias/app',
        '--role-name',
        'R',
        '--accounts',
        ids,
      ],
      services(w),
    );
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/several --profile with --role-name/);
    expect(w.calls).toEqual([]);
  });

  it('refuses list files that are missing, empty or malformed, naming the line', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '\n# only a comment\n');
    const ids = join(dir, 'bad-ids.txt');
    await writeFile(ids, `${A}\n${B} # staging\n12-34\n`);
    const cases: [string[], RegExp][] = [
      [
        ['--role-name', 'R', '--accounts', join(dir, 'nope.txt')],
        /cannot read --accounts .*nope\.txt: no such file/,
      ],
      [['--role-name', 'R', '--accounts', empty], /--accounts .*empty\.txt names no AWS account id/],
      [['--role-name', 'R', '--accounts', ids], /line 3: "12-34" is not an AWS account id/],
      [['--buckets', empty], /--buckets .*empty\.txt names no bucket name/],
      [['--buckets', dir], /cannot read --buckets/],
    ];
    for (const [args, message] of cases) {
      const w = auditWorld();
      const r = await runCli(['audit', '--kms-key', 'alias/app', ...args], services(w));
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(w.calls).toEqual([]);
    }
  });

  it('a right default whose objects nothing counted is still exit 1', async () => {
    const w = auditWorld();
    const names = join(dir, 'names.txt');
    await writeFile(names, 'b-none\n');
    w.accounts[1] = {
      id: B,
      keys: { 'us-east-1': { 'alias/app': keyOf(B) } },
      buckets: { 'b-none': { encryption: kms(B), inventories: [], objects: [] } },
    };
    // No inventory: unknown, never compliant.
    const r = await runCli(
      ['--profile', 'staging', 'audit', '--kms-key', 'alias/app', '--buckets', names],
      services(w),
    );
    expect(r.code).toBe(1);
  });
});
