// What the S3 Select engine's integration tests share: one set of inventory rows with the keys
// that break naive CSV and URL handling, written as a real GZIP delivery or as its uncompressed
// copy, and build-manifest run by the built CLI with either engine.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { runBin, type ProcResult } from '../support/cli.js';
import { putDelivery, record, renderDelivery, type RenderedDelivery } from '../support/inventory-delivery.js';
import type { Target } from '../support/servers.js';
import { uncompressedCopy } from '../support/uncompressed-delivery.js';

const ODD_KEYS = [
  'with space',
  'comma,separated',
  "quote\"d 'single'",
  'plus+sign',
  '100%25 and %',
  'ünïcødé/日本語/😀',
  'tab\there',
  'a/b//c/',
  '~tilde*star(1)!',
  'new\nline',
];

function selectRecords(src: string) {
  return [
    ...ODD_KEYS.map((k) => record(src, `odd/${k}`)),
    record(src, 'kms/bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' }),
    record(src, 'kms/no-bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED', VersionId: 'v1' }),
    record(src, 'sse-s3', { EncryptionStatus: 'SSE-S3', VersionId: 'v2' }),
    record(src, 'ia', { StorageClass: 'STANDARD_IA' }),
    record(src, 'glacier', { StorageClass: 'GLACIER' }),
    record(src, 'old', { IsLatest: 'false', VersionId: 'o1' }),
    record(src, 'gone', { IsDeleteMarker: 'true', VersionId: 'd1' }),
  ];
}

export interface SelectFixture {
  t: Target;
  s3: S3Client;
  src: string;
  dest: string;
  kmsKey: string;
}

export async function createBuckets(f: SelectFixture): Promise<void> {
  await f.s3.send(new CreateBucketCommand({ Bucket: f.src }));
  await f.s3.send(new CreateBucketCommand({ Bucket: f.dest }));
}

/** Put one delivery of selectRecords under inv/SRC/ID/: GZIP as S3 writes it, or its plain copy. */
export async function deliver(
  f: SelectFixture,
  id: string,
  form: 'gzip' | 'plain',
): Promise<RenderedDelivery> {
  const gz = renderDelivery(selectRecords(f.src), {
    sourceBucket: f.src,
    destinationBucket: f.dest,
    prefix: 'inv',
    id,
    files: 2,
    folder: '2026-05-02T00-00Z',
  });
  const d = form === 'gzip' ? gz : uncompressedCopy(gz);
  await putDelivery(f.s3, f.dest, d);
  return d;
}

export function buildManifest(
  f: SelectFixture,
  id: string,
  engine: 'local' | 'select',
  ...extra: string[]
): Promise<ProcResult> {
  return runBin(
    [
      'build-manifest',
      '--bucket',
      f.src,
      '--inventory',
      `s3://${f.dest}/inv`,
      '--id',
      id,
      '--kms-key',
      f.kmsKey,
      '--skip-key-check',
      '--engine',
      engine,
      ...extra,
    ],
    f.t,
  );
}

/** Every key (and ETag) in the destination bucket: nothing may change on a refused run. */
export async function listAll(f: SelectFixture): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await f.s3.send(new ListObjectsV2Command({ Bucket: f.dest, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((c) => `${c.Key} ${c.ETag}`));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** A fresh directory for --out. */
export function outDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 's3e-select-'));
}

/** name -> content of every file build-manifest wrote to --out. */
export async function readOut(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name), 'utf8');
  return files;
}

/** The error lines of a run (a --engine select run also warns that MD5s are not checked). */
export function errorLines(r: ProcResult): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('error:'));
}
