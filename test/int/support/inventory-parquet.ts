// Writes S3 Inventory deliveries in S3's exact Parquet form, the twin of inventory-delivery.ts's
// CSV ones: manifest.json with fileFormat "Parquet" and a "message s3.inventory { ... }"
// fileSchema, data files *.parquet (SNAPPY, snake_case columns, booleans, int64 size,
// TIMESTAMP(MILLIS) dates) written by pyarrow (test/int/support/write-inventory-parquet.py, in
// .venv-moto: scripts/local-s3/install.sh). Keys are written as they are: S3 URL-encodes keys
// in CSV only.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DEFAULT_FIELDS,
  type DeliveryOptions,
  type InventoryRecord,
  type RenderedDelivery,
} from './inventory-delivery.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const PYTHON = join(ROOT, '.venv-moto/bin/python');
const WRITER = join(import.meta.dirname, 'write-inventory-parquet.py');

/** CSV column name -> S3's Parquet column name (ETag -> e_tag, IsLatest -> is_latest). */
export function snake(csv: string): string {
  return csv.replace(/(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/g, '_').toLowerCase();
}

const TIMESTAMPS = new Set([
  'last_modified_date',
  'object_lock_retain_until_date',
  'lifecycle_expiration_date',
]);
const BOOLEANS = new Set(['is_latest', 'is_delete_marker', 'is_multipart_uploaded']);

/**
 * manifest.json fileSchema for these columns. `doc`: as the AWS User Guide example writes it
 * ("(UTF8)", "TIMESTAMP_MILLIS", one space); `delivered`: as real deliveries write it
 * ("(STRING)", "TIMESTAMP(MILLIS,true)", two spaces, no space before the brace).
 */
export function parquetFileSchema(fields: readonly string[], style: 'doc' | 'delivered' = 'doc'): string {
  const str = style === 'doc' ? '(UTF8)' : '(STRING)';
  const ts = style === 'doc' ? '(TIMESTAMP_MILLIS)' : '(TIMESTAMP(MILLIS,true))';
  const parts = fields.map((f) => {
    const n = snake(f);
    const rep = n === 'bucket' || n === 'key' ? 'required' : 'optional';
    if (BOOLEANS.has(n)) return `${rep} boolean ${n};`;
    if (n === 'size') return `${rep} int64 ${n};`;
    if (TIMESTAMPS.has(n)) return `${rep} int64 ${n} ${ts};`;
    return `${rep} binary ${n} ${str};`;
  });
  return style === 'doc'
    ? `message s3.inventory { ${parts.join(' ')} }`
    : `message s3.inventory {  ${parts.join('  ')}}`;
}

export interface ParquetDeliveryOptions extends Omit<
  DeliveryOptions,
  'csv' | 'gzip' | 'slash' | 'upperBooleans'
> {
  compression?: 'snappy' | 'gzip' | 'zstd' | 'none';
  /** Rows per row group (pyarrow's row_group_size). */
  rowGroupRows?: number;
  schemaStyle?: 'doc' | 'delivered';
  /** Damage a data file after manifest.json has described it. */
  damage?: (file: Buffer, fileIndex: number) => Buffer;
}

const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');

/** Run the pyarrow writer on a spec; returns nothing (it writes the paths the spec names). */
export function runParquetWriter(spec: unknown): void {
  const dir = mkdtempSync(join(tmpdir(), 's3e-pq-'));
  try {
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    execFileSync(PYTHON, [WRITER, specPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Render a Parquet delivery in memory, laid out as S3 lays it out (same rows and file split as renderDelivery). */
export function renderParquetDelivery(input: InventoryRecord[], o: ParquetDeliveryOptions): RenderedDelivery {
  const fields = o.fields ?? DEFAULT_FIELDS;
  const folder = o.folder ?? new Date().toISOString().slice(0, 16).replace(':', '-') + 'Z';
  const root = [o.prefix, o.sourceBucket, o.id].filter(Boolean).join('/');
  const records = input.map((r) => ({ ...r, ...(o.override?.(r) ?? {}) }) as InventoryRecord);
  const nFiles = Math.max(1, o.files ?? 1);
  const perFile: (string | null)[][][] = Array.from({ length: nFiles }, () => []);
  records.forEach((rec, i) => perFile[i % nFiles]?.push(fields.map((f) => rec[f] ?? '')));
  const dir = mkdtempSync(join(tmpdir(), 's3e-pq-'));
  const objects = new Map<string, Buffer>();
  const files: { key: string; size: number; MD5checksum: string }[] = [];
  const dataKeys: string[] = [];
  try {
    const paths = perFile.map((_, i) => join(dir, `${i}.parquet`));
    runParquetWriter({
      fields: fields.map(snake),
      compression: o.compression ?? 'snappy',
      row_group_size: o.rowGroupRows ?? 1024 * 1024,
      files: perFile.map((rows, i) => ({ path: paths[i], rows })),
    });
    paths.forEach((p, i) => {
      let body: Buffer = readFileSync(p);
      const key = `${root}/data/${randomUUID()}.parquet`;
      files.push({ key, size: body.length, MD5checksum: md5(body) });
      if (o.damage) body = o.damage(body, i);
      objects.set(key, body);
      dataKeys.push(key);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let manifest: Record<string, unknown> | string = {
    sourceBucket: o.sourceBucket,
    destinationBucket: `arn:aws:s3:::${o.destinationBucket}`,
    version: '2016-11-30',
    creationTimestamp: String(Date.parse(`${folder.slice(0, 13)}:${folder.slice(14, 16)}:00Z`)),
    fileFormat: 'Parquet',
    fileSchema: parquetFileSchema(fields, o.schemaStyle),
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
