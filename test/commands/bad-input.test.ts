// Every bad input: one line naming the problem and the fix, the documented exit code, no write.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeServices, fakeWorld, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let world: FakeWorld;

beforeEach(() => {
  world = fakeWorld();
  const ok = keyDesc();
  world.keys.set('alias/app', ok);
  world.keys.set('alias/disabled', keyDesc({ keyId: 'd-1', state: 'Disabled' }));
  world.keys.set('alias/eu', keyDesc({ keyId: 'e-1', region: 'eu-west-1' }));
  world.keys.set('alias/rsa', keyDesc({ keyId: 'r-1', spec: 'RSA_2048' }));
  world.keys.set('alias/aws/s3', keyDesc({ keyId: 'a-1', manager: 'AWS' }));
  world.buckets.set('data-1', { region: 'us-east-1', objects: [] });
  world.buckets.set('far-away', { region: 'ap-southeast-2', objects: [] });
});

const cases: [string, string[], number, RegExp][] = [
  [
    'missing --bucket',
    ['enable-sse', '--kms-key', 'alias/app'],
    2,
    /required option '--bucket <name>' not specified: run 's3-encrypt enable-sse --help'/,
  ],
  [
    'missing --kms-key',
    ['verify', '--bucket', 'data-1', '--live'],
    2,
    /required option '--kms-key <key>' not specified/,
  ],
  [
    'unknown option',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/app', '--frobnicate'],
    2,
    /unknown option '--frobnicate'/,
  ],
  ['unknown command', ['encrypt-all'], 2, /unknown command 'encrypt-all'/],
  [
    'bucket URI instead of name',
    ['enable-sse', '--bucket', 's3://data-1', '--kms-key', 'alias/app'],
    2,
    /invalid --bucket "s3:\/\/data-1": .*no s3:\/\/ prefix/,
  ],
  [
    'unknown bucket',
    ['enable-sse', '--bucket', 'no-such-bucket', '--kms-key', 'alias/app'],
    2,
    /bucket no-such-bucket does not exist: check --bucket/,
  ],
  [
    'unknown alias',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/typo'],
    2,
    /KMS key alias\/typo was not found/,
  ],
  [
    'malformed key',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'my key'],
    2,
    /invalid --kms-key "my key": give a key ARN/,
  ],
  [
    'disabled key',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/disabled'],
    3,
    /is Disabled, not Enabled: enable it/,
  ],
  [
    'key in another region',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/eu'],
    3,
    /is in eu-west-1 but the bucket is in us-east-1/,
  ],
  [
    'asymmetric key',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/rsa'],
    3,
    /RSA_2048\/ENCRYPT_DECRYPT; S3 needs a SYMMETRIC_DEFAULT key/,
  ],
  [
    'AWS managed key',
    ['enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/aws/s3'],
    3,
    /AWS managed .*--allow-aws-managed-key/,
  ],
  [
    '--concurrency 0',
    ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live', '--concurrency', '0'],
    2,
    /invalid --concurrency "0": must be at least 1/,
  ],
  [
    '--max-rate with --inventory',
    ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--from-dir', '/tmp', '--max-rate', '10'],
    2,
    /--max-rate applies to --live/,
  ],
  [
    'verify without a source',
    ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app'],
    2,
    /verify needs a source of objects: pass --live/,
  ],
  [
    'explicit region differs from the bucket',
    ['--region', 'us-east-1', 'enable-sse', '--bucket', 'far-away', '--kms-key', 'alias/app'],
    2,
    /bucket far-away is in ap-southeast-2, not us-east-1: pass --region ap-southeast-2/,
  ],
  [
    'bad region',
    ['--region', 'mars', 'verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live'],
    2,
    /invalid region "mars"/,
  ],
];

/**
 * Numbers as a tired operator types them: every numeric flag refuses what is not plain decimal
 * notation ("" is not 0, "0x10" not 16, "1e3" not 1000) with a line saying what to type, and
 * never zod's own words ("expected number, received NaN").
 */
const live = ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live'];
const encrypt = ['encrypt', '--bucket', 'data-1', '--kms-key', 'alias/app'];
const numbers: [string[], string, RegExp][] = [
  [live, '--concurrency', /give a whole number, e\.g\. 16/],
  [encrypt, '--concurrency', /give a whole number, e\.g\. 16/],
  [live, '--max-rate', /give objects per second, e\.g\. 500/],
  [live, '--show-offenders', /give a number of objects, e\.g\. 50/],
  [encrypt, '--show', /give a number of objects, e\.g\. 50/],
  [encrypt, '--max-failures', /give a number of objects, e\.g\. 10/],
  [
    ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--from-dir', '/tmp'],
    '--max-age',
    /give hours/,
  ],
  [['status', '--job-id', 'job-12345'], '--interval', /give seconds, e\.g\. 15/],
  [['plan', '--bucket', 'data-1', '--kms-key', 'alias/app'], '--acl-sample', /must be a number of objects/],
];
for (const [argv, flag, line] of numbers)
  for (const bad of ['abc', '', '0x10', '1e3', 'Infinity', '5 objects'])
    cases.push([`${argv[0]} ${flag} ${JSON.stringify(bad)}`, [...argv, flag, bad], 2, line]);
// A mistyped key is reported as such before any request: here the bucket does not exist, so a
// check made after the first call would report that instead.
for (const [cmd, bad] of [
  [['verify', '--live'], ''],
  [['encrypt'], 'arn:aws:kms:us-east-1:12:key/abc'],
  [['enable-sse'], 'my key'],
  [['policy'], 'alias/'],
  [['build-manifest', '--from-dir', '/tmp', '--out', '/tmp/never'], 'kms key'],
] as const)
  cases.push([
    `${cmd[0]} --kms-key ${JSON.stringify(bad)}`,
    [cmd[0], '--bucket', 'no-such-bucket', '--kms-key', bad, ...cmd.slice(1)],
    2,
    /invalid --kms-key "[^"]*": give a key ARN/,
  ]);
cases.push(
  ['--concurrency -1', [...live, '--concurrency', '-1'], 2, /invalid --concurrency "-1": must be at least 1/],
  ['--concurrency 1.5', [...encrypt, '--concurrency', '1.5'], 2, /"1\.5": must be a whole number/],
);

describe('bad input', () => {
  it.each(cases)('%s', async (_name, argv, code, line) => {
    const r = await runCli(argv, fakeServices(world), {
      env: argv.includes('--region') ? {} : { AWS_REGION: '' },
    });
    expect(r.code).toBe(code);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(line);
    expect(r.stdout).toBe('');
    expect(world.writes).toEqual([]);
  });

  it('with --json the error is also one JSON document on stdout', async () => {
    const r = await runCli(
      ['--json', 'enable-sse', '--bucket', 'data-1', '--kms-key', 'alias/disabled'],
      fakeServices(world),
    );
    expect(r.code).toBe(3);
    expect(r.json()).toEqual([
      {
        error: {
          code: 'KeyNotEnabled',
          message: expect.stringContaining('Disabled'),
          hint: expect.any(String),
          exitCode: 3,
        },
      },
    ]);
  });

  it('no arguments prints help to stderr and exits 2', async () => {
    const r = await runCli([], fakeServices(world));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: s3-encrypt');
  });

  it('--help exits 0 and shows examples for every subcommand', async () => {
    for (const sub of ['enable-sse', 'verify']) {
      const r = await runCli([sub, '--help'], fakeServices(world));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
    }
  });
});
