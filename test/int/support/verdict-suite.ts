// "A verdict is a proof", against a real store (moto or Ceph RGW) behind a proxy that lies: every
// way a store's answer can be misread (a bare 404, 400 or 403 on HEAD, a 5xx, a 200 without the
// headers of a store, a listing that repeats or drops a key, the bucket gone half way, a session
// token expiring half way) must end in a non-zero exit, never in "COMPLIANT" or "DONE"; and a
// rerun once the fault is gone must finish everything, each object written once.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, type ProcResult } from './cli.js';
import { kmsFor, s3For } from './clients.js';
import { liarProxy, type LiarProxy, type Lie, type Seen } from './liar-proxy.js';
import { target, uniqueBucket } from './servers.js';
import { tempDir } from '../encrypt/fixtures.js';

const N = 30;
const keys = Array.from({ length: N }, (_, i) => `o/${String(i).padStart(2, '0')}`);
/** The keys a partial lie is told about: o/10 .. o/19. */
const some = (s: Seen) => /^o\/1\d$/.test(s.key);
const objectHead = (s: Seen) => s.method === 'HEAD' && s.key !== '';
const bare = (status: number): Lie => ({ answer: { status } });
const doc = (status: number, code: string): Lie => ({ answer: { status, code } });

interface Summary {
  checked: number;
  compliant: number;
  needWork: number;
  vanished: number;
  unverified: number;
  byClass: Record<string, number>;
}

export function verdictSuite(): void {
  const t = target();
  const s3 = s3For(t);
  let keyArgs: string[] = [];
  let keyId = '';
  let proxy: LiarProxy;
  const compliant = uniqueBucket('proof-ok');

  const seed = async (bucket: string, encrypted: boolean, versioned = false): Promise<void> => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (versioned)
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    for (const Key of keys)
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: `body of ${Key}`,
          ...(encrypted
            ? {
                ServerSideEncryption: 'aws:kms',
                SSEKMSKeyId: keyId,
                ...(t.tier === 'moto' ? { BucketKeyEnabled: true } : {}),
              }
            : {}),
        }),
      );
  };

  beforeAll(async () => {
    if (t.tier === 'moto') {
      keyId = (await kmsFor(t).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
      keyArgs = ['--kms-key', keyId];
    } else {
      keyId = t.kmsKeyIds[0] as string;
      keyArgs = ['--kms-key', keyId, '--skip-key-check'];
    }
    proxy = await liarProxy(t.endpoint);
    await seed(compliant, true);
  });
  afterAll(() => proxy.close());

  const verify = (bucket: string, lie: (s: Seen) => Lie, extra: string[] = []): Promise<ProcResult> => {
    proxy.lie = lie;
    return runBin(
      [
        '--endpoint-url',
        proxy.endpoint,
        '--json',
        'verify',
        '--bucket',
        bucket,
        ...keyArgs,
        '--live',
        ...extra,
      ],
      t,
      { endpoint: false },
    );
  };
  const summaryOf = (r: ProcResult): Summary =>
    (r.lines().at(-1) as { summary: Summary } | undefined)?.summary as Summary;
  /** The one error line (stderr) and the --json error document. */
  const errorOf = (r: ProcResult) => ({
    line: r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:')),
    doc: (r.lines().at(-1) as { error?: { code: string; exitCode: number } }).error,
  });

  describe('verify --live never passes on what it did not see', () => {
    it('the baseline: through the proxy telling the truth, exit 0', async () => {
      const r = await verify(compliant, () => undefined);
      expect(r.code, r.stderr).toBe(0);
      expect(summaryOf(r)).toMatchObject({ checked: N, compliant: N, unverified: 0, vanished: 0 });
    });

    it('a bare 404 on every HEAD: the run stops, nothing is tallied as gone (exit 4)', async () => {
      const r = await verify(compliant, (s) => (objectHead(s) ? bare(404) : undefined));
      expect(r.code, r.stdout + r.stderr).toBe(4);
      const e = errorOf(r);
      expect(e.line).toHaveLength(1);
      expect(e.line[0]).toMatch(/proved nothing about any of the first \d+ objects.*HEAD answered 404/);
      expect(e.doc?.code).toBe('NothingVerified');
      expect(r.stdout).not.toMatch(/COMPLIANT/);
    });

    it.each([
      ['a bare 404 (GET also bare)', (s: Seen) => (some(s) ? bare(404) : undefined)],
      [
        'a bare 404 (the GET reads the object)',
        (s: Seen) => (some(s) && s.method === 'HEAD' ? bare(404) : undefined),
      ],
      [
        'a bare 400 (not SSE-C without the code)',
        (s: Seen) => (some(s) && s.method === 'HEAD' ? bare(400) : undefined),
      ],
      ['a bare 403', (s: Seen) => (some(s) && s.method === 'HEAD' ? bare(403) : undefined)],
      ['a 500', (s: Seen) => (some(s) && s.method === 'HEAD' ? doc(500, 'InternalError') : undefined)],
      [
        'a 200 without ETag and Last-Modified',
        (s: Seen): Lie => (some(s) && s.method === 'HEAD' ? { strip: ['etag', 'last-modified'] } : undefined),
      ],
    ])('%s on 10 of 30 objects: those are unverified, exit 1', async (_what, lie) => {
      const r = await verify(compliant, lie);
      expect(r.code, r.stderr).toBe(1);
      expect(summaryOf(r)).toMatchObject({ checked: N, compliant: N - 10, unverified: 10, vanished: 0 });
      expect(summaryOf(r).byClass['SSE-C']).toBe(0);
      const listed = (r.lines() as { key?: string; class?: string; reason?: string }[]).filter((l) => l.key);
      expect(listed.map((l) => l.key).sort()).toEqual(keys.slice(10, 20));
      for (const l of listed) expect(l).toMatchObject({ class: 'unverified', reason: expect.any(String) });
    });

    it('a HEAD 400 whose GET says ExpiredToken stops the run with one line (exit 3)', async () => {
      const r = await verify(compliant, (s) =>
        s.key === '' ? undefined : s.method === 'HEAD' ? bare(400) : doc(400, 'ExpiredToken'),
      );
      expect(r.code, r.stderr).toBe(3);
      const e = errorOf(r);
      expect(e.line).toHaveLength(1);
      expect(e.line[0]).toMatch(/refused this run's credentials \(ExpiredToken\).*refresh the credentials/);
      expect(e.doc).toMatchObject({ code: 'CredentialsRefused', exitCode: 3 });
    });

    it('NoSuchBucket half way stops the run (exit 2), nothing tallied', async () => {
      const r = await verify(
        compliant,
        (s) =>
          s.key !== '' && s.objectRequests >= 10
            ? s.method === 'HEAD'
              ? bare(404)
              : doc(404, 'NoSuchBucket')
            : undefined,
        ['--concurrency', '1'],
      );
      expect(r.code, r.stderr).toBe(2);
      expect(errorOf(r).line[0]).toMatch(/no longer exists \(NoSuchBucket/);
      expect(r.stdout).not.toMatch(/"summary"/);
    });

    it.each(['repeat', 'skip'] as const)(
      'a listing page that %ss a key ends the run (exit 4)',
      async (how) => {
        const r = await verify(compliant, (s) =>
          s.key === '' && s.method === 'GET' && s.query.get('list-type') === '2'
            ? { listing: how }
            : undefined,
        );
        expect(r.code, r.stdout + r.stderr).toBe(4);
        expect(errorOf(r).line[0]).toMatch(/listing/);
        expect(errorOf(r).doc?.code).toBe('ListingAltered');
      },
    );

    it('a --prefix that matches nothing is not a pass (exit 1), unless --allow-empty', async () => {
      const typo = await verify(compliant, () => undefined, ['--prefix', 'osbj']);
      expect(typo.code).toBe(1);
      const human = await runBin(
        [
          '--endpoint-url',
          proxy.endpoint,
          'verify',
          '--bucket',
          compliant,
          ...keyArgs,
          '--live',
          '--prefix',
          'osbj',
        ],
        t,
        { endpoint: false },
      );
      expect(human.stdout).toMatch(/NOTHING EXAMINED: no object listed under s3:\/\/.*\/osbj/);
      expect((await verify(compliant, () => undefined, ['--prefix', 'osbj', '--allow-empty'])).code).toBe(0);
    });
  });

  describe('encrypt never calls DONE what it did not see, and a rerun finishes the job', () => {
    const encrypt = (bucket: string, state: string, lie: (s: Seen) => Lie): Promise<ProcResult> => {
      proxy.lie = lie;
      return runBin(
        [
          '--endpoint-url',
          proxy.endpoint,
          '--json',
          'encrypt',
          '--bucket',
          bucket,
          ...keyArgs,
          '--state',
          state,
          '--concurrency',
          '4',
          // Ceph RGW stores a plaintext copy (a version) before the engine learns to go multipart.
          ...(t.tier === 'rgw' ? ['--copy-method', 'multipart'] : []),
        ],
        t,
        { endpoint: false, timeoutMs: 170_000 },
      );
    };
    const finished = (state: string) =>
      (existsSync(state) ? readFileSync(state, 'utf8') : '')
        .split('\n')
        .filter((l) => l.includes('"t":"r"'))
        .map((l) => JSON.parse(l) as { k: string; o: string })
        .filter((r) => r.o === 'done' || r.o === 'vanished');
    const versions = async (bucket: string): Promise<Map<string, number>> => {
      const counts = new Map<string, number>();
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      for (const v of page.Versions ?? []) counts.set(v.Key ?? '', (counts.get(v.Key ?? '') ?? 0) + 1);
      return counts;
    };
    const rerunFinishes = async (bucket: string, state: string): Promise<void> => {
      const again = await encrypt(bucket, state, () => undefined);
      expect(again.code, again.stderr).toBe(0);
      const check = await verify(bucket, () => undefined);
      expect(check.code, check.stdout).toBe(0);
      expect(summaryOf(check)).toMatchObject({ checked: N, compliant: N });
      // Written once: the original version and one rewrite (RGW's refused plaintext copies
      // make no version).
      for (const [key, n] of await versions(bucket)) expect(n, key).toBe(2);
    };

    it('a bare 404 on every HEAD: exit 4, nothing recorded as finished; the rerun does it all', async () => {
      const bucket = uniqueBucket('proof-enc-404');
      await seed(bucket, false, true);
      const state = join(tempDir('proof'), 'state.jsonl');
      const r = await encrypt(bucket, state, (s) => (objectHead(s) ? bare(404) : undefined));
      expect(r.code, r.stderr).toBe(4);
      expect(r.stdout).not.toMatch(/DONE/);
      expect(finished(state)).toEqual([]);
      await rerunFinishes(bucket, state);
    });

    it('a bare 400 on some HEADs is not SSE-C: those are unverified, exit 1, and redone on the rerun', async () => {
      const bucket = uniqueBucket('proof-enc-400');
      await seed(bucket, false, true);
      const state = join(tempDir('proof'), 'state.jsonl');
      const r = await encrypt(bucket, state, (s) => (some(s) && s.method === 'HEAD' ? bare(400) : undefined));
      expect(r.code, r.stderr).toBe(1);
      const objects = (r.lines() as { key?: string; outcome?: string }[]).filter((l) => l.key);
      expect(
        objects
          .filter((o) => o.outcome === 'unverified')
          .map((o) => o.key)
          .sort(),
      ).toEqual(keys.slice(10, 20));
      expect(objects.filter((o) => o.outcome === 'skipped')).toEqual([]);
      expect(
        finished(state)
          .map((f) => f.k)
          .sort(),
      ).toEqual([...keys.slice(0, 10), ...keys.slice(20)]);
      await rerunFinishes(bucket, state);
    });

    it('ExpiredToken half way: exit 3 with one line, state flushed; the rerun finishes, each object written once', async () => {
      const bucket = uniqueBucket('proof-enc-exp');
      await seed(bucket, false, true);
      const state = join(tempDir('proof'), 'state.jsonl');
      // The session "expires" once some objects are finished (whatever each store needs per object).
      const r = await encrypt(bucket, state, (s) =>
        s.key !== '' && finished(state).length >= 5
          ? s.method === 'HEAD'
            ? bare(400)
            : doc(400, 'ExpiredToken')
          : undefined,
      );
      expect(r.code, r.stderr).toBe(3);
      expect(errorOf(r).line[0]).toMatch(/ExpiredToken.*state file/);
      const done = finished(state).length;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(N);
      await rerunFinishes(bucket, state);
    });
  });
}
