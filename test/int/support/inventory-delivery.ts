// Writes S3 Inventory deliveries in S3's exact CSV format, because no local server delivers
// inventory reports (moto never does; RGW has no inventory at all):
// - manifest.json (sourceBucket name, destinationBucket ARN, version, creationTimestamp as a string
//   of epoch ms, fileFormat CSV, fileSchema "A, B, C", files[] {key, size, MD5checksum}) and
//   manifest.checksum (MD5 hex of manifest.json) under PREFIX/SOURCE/ID/YYYY-MM-DDTHH-MMZ/;
// - gzipped CSV data files under PREFIX/SOURCE/ID/data/: no header, every field double-quoted,
//   rows ending in "\n", keys form-URL-encoded (space as '+', '+' as %2B);
// - hive/dt=YYYY-MM-DD-HH-MM/symlink.txt, so listings have the same extra folders as on AWS.
// Rows come from a REAL bucket (ListObjectVersions + HeadObject per version) or are given.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** Every column in the order AWS examples show them. */
export const ALL_FIELDS = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
] as const;

/** What setup-inventory asks for with IncludedObjectVersions=All. */
export const DEFAULT_FIELDS = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'EncryptionStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
];

/** One inventory row: column name -> raw value. `Key` is the real key; the writer encodes it. */
export type InventoryRecord = Record<string, string>;

/**
 * Form-URL-encode a key as S3 Inventory does (Java URLEncoder style: space -> '+', '~' and
 * '!\'()' percent-encoded, '*' kept). `slash` chooses whether '/' stays literal.
 */
export function encodeInventoryKey(key: string, slash: 'literal' | 'encoded' = 'encoded'): string {
  let s = encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (slash === 'literal') s = s.replace(/%2F/g, '/');
  return s;
}

/** Read a real bucket into inventory rows: every version and delete marker, one HEAD per version. */
export async function recordsFromBucket(s3: S3Client, bucket: string): Promise<InventoryRecord[]> {
  const records: InventoryRecord[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const v of page.Versions ?? []) {
      const key = v.Key ?? '';
      const rec: InventoryRecord = {
        Bucket: bucket,
        Key: key,
        // Objects written before versioning was enabled have the "null" version: S3 writes ''.
        VersionId: v.VersionId && v.VersionId !== 'null' ? v.VersionId : '',
        IsLatest: v.IsLatest ? 'true' : 'false',
        IsDeleteMarker: 'false',
        Size: String(v.Size ?? 0),
        LastModifiedDate: v.LastModified?.toISOString() ?? '',
        ETag: (v.ETag ?? '').replace(/"/g, ''),
        StorageClass: v.StorageClass ?? 'STANDARD',
        IsMultipartUploaded: (v.ETag ?? '').includes('-') ? 'true' : 'false',
        ReplicationStatus: '',
        ObjectLockRetainUntilDate: '',
        ObjectLockMode: '',
        ObjectLockLegalHoldStatus: '',
        IntelligentTieringAccessTier: '',
        ChecksumAlgorithm: '',
      };
      try {
        const h = await s3.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: v.VersionId ?? undefined }),
        );
        rec.EncryptionStatus =
          h.ServerSideEncryption === 'AES256'
            ? 'SSE-S3'
            : h.ServerSideEncryption === 'aws:kms'
              ? 'SSE-KMS'
              : h.ServerSideEncryption === 'aws:kms:dsse'
                ? 'DSSE-KMS'
                : 'NOT-SSE';
        rec.BucketKeyStatus =
          rec.EncryptionStatus === 'SSE-KMS' ? (h.BucketKeyEnabled ? 'ENABLED' : 'DISABLED') : '';
        rec.StorageClass = h.StorageClass ?? rec.StorageClass ?? 'STANDARD';
      } catch (err) {
        // S3 refuses a HEAD on an SSE-C object without its key (400).
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 400) throw err;
        rec.EncryptionStatus = 'SSE-C';
        rec.BucketKeyStatus = '';
      }
      records.push(rec);
    }
    for (const d of page.DeleteMarkers ?? []) {
      records.push({
        Bucket: bucket,
        Key: d.Key ?? '',
        VersionId: d.VersionId && d.VersionId !== 'null' ? d.VersionId : '',
        IsLatest: d.IsLatest ? 'true' : 'false',
        IsDeleteMarker: 'true',
        LastModifiedDate: d.LastModified?.toISOString() ?? '',
      });
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  return records;
}

export interface DeliveryOptions {
  sourceBucket: string;
  /** Destination bucket name (manifest.json destinationBucket is its ARN). */
  destinationBucket: string;
  /** Destination prefix ('' for none) and configuration id: keys are PREFIX/SOURCE/ID/... */
  prefix: string;
  id: string;
  /** Column list and order (fileSchema). */
  fields?: readonly string[];
  /** Split rows round-robin into this many data files (at least 1 file, even with no rows). */
  files?: number;
  /** Delivery folder, YYYY-MM-DDTHH-MMZ; default: now. */
  folder?: string;
  /** Row overrides, e.g. claim a Size over 5 GiB or a StorageClass: return the fields to replace. */
  override?: (rec: InventoryRecord) => Partial<InventoryRecord> | undefined;
  /** How '/' appears in encoded keys. */
  slash?: 'literal' | 'encoded';
  /** TRUE/FALSE instead of true/false. */
  upperBooleans?: boolean;
  /** Damage hooks for bad-input tests. */
  manifest?: (m: Record<string, unknown>) => Record<string, unknown> | string;
  checksum?: (md5: string) => string | undefined;
  csv?: (text: string, fileIndex: number) => string;
  gzip?: (gz: Buffer, fileIndex: number) => Buffer;
  /** Leave out manifest.json or manifest.checksum (an incomplete delivery). */
  omit?: 'manifest.json' | 'manifest.checksum';
}

export interface RenderedDelivery {
  folder: string;
  /** Key -> body for every object of the delivery (manifest, checksum, data files, symlink). */
  objects: Map<string, Buffer>;
  manifestKey: string;
  dataKeys: string[];
  /** The rows as written (after overrides), Key unencoded. */
  records: InventoryRecord[];
}

function folderNow(): string {
  return new Date().toISOString().slice(0, 16).replace(':', '-') + 'Z';
}

const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');

/** Render a delivery in memory, exactly as S3 lays it out. */
export function renderDelivery(input: InventoryRecord[], o: DeliveryOptions): RenderedDelivery {
  const fields = o.fields ?? DEFAULT_FIELDS;
  const folder = o.folder ?? folderNow();
  const root = [o.prefix, o.sourceBucket, o.id].filter(Boolean).join('/');
  const records = input.map((r) => ({ ...r, ...(o.override?.(r) ?? {}) }) as InventoryRecord);
  const nFiles = Math.max(1, o.files ?? 1);
  const lines: string[][] = Array.from({ length: nFiles }, () => []);
  records.forEach((rec, i) => {
    const cells = fields.map((f) => {
      let v = rec[f] ?? '';
      if (f === 'Key') v = encodeInventoryKey(v, o.slash);
      if (o.upperBooleans && (v === 'true' || v === 'false')) v = v.toUpperCase();
      return `"${v.replace(/"/g, '""')}"`;
    });
    lines[i % nFiles]?.push(`${cells.join(',')}\n`);
  });
  const objects = new Map<string, Buffer>();
  const files: { key: string; size: number; MD5checksum: string }[] = [];
  const dataKeys: string[] = [];
  lines.forEach((ls, i) => {
    const text = o.csv ? o.csv(ls.join(''), i) : ls.join('');
    let gz: Buffer = gzipSync(Buffer.from(text, 'utf8'));
    // manifest.json describes the file S3 wrote; the damage happens afterwards.
    files.push({ key: `${root}/data/${randomUUID()}.csv.gz`, size: gz.length, MD5checksum: md5(gz) });
    if (o.gzip) gz = o.gzip(gz, i);
    const key = files[i]?.key ?? '';
    objects.set(key, gz);
    dataKeys.push(key);
  });
  let manifest: Record<string, unknown> | string = {
    sourceBucket: o.sourceBucket,
    destinationBucket: `arn:aws:s3:::${o.destinationBucket}`,
    version: '2016-11-30',
    creationTimestamp: String(Date.parse(`${folder.slice(0, 13)}:${folder.slice(14, 16)}:00Z`)),
    fileFormat: 'CSV',
    fileSchema: fields.join(', '),
    files,
  };
  if (o.manifest) manifest = o.manifest(manifest);
  const manifestText = typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2);
  const manifestKey = `${root}/${folder}/manifest.json`;
  const checksum = o.checksum ? o.checksum(md5(manifestText)) : md5(manifestText);
  if (o.omit !== 'manifest.json') objects.set(manifestKey, Buffer.from(manifestText));
  if (o.omit !== 'manifest.checksum' && checksum !== undefined)
    objects.set(`${root}/${folder}/manifest.checksum`, Buffer.from(checksum));
  const dt = `${folder.slice(0, 10)}-${folder.slice(11, 13)}-${folder.slice(14, 16)}`;
  objects.set(
    `${root}/hive/dt=${dt}/symlink.txt`,
    Buffer.from(dataKeys.map((k) => `s3://${o.destinationBucket}/${k}`).join('\n')),
  );
  return { folder, objects, manifestKey, dataKeys, records };
}

/** Upload a rendered delivery to the destination bucket. */
export async function putDelivery(s3: S3Client, bucket: string, d: RenderedDelivery): Promise<void> {
  for (const [Key, Body] of d.objects) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
}

/**
 * Write a rendered delivery under `dir`: `layout: 's3'` keeps the S3 key paths (dir = the
 * destination prefix root), `layout: 'flat'` puts manifest.json, manifest.checksum and data/ in
 * `dir` itself, as `aws s3 cp` of one delivery folder plus data/ would.
 */
export async function writeDeliveryDir(
  dir: string,
  d: RenderedDelivery,
  layout: 'flat' | 's3' = 'flat',
): Promise<string> {
  for (const [key, body] of d.objects) {
    let path: string;
    if (layout === 's3') path = join(dir, key);
    else if (key.endsWith('/manifest.json') || key.endsWith('/manifest.checksum'))
      path = join(dir, key.split('/').pop() ?? '');
    else if (key.includes('/data/')) path = join(dir, 'data', key.split('/').pop() ?? '');
    else continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
  return dir;
}

/** One hand-made row with sensible defaults (for tests that need no bucket). */
export function record(bucket: string, key: string, over: Partial<InventoryRecord> = {}): InventoryRecord {
  return {
    Bucket: bucket,
    Key: key,
    VersionId: '',
    IsLatest: 'true',
    IsDeleteMarker: 'false',
    Size: '10',
    LastModifiedDate: '2026-01-01T00:00:00.000Z',
    ETag: 'd41d8cd98f00b204e9800998ecf8427e',
    StorageClass: 'STANDARD',
    EncryptionStatus: 'NOT-SSE',
    IntelligentTieringAccessTier: '',
    BucketKeyStatus: '',
    ...over,
  };
}
