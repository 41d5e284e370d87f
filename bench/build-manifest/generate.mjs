// Writes a synthetic S3 Inventory delivery as S3 writes it: manifest.json + manifest.checksum and
// one gzipped CSV data file (or --files N, the same rows split in order), no header, every field double-quoted, keys form-URL-encoded (space
// as '+'), rows ending in '\n'. Ten fields, a realistic mix of versions, classes and statuses.
// Deterministic: the same --rows always gives the same bytes.
//
//   node bench/build-manifest/generate.mjs --rows 2000000 [--files 8] [--dir bench/out/build-manifest/d2m]
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

export const BUCKET = 'bench-source-bucket';
export const FIELDS = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'EncryptionStatus',
  'BucketKeyStatus',
];
const FOLDER = '2026-05-03T00-00Z';

/** xorshift32: fast, seedable, good enough to spread the mix. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const pick = (r, table) => {
  let u = r();
  for (const [v, p] of table) {
    if (u < p) return v;
    u -= p;
  }
  return table[table.length - 1][0];
};

const CLASSES = [
  ['STANDARD', 0.7],
  ['STANDARD_IA', 0.15],
  ['GLACIER', 0.05],
  ['INTELLIGENT_TIERING', 0.05],
  ['GLACIER_IR', 0.03],
  ['DEEP_ARCHIVE', 0.02],
];
const STATUSES = [
  ['NOT-SSE', 0.3],
  ['SSE-S3', 0.5],
  ['SSE-KMS', 0.18],
  ['SSE-C', 0.01],
  ['DSSE-KMS', 0.01],
];
const WORDS = ['logs', 'images', 'exports', 'tenant', 'backup', 'raw', 'thumbs', 'reports'];
const EXT = ['json', 'jpg', 'csv.gz', 'parquet', 'txt'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function versionId(r) {
  let s = '';
  for (let i = 0; i < 32; i++) s += ALNUM[Math.floor(r() * 62)];
  return s;
}

/** One row's fields (keys already inventory-encoded). */
function row(i, r) {
  const w = WORDS[i % WORDS.length];
  const day = String(1 + (i % 28)).padStart(2, '0');
  const spaced = r() < 0.1;
  const key = `${w}/2026/05/${day}/${spaced ? 'file+copy+' : 'file-'}${i}.${EXT[i % EXT.length]}`;
  const deleteMarker = r() < 0.03;
  const latest = r() < 0.85;
  const status = deleteMarker ? '' : pick(r, STATUSES);
  const big = r() < 0.001;
  const size = deleteMarker
    ? ''
    : String(big ? 5 * 1024 ** 3 + Math.floor(r() * 1e9) : Math.floor(r() * 100e6));
  return [
    BUCKET,
    key,
    r() < 0.05 ? '' : versionId(r),
    latest ? 'true' : 'false',
    deleteMarker ? 'true' : 'false',
    size,
    '2026-05-01T12:34:56.000Z',
    deleteMarker ? '' : pick(r, CLASSES),
    status,
    status === 'SSE-KMS' ? (r() < 0.6 ? 'ENABLED' : 'DISABLED') : '',
  ];
}

/** One gzipped data file of rows [from, to); returns its manifest.json entry. */
async function writeDataFile(path, dataKey, r, from, to) {
  const gz = createGzip({ level: 6 });
  const md5 = createHash('md5');
  let size = 0;
  gz.on('data', (c) => {
    md5.update(c);
    size += c.length;
  });
  const file = createWriteStream(path);
  gz.pipe(file);
  let batch = '';
  for (let i = from; i < to; i++) {
    batch += `"${row(i, r).join('","')}"\n`;
    if (batch.length > 1 << 20) {
      if (!gz.write(batch)) await new Promise((res) => gz.once('drain', res));
      batch = '';
    }
  }
  gz.end(batch);
  await new Promise((res, rej) => file.on('close', res).on('error', rej));
  return { key: dataKey, size, MD5checksum: md5.digest('hex') };
}

/** File names: `bench-ROWS.csv.gz` for one file, `bench-ROWS-I-of-N.csv.gz` for N. */
export const dataName = (rows, files, i) =>
  files === 1 ? `bench-${rows}.csv.gz` : `bench-${rows}-${i + 1}-of-${files}.csv.gz`;

/**
 * `files` data files holding the rows in order (one random stream across them): an N-file
 * delivery has the same rows as the one-file delivery of the same --rows.
 */
export async function generate(rows, dir, files = 1) {
  await mkdir(join(dir, 'data'), { recursive: true });
  const r = rng(12345);
  const entries = [];
  const paths = [];
  for (let f = 0; f < files; f++) {
    const name = dataName(rows, files, f);
    const path = join(dir, 'data', name);
    const from = Math.floor((rows * f) / files);
    const to = Math.floor((rows * (f + 1)) / files);
    entries.push(await writeDataFile(path, `inv/${BUCKET}/bench/data/${name}`, r, from, to));
    paths.push(path);
  }
  const manifest = JSON.stringify(
    {
      sourceBucket: BUCKET,
      destinationBucket: 'arn:aws:s3:::bench-inventory',
      version: '2016-11-30',
      creationTimestamp: String(Date.parse('2026-05-03T00:00:00Z')),
      fileFormat: 'CSV',
      fileSchema: FIELDS.join(', '),
      files: entries,
    },
    null,
    2,
  );
  await writeFile(join(dir, 'manifest.json'), manifest);
  await writeFile(join(dir, 'manifest.checksum'), createHash('md5').update(manifest).digest('hex'));
  return { dir, data: paths[0], datas: paths, folder: FOLDER };
}

/** Reuse a generated delivery when its manifest says it has the right file. */
export async function ensureDelivery(rows, dir, files = 1) {
  try {
    const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    if (m.files?.length === files && m.files[files - 1].key.endsWith(dataName(rows, files, files - 1))) {
      const datas = m.files.map((_, i) => join(dir, 'data', dataName(rows, files, i)));
      return { dir, data: datas[0], datas };
    }
  } catch {
    /* not generated yet */
  }
  return generate(rows, dir, files);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n, d) => {
    const i = process.argv.indexOf(`--${n}`);
    return i > 0 ? process.argv[i + 1] : d;
  };
  const rows = Number(arg('rows', '2000000'));
  const files = Number(arg('files', '1'));
  const dir = arg('dir', `bench/out/build-manifest/d${rows}${files === 1 ? '' : `x${files}`}`);
  const t0 = Date.now();
  const res = await generate(rows, dir, files);
  console.log(`${rows} rows in ${files} file(s) -> ${res.data} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}
