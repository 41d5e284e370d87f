// Buckets full of the objects encrypt must handle, for the moto and RGW integration tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { runBin, type ProcResult } from '../support/cli.js';
import type { Target } from '../support/servers.js';

export const KIB = 1024;
export const MIB = 1024 * KIB;

/** Deterministic content of a given size (different per key). */
export function body(key: string, size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = 2166136261;
  for (const c of key) x = Math.imul(x ^ c.charCodeAt(0), 16777619);
  for (let i = 0; i < size; i++) {
    x = Math.imul(x ^ i, 16777619);
    b[i] = 97 + ((x >>> 8) % 26);
  }
  return b;
}

export interface Seed {
  key: string;
  size: number;
  put?: Partial<PutObjectCommandInput>;
}

/** Objects every tier can hold: plain, metadata, content headers, tags, classes, special keys, sizes. */
export function commonSeeds(): Seed[] {
  const expires = new Date('2031-01-01T00:00:00Z');
  return [
    { key: 'plain/a.txt', size: 100 },
    { key: 'plain/empty', size: 0 },
    {
      key: 'headers/page.html',
      size: 300,
      put: {
        ContentType: 'text/html; charset=utf-8',
        CacheControl: 'max-age=600, public',
        ContentDisposition: 'attachment; filename="page.html"',
        ContentLanguage: 'de-DE',
        Expires: expires,
      },
    },
    { key: 'meta/user.bin', size: 200, put: { Metadata: { owner: 'team-a', 'build-id': '42' } } },
    { key: 'tags/tagged.txt', size: 120, put: { Tagging: 'project=blue&note=two%20words' } },
    { key: 'class/ia.txt', size: 150, put: { StorageClass: 'STANDARD_IA' } },
    { key: 'redirect/index.html', size: 10, put: { WebsiteRedirectLocation: '/new/index.html' } },
    { key: 'dir/a b+c=d&e~ü', size: 64 },
    {
      key: 'big/over-threshold.bin',
      size: 12 * KIB,
      put: { ContentType: 'application/x-big', Metadata: { big: 'yes' }, Tagging: 'size=big' },
    },
    {
      key: 'big/three-parts.bin',
      size: 11 * MIB,
      put: { ContentType: 'application/octet-stream', CacheControl: 'no-cache', Tagging: 'parts=3' },
    },
  ];
}

export async function putSeeds(s3: S3Client, bucket: string, seeds: Seed[]): Promise<void> {
  for (const s of seeds)
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: s.key, Body: body(s.key, s.size), ...s.put }));
}

export async function createBucket(
  s3: S3Client,
  bucket: string,
  opts: { versioned?: boolean; lock?: boolean; ownership?: 'ObjectWriter' | 'BucketOwnerPreferred' } = {},
): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(opts.lock ? { ObjectLockEnabledForBucket: true } : {}),
      ...(opts.ownership ? { ObjectOwnership: opts.ownership } : {}),
    }),
  );
  if (opts.versioned && !opts.lock)
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `s3e-${prefix}-`));
}

export interface SummaryLine {
  summary: {
    processed: number;
    resumed: number;
    failures: number;
    interrupted: boolean;
    byCategory: Record<string, { objects: number; bytes: number }>;
    skippedByReason: Record<string, { objects: number }>;
    planned: Record<string, { objects: number }>;
    copyMethod: { mode: string; used: string; note?: string };
    updateObjectEncryption: { state: string; note?: string };
    bucketKey: { policy: string; acceptedAbsent: boolean };
    pacing: {
      throttles: number;
      retries: number;
      lowestConcurrency: number;
      backoffs: number;
      highestConcurrency: number;
    };
    abortedLeftoverUploads: number;
    requests?: Record<string, number>;
    kms?: { upperBound: number };
  };
}

export interface ObjectLine {
  key: string;
  versionId: string | null;
  action: string;
  outcome: string;
  reason: string | null;
  bytes: number;
  ms: number;
}

export function parseRun(r: ProcResult): { objects: ObjectLine[]; summary: SummaryLine['summary'] } {
  const lines = r.lines() as unknown[];
  const last = lines.at(-1) as SummaryLine | undefined;
  if (!last || !('summary' in last))
    throw new Error(`no summary line (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
  return { objects: lines.slice(0, -1) as ObjectLine[], summary: last.summary };
}

export function encrypt(
  t: Target,
  args: string[],
  opts: { endpoint?: string; timeoutMs?: number } = {},
): Promise<ProcResult> {
  return runBin(
    [...(opts.endpoint ? ['--endpoint-url', opts.endpoint] : []), '--json', 'encrypt', ...args],
    t,
    { endpoint: opts.endpoint === undefined, timeoutMs: opts.timeoutMs ?? 170_000 },
  );
}
