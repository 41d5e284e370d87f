// build-manifest on a Parquet delivery: wall time and peak RSS of `build-manifest --from-dir
// --out` on one data file of --rows rows in row groups of --row-group rows, written by pyarrow
// (test/int/support/write-inventory-parquet.py, synthetic mode; .venv-moto from
// scripts/local-s3/install.sh). Run it for two --rows at the same --row-group to see memory stay
// flat in file size: it follows the row group, not the file.
//   node bench/build-manifest/parquet.mjs --rows 2000000 --row-group 262144
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000000' },
    'row-group': { type: 'string', default: String(1024 * 1024) },
    compression: { type: 'string', default: 'snappy' },
    keep: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const rowGroup = Number(values['row-group']);
const dir = mkdtempSync(join(tmpdir(), 's3e-bench-pq-'));
const FIELDS = [
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
const snake = (c) => c.replace(/(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/g, '_').toLowerCase();
try {
  const delivery = join(dir, 'delivery');
  mkdirSync(join(delivery, 'data'), { recursive: true });
  const data = join(delivery, 'data', 'part-0.parquet');
  const spec = join(dir, 'spec.json');
  writeFileSync(
    spec,
    JSON.stringify({
      fields: FIELDS.map(snake),
      compression: values.compression,
      row_group_size: rowGroup,
      synthetic: { path: data, bucket: 'bench-bucket', rows },
    }),
  );
  const t0 = Date.now();
  const gen = spawnSync(
    join(ROOT, '.venv-moto/bin/python'),
    [join(ROOT, 'test/int/support/write-inventory-parquet.py'), spec],
    { stdio: 'inherit' },
  );
  if (gen.status !== 0) throw new Error('pyarrow writer failed');
  const bytes = readFileSync(data);
  const manifest = JSON.stringify({
    sourceBucket: 'bench-bucket',
    destinationBucket: 'arn:aws:s3:::bench-dest',
    version: '2016-11-30',
    creationTimestamp: '1767225600000',
    fileFormat: 'Parquet',
    fileSchema: `message s3.inventory { ${FIELDS.map((f) => `optional binary ${snake(f)} (UTF8);`).join(' ')} }`,
    files: [
      {
        key: 'inv/bench-bucket/id/data/part-0.parquet',
        size: bytes.length,
        MD5checksum: createHash('md5').update(bytes).digest('hex'),
      },
    ],
  });
  writeFileSync(join(delivery, 'manifest.json'), manifest);
  writeFileSync(join(delivery, 'manifest.checksum'), createHash('md5').update(manifest).digest('hex'));
  console.log(
    `generated ${rows} rows, row groups of ${rowGroup}, ${(statSync(data).size / 1e6).toFixed(1)} MB ${values.compression} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-v',
      process.execPath,
      join(ROOT, 'bin/s3-encrypt.js'),
      'build-manifest',
      '--bucket',
      'bench-bucket',
      '--kms-key',
      'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555',
      '--from-dir',
      delivery,
      '--out',
      join(dir, 'out'),
    ],
    { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'eu-west-1' } },
  );
  if (r.status !== 0) throw new Error(`build-manifest failed: ${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const secs = Number(wall?.[1] ?? 0) * 3600 + Number(wall?.[2]) * 60 + Number(wall?.[3]);
  console.log(
    `build-manifest: ${secs.toFixed(2)} s wall, ${Math.round(rows / secs)} rows/s, peak RSS ${(Number(rss?.[1]) / 1024).toFixed(0)} MB`,
  );
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
