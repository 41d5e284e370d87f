// build-manifest's byte path (core/inventory/manifest-rows.ts) against the string path it
// stands in for: the same delivery through both must give byte-identical manifests, the same
// summary.json (counters in the same order) and the same first error. The string path is what
// a reader gives when the visitor has no byte path (RowVisitor.indexed left out).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dirDeliveryReader } from '../../../src/adapters/fs/manifest-from-dir.js';
import { manifestWriter } from '../../../src/adapters/fs/manifest-writer.js';
import { buildManifests } from '../../../src/core/inventory/build-manifests.js';
import type { DeliveryReader } from '../../../src/core/inventory/ports.js';
import {
  ALL_FIELDS,
  record,
  renderDelivery,
  writeDeliveryDir,
  type InventoryRecord,
} from '../../int/support/inventory-delivery.js';

const B = 'data-1';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GiB = 1024 ** 3;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-bytes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The reader, with the byte path taken away from every visitor it is given. */
function stringsOnly(reader: DeliveryReader): DeliveryReader {
  return {
    where: reader.where,
    async open(date) {
      const opened = await reader.open(date);
      return {
        ...opened,
        scan: (file, layout, visitor, signal) =>
          opened.scan(
            file,
            layout,
            { row: (values, n) => visitor.row(values, n), ready: () => visitor.ready() },
            signal,
          ),
      };
    },
  };
}

type Built = { files: Record<string, string>; summary: unknown } | { error: string };

async function build(delivery: string, bytes: boolean, several: boolean): Promise<Built> {
  const out = join(dir, bytes ? 'out-bytes' : 'out-strings');
  const reader = dirDeliveryReader(delivery);
  try {
    await buildManifests(bytes ? reader : stringsOnly(reader), manifestWriter({ dir: out, keep: true }), {
      bucket: B,
      concurrency: 3,
      kmsKey: KEY,
      date: 'latest',
      dryRun: false,
      destination: { kind: 'local' },
      now: () => new Date(0),
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
  const files: Record<string, string> = {};
  for (const name of (await readdir(out)).sort()) {
    const text = await readFile(join(out, name), 'latin1');
    // summary.json names the files by path: the two runs write to different directories.
    files[name] = text.replaceAll(out, 'OUT');
  }
  const summary: unknown = JSON.parse(files['summary.json'] ?? '');
  // With several files read at once, which file first shows a status (and so its place among
  // the counters) depends on timing, on either path: the text is compared for one file only.
  if (several) files['summary.json'] = '(compared as an object)';
  return { files, summary };
}

async function bothPaths(records: InventoryRecord[], files = 3, fields: readonly string[] = ALL_FIELDS) {
  const d = renderDelivery(records, {
    sourceBucket: B,
    destinationBucket: 'inv',
    prefix: '',
    id: 'cfg',
    folder: '2026-05-03T00-00Z',
    files,
    fields,
    slash: 'encoded',
  });
  const delivery = join(dir, 'delivery');
  await writeDeliveryDir(delivery, d);
  return { bytes: await build(delivery, true, files > 1), strings: await build(delivery, false, files > 1) };
}

/** A small deterministic generator (mulberry32): the same rows every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const STATUSES = ['NOT-SSE', 'SSE-S3', 'SSE-KMS', 'SSE-C', 'DSSE-KMS', '', 'sse-kms', 'SSE-NEW'];
const CLASSES = [
  'STANDARD',
  '',
  'GLACIER',
  'DEEP_ARCHIVE',
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'glacier_ir',
];
const TIERS = ['', 'ARCHIVE', 'DEEP_ARCHIVE_ACCESS', 'FREQUENT', 'archive_access'];
const BUCKET_KEYS = ['', 'ENABLED', 'DISABLED', 'enabled'];
// Totals stay below 2^53 bytes, where sums are exact in any order (the byte path adds its rows
// per kind); 16 characters and '1e3' go to Number(), as sizeOf does.
const SIZES = [
  '0',
  '10',
  '',
  String(5 * GiB),
  String(5 * GiB + 1),
  '999999999999',
  '0000000000000012',
  '1e3',
  '-1',
];
const KEYS = [
  'plain/a.txt',
  'dir/sub dir/with space',
  'plus+sign',
  'percent%literal',
  "unreserved-_.!~*'()",
  'comma,and;semicolon',
  'euro-€-sign',
  'ümlaut/ß',
  'tab\there',
  '',
];
const VERSIONS = ['', 'v1', 'AbC.123_x', 'has+plus', 'has/slash', 'space version'];

function randomRows(n: number, seed: number): InventoryRecord[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const latest = pick(r, ['true', 'true', 'true', 'false', 'TRUE', 'FALSE']);
    return record(B, `${pick(r, KEYS)}-${i}`, {
      VersionId: pick(r, VERSIONS),
      IsLatest: latest,
      IsDeleteMarker: pick(r, ['false', 'false', 'false', 'false', 'true', 'TRUE']),
      Size: pick(r, SIZES),
      StorageClass: pick(r, CLASSES),
      EncryptionStatus: pick(r, STATUSES),
      BucketKeyStatus: pick(r, BUCKET_KEYS),
      IntelligentTieringAccessTier: pick(r, TIERS),
    });
  });
}

describe('build-manifest byte path', () => {
  it('gives the same manifests and summary as the string path on mixed rows', async () => {
    const { bytes, strings } = await bothPaths(randomRows(6000, 7));
    expect('files' in bytes && Object.keys(bytes.files)).toEqual(
      'files' in strings && Object.keys(strings.files),
    );
    expect(bytes).toEqual(strings);
    // The rows reached every kind of manifest, so the comparison covered them all.
    expect(Object.keys('files' in bytes ? bytes.files : {})).toEqual(
      expect.arrayContaining(['update-encryption.csv', 'large.csv', 'archived.csv', 'copy-STANDARD.csv']),
    );
  });

  it('keeps the counters of summary.json in the order the rows show them (one data file)', async () => {
    const { bytes, strings } = await bothPaths(randomRows(4000, 13), 1);
    expect(bytes).toEqual(strings);
  });

  it('keeps that order when every row takes the byte path (no flush between rows)', async () => {
    const r = random(23);
    const rows = randomRows(4000, 29).map((rec, i) => ({
      ...rec,
      Key: `dir/file ${i}+x`,
      VersionId: pick(r, ['', 'v1', 'AbC.123_x']),
      Size: pick(r, ['0', '10', '999999999999', String(5 * GiB + 1)]),
    }));
    const { bytes, strings } = await bothPaths(rows, 1);
    expect(bytes).toEqual(strings);
  });

  it('and on an inventory without VersionId, IsLatest, Size, tier or bucket-key columns', async () => {
    const fields = ['Bucket', 'Key', 'StorageClass', 'EncryptionStatus'];
    const { bytes, strings } = await bothPaths(randomRows(3000, 11), 2, fields);
    expect(bytes).toEqual(strings);
  });

  it('when a column has more distinct values than the byte path keeps', async () => {
    const rows = randomRows(2000, 3).map((rec, i) => ({ ...rec, StorageClass: `CLASS_${i % 150}` }));
    const { bytes, strings } = await bothPaths(rows, 2);
    expect(bytes).toEqual(strings);
  });

  it('with more kinds than it keeps (a hand-made mix of every column), in one file', async () => {
    const r = random(17);
    const rows = randomRows(12000, 19).map((rec) => ({
      ...rec,
      StorageClass: `CLASS_${Math.floor(r() * 60)}`,
      EncryptionStatus:
        pick(r, ['NOT-SSE', 'SSE-S3', 'SSE-KMS']) + (r() < 0.5 ? '' : `-${Math.floor(r() * 50)}`),
      IntelligentTieringAccessTier: pick(r, TIERS),
    }));
    const { bytes, strings } = await bothPaths(rows, 1);
    expect(bytes).toEqual(strings);
  });

  it.each<[string, InventoryRecord]>([
    ['a row of another bucket', { Bucket: 'other-bucket' }],
    ['an IsLatest that is neither true nor false', { IsLatest: 'maybe' }],
    ['a malformed escape in a key', { Key: '' }],
  ])('stops at the same row with the same message on %s', async (_, damage) => {
    const rows: InventoryRecord[] = randomRows(3000, 5).map((rec) => ({
      ...rec,
      IsLatest: 'true',
      IsDeleteMarker: 'false',
    }));
    rows[2222] = { ...(rows[2222] as InventoryRecord), ...damage };
    const d = {
      sourceBucket: B,
      destinationBucket: 'inv',
      prefix: '',
      id: 'cfg',
      folder: '2026-05-03T00-00Z',
    };
    const rendered = renderDelivery(rows, {
      ...d,
      files: 1,
      // A key the inventory never writes: '%' not followed by two hex digits.
      csv: (text) => (damage['Key'] === '' ? text.replace(`"${B}","",`, `"${B}","bad%zzescape",`) : text),
    });
    const delivery = join(dir, 'delivery');
    await writeDeliveryDir(delivery, rendered);
    const bytes = await build(delivery, true, false);
    const strings = await build(delivery, false, false);
    expect(bytes).toEqual(strings);
    expect('error' in bytes && bytes.error).toMatch(/row 2223/);
  });
});
