// encrypt's use case (core/encrypt/encrypt-bucket.ts) over fakes, for the branches the command
// tests do not reach: a summary's manifests found beside it, the default state path, the count
// walked ahead of a live listing, the bucket default's warning, and where the first request falls.
import { describe, expect, it } from 'vitest';
import { posix } from 'node:path';
import { createHash } from 'node:crypto';
import {
  encryptBucket,
  type EncryptEvents,
  type EncryptPorts,
  type EncryptProgress,
  type EncryptRequest,
} from '../../../src/core/encrypt/encrypt-bucket.js';
import { UsageError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { FakeStore, fakeEncryptServices, MemoryState } from '../../support/encrypt-fakes.js';
import { fakeServices, fakeWorld, keyDesc } from '../../support/fakes.js';

const KEY = keyDesc();
const CHECKED = { id: KEY.arn, shortId: KEY.keyId, checked: true };

function setup(manifests: Record<string, string> = {}) {
  const world = fakeWorld();
  world.keys.set(KEY.arn, KEY);
  world.buckets.set('bkt', { region: 'us-east-1', objects: [] });
  const store = new FakeStore('bkt', false, {});
  store.put('a.txt', 'aaa');
  store.put('b.txt', 'bbb');
  world.buckets.get('bkt')!.objects = [...store.objects.keys()].map((k) => store.current(k)!.head);
  const svc = fakeServices(world)({ region: 'us-east-1' } as never);
  const state = new MemoryState();
  const engine = fakeEncryptServices(store, { manifests, state });
  const opened: string[] = [];
  const openState = engine.openState;
  engine.openState = (path, header, every) => (opened.push(path), openState(path, header, every));
  const log: string[] = [];
  let connected = false;
  const ports: EncryptPorts = {
    paths: {
      stateFile: async (p) => void log.push(`stateFile ${p}`),
      reportFile: async (p) => void log.push(`reportFile ${p}`),
      sameFile: async (a, b) => a === b,
    },
    localManifests: async () => engine.manifests,
    connect: async () => {
      connected = true;
      return { key: CHECKED, engine, objects: svc.objects, encryption: svc.encryption, keys: svc.keys };
    },
    host: {
      cwd: '/work',
      sha256Hex: (t) => createHash('sha256').update(t).digest('hex'),
      join: posix.join,
      dirname: posix.dirname,
      basename: posix.basename,
    },
  };
  const progress: (() => EncryptProgress)[] = [];
  const events: EncryptEvents = {
    warn: (t) => log.push(`warn ${t}`),
    debug: (t) => log.push(`debug ${t}`),
    opened: (r) => log.push(`opened ${r.label} ${r.statePath ?? '-'}`),
    running: (r) => void progress.push(r.progress),
    result: (r) => log.push(`result ${r.key}`),
    stopped: () => log.push('stopped'),
  };
  return { world, store, ports, events, log, opened, progress, wasConnected: () => connected };
}

const request = (over: Partial<EncryptRequest> = {}): EncryptRequest => ({
  bucket: 'bkt',
  concurrency: 2,
  multipartThreshold: 5 * 1024 ** 3,
  partSize: 256 * 1024 ** 2,
  copyMethod: 'auto',
  updateMethod: 'off',
  dryRun: false,
  allowEmpty: false,
  countAhead: false,
  runId: 'test',
  ...over,
});

const COUNT = { objects: 0, bytes: 0 };
const SUMMARY = (location: string) =>
  JSON.stringify({
    version: 1,
    sourceBucket: 'bkt',
    kmsKey: KEY.arn,
    inventory: { manifest: 's3://i/m.json', date: '2026-11-01T00-00Z', creationTimestamp: '1' },
    createdAt: '2026-11-01T00:00:00Z',
    manifests: [
      { name: 'copy-1', group: 'copy', location, etag: null, versioned: false, objects: 1, bytes: 3 },
    ],
    leftAlone: {},
    stats: {
      byEncryptionStatus: {},
      byStorageClass: {},
      large: COUNT,
      archived: COUNT,
      noncurrent: COUNT,
      noncurrentUnencrypted: COUNT,
      deleteMarkers: 0,
      kmsWithBucketKey: COUNT,
    },
  });

describe('encryptBucket', () => {
  it('reads a manifest moved with its summary from beside it, before the bucket is reached', async () => {
    const t = setup({
      'moved/summary.json': SUMMARY('/gone/copy-1.csv'),
      'moved/copy-1.csv': 'other,a.txt\n',
    });
    await expect(
      encryptBucket(t.ports, request({ manifest: 'moved/summary.json' }), t.events),
    ).rejects.toThrow(/moved\/copy-1\.csv line 1 names bucket other, not bkt/);
    expect(t.wasConnected()).toBe(false);
  });

  it('the default state file: under cwd, named by bucket and a hash of key and source', async () => {
    const t = setup({ 'm.csv': 'bkt,a.txt\n' });
    const r = await encryptBucket(t.ports, request({ manifest: 'm.csv' }), t.events);
    const hash = createHash('sha256')
      .update(JSON.stringify(['bkt', KEY.arn, 'manifest:m.csv']))
      .digest('hex')
      .slice(0, 12);
    expect(r).toMatchObject({ kind: 'ran', statePath: `/work/.s3-encrypt-state/bkt-${hash}.jsonl` });
    expect(t.opened).toEqual([`/work/.s3-encrypt-state/bkt-${hash}.jsonl`]);
    expect(r.exitCode).toBe(ExitCode.OK);
  });

  it('no state file on a dry run or with --no-state', async () => {
    for (const over of [{ dryRun: true }, { state: false as const }]) {
      const t = setup();
      const r = await encryptBucket(t.ports, request(over), t.events);
      expect(r).toMatchObject({ kind: 'ran', statePath: undefined });
      expect(t.opened).toEqual([]);
    }
  });

  it('a live listing is counted ahead only when asked (a progress line shows)', async () => {
    for (const countAhead of [true, false]) {
      const t = setup();
      const listed: string[] = [];
      const objects = (await t.ports.connect()).objects;
      t.ports.connect = async () => ({
        key: CHECKED,
        engine: fakeEncryptServices(t.store),
        encryption: { getEncryption: async () => undefined, putEncryption: async () => undefined },
        keys: { describeKey: async () => KEY },
        objects: { ...objects, list: (b, o) => (listed.push(b), objects.list(b, o)) },
      });
      await encryptBucket(t.ports, request({ countAhead }), t.events);
      expect(listed).toHaveLength(countAhead ? 2 : 1);
      const p = t.progress[0]!();
      expect(p).toMatchObject({ done: 2, failures: 0 });
      if (countAhead) expect(p).toMatchObject({ total: 2, growing: false });
      else expect(p.total).toBeUndefined();
    }
  });

  it('warns when the bucket default is not the key, says nothing when it is', async () => {
    const t = setup();
    await encryptBucket(t.ports, request(), t.events);
    expect(t.log).toContainEqual(expect.stringMatching(/^warn the default encryption of bkt is not SSE-KMS/));
    const u = setup();
    u.world.buckets.get('bkt')!.encryption = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY.arn },
          BucketKeyEnabled: true,
        },
      ],
    };
    await encryptBucket(u.ports, request(), u.events);
    expect(u.log.filter((l) => /default encryption/.test(l))).toEqual([]);
  });

  it('refuses --report naming the local manifest before any request', async () => {
    const t = setup({ 'm.csv': 'bkt,a.txt\n' });
    const run = encryptBucket(t.ports, request({ manifest: 'm.csv', report: 'm.csv' }), t.events);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/--report m\.csv is the --manifest file/);
    expect(t.wasConnected()).toBe(false);
  });

  it('a manifest with no rows ends before anything is opened (exit 1), or runs with --allow-empty', async () => {
    const t = setup({ 'e.csv': '' });
    const r = await encryptBucket(t.ports, request({ manifest: 'e.csv' }), t.events);
    expect(r).toEqual({ kind: 'nothing-to-do', label: 'e.csv', exitCode: ExitCode.NOT_COMPLIANT });
    expect(t.opened).toEqual([]);
    const a = await encryptBucket(t.ports, request({ manifest: 'e.csv', allowEmpty: true }), t.events);
    expect(a).toMatchObject({ kind: 'ran', empty: true, exitCode: ExitCode.OK });
  });
});
