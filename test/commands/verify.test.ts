import { beforeEach, describe, expect, it } from 'vitest';
import { fakeServices, fakeWorld, head, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let world: FakeWorld;
const key = keyDesc();
const other = keyDesc({ keyId: 'other-1' });

beforeEach(() => {
  world = fakeWorld();
  world.keys.set('alias/app', key);
  world.buckets.set('data-1', {
    region: 'us-east-1',
    objects: [
      head('plain'),
      head('dir/sse-s3', { serverSideEncryption: 'AES256' }),
      head('dir/other', { serverSideEncryption: 'aws:kms', kmsKeyId: other.arn, bucketKeyEnabled: true }),
      head('ok', { serverSideEncryption: 'aws:kms', kmsKeyId: key.arn, bucketKeyEnabled: true }),
      head('ok-no-bk', { serverSideEncryption: 'aws:kms', kmsKeyId: key.arn }),
    ],
  });
});

describe('verify --live', () => {
  it('counts per class and exits 1 while offenders remain', async () => {
    const r = await runCli(
      ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live'],
      fakeServices(world),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/compliant\s+2/);
    expect(r.stdout).toMatch(/NOT-SSE\s+1/);
    expect(r.stdout).toMatch(/SSE-S3\s+1/);
    expect(r.stdout).toMatch(/SSE-KMS-other-key\s+1/);
    expect(r.stdout).toContain('NOT COMPLIANT: 3 of 5 objects need work');
    expect(r.stdout).toContain('"dir/sse-s3"');
  });

  it('--require-bucket-key flags SSE-KMS without a bucket key', async () => {
    const r = await runCli(
      ['--json', 'verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live', '--require-bucket-key'],
      fakeServices(world),
    );
    const lines = r.json() as Record<string, unknown>[];
    expect(
      lines
        .slice(0, -1)
        .map((l) => l.class)
        .sort(),
    ).toEqual(['NOT-SSE', 'SSE-KMS-no-bucket-key', 'SSE-KMS-other-key', 'SSE-S3']);
    expect(lines.at(-1)).toEqual({
      summary: {
        checked: 5,
        compliant: 1,
        needWork: 4,
        vanished: 0,
        unverified: 0,
        byClass: {
          compliant: 1,
          'NOT-SSE': 1,
          'SSE-S3': 1,
          'SSE-KMS-other-key': 1,
          'SSE-KMS-no-bucket-key': 1,
          'SSE-C': 0,
          'DSSE-KMS': 0,
          vanished: 0,
          unverified: 0,
        },
        bytesByClass: {
          compliant: 1,
          'NOT-SSE': 1,
          'SSE-S3': 1,
          'SSE-KMS-other-key': 1,
          'SSE-KMS-no-bucket-key': 1,
          'SSE-C': 0,
          'DSSE-KMS': 0,
          vanished: 0,
          unverified: 0,
        },
        interrupted: false,
        // Five objects: too few for the limit to grow from where it starts.
        pacing: { throttles: 0, backoffs: 0, highestConcurrency: 8 },
      },
    });
    expect(r.stderr).toContain('Checking s3://data-1/');
  });

  it('--prefix limits the check, and exit 0 when all are compliant', async () => {
    world.buckets
      .get('data-1')
      ?.objects.push(
        head('good/a', { serverSideEncryption: 'aws:kms', kmsKeyId: key.arn, bucketKeyEnabled: true }),
      );
    const r = await runCli(
      ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live', '--prefix', 'good/'],
      fakeServices(world),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('COMPLIANT: all 1 objects seen are SSE-KMS under the target key');
  });

  it('an interrupted run prints its partial summary and exits 130', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await runCli(
      ['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', '--live'],
      fakeServices(world),
      { signal: ac.signal },
    );
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('INTERRUPTED after 0 objects');
  });
});
