// verify --live against moto: exact counts per class, exit 1 with offenders, 0 once fixed.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const bucket = uniqueBucket('verify');
let keyArn = '';
let otherArn = '';

const put = (Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}`, ...extra }));

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  otherArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await put('plain/one');
  await put('plain/with space+plus%percent ünï');
  await put('sse-s3/a', { ServerSideEncryption: 'AES256' });
  await put('sse-s3/b', { ServerSideEncryption: 'AES256' });
  await put('sse-s3/c', { ServerSideEncryption: 'AES256' });
  await put('other-key/a', {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: otherArn,
    BucketKeyEnabled: true,
  });
  await put('target/bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
  await put('target/no-bk', {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: keyArn,
    BucketKeyEnabled: false,
  });
});

type Line = {
  key?: string;
  class?: string;
  summary?: { checked: number; compliant: number; byClass: Record<string, number> };
};

describe('verify --live on moto', () => {
  it('reports the exact count per class and exits 1', async () => {
    const r = await runBin(
      ['--json', 'verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--require-bucket-key'],
      t,
    );
    expect(r.code, r.stderr).toBe(1);
    const lines = r.lines() as Line[];
    const summary = lines.at(-1)?.summary;
    expect(summary).toEqual({
      checked: 8,
      compliant: 1,
      needWork: 7,
      vanished: 0,
      unverified: 0,
      byClass: {
        compliant: 1,
        'NOT-SSE': 2,
        'SSE-S3': 3,
        'SSE-KMS-other-key': 1,
        'SSE-KMS-no-bucket-key': 1,
        'SSE-C': 0,
        'DSSE-KMS': 0,
        vanished: 0,
        unverified: 0,
      },
      bytesByClass: {
        compliant: 17,
        'NOT-SSE': 60,
        'SSE-S3': 48,
        'SSE-KMS-other-key': 19,
        'SSE-KMS-no-bucket-key': 20,
        'SSE-C': 0,
        'DSSE-KMS': 0,
        vanished: 0,
        unverified: 0,
      },
      interrupted: false,
      // Eight objects: too few for the limit to grow from where it starts.
      pacing: { throttles: 0, backoffs: 0, highestConcurrency: 8 },
    });
    expect(
      lines
        .slice(0, -1)
        .map((l) => l.key)
        .sort(),
    ).toEqual([
      'other-key/a',
      'plain/one',
      'plain/with space+plus%percent ünï',
      'sse-s3/a',
      'sse-s3/b',
      'sse-s3/c',
      'target/no-bk',
    ]);
  });

  it('without --require-bucket-key, SSE-KMS under the key counts as compliant', async () => {
    const r = await runBin(['verify', '--bucket', bucket, '--kms-key', keyArn, '--live'], t);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/compliant\s+2/);
    expect(r.stdout).toContain('NOT COMPLIANT: 6 of 8 objects need work');
  });

  it('--prefix limits the scan', async () => {
    const r = await runBin(
      ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--prefix', 'target/'],
      t,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('COMPLIANT: all 2 objects seen are SSE-KMS under the target key');
  });

  it('exits 0 once every object is fixed; --all-versions still sees the old versions', async () => {
    for (const key of [
      'plain/one',
      'plain/with space+plus%percent ünï',
      'sse-s3/a',
      'sse-s3/b',
      'sse-s3/c',
      'other-key/a',
      'target/no-bk',
    ]) {
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          CopySource: `${bucket}/${encodeURIComponent(key)}`,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: keyArn,
          BucketKeyEnabled: true,
        }),
      );
    }
    const current = await runBin(
      [
        'verify',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--live',
        '--require-bucket-key',
        '--concurrency',
        '3',
      ],
      t,
    );
    expect(current.code, current.stdout + current.stderr).toBe(0);
    expect(current.stdout).toContain('COMPLIANT: all 8 objects seen are SSE-KMS under the target key');

    const all = await runBin(
      [
        '--json',
        'verify',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--live',
        '--require-bucket-key',
        '--all-versions',
      ],
      t,
    );
    expect(all.code).toBe(1);
    const lines = all.lines() as (Line & { isLatest?: boolean })[];
    expect(lines.at(-1)?.summary?.checked).toBe(15);
    expect(lines.slice(0, -1).every((l) => l.isLatest === false)).toBe(true);
  });
});
