// The progress line as an operator sees it: the built CLI on a pseudo-terminal (util-linux
// `script`), through a proxy that answers every request a little late, so a run over 200
// objects on moto is redrawn several times. What the terminal received is read back as text:
// the bar, done/total, percent and ETA, the width, and that --json keeps stdout for JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsFor, s3For } from '../support/clients.js';
import { progressDraws, runOnTerminal } from '../support/pty.js';
import { target, uniqueBucket } from '../support/servers.js';
import { slowProxy, type SlowProxy } from '../support/slow-proxy.js';
import { createBucket, tempDir } from '../encrypt/fixtures.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const OBJECTS = 200;
const COLUMNS = 100;
let keyArn: string;
let proxy: SlowProxy;
const dir = tempDir('progress');

const keys = Array.from({ length: OBJECTS }, (_, i) => `p/${String(i).padStart(3, '0')}.txt`);

async function seededBucket(prefix: string, names = keys): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await createBucket(s3, bucket);
  for (let i = 0; i < names.length; i += 25)
    await Promise.all(
      names
        .slice(i, i + 25)
        .map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}` }))),
    );
  return bucket;
}

function manifestOf(bucket: string): string {
  const file = join(dir, `${bucket}.csv`);
  writeFileSync(file, keys.map((k) => `${bucket},${k}\n`).join(''));
  return file;
}

/** The draws of one run, each checked to fit the terminal. */
function drawsOf(screen: string): string[] {
  const draws = progressDraws(screen);
  for (const d of draws) expect(d.length, d).toBeLessThan(COLUMNS);
  return draws;
}

const CLEAR = '\r\u001b[2K';
const percentOf = (d: string): number => Number(/(\d+)%/.exec(d)?.[1] ?? -1);

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 's3e progress' }))).KeyMetadata?.Arn ?? '';
  proxy = await slowProxy(t.endpoint, 25);
});
afterAll(async () => {
  await proxy.close();
});

describe('the progress line on a terminal', () => {
  it('encrypt over a manifest draws a bar with done/total, percent, rate and ETA, redrawn in place', async () => {
    const bucket = await seededBucket('progress-manifest');
    const r = await runOnTerminal(
      [
        'encrypt',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--manifest',
        manifestOf(bucket),
        '--no-state',
        '--concurrency',
        '4',
      ],
      t,
      { endpoint: proxy.endpoint, columns: COLUMNS },
    );
    expect(r.code, r.screen).toBe(0);
    const draws = drawsOf(r.screen);
    expect(draws.length, r.screen).toBeGreaterThanOrEqual(4);
    const withEta = draws.filter((d) => /^\[[#-]+\]\s+\d+%\s+\d+\/200 objects\s+[\d.]+\/s\s+ETA \d/.test(d));
    expect(withEta.length, draws.join('\n')).toBeGreaterThanOrEqual(2);
    // Drawn as the work goes: the percent never goes back and moves on between draws.
    const percents = draws.map(percentOf);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBeGreaterThan(2);
    // The line is cleared before the summary: the summary starts a line of its own.
    expect(r.screen).toContain(`${CLEAR}\r\nresult `);
    expect(r.screen).toContain('DONE: 200 objects rewritten');
  }, 120_000);

  it('encrypt over a live listing learns the total by listing ahead of the workers', async () => {
    const bucket = await seededBucket('progress-live');
    const r = await runOnTerminal(
      ['encrypt', '--bucket', bucket, '--kms-key', keyArn, '--no-state', '--concurrency', '4'],
      t,
      { endpoint: proxy.endpoint, columns: COLUMNS },
    );
    expect(r.code, r.screen).toBe(0);
    const draws = drawsOf(r.screen);
    expect(
      draws.some((d) => /\d+%\s+\d+\/200 objects\s+[\d.]+\/s\s+ETA \d/.test(d)),
      draws.join('\n'),
    ).toBe(true);
  }, 120_000);

  it('verify --live shows the total counted by the listing ahead, with an ETA', async () => {
    const bucket = await seededBucket('progress-verify');
    const r = await runOnTerminal(
      [
        'verify',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--live',
        '--concurrency',
        '2',
        '--show-offenders',
        '0',
      ],
      t,
      { endpoint: proxy.endpoint, columns: COLUMNS },
    );
    // The objects are not encrypted: exit 1, and the bar still drawn.
    expect(r.code, r.screen).toBe(1);
    const draws = drawsOf(r.screen);
    expect(
      draws.some((d) => /^\[[#-]+\]\s+\d+%\s+\d+\/200 objects\s+[\d.]+\/s\s+ETA \d.*need work/.test(d)),
      draws.join('\n'),
    ).toBe(true);
  }, 120_000);

  it('verify --live says "at least N" while the listing ahead is still counting, then the total', async () => {
    // 1,100 objects: two listing pages. Every second page is 2.5 s late, so the count ahead has
    // 1,000 keys for a while before it knows the whole listing.
    const many = Array.from({ length: 1100 }, (_, i) => `m/${String(i).padStart(4, '0')}`);
    const bucket = await seededBucket('progress-atleast', many);
    const lagging = await slowProxy(t.endpoint, (req) =>
      /[?&]continuation-token=/.test(req.url ?? '') ? 2500 : 5,
    );
    try {
      const r = await runOnTerminal(
        [
          'verify',
          '--bucket',
          bucket,
          '--kms-key',
          keyArn,
          '--live',
          '--concurrency',
          '4',
          '--show-offenders',
          '0',
        ],
        t,
        { endpoint: lagging.endpoint, columns: COLUMNS },
      );
      expect(r.code, r.screen).toBe(1);
      const draws = drawsOf(r.screen);
      const early = draws.findIndex((d) => /<=\d+%\s+\d+\/at least 1,000 objects/.test(d));
      const known = draws.findIndex((d) => /\s\d+%\s+[\d,]+\/1,100 objects/.test(d));
      expect(early, draws.join('\n')).toBeGreaterThanOrEqual(0);
      expect(known, draws.join('\n')).toBeGreaterThan(early);
    } finally {
      await lagging.close();
    }
  }, 120_000);

  it('with --json, stdout carries JSON lines only; the bar is drawn on the terminal (stderr)', async () => {
    const bucket = await seededBucket('progress-json');
    const stdoutTo = join(dir, `${bucket}.jsonl`);
    const r = await runOnTerminal(
      [
        '--json',
        'encrypt',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--manifest',
        manifestOf(bucket),
        '--no-state',
        '--concurrency',
        '4',
      ],
      t,
      { endpoint: proxy.endpoint, columns: COLUMNS, stdoutTo },
    );
    expect(r.code, r.screen).toBe(0);
    const stdout = readFileSync(stdoutTo, 'utf8');
    for (const c of ['\r', '\u001b', 'ETA', '%']) expect(stdout).not.toContain(c);
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(OBJECTS + 1);
    for (const l of lines) expect(() => JSON.parse(l) as unknown, l).not.toThrow();
    expect(drawsOf(r.screen).some((d) => d.includes('/200 objects'))).toBe(true);
  }, 120_000);
});
