// `s3-encrypt encrypt` in process, against fakes: flags, bad input (one line, exit code, nothing
// written), --json lines, --dry-run, the summary and exit codes, state and report wiring.
import { describe, expect, it } from 'vitest';
import type { ServicesFactory } from '../../src/deps.js';
import { FakeStore, fakeEncryptServices, MemoryReport, MemoryState } from '../support/encrypt-fakes.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const KEY = keyDesc();
const WRITES = new Set([
  'copyInPlace',
  'createMultipartUpload',
  'uploadPartCopy',
  'completeMultipartUpload',
  'updateObjectEncryption',
  'putTags',
  'putAcl',
  'putLock',
  'deleteVersion',
  'abortMultipartUpload',
]);

function setup(
  opts: {
    manifests?: Record<string, string>;
    state?: MemoryState;
    cold?: boolean;
    versioning?: 'Enabled' | 'Suspended' | 'Off';
  } = {},
) {
  const world = fakeWorld();
  world.keys.set('alias/app', KEY);
  world.keys.set(KEY.arn, KEY);
  world.buckets.set('bkt', { region: 'us-east-1', objects: [] });
  const store = new FakeStore('bkt', false, { versioning: opts.versioning });
  store.put('a.txt', 'aaa');
  store.put('b.txt', 'bbb', { serverSideEncryption: 'AES256' });
  store.put('done.txt', 'd', { serverSideEncryption: 'aws:kms', kmsKeyId: KEY.arn, bucketKeyEnabled: true });
  if (opts.cold !== false) store.put('cold.txt', 'c', { storageClass: 'GLACIER' });
  // the shared fake lists what the bucket holds
  world.buckets.get('bkt')!.objects = [...store.objects.keys()].map((k) => store.current(k)!.head);
  const report = new MemoryReport();
  const state = opts.state ?? new MemoryState();
  const base = fakeServices(world);
  const services: ServicesFactory = (config) => ({
    ...base(config),
    encrypt: fakeEncryptServices(store, { manifests: opts.manifests, state, report }),
  });
  const writes = () => store.calls.filter((c) => WRITES.has(c.op));
  return { world, store, services, report, state, writes };
}

const cli = (argv: string[], services: ServicesFactory) => runCli(argv, services, { cwd: '/tmp' });

describe('encrypt: bad input changes nothing', () => {
  it.each([
    [['--concurrency', '0'], /invalid --concurrency "0": must be at least 1/],
    [['--max-rate', '0'], /invalid --max-rate "0": must be more than 0/],
    [['--max-rate', 'fast'], /invalid --max-rate "fast": give objects per second/],
    [['--part-size', '1MiB'], /invalid --part-size "1MiB": a part must be 5MiB to 5GiB/],
    [['--part-size', 'big'], /invalid --part-size "big": --part-size takes a size such as 64MiB/],
    [['--multipart-threshold', '6GiB'], /invalid --multipart-threshold "6GiB": must be at most 5GiB/],
    [['--copy-method', 'fast'], /invalid --copy-method "fast": must be auto, copy or multipart/],
    [['--update-method', 'on'], /invalid --update-method "on": must be auto or off/],
    [['--max-failures', '0'], /invalid --max-failures "0": must be at least 1/],
    [
      ['--manifest', 'm.csv', '--prefix', 'x/'],
      /--manifest and --prefix both choose the objects: give only one/,
    ],
    [['--manifest', 'missing.csv'], /cannot read manifest missing\.csv: no such file/],
    [
      ['--manifest', 'other.csv'],
      /other\.csv line 2 names bucket elsewhere, not bkt: run encrypt with --bucket elsewhere/,
    ],
    [['--manifest', 'mixed.csv'], /mixed\.csv line 2 lacks a version id unlike line 1/],
    [['--manifest', 'bad-key.csv'], /bad-key\.csv line 1: the key "%zz" is not valid URL encoding/],
    [['--manifest', 'summary.json'], /summary\.json is not JSON/],
  ])('%j', async (flags, message) => {
    const { services, writes, store } = setup({
      manifests: {
        'm.csv': 'bkt,a.txt\n',
        'other.csv': 'bkt,a.txt\nelsewhere,b.txt\n',
        'mixed.csv': 'bkt,a.txt,v1\nbkt,b.txt\n',
        'bad-key.csv': 'bkt,%zz\n',
        'summary.json': '{not json',
      },
    });
    const r = await cli(['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', ...flags], services);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(writes()).toEqual([]);
    expect(store.count('head')).toBe(0);
  });

  it('refuses an unknown bucket and a bad key before reading any object', async () => {
    const { services, store } = setup();
    const r1 = await cli(['encrypt', '--bucket', 'nope', '--kms-key', 'alias/app'], services);
    expect([r1.code, r1.stderr]).toEqual([2, expect.stringMatching(/bucket nope does not exist/)]);
    const r2 = await cli(['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/missing'], services);
    expect(r2.code).toBe(2);
    expect(store.calls).toEqual([]);
  });
});

describe('encrypt runs', () => {
  it('--json: one line per object, then the summary; exit 1 while an object is left as it was (archived)', async () => {
    const { services, store, state } = setup();
    const r = await cli(
      ['--json', 'encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--update-method', 'off'],
      services,
    );
    expect(r.code, r.stderr).toBe(1);
    const lines = r.json() as Record<string, unknown>[];
    const summary = lines.at(-1) as { summary: Record<string, unknown> };
    const objects = lines.slice(0, -1);
    expect(objects.map((o) => [o.key, o.action, o.outcome]).sort()).toEqual([
      ['a.txt', 'copy', 'done'],
      ['b.txt', 'copy', 'done'],
      ['cold.txt', 'skip', 'skipped'],
      ['done.txt', 'skip-compliant', 'done'],
    ]);
    for (const o of objects)
      expect(Object.keys(o)).toEqual(
        expect.arrayContaining(['key', 'versionId', 'action', 'outcome', 'reason', 'bytes', 'ms']),
      );
    expect(summary.summary).toMatchObject({
      processed: 4,
      failures: 0,
      byCategory: { copied: { objects: 2 } },
      skippedByReason: { archived: { objects: 1 } },
    });
    expect(summary.summary.statePath).toMatch(/^\/tmp\/\.s3-encrypt-state\/bkt-[0-9a-f]{12}\.jsonl$/);
    expect(store.current('a.txt')?.head.serverSideEncryption).toBe('aws:kms');
    expect(state.closed).toBe(true);
  });

  it('human output: the plan of a dry run with request and KMS estimates, and nothing written', async () => {
    const { services, writes } = setup();
    const r = await cli(['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--dry-run'], services);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Dry run: nothing is written/);
    expect(r.stdout).toMatch(/would copy\s+1/);
    expect(r.stdout).toMatch(/would update\s+1/);
    expect(r.stdout).toMatch(/already compliant\s+1/);
    expect(r.stdout).toMatch(/skipped: archived\s+1/);
    expect(r.stdout).toMatch(/HeadObject\s+6/);
    expect(r.stdout).toMatch(/KMS requests \(estimate\): at most 2: upper bound/);
    expect(writes()).toEqual([]);
  });

  it('exit 1 with the failure on its line when an object fails; the report gets every object', async () => {
    const { services, store, report } = setup();
    store.faults.push({
      op: 'copyInPlace',
      when: (a) => (a[0] as { key: string }).key === 'a.txt',
      error: () =>
        Object.assign(new (class extends Error {})('access denied: s3:PutObject on s3://bkt/a.txt')),
    });
    const r = await cli(
      [
        'encrypt',
        '--bucket',
        'bkt',
        '--kms-key',
        'alias/app',
        '--update-method',
        'off',
        '--report',
        'r.jsonl',
      ],
      services,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed\s+"a\.txt": access denied: s3:PutObject on s3:\/\/bkt\/a\.txt/);
    expect(r.stdout).toMatch(/FAILED: 1 of 4 objects failed/);
    expect(report.lines.map((l) => l.key).sort()).toEqual(['a.txt', 'b.txt', 'cold.txt', 'done.txt']);
  });

  // DONE means every object was seen compliant: a skipped one (archived, SSE-C, DSSE-KMS) was not.
  it('human output: NOT DONE while an object was skipped, DONE once none is', async () => {
    const skipped = await cli(['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app'], setup().services);
    expect(skipped.code, skipped.stderr).toBe(1);
    expect(skipped.stdout).toMatch(
      /NOT DONE: 1 objects were skipped and are not compliant \(reasons above\)/,
    );
    expect(skipped.stdout).not.toMatch(/^DONE/m);
    const clean = await cli(
      ['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app'],
      setup({ cold: false }).services,
    );
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^DONE: 2 objects rewritten and read back, 1 already compliant/m);
  });

  // With versioning Suspended a copy writes a new null version, which replaces for good an
  // earlier null version of the key that is no longer current: nothing may be lost.
  it('a bucket with versioning Suspended: refused, dry run too, nothing written', async () => {
    for (const dry of [[], ['--dry-run']]) {
      const { services, store } = setup({ versioning: 'Suspended' });
      const r = await cli(
        ['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--no-state', ...dry],
        services,
      );
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^error: bucket bkt has versioning Suspended: an in-place copy writes a new "null" version, .*: enable versioning again first \(aws s3api put-bucket-versioning --bucket bkt --versioning-configuration Status=Enabled\)/,
        ),
      ]);
      expect(store.calls.filter((c) => WRITES.has(c.op))).toEqual([]);
    }
  });

  it('says how many objects an earlier run finished, and skips them', async () => {
    const state = new MemoryState(2);
    state.finished.add('a.txt\u0000');
    state.finished.add('b.txt\u0000');
    const { services, store } = setup({ state, cold: false });
    const r = await cli(
      ['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--state', 'my-state.jsonl'],
      services,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /State: my-state\.jsonl \(resuming: 2 objects finished by earlier runs are skipped\)/,
    );
    expect(r.stdout).toMatch(/finished earlier \(state file\)\s+2/);
    expect(store.calls.filter((c) => c.op === 'head').map((c) => c.args[1])).not.toContain('a.txt');
  });

  it('interrupted: prints the summary and exits 130', async () => {
    const { services } = setup();
    const ac = new AbortController();
    ac.abort();
    const r = await runCli(['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app'], services, {
      signal: ac.signal,
      cwd: '/tmp',
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/INTERRUPTED after 0 objects/);
  });

  it('a manifest with no rows is not DONE: exit 1 before any state is opened, unless --allow-empty', async () => {
    const opened: string[] = [];
    const { services, writes } = setup({ manifests: { 'empty.csv': '' } });
    const tracking: ServicesFactory = async (config) => {
      const s = await services(config);
      const openState = s.encrypt.openState;
      s.encrypt.openState = (path, header, every) => {
        opened.push(path);
        return openState(path, header, every);
      };
      return s;
    };
    const args = ['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--manifest', 'empty.csv'];
    const r = await cli(args, tracking);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOTHING TO DO: .*empty\.csv.* names no object; pass --allow-empty/);
    expect(r.stdout).not.toMatch(/DONE/);
    expect(opened).toEqual([]);
    expect(writes()).toEqual([]);
    expect((await cli([...args, '--allow-empty'], tracking)).code).toBe(0);
  });

  it('a listing that matches nothing is not DONE either: exit 1, unless --allow-empty', async () => {
    const { services } = setup();
    const args = ['encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--prefix', 'osbj/'];
    const r = await cli(args, services);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOTHING EXAMINED: no object matched s3:\/\/bkt\/osbj\//);
    expect((await cli([...args, '--allow-empty'], services)).code).toBe(0);
  });

  it('reads a manifest with version ids', async () => {
    const { services, store } = setup({ manifests: { 'm.csv': 'bkt,a.txt,null\n' } });
    const r = await cli(
      ['--json', 'encrypt', '--bucket', 'bkt', '--kms-key', 'alias/app', '--manifest', 'm.csv'],
      services,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()[0]).toMatchObject({ key: 'a.txt', versionId: 'null', outcome: 'done' });
    expect(store.calls.find((c) => c.op === 'head')?.args).toEqual(['bkt', 'a.txt', 'null']);
  });
});
