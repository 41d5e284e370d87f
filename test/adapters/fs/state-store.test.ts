import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openState } from '../../../src/adapters/fs/state-store.js';
import type { ObjectResult } from '../../../src/core/encrypt/types.js';

const header = { bucket: 'b', kmsKey: 'arn:aws:kms:us-east-1:1:key/k', inputs: 'live:' };
const result = (key: string, outcome: ObjectResult['outcome']): ObjectResult => ({
  key,
  action: 'copy',
  outcome,
  bytes: 1,
  ms: 1,
});
const dir = () => mkdtempSync(join(tmpdir(), 's3e-state-'));
/** A path under a regular file: ENOTDIR at once (mkdir -p under /proc hangs Node 20 and 22). */
const notADir = () => {
  const f = join(dir(), 'file');
  writeFileSync(f, '');
  return f;
};

describe('state file', () => {
  it('records results as they finish and skips done and vanished objects on reopen, by key and version', async () => {
    const path = join(dir(), 'sub', 'state.jsonl');
    const s1 = await openState(path, header, 4);
    expect(s1.resumedCount).toBe(0);
    s1.recordResult({ key: 'a' }, result('a', 'done'));
    s1.recordResult({ key: 'b', versionId: 'v1' }, result('b', 'vanished'));
    s1.recordResult({ key: 'c' }, result('c', 'failed'));
    s1.recordResult({ key: 'd' }, result('d', 'skipped'));
    // Written before close: a kill -9 right now loses nothing.
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(5);
    await s1.close();
    const s2 = await openState(path, header, 4);
    expect(s2.resumedCount).toBe(2);
    expect(s2.isFinished({ key: 'a' })).toBe(true);
    expect(s2.isFinished({ key: 'b', versionId: 'v1' })).toBe(true);
    expect(s2.isFinished({ key: 'b' })).toBe(false);
    expect(s2.isFinished({ key: 'c' })).toBe(false);
    expect(s2.isFinished({ key: 'd' })).toBe(false);
    await s2.close();
  });

  it('does not take "gone" (written by versions that believed a bare 404) as finished: those are looked at again', async () => {
    const path = join(dir(), 'state.jsonl');
    const s1 = await openState(path, header, 1);
    s1.recordResult({ key: 'a' }, result('a', 'done'));
    await s1.close();
    appendFileSync(path, `${JSON.stringify({ t: 'r', k: 'old', v: null, a: 'copy', o: 'gone' })}\n`);
    const s2 = await openState(path, header, 1);
    expect(s2.isFinished({ key: 'a' })).toBe(true);
    expect(s2.isFinished({ key: 'old' })).toBe(false);
    expect(s2.resumedCount).toBe(1);
    await s2.close();
  });

  it('survives a partial last line (kill -9 mid-write) without gluing the next record to it', async () => {
    const path = join(dir(), 'state.jsonl');
    const s1 = await openState(path, header, 1);
    s1.recordResult({ key: 'a' }, result('a', 'done'));
    await s1.close();
    appendFileSync(path, '{"t":"r","k":"half');
    const s2 = await openState(path, header, 1);
    s2.recordResult({ key: 'z' }, result('z', 'done'));
    await s2.close();
    const s3 = await openState(path, header, 1);
    expect(s3.isFinished({ key: 'a' })).toBe(true);
    expect(s3.isFinished({ key: 'z' })).toBe(true);
    expect(s3.resumedCount).toBe(2);
    await s3.close();
  });

  it('remembers multipart uploads still open', async () => {
    const path = join(dir(), 'state.jsonl');
    const s1 = await openState(path, header, 8);
    s1.recordUploadIntent('big', 1000, []);
    s1.recordUploadOpened('big', 'u1');
    s1.recordUploadIntent('big2', 2000, []);
    s1.recordUploadOpened('big2', 'u2');
    s1.recordUploadClosed('big', 'u1');
    s1.recordUploadIntent('killed-before-answer', 3000, ['an-app-upload']);
    s1.recordUploadIntent('settled', 4000, undefined);
    s1.recordUploadClosed('settled');
    await s1.close();
    const s2 = await openState(path, header, 8);
    expect(s2.openUploads()).toEqual([
      { key: 'big2', uploadId: 'u2' },
      { key: 'killed-before-answer', since: 3000, existing: ['an-app-upload'] },
    ]);
    await s2.close();
  });

  it('refuses a state file of another bucket or key, or not a state file at all', async () => {
    const path = join(dir(), 'state.jsonl');
    await (await openState(path, header, 1)).close();
    await expect(openState(path, { ...header, bucket: 'other' }, 1)).rejects.toThrow(
      /belongs to bucket b, not other/,
    );
    await expect(openState(path, { ...header, kmsKey: 'k2' }, 1)).rejects.toThrow(/was written for key/);
    const junk = join(dir(), 'junk.jsonl');
    writeFileSync(junk, '{"hello":1}\n');
    await expect(openState(junk, header, 1)).rejects.toThrow(/is not an s3-encrypt state file/);
    await expect(openState(join(notADir(), 'state.jsonl'), header, 1)).rejects.toThrow(
      /--state .*state\.jsonl: .*file is a file, not a directory/,
    );
  });
});
