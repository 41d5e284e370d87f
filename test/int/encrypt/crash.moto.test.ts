// kill -9 in the middle of encrypt, several times, then run again with the same state file: the
// run completes, says how much it skipped, leaves no multipart upload open, and writes no object
// more than once beyond the objects in flight (versions counted on a versioned bucket).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, targetEnv, uniqueBucket } from '../support/servers.js';
import { createBucket, KIB, parseRun, putSeeds, tempDir, type Seed } from './fixtures.js';

const t = target();
const s3 = s3For(t);
const BIN = fileURLToPath(new URL('../../../bin/s3-encrypt.js', import.meta.url));
const CONCURRENCY = 8;

/** Run encrypt --json and send `signal` after `lines` object lines; resolves with what it printed. */
function runUntilKilled(
  args: string[],
  lines: number,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ seen: number; killed: boolean; code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--endpoint-url', t.endpoint, '--json', 'encrypt', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...targetEnv(t) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let buffer = '';
    let stdout = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const p of parts) {
        if (!p.startsWith('{"key"')) continue;
        seen++;
        if (seen === lines && !killed) {
          killed = true;
          child.kill(signal);
        }
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ seen, killed, code, stdout }));
  });
}

async function versionCounts(bucket: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const v of page.Versions ?? []) counts.set(v.Key ?? '', (counts.get(v.Key ?? '') ?? 0) + 1);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  return counts;
}

describe('encrypt after kill -9', () => {
  it('resumes from the state file: completes, skips what was finished, writes each object at most once more than in flight', async () => {
    const keyArn =
      (await kmsFor(t).send(new CreateKeyCommand({ Description: 's3e crash' }))).KeyMetadata?.Arn ?? '';
    const bucket = uniqueBucket('crash-moto');
    await createBucket(s3, bucket, { versioned: true });
    const seeds: Seed[] = [];
    for (let i = 0; i < 300; i++)
      seeds.push({ key: `c/${String(i).padStart(3, '0')}`, size: i % 3 === 0 ? 9 * KIB : 40 + (i % 50) });
    await putSeeds(s3, bucket, seeds);
    expect((await runBin(['enable-sse', '--bucket', bucket, '--kms-key', keyArn], t)).code).toBe(0);

    const state = join(tempDir('crash'), 'state.jsonl');
    const args = [
      '--bucket',
      bucket,
      '--kms-key',
      keyArn,
      '--state',
      state,
      '--concurrency',
      String(CONCURRENCY),
      '--multipart-threshold',
      '8KiB',
      '--part-size',
      '5MiB',
    ];
    let seenBeforeKills = 0;
    for (const after of [40, 60, 80]) {
      const r = await runUntilKilled(args, after);
      expect(r.killed, `killed after ${after} lines`).toBe(true);
      seenBeforeKills += r.seen;
    }

    const final = await runBin(['--json', 'encrypt', ...args], t, { timeoutMs: 170_000 });
    expect(final.code, final.stderr).toBe(0);
    const { summary, objects } = parseRun(final);
    expect(summary.failures).toBe(0);
    // Every object reported before a kill was recorded first, so the rerun skips at least those.
    expect(summary.resumed).toBeGreaterThanOrEqual(seenBeforeKills);
    expect(summary.resumed + objects.length).toBe(seeds.length);
    expect(final.stderr).toMatch(
      new RegExp(`resuming: ${summary.resumed} objects finished by earlier runs are skipped`),
    );

    const counts = await versionCounts(bucket);
    const writtenTwice = [...counts.entries()].filter(([, n]) => n > 2).map(([k]) => k);
    expect(writtenTwice.length, writtenTwice.join(', ')).toBeLessThanOrEqual(CONCURRENCY);
    for (const s of seeds) expect(counts.get(s.key), s.key).toBeGreaterThanOrEqual(2);
    const ups = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(ups.Uploads ?? []).toEqual([]);
    const verify = await runBin(
      ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--require-bucket-key'],
      t,
    );
    expect(verify.code, verify.stdout).toBe(0);
  }, 300_000);

  it('Ctrl-C drains the objects in flight, prints the summary and exits 130', async () => {
    const keyArn =
      (await kmsFor(t).send(new CreateKeyCommand({ Description: 's3e sigint' }))).KeyMetadata?.Arn ?? '';
    const bucket = uniqueBucket('sigint-moto');
    await createBucket(s3, bucket);
    const seeds: Seed[] = [];
    for (let i = 0; i < 200; i++) seeds.push({ key: `s/${String(i).padStart(3, '0')}`, size: 30 });
    await putSeeds(s3, bucket, seeds);
    const r = await runUntilKilled(
      ['--bucket', bucket, '--kms-key', keyArn, '--no-state', '--concurrency', '4'],
      10,
      'SIGINT',
    );
    expect(r.code).toBe(130);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.at(-1)?.summary as { interrupted: boolean; processed: number; failures: number };
    expect(summary).toMatchObject({ interrupted: true, failures: 0 });
    expect(summary.processed).toBe(lines.length - 1);
    expect(summary.processed).toBeLessThan(seeds.length);
    // Every object it reported is done; nothing half-written.
    for (const o of lines.slice(0, -1)) expect(o).toMatchObject({ outcome: 'done' });
  });
});
