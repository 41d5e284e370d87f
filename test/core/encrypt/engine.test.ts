// The engine over an in-memory S3 with switchable store quirks: every path (skip, update, copy,
// multipart), the probes, read-back, retries, guards, state and interruption.
import { describe, expect, it } from 'vitest';
import { FAILURE_STREAK, runEncrypt, type EncryptInput } from '../../../src/core/encrypt/engine.js';
import { StoreError } from '../../../src/core/encrypt/store-error.js';
import type { ObjectRef, ObjectResult } from '../../../src/core/encrypt/types.js';
import type { ResolvedKey } from '../../../src/core/kms/key.js';
import { FakeStore, MemoryReport, MemoryState, OWNER, type Quirks } from '../../support/encrypt-fakes.js';

const KEY: ResolvedKey = {
  id: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  shortId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  checked: true,
};
const OTHER_KEY = 'arn:aws:kms:us-east-1:111122223333:key/99999999-0000-0000-0000-000000000000';
const PUBLIC_READ = {
  type: 'Group',
  id: 'http://acs.amazonaws.com/groups/global/AllUsers',
  permission: 'READ',
};
const FULL = { type: 'CanonicalUser', id: OWNER, permission: 'FULL_CONTROL' };

const instant = { now: () => Date.now(), sleep: async () => undefined, random: () => 0.5 };

async function* refsOf(store: FakeStore, keys?: string[]): AsyncGenerator<ObjectRef> {
  for (const key of keys ?? [...store.objects.keys()].sort()) yield { key };
}

function input(store: FakeStore, over: Partial<EncryptInput> = {}): EncryptInput {
  return {
    bucket: 'b',
    key: KEY,
    source: refsOf(store),
    concurrency: 4,
    multipartThreshold: 100,
    partSize: 5 * 1024 * 1024,
    copyMethod: 'auto',
    updateMethod: 'auto',
    bucketKey: 'required',
    mayAdoptAbsentBucketKey: false,
    percentKeysSafe: true,
    dryRun: false,
    clock: instant,
    retry: { attempts: 6, baseMs: 1, capMs: 2 },
    runId: 'test',
    ...over,
  };
}

async function run(store: FakeStore, over: Partial<EncryptInput> = {}) {
  const results: ObjectResult[] = [];
  const notes: string[] = [];
  const summary = await runEncrypt(store, input(store, over), {
    onResult: (r) => results.push(r),
    onNote: (n) => notes.push(n),
  });
  const by = new Map(results.map((r) => [r.key, r]));
  return { summary, results, by, notes };
}

function world(quirks: Quirks = {}, versioned = false): FakeStore {
  const s = new FakeStore('b', versioned, quirks);
  s.put('plain.txt', 'hello', { contentType: 'text/plain', metadata: { a: '1' }, cacheControl: 'max-age=1' });
  s.put('sse-s3.txt', 'aes', { serverSideEncryption: 'AES256' });
  s.put('other-key.txt', 'other', {
    serverSideEncryption: 'aws:kms',
    kmsKeyId: OTHER_KEY,
    bucketKeyEnabled: true,
  });
  s.put('done.txt', 'done', { serverSideEncryption: 'aws:kms', kmsKeyId: KEY.id, bucketKeyEnabled: true });
  s.put(
    'big.bin',
    'x'.repeat(300),
    { contentType: 'app/big', metadata: { big: 'y' } },
    { tags: [{ key: 't', value: 'v' }] },
  );
  return s;
}

const encrypted = (s: FakeStore, key: string) => {
  const h = s.current(key)?.head;
  return h?.serverSideEncryption === 'aws:kms' && h.kmsKeyId === KEY.id && h.bucketKeyEnabled === true;
};

describe('runEncrypt on an AWS-like store', () => {
  it('updates SSE-S3 and other-key objects in place, copies NOT-SSE, multipart-copies large ones, skips compliant ones', async () => {
    const s = world({ uoe: 'aws', honoursIfMatch: true });
    const { summary, by } = await run(s);
    expect(by.get('sse-s3.txt')).toMatchObject({ action: 'update', outcome: 'done', before: 'SSE-S3' });
    expect(by.get('other-key.txt')).toMatchObject({ action: 'update', outcome: 'done' });
    expect(by.get('plain.txt')).toMatchObject({ action: 'copy', outcome: 'done', before: 'NOT-SSE' });
    expect(by.get('big.bin')).toMatchObject({ action: 'multipart', outcome: 'done', parts: 1 });
    expect(by.get('done.txt')).toMatchObject({ action: 'skip-compliant', outcome: 'done' });
    for (const k of s.objects.keys()) expect(encrypted(s, k), k).toBe(true);
    expect(s.current('big.bin')?.tags).toEqual([{ key: 't', value: 'v' }]);
    expect(s.current('big.bin')?.head).toMatchObject({ contentType: 'app/big', metadata: { big: 'y' } });
    expect(s.current('plain.txt')?.head).toMatchObject({
      contentType: 'text/plain',
      cacheControl: 'max-age=1',
      metadata: { a: '1' },
    });
    expect(summary.updateObjectEncryption.state).toBe('supported');
    // The probe went to a key that does not exist, and nothing was left behind.
    const probe = s.calls.find((c) => c.op === 'updateObjectEncryption');
    expect((probe?.args[0] as { key: string }).key).toBe('.s3-encrypt-probe/test');
    expect([...s.objects.keys()].some((k) => k.startsWith('.s3-encrypt-probe'))).toBe(false);
    expect(summary.byCategory).toMatchObject({
      updated: { objects: 2 },
      copied: { objects: 1 },
      'multipart-copied': { objects: 1 },
      'skipped-compliant': { objects: 1 },
    });
    expect(s.uploads.size).toBe(0);
  });

  it('never sends UpdateObjectEncryption to a real object when the store takes it for a PutObject (moto, RGW)', async () => {
    const s = world({ uoe: 'put' });
    const { summary, by, notes } = await run(s);
    expect(by.get('sse-s3.txt')).toMatchObject({
      action: 'copy',
      outcome: 'done',
      reason: expect.stringMatching(/unsupported/),
    });
    expect(
      s.calls.filter((c) => c.op === 'updateObjectEncryption').map((c) => (c.args[0] as { key: string }).key),
    ).toEqual(['.s3-encrypt-probe/test']);
    expect(s.objects.has('.s3-encrypt-probe/test')).toBe(false);
    expect(s.current('sse-s3.txt')?.body).toBe('aes');
    expect(summary.updateObjectEncryption.state).toBe('unsupported');
    expect(notes.join('\n')).toMatch(/PutObject/);
  });

  it('probes nothing when the key is not an ARN or the bucket has a default retention', async () => {
    const s1 = world({ uoe: 'put' });
    await run(s1, {
      key: { id: 's3e-key-1', shortId: 's3e-key-1', checked: false },
      bucketKey: 'accept-absent',
    });
    expect(s1.count('updateObjectEncryption')).toBe(0);
    const s2 = world({ uoe: 'put', defaultRetention: true });
    await run(s2);
    expect(s2.count('updateObjectEncryption')).toBe(0);
  });

  it('copies a locked SSE-S3 object (UpdateObjectEncryption refuses locks) and carries the lock', async () => {
    const s = new FakeStore('b', true, { uoe: 'aws' });
    const until = new Date(Date.now() + 86_400_000);
    s.put('locked.txt', 'l', {
      serverSideEncryption: 'AES256',
      objectLockMode: 'COMPLIANCE',
      objectLockRetainUntilDate: until,
      objectLockLegalHoldStatus: 'ON',
    });
    const { by } = await run(s);
    expect(by.get('locked.txt')).toMatchObject({
      action: 'copy',
      outcome: 'done',
      reason: expect.stringMatching(/Object Lock/),
    });
    expect(s.current('locked.txt')?.head).toMatchObject({
      objectLockMode: 'COMPLIANCE',
      objectLockRetainUntilDate: until,
      objectLockLegalHoldStatus: 'ON',
    });
    expect(s.objects.get('locked.txt')).toHaveLength(2);
  });

  it('falls back to a copy when UpdateObjectEncryption refuses one object', async () => {
    const s = world({ uoe: 'aws' });
    s.faults.push({
      op: 'updateObjectEncryption',
      when: (a) => (a[0] as { key: string }).key === 'sse-s3.txt',
      error: () => new StoreError('invalid', 'InvalidRequest', 'nope', { status: 400 }),
    });
    const { by } = await run(s);
    expect(by.get('sse-s3.txt')).toMatchObject({
      action: 'copy',
      outcome: 'done',
      reason: expect.stringMatching(/UpdateObjectEncryption refused \(InvalidRequest\)/),
    });
    expect(by.get('other-key.txt')).toMatchObject({ action: 'update', outcome: 'done' });
  });
});

describe('runEncrypt on stores that do not encrypt copies (Ceph RGW)', () => {
  it('catches the plaintext copy by read-back, redoes it by multipart and switches the run', async () => {
    const s = world({ copyIgnoresEncryption: true, omitsBucketKey: true, multipartDropsTags: true }, true);
    const { summary, by, notes, results } = await run(s, {
      concurrency: 1,
      key: { id: 's3e-key-1', shortId: 's3e-key-1', checked: false },
      bucketKey: 'accept-absent',
    });
    expect(s.count('copyInPlace')).toBe(1);
    // big.bin is over the threshold (multipart anyway); the first object meant for CopyObject is the probe.
    const probe = results.find((r) => r.reason?.includes('caught by read-back'));
    expect(probe).toMatchObject({ action: 'multipart', outcome: 'done' });
    expect(summary.copyMethod).toMatchObject({ mode: 'auto', used: 'multipart' });
    expect(notes.join('\n')).toMatch(/ignores encryption on copies/);
    for (const k of ['plain.txt', 'sse-s3.txt', 'other-key.txt', 'big.bin']) {
      expect(by.get(k)?.outcome, k).toBe('done');
      expect(s.current(k)?.head).toMatchObject({ serverSideEncryption: 'aws:kms', kmsKeyId: 's3e-key-1' });
    }
    // RGW drops tags given to CreateMultipartUpload: they are put back and read back.
    expect(s.current('big.bin')?.tags).toEqual([{ key: 't', value: 'v' }]);
    expect(s.count('putTags')).toBe(1);
  });

  it('treats a refused in-place copy as a reason to use multipart', async () => {
    const s = world({ copyRefusedAsSelfCopy: true });
    const { summary, by } = await run(s, { updateMethod: 'off' });
    expect(by.get('plain.txt')).toMatchObject({ action: 'multipart', outcome: 'done' });
    expect(summary.copyMethod.used).toBe('multipart');
    expect(summary.failures).toBe(0);
  });

  it('with --copy-method copy, reports the plaintext copy as a failure instead of switching', async () => {
    const s = world({ copyIgnoresEncryption: true });
    const { by, summary } = await run(s, { copyMethod: 'copy', updateMethod: 'off' });
    expect(by.get('plain.txt')).toMatchObject({
      action: 'copy',
      outcome: 'failed',
      reason: expect.stringMatching(/not SSE-KMS/),
    });
    expect(summary.failures).toBeGreaterThan(0);
  });

  it("skips multipart sources with '%' on S3-compatible stores (RGW decodes them twice)", async () => {
    const s = new FakeStore('b', false, { copyRefusedAsSelfCopy: true });
    s.put('100%.txt', 'p');
    s.put('ok.txt', 'o');
    const { by } = await run(s, {
      percentKeysSafe: false,
      concurrency: 1,
      source: refsOf(s, ['ok.txt', '100%.txt']),
    });
    expect(by.get('100%.txt')).toMatchObject({
      action: 'skip',
      outcome: 'skipped',
      reason: expect.stringMatching(/^unsafe-copy-source:/),
    });
    expect(
      s.calls.some((c) => c.op === 'uploadPartCopy' && (c.args[0] as { key: string }).key === '100%.txt'),
    ).toBe(false);
  });

  it('accepts an absent bucket-key flag only where allowed', async () => {
    const strict = world({ omitsBucketKey: true });
    const r1 = await run(strict, { updateMethod: 'off' });
    expect(r1.by.get('plain.txt')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/BucketKeyEnabled/),
    });
    const endpoint = world({ omitsBucketKey: true });
    // No multipart object here: a multipart read-back never proves the store omits the flag.
    const r2 = await run(endpoint, {
      updateMethod: 'off',
      mayAdoptAbsentBucketKey: true,
      concurrency: 1,
      source: refsOf(endpoint, ['plain.txt', 'sse-s3.txt', 'other-key.txt']),
    });
    expect(r2.summary.failures).toBe(0);
    expect(r2.summary.bucketKey).toEqual({ policy: 'accept-absent', acceptedAbsent: true });
    expect(r2.notes.join('\n')).toMatch(/never reports BucketKeyEnabled/);
  });

  it('never accepts a missing bucket key after a multipart copy on a store that reports the flag', async () => {
    const s = new FakeStore('b', false, {});
    s.put('big.bin', 'x'.repeat(300));
    // A store that drops the flag on multipart (moto without a bucket default):
    s.before.push((op) => {
      if (op === 'head')
        for (const v of s.objects.get('big.bin') ?? [])
          if (v.head.serverSideEncryption) v.head.bucketKeyEnabled = undefined;
    });
    const { by } = await run(s, { mayAdoptAbsentBucketKey: true });
    expect(by.get('big.bin')).toMatchObject({
      action: 'multipart',
      outcome: 'failed',
      reason: expect.stringMatching(/enable-sse/),
    });
  });
});

describe('attributes, ACLs and locks', () => {
  it('puts a non-default ACL back after a copy and reads it back; leaves default ones alone', async () => {
    const s = new FakeStore('b', false, { ownership: 'ObjectWriter' });
    s.put('public.txt', 'p', {}, { acl: { ownerId: OWNER, grants: [FULL, PUBLIC_READ] } });
    s.put('private-1.txt', 'q');
    s.put('private-2.txt', 'r');
    await run(s, { concurrency: 1, updateMethod: 'off' });
    expect(s.current('public.txt')?.acl.grants).toEqual([FULL, PUBLIC_READ]);
    const puts = s.calls.filter((c) => c.op === 'putAcl').map((c) => c.args[1]);
    expect(puts).toEqual(['public.txt']);
  });

  it('reads no ACL when the bucket enforces ownership', async () => {
    const s = world({ ownership: 'BucketOwnerEnforced' });
    await run(s, { updateMethod: 'off' });
    expect(s.count('getAcl')).toBe(0);
  });

  it('always sets the ACL of a multipart copy, and restores a lock the store dropped (moto)', async () => {
    const s = new FakeStore('b', true, { ownership: 'BucketOwnerPreferred', multipartDropsLock: true });
    const until = new Date(Date.now() + 86_400_000);
    s.put('big-locked.bin', 'y'.repeat(200), {
      objectLockMode: 'GOVERNANCE',
      objectLockRetainUntilDate: until,
    });
    const { by } = await run(s);
    expect(by.get('big-locked.bin')).toMatchObject({ action: 'multipart', outcome: 'done' });
    expect(s.current('big-locked.bin')?.head).toMatchObject({
      objectLockMode: 'GOVERNANCE',
      objectLockRetainUntilDate: until,
    });
    expect(s.count('putLock')).toBe(1);
    expect(s.count('putAcl')).toBe(1);
  });

  it('fails an object whose read-back shows a lost attribute', async () => {
    const s = new FakeStore('b', false, {});
    s.put('x.txt', 'x', { contentType: 'a/b' });
    s.before.push((op) => {
      if (op === 'head' && s.current('x.txt')?.head.serverSideEncryption)
        s.current('x.txt')!.head.contentType = 'binary/octet-stream';
    });
    const { by } = await run(s, { updateMethod: 'off' });
    expect(by.get('x.txt')).toMatchObject({ outcome: 'failed', reason: 'read-back: changed contentType' });
  });
});

describe('skips', () => {
  it('skips archived, SSE-C and DSSE-KMS objects with the reason, and copies a restored GLACIER object in its class', async () => {
    const s = new FakeStore('b', false, {});
    s.put('glacier.txt', 'g', { storageClass: 'GLACIER' });
    s.put('restored.txt', 'r', {
      storageClass: 'GLACIER',
      restore: 'ongoing-request="false", expiry-date="x"',
    });
    s.put('ssec.txt', 'c', { sseCustomerAlgorithm: 'AES256' });
    s.put('dsse.txt', 'd', { serverSideEncryption: 'aws:kms:dsse', kmsKeyId: KEY.id });
    const { by, summary } = await run(s);
    expect(by.get('glacier.txt')).toMatchObject({
      action: 'skip',
      outcome: 'skipped',
      reason: expect.stringMatching(/^archived: GLACIER/),
    });
    expect(by.get('ssec.txt')).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/^sse-c:/),
    });
    expect(by.get('dsse.txt')).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/^dsse-kms:/),
    });
    expect(by.get('restored.txt')).toMatchObject({ action: 'copy', outcome: 'done' });
    expect(s.current('restored.txt')?.head.storageClass).toBe('GLACIER');
    expect(summary.skippedByReason).toEqual({
      archived: { objects: 1, bytes: 1 },
      'sse-c': { objects: 1, bytes: 1 },
      'dsse-kms': { objects: 1, bytes: 1 },
    });
    expect(summary.failures).toBe(0);
  });

  it('skips an object whose restored copy expired between HEAD and copy', async () => {
    const s = new FakeStore('b', false, {});
    s.put('expired.txt', 'e', {
      storageClass: 'GLACIER',
      restore: 'ongoing-request="false", expiry-date="x"',
    });
    s.faults.push({
      op: 'copyInPlace',
      error: () => new StoreError('archived', 'InvalidObjectState', 'archived', { status: 403 }),
    });
    const { by } = await run(s, { updateMethod: 'off' });
    expect(by.get('expired.txt')).toMatchObject({
      action: 'skip',
      outcome: 'skipped',
      reason: expect.stringMatching(/^archived: InvalidObjectState/),
    });
  });

  it('never copies a pinned version that is no longer current (that would roll the key back)', async () => {
    const s = new FakeStore('b', true, {});
    const old = s.put('k.txt', 'old');
    s.put('k.txt', 'new', { serverSideEncryption: 'aws:kms', kmsKeyId: KEY.id, bucketKeyEnabled: true });
    const { by } = await run(s, {
      source: (async function* () {
        yield { key: 'k.txt', versionId: old.versionId };
      })(),
    });
    expect(by.get('k.txt')).toMatchObject({
      action: 'skip',
      outcome: 'skipped',
      reason: expect.stringMatching(/^noncurrent-version:/),
    });
    expect(s.current('k.txt')?.body).toBe('new');
    expect(s.count('copyInPlace')).toBe(0);
  });
});

describe('guards, retries and failures', () => {
  it('sends the ETag just read as both copy guards, and re-reads instead of overwriting a newer write', async () => {
    const s = new FakeStore('b', true, { honoursIfMatch: true });
    s.put('k.txt', 'v1');
    let raced = false;
    s.before.push((op) => {
      // The application writes a new version (under the bucket default) between our HEAD and copy.
      if (op === 'copyInPlace' && !raced) {
        raced = true;
        s.put('k.txt', 'v2 from the app', {
          serverSideEncryption: 'aws:kms',
          kmsKeyId: KEY.id,
          bucketKeyEnabled: true,
        });
      }
    });
    const { by } = await run(s, { updateMethod: 'off' });
    const copy = s.calls.find((c) => c.op === 'copyInPlace')?.args[0] as {
      guard: { sourceEtag: string; destinationEtag: string };
      sourceVersionId: string;
    };
    expect(copy.guard.sourceEtag).toBe(copy.guard.destinationEtag);
    expect(copy.sourceVersionId).toBe('v1');
    expect(by.get('k.txt')).toMatchObject({
      action: 'skip-compliant',
      outcome: 'done',
      reason: expect.stringMatching(/changed during the run/),
    });
    expect(s.current('k.txt')?.body).toBe('v2 from the app');
  });

  it('reports a key deleted meanwhile as vanished and never recreates it', async () => {
    const s = new FakeStore('b', false, { honoursIfMatch: true });
    s.put('k.txt', 'v1');
    s.before.push((op) => {
      if (op === 'copyInPlace') s.deleteKey('k.txt');
    });
    const { by } = await run(s, { updateMethod: 'off' });
    expect(by.get('k.txt')).toMatchObject({ outcome: 'vanished' });
    expect(s.objects.has('k.txt')).toBe(false);
  });

  it('retries throttling and resets, halving concurrency, and loses nothing', async () => {
    const s = world({ uoe: 'aws' });
    let n = 0;
    s.faults.push({
      op: 'copyInPlace',
      error: () => new StoreError('throttle', 'SlowDown', 'slow down', { status: 503 }),
      times: 2,
    });
    s.faults.push({
      op: 'head',
      when: () => n++ % 3 === 0,
      error: () => new StoreError('transient', 'ECONNRESET', 'reset'),
      times: 3,
    });
    const { summary } = await run(s);
    expect(summary.failures).toBe(0);
    expect(summary.pacing.throttles).toBe(2);
    expect(summary.pacing.retries).toBe(5);
    expect(summary.pacing.lowestConcurrency).toBeLessThan(4);
    for (const k of s.objects.keys()) expect(encrypted(s, k), k).toBe(true);
  });

  it('aborts the multipart upload when a part fails, and leaves none open', async () => {
    const s = new FakeStore('b', false, {});
    s.put('big.bin', 'z'.repeat(300));
    s.faults.push({
      op: 'uploadPartCopy',
      error: () => new StoreError('denied', 'AccessDenied', 'access denied: s3:GetObject', { status: 403 }),
    });
    const state = new MemoryState();
    const { by } = await run(s, { state });
    expect(by.get('big.bin')).toMatchObject({
      action: 'multipart',
      outcome: 'failed',
      reason: expect.stringMatching(/AccessDenied/),
    });
    expect(s.count('abortMultipartUpload')).toBe(1);
    expect(s.uploads.size).toBe(0);
    expect(state.uploads.size).toBe(0);
    expect(s.current('big.bin')?.head.serverSideEncryption).toBeUndefined();
  });

  it('one failure does not stop the run; --max-failures does', async () => {
    const s = new FakeStore('b', false, {});
    for (let i = 0; i < 20; i++) s.put(`k${String(i).padStart(2, '0')}`, 'x');
    s.faults.push({
      op: 'copyInPlace',
      when: (a) => (a[0] as { key: string }).key === 'k03',
      error: () => new StoreError('denied', 'AccessDenied', 'denied'),
    });
    const all = await run(s, { updateMethod: 'off', concurrency: 2 });
    expect(all.summary.failures).toBe(1);
    expect(all.summary.byCategory.copied.objects).toBe(19);

    const s2 = new FakeStore('b', false, {});
    for (let i = 0; i < 20; i++) s2.put(`k${String(i).padStart(2, '0')}`, 'x');
    s2.faults.push({ op: 'copyInPlace', error: () => new StoreError('denied', 'AccessDenied', 'denied') });
    const stopped = await run(s2, { updateMethod: 'off', concurrency: 2, maxFailures: 3 });
    expect(stopped.summary.stoppedAtMaxFailures).toBe(true);
    expect(stopped.summary.processed).toBeLessThanOrEqual(3 + 2 * 2);
  });

  it('stops after FAILURE_STREAK objects in a row failed (a store that died mid-run), not at the end', async () => {
    const s = new FakeStore('b', false, {});
    for (let i = 0; i < 200; i++) s.put(`k${String(i).padStart(3, '0')}`, 'x');
    // The first 10 copies work, then every request fails as a dead endpoint makes them fail.
    s.faults.push({
      op: 'copyInPlace',
      when: () => s.count('copyInPlace') > 10,
      error: () => new StoreError('transient', 'ETIMEDOUT', 'no answer'),
    });
    const { summary } = await run(s, { updateMethod: 'off', concurrency: 4 });
    expect(summary.stoppedAtFailureStreak).toMatchObject({ objects: FAILURE_STREAK });
    expect(summary.stoppedAtFailureStreak?.lastReason).toMatch(/no answer/);
    expect(summary.byCategory.copied.objects).toBe(10);
    expect(summary.processed).toBeLessThanOrEqual(10 + FAILURE_STREAK + 4);
  });

  it('a failure between successes restarts the count: scattered failures never stop a run', async () => {
    const s = new FakeStore('b', false, {});
    for (let i = 0; i < 150; i++) s.put(`k${String(i).padStart(3, '0')}`, 'x');
    s.faults.push({
      op: 'copyInPlace',
      when: (a) => Number((a[0] as { key: string }).key.slice(1)) % 40 !== 0,
      error: () => new StoreError('denied', 'AccessDenied', 'denied'),
    });
    const { summary } = await run(s, { updateMethod: 'off', concurrency: 1 });
    expect(summary.stoppedAtFailureStreak).toBeUndefined();
    expect(summary.processed).toBe(150);
  });

  it('drains in-flight objects on interrupt and says so', async () => {
    const s = new FakeStore('b', false, {});
    for (let i = 0; i < 50; i++) s.put(`k${String(i).padStart(2, '0')}`, 'x');
    const ac = new AbortController();
    let seen = 0;
    const summary = await runEncrypt(
      s,
      input(s, { updateMethod: 'off', concurrency: 3, signal: ac.signal }),
      {
        onResult: () => {
          if (++seen === 5) ac.abort();
        },
      },
    );
    expect(summary.interrupted).toBe(true);
    expect(summary.processed).toBeGreaterThanOrEqual(5);
    expect(summary.processed).toBeLessThan(50);
    expect(summary.failures).toBe(0);
  });
});

describe('multipart uploads whose id never reached us', () => {
  it('aborts the upload a retried CreateMultipartUpload orphaned (answer lost to a dropped connection)', async () => {
    const s = new FakeStore('b', false, {});
    s.put('big.bin', 'z'.repeat(300));
    s.faults.push({
      op: 'createMultipartUpload',
      after: true,
      times: 1,
      error: () => new StoreError('transient', 'ECONNRESET', 'reset'),
    });
    const { by, notes } = await run(s);
    expect(by.get('big.bin')).toMatchObject({ action: 'multipart', outcome: 'done' });
    expect(s.count('createMultipartUpload')).toBe(2);
    expect(s.uploads.size).toBe(0);
    expect(notes.join('\n')).toMatch(/aborted 1 multipart upload\(s\) orphaned/);
  });

  it('after a kill between intent and answer, aborts the uploads of that key started in the window only', async () => {
    const s = new FakeStore('b', false, {});
    s.put('big.bin', 'z'.repeat(300));
    const now = Date.now();
    s.uploads.set('ours', {
      start: { key: 'big.bin' } as never,
      parts: new Map(),
      initiated: new Date(now + 1000),
    });
    s.uploads.set('an-old-app-upload', {
      start: { key: 'big.bin' } as never,
      parts: new Map(),
      initiated: new Date(now - 3_600_000),
    });
    s.uploads.set('other-key', {
      start: { key: 'other' } as never,
      parts: new Map(),
      initiated: new Date(now),
    });
    s.uploads.set('listed-before-ours', {
      start: { key: 'big.bin' } as never,
      parts: new Map(),
      initiated: new Date(now),
    });
    const state = new MemoryState();
    state.intents.set('big.bin', { since: now, existing: ['listed-before-ours'] });
    const { summary } = await run(s, { state });
    expect(summary.abortedLeftoverUploads).toBe(1);
    expect([...s.uploads.keys()].sort()).toEqual(['an-old-app-upload', 'listed-before-ours', 'other-key']);
    expect(state.intents.size).toBe(0);
  });

  it('on a store whose upload times are not a clock (moto: 2010-11-10), relies on the uploads listed before ours', async () => {
    const s = new FakeStore('b', false, {});
    s.put('big.bin', 'z'.repeat(300));
    const bogus = new Date('2010-11-10T20:48:33Z');
    s.uploads.set('app', { start: { key: 'big.bin' } as never, parts: new Map(), initiated: bogus });
    s.uploads.set('ours', { start: { key: 'big.bin' } as never, parts: new Map(), initiated: bogus });
    const state = new MemoryState();
    state.intents.set('big.bin', { since: Date.now(), existing: ['app'] });
    state.intents.set('unlisted.bin', { since: Date.now() });
    s.uploads.set('unknown', { start: { key: 'unlisted.bin' } as never, parts: new Map(), initiated: bogus });
    const { summary } = await run(s, { state, source: refsOf(s, ['big.bin']) });
    expect(summary.abortedLeftoverUploads).toBe(1);
    // Without a list from before, an upload with no real time is never aborted.
    expect([...s.uploads.keys()].sort()).toEqual(['app', 'unknown']);
  });
});

describe('state, report and dry run', () => {
  it('skips finished objects, aborts uploads a killed run left open, records every result', async () => {
    const s = world({ uoe: 'aws' });
    const state = new MemoryState(1);
    state.finished.add('plain.txt\u0000');
    state.uploads.set('old-upload', 'big.bin');
    s.uploads.set('old-upload', { start: {} as never, parts: new Map() });
    const report = new MemoryReport();
    const { summary, results, notes } = await run(s, { state, report });
    expect(summary.resumed).toBe(1);
    expect(results.map((r) => r.key)).not.toContain('plain.txt');
    expect(summary.abortedLeftoverUploads).toBe(1);
    expect(s.uploads.size).toBe(0);
    expect(notes.join('\n')).toMatch(/aborted 1 multipart upload/);
    expect(report.lines).toHaveLength(results.length);
    expect(state.lines).toHaveLength(results.length);
    expect(state.closed).toBe(true);
  });

  it('dry run: reads only, and estimates requests and KMS calls', async () => {
    const s = world({ uoe: 'aws', ownership: 'ObjectWriter' });
    const { summary, results } = await run(s);
    const writes = new Set([
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
    const s2 = world({ uoe: 'aws', ownership: 'ObjectWriter' });
    const dry = await run(s2, { dryRun: true });
    expect(s2.calls.filter((c) => writes.has(c.op))).toEqual([]);
    expect(dry.results.every((r) => r.outcome === 'planned' || r.action === 'skip-compliant')).toBe(true);
    expect(dry.summary.planned).toEqual({
      update: { objects: 2, bytes: 8 },
      copy: { objects: 1, bytes: 5 },
      multipart: { objects: 1, bytes: 300 },
    });
    expect(dry.summary.requests).toMatchObject({
      HeadObject: 5 + 4,
      CopyObject: 1,
      UpdateObjectEncryption: 2,
      UploadPartCopy: 1,
      CreateMultipartUpload: 1,
      ListMultipartUploads: 1,
    });
    // one per rewritten object + one Decrypt for the object under another key
    expect(dry.summary.kms?.upperBound).toBe(5);
    expect(results.length).toBe(dry.results.length);
    expect(summary.failures).toBe(0);
  });
});
