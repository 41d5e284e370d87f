// An endpoint that takes the connection and never answers (issue 10, item 1): every command ends
// with exit 4 and one line naming the endpoint, well within a minute; the first SIGTERM ends a
// run within seconds (exit 130); and an encrypt interrupted mid-run resumes from its state file
// with nothing copied twice and nothing lost.
//
// The waits are shortened here with S3_ENCRYPT_RESPONSE_TIMEOUT=1 so the suite stays fast; the
// production defaults (and that a dead endpoint ends a command within 60 s with them) are tested
// in test/adapters/aws/request-limits.test.ts. The SIGTERM tests run with the defaults.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blackHole, holdingProxy, type HoleServer } from '../support/black-hole.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, targetEnv, uniqueBucket } from '../support/servers.js';
import { createBucket, parseRun, putSeeds, tempDir, type Seed } from '../encrypt/fixtures.js';

/** A HEAD of an object (path-style /bucket/key), not of the bucket (/bucket or /bucket/). */
const isObjectHead = (req: { method?: string | undefined; url?: string | undefined }): boolean =>
  req.method === 'HEAD' && /^\/[^/]+\/./.test(new URL(req.url ?? '/', 'http://x').pathname);

const t = target();
const s3 = s3For(t);
const BIN = fileURLToPath(new URL('../../../bin/s3-encrypt.js', import.meta.url));
const SHORT = { S3_ENCRYPT_RESPONSE_TIMEOUT: '1' };

/** The four commands of the acceptance, each reading S3 at `bucket`. */
function commands(bucket: string): Record<string, string[]> {
  return {
    'verify --live': ['verify', '--bucket', bucket, '--kms-key', 'alias/dead', '--live'],
    encrypt: ['encrypt', '--bucket', bucket, '--kms-key', 'alias/dead', '--no-state'],
    'build-manifest': [
      'build-manifest',
      '--bucket',
      bucket,
      '--kms-key',
      'alias/dead',
      '--inventory',
      's3://dead-inventory/inv',
      '--id',
      'cfg',
      '--out',
      tempDir('dead-manifest'),
    ],
    plan: ['plan', '--bucket', bucket, '--kms-key', 'alias/dead'],
  };
}

interface Timed {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From start to exit. */
  ms: number;
  /** From the signal to exit (when one was sent). */
  afterSignalMs?: number;
}

/** Runs the CLI at `endpoint`; sends SIGTERM after `termAfterMs` when given; SIGKILL at `killAfterMs`. */
function run(
  endpoint: string,
  args: string[],
  opts: { env?: Record<string, string>; termAfterMs?: number; killAfterMs: number },
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let signalled: number | undefined;
    const child = spawn(process.execPath, [BIN, '--endpoint-url', endpoint, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NO_COLOR: '1',
        ...targetEnv(t),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const term =
      opts.termAfterMs !== undefined
        ? setTimeout(() => {
            signalled = Date.now();
            child.kill('SIGTERM');
          }, opts.termAfterMs)
        : undefined;
    const kill = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      const now = Date.now();
      resolve({
        code,
        stdout,
        stderr,
        ms: now - started,
        ...(signalled !== undefined ? { afterSignalMs: now - signalled } : {}),
      });
    });
  });
}

describe('an endpoint that accepts connections and never answers', () => {
  let hole: HoleServer;
  beforeAll(async () => {
    hole = await blackHole();
  });
  afterAll(async () => {
    await hole.close();
  });

  describe.concurrent('every command gives up with exit 4 and one line naming the endpoint', () => {
    for (const [name, args] of Object.entries(commands('dead-bucket'))) {
      it(
        name,
        async () => {
          const r = await run(hole.endpoint, args, { env: SHORT, killAfterMs: 60_000 });
          expect(r.code, `${r.stderr}\n(exit after ${r.ms} ms)`).toBe(4);
          expect(r.ms).toBeLessThan(60_000);
          const lines = r.stderr.trim().split('\n');
          expect(lines, r.stderr).toHaveLength(1);
          expect(lines[0]).toMatch(
            new RegExp(
              `^error: no answer from ${hole.endpoint.replace(/\./g, '\\.')} within 1 s \\(\\d+ tries, calling [^)]+\\): check --endpoint-url`,
            ),
          );
        },
        70_000,
      );
    }
  });

  it('--json: the same error as a JSON document on stdout', async () => {
    const r = await run(hole.endpoint, ['--json', ...(commands('dead-bucket')['verify --live'] ?? [])], {
      env: SHORT,
      killAfterMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout.trim()) as { error: { code: string; message: string; exitCode: number } };
    expect(doc.error).toMatchObject({ code: 'Unreachable', exitCode: 4 });
    expect(doc.error.message).toContain(`no answer from ${hole.endpoint} within 1 s`);
  }, 70_000);

  describe.concurrent('the first SIGTERM ends the run within 5 s (exit 130), with the default waits', () => {
    for (const [name, args] of Object.entries(commands('dead-bucket'))) {
      it(
        name,
        async () => {
          const r = await run(hole.endpoint, args, { termAfterMs: 2_000, killAfterMs: 20_000 });
          expect(r.afterSignalMs, r.stderr).toBeLessThan(5_000);
          expect(r.code, r.stderr).toBe(130);
          expect(r.stderr).toMatch(/interrupt/);
        },
        30_000,
      );
    }
  });
});

describe('a store that stops answering in the middle of a command', () => {
  let proxy: HoleServer | undefined;
  afterAll(async () => {
    await proxy?.close();
  });

  it('verify --live: the listing is answered, the HEADs are not: exit 4 naming the endpoint', async () => {
    const bucket = uniqueBucket('dead-heads');
    await createBucket(s3, bucket);
    await putSeeds(s3, bucket, [
      { key: 'a', size: 10 },
      { key: 'b', size: 10 },
    ]);
    const keyArn =
      (await kmsFor(t).send(new CreateKeyCommand({ Description: 's3e dead heads' }))).KeyMetadata?.Arn ?? '';
    proxy = await holdingProxy({
      upstream: t.endpoint,
      hold: isObjectHead,
    });
    const r = await run(proxy.endpoint, ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live'], {
      env: SHORT,
      killAfterMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(4);
    expect(proxy.held).toBeGreaterThan(0);
    expect(r.stderr.trim()).toMatch(
      new RegExp(
        `^error: no answer from ${proxy.endpoint.replace(/\./g, '\\.')} within 1 s \\(.*s3:GetObject\\)`,
      ),
    );
    await proxy.close();
    proxy = undefined;
  }, 70_000);

  it('verify --live SIGTERMed while its HEADs hang: the INTERRUPTED summary within 5 s, exit 130', async () => {
    const bucket = uniqueBucket('term-heads');
    await createBucket(s3, bucket);
    await putSeeds(s3, bucket, [
      { key: 'a', size: 10 },
      { key: 'b', size: 10 },
    ]);
    const keyArn =
      (await kmsFor(t).send(new CreateKeyCommand({ Description: 's3e term heads' }))).KeyMetadata?.Arn ?? '';
    proxy = await holdingProxy({
      upstream: t.endpoint,
      hold: isObjectHead,
    });
    const r = await run(proxy.endpoint, ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live'], {
      termAfterMs: 2_000,
      killAfterMs: 20_000,
    });
    expect(r.afterSignalMs, r.stderr).toBeLessThan(5_000);
    expect(r.code, r.stderr).toBe(130);
    // Neither object was answered: none is counted, compliant or otherwise.
    expect(r.stdout).toMatch(/INTERRUPTED after 0 objects/);
    await proxy.close();
    proxy = undefined;
  }, 30_000);
});

describe('encrypt interrupted mid-run by SIGTERM, then run again with the same --state', () => {
  let proxy: HoleServer | undefined;
  afterAll(async () => {
    await proxy?.close();
  });

  it('stops within 5 s, records only finished objects; the rerun finishes the rest, nothing copied twice or lost', async () => {
    const keyArn =
      (await kmsFor(t).send(new CreateKeyCommand({ Description: 's3e sigterm' }))).KeyMetadata?.Arn ?? '';
    const bucket = uniqueBucket('sigterm-moto');
    await createBucket(s3, bucket, { versioned: true });
    const seeds: Seed[] = [];
    for (let i = 0; i < 24; i++) seeds.push({ key: `t/${String(i).padStart(2, '0')}`, size: 50 + i });
    await putSeeds(s3, bucket, seeds);
    expect((await runBin(['enable-sse', '--bucket', bucket, '--kms-key', keyArn], t)).code).toBe(0);

    // Copies take 10 s at this store: an interrupt that waited for the copies in flight would
    // take up to that long; the objects' other requests pass at once.
    proxy = await holdingProxy({
      upstream: t.endpoint,
      delayMs: (req) => (req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined ? 10_000 : 0),
    });
    const state = join(tempDir('sigterm'), 'state.jsonl');
    const args = ['--json', 'encrypt', '--bucket', bucket, '--kms-key', keyArn, '--state', state];
    const first = await run(proxy.endpoint, [...args, '--concurrency', '8'], {
      termAfterMs: 13_000,
      killAfterMs: 60_000,
    });
    expect(first.afterSignalMs, first.stderr).toBeLessThan(5_000);
    expect(first.code, first.stderr).toBe(130);
    await proxy.close();
    proxy = undefined;

    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.at(-1)?.summary as { interrupted: boolean; processed: number; failures: number };
    const reported = lines.slice(0, -1) as { key: string; outcome: string }[];
    expect(summary).toMatchObject({ interrupted: true, failures: 0 });
    expect(summary.processed).toBe(reported.length);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.length).toBeLessThan(seeds.length);
    for (const o of reported) expect(o.outcome, o.key).toBe('done');
    // The state file holds exactly the objects reported: none that was cut short.
    const recorded = readFileSync(state, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as { t: string; k: string; o?: string })
      .filter((r) => r.t === 'r');
    expect(recorded.map((r) => r.k).sort()).toEqual(reported.map((o) => o.key).sort());

    const second = await run(t.endpoint, args, { killAfterMs: 120_000 });
    expect(second.code, second.stderr).toBe(0);
    const { summary: s2, objects } = parseRun({
      code: second.code ?? -1,
      stdout: second.stdout,
      stderr: second.stderr,
      lines: () =>
        second.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
    });
    expect(s2.failures).toBe(0);
    expect(s2.resumed).toBe(reported.length);
    expect(s2.resumed + objects.length).toBe(seeds.length);

    // Every object exactly once re-encrypted: its original version and one copy.
    const counts = new Map<string, number>();
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 't/' }));
    for (const v of page.Versions ?? []) counts.set(v.Key ?? '', (counts.get(v.Key ?? '') ?? 0) + 1);
    for (const s of seeds) expect(counts.get(s.key), s.key).toBe(2);
    const ups = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(ups.Uploads ?? []).toEqual([]);
    const verify = await runBin(['verify', '--bucket', bucket, '--kms-key', keyArn, '--live'], t);
    expect(verify.code, verify.stdout).toBe(0);
  }, 120_000);
});
