// Parquet inventory deliveries on moto: the same rows written as S3 writes them in CSV and in
// Parquet (pyarrow, S3's exact schema), read by the built CLI. build-manifest must write the
// SAME BYTES from both, and verify --inventory and plan --inventory must say the same things.
// Keys are URL-encoded in CSV only: odd keys are the test of that difference.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import {
  putDelivery,
  record,
  recordsFromBucket,
  renderDelivery,
  writeDeliveryDir,
  type InventoryRecord,
  type RenderedDelivery,
} from '../support/inventory-delivery.js';
import { renderParquetDelivery, type ParquetDeliveryOptions } from '../support/inventory-parquet.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const src = uniqueBucket('pq-src');
const dest = uniqueBucket('pq-dest');
const GiB = 1024 ** 3;
let keyArn = '';
let records: InventoryRecord[] = [];
let work = '';

/** Keys whose CSV form differs from the key: decoding a Parquet key as CSV would change or break them. */
const ODD = [
  'with space',
  'plus+sign',
  'literal %2B and %20',
  '100% and %zz',
  'comma,separated',
  'quote"d\'s',
  'ünïcødé/日本語/😀',
  'a/b//c/',
  '~tilde*star(1)!',
  '\uFEFFstarts with a BOM',
];

const put = (Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: src, Key, Body: `body of ${Key}`, ...extra }));

const OVERRIDES: Record<string, Partial<InventoryRecord>> = {
  'class/GLACIER': { StorageClass: 'GLACIER' },
  'class/IT-ARCHIVE': { StorageClass: 'INTELLIGENT_TIERING', IntelligentTieringAccessTier: 'ARCHIVE' },
  'big/over-5gib': { Size: String(5 * GiB + 1) },
};
const override = (r: InventoryRecord) => OVERRIDES[r.Key ?? ''];
const base = { sourceBucket: src, destinationBucket: dest, prefix: 'inv', files: 2, override };

async function deliverCsv(id: string): Promise<RenderedDelivery> {
  const d = renderDelivery(records, { ...base, id });
  await putDelivery(s3, dest, d);
  return d;
}
async function deliverParquet(
  id: string,
  o: Partial<ParquetDeliveryOptions> = {},
): Promise<RenderedDelivery> {
  // Row groups of 4 rows: most files hold several, so row-group streaming is exercised.
  const d = renderParquetDelivery(records, { ...base, id, rowGroupRows: 4, ...o });
  await putDelivery(s3, dest, d);
  return d;
}

/** The manifests build-manifest wrote to `dir` (summary.json aside): name -> bytes. */
async function manifests(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of (await readdir(dir)).sort())
    if (f !== 'summary.json') out.set(f, await readFile(join(dir, f)));
  return out;
}

const buildManifest = (id: string, out: string, ...extra: string[]) =>
  runBin(
    [
      'build-manifest',
      '--bucket',
      src,
      '--kms-key',
      keyArn,
      '--inventory',
      `s3://${dest}/inv`,
      '--id',
      id,
      '--out',
      out,
      ...extra,
    ],
    t,
  );

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 's3e-parquet-'));
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: src }));
  await s3.send(new CreateBucketCommand({ Bucket: dest }));
  await put('pre-versioning/plain');
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: src, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  for (const k of ODD) await put(`odd/${k}`);
  await put('odd/sse-s3 with space+plus', { ServerSideEncryption: 'AES256' });
  await put('kms/no-bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: false });
  await put('kms/bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
  for (const k of Object.keys(OVERRIDES)) await put(k);
  await put('versioned/overwritten');
  await put('versioned/overwritten', { ServerSideEncryption: 'AES256' });
  await put('versioned/deleted');
  await s3.send(new DeleteObjectCommand({ Bucket: src, Key: 'versioned/deleted' }));
  records = await recordsFromBucket(s3, src);
  // Rows the local server cannot hold for real: an SSE-C object and an unknown status.
  records.push(record(src, 'synthetic/sse-c', { VersionId: 'synthetic-v1', EncryptionStatus: 'SSE-C' }));
  records.push(
    record(src, 'synthetic/odd+%status', { VersionId: 'synthetic-v2', EncryptionStatus: 'NEW-SSE' }),
  );
  await deliverCsv('csv');
  await deliverParquet('parquet');
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('Parquet deliveries on moto', () => {
  it('build-manifest writes byte-identical manifests from a Parquet delivery and its CSV twin', async () => {
    const fromCsv = await buildManifest('csv', join(work, 'csv'));
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    const fromParquet = await buildManifest('parquet', join(work, 'parquet'));
    expect(fromParquet.code, fromParquet.stderr).toBe(0);
    const a = await manifests(join(work, 'csv'));
    const b = await manifests(join(work, 'parquet'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()]).toEqual(
      expect.arrayContaining(['copy-STANDARD.csv', 'update-encryption.csv', 'large.csv', 'archived.csv']),
    );
    for (const [name, bytes] of a) expect(b.get(name)?.equals(bytes), name).toBe(true);
    // Odd keys made it into a manifest, percent-encoded (the CSV path's encoding).
    const copy = a.get('copy-STANDARD.csv')?.toString() ?? '';
    expect(copy).toContain(`${src},odd/plus%2Bsign\n`);
    expect(copy).toContain(`${src},odd/literal%20%252B%20and%20%2520\n`);
    expect(copy).toContain(`${src},odd/%EF%BB%BFstarts%20with%20a%20BOM\n`);
    const sa = JSON.parse(await readFile(join(work, 'csv', 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const sb = JSON.parse(await readFile(join(work, 'parquet', 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(sb.stats).toEqual(sa.stats);
    expect(sb.stats).toBeDefined();
  });

  it('reads the fileSchema as real deliveries write it ((STRING), TIMESTAMP(MILLIS,true)) and GZIP pages the same', async () => {
    await deliverParquet('parquet-gzip', {
      compression: 'gzip',
      schemaStyle: 'delivered',
      rowGroupRows: 1000,
    });
    const r = await buildManifest('parquet-gzip', join(work, 'gzip'));
    expect(r.code, r.stderr).toBe(0);
    const a = await manifests(join(work, 'csv'));
    const b = await manifests(join(work, 'gzip'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(b.get(name)?.equals(bytes), name).toBe(true);
  });

  it('--from-dir reads a downloaded Parquet delivery, offline, into the same bytes', async () => {
    const d = renderParquetDelivery(records, { ...base, id: 'local', rowGroupRows: 3 });
    const dir = await writeDeliveryDir(join(work, 'local-delivery'), d);
    const r = await runBin(
      [
        'build-manifest',
        '--bucket',
        src,
        '--kms-key',
        keyArn,
        '--from-dir',
        dir,
        '--out',
        join(work, 'local-out'),
      ],
      t,
      { endpoint: false, env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } },
    );
    expect(r.code, r.stderr).toBe(0);
    const a = await manifests(join(work, 'csv'));
    const b = await manifests(join(work, 'local-out'));
    for (const [name, bytes] of a) expect(b.get(name)?.equals(bytes), name).toBe(true);
    expect(b.size).toBe(a.size);
  });

  it('verify --inventory names the same offenders, by real key, with the same summary and exit code', async () => {
    const verify = (id: string) =>
      runBin(
        [
          '--json',
          'verify',
          '--bucket',
          src,
          '--kms-key',
          keyArn,
          '--inventory',
          `s3://${dest}/inv`,
          '--id',
          id,
          '--all-versions',
        ],
        t,
      );
    const a = await verify('csv');
    const b = await verify('parquet');
    expect(a.code, a.stderr).toBe(1);
    expect(b.code, b.stderr).toBe(a.code);
    type Line = { key?: string; summary?: Record<string, unknown> };
    const la = a.lines() as Line[];
    const lb = b.lines() as Line[];
    const offenders = (ls: Line[]) =>
      ls
        .filter((l) => l.key !== undefined)
        .map((l) => JSON.stringify(l))
        .sort();
    expect(offenders(lb)).toEqual(offenders(la));
    expect(offenders(la).length).toBeGreaterThan(ODD.length);
    expect(la.map((l) => l.key)).toContain('odd/\uFEFFstarts with a BOM');
    expect(la.map((l) => l.key)).toContain('odd/literal %2B and %20');
    const summary = (ls: Line[]) => {
      const s = { ...ls.at(-1)?.summary };
      delete s.delivery;
      delete s.elapsedSeconds;
      delete s.durationMs;
      return s;
    };
    expect(summary(lb)).toEqual(summary(la));
    // --prefix matches against real keys: a prefix with a space.
    const pa = await runBin(
      [
        '--json',
        'verify',
        '--bucket',
        src,
        '--kms-key',
        keyArn,
        '--inventory',
        `s3://${dest}/inv`,
        '--id',
        'parquet',
        '--prefix',
        'odd/with sp',
      ],
      t,
    );
    expect((pa.lines() as Line[]).filter((l) => l.key !== undefined).map((l) => l.key)).toEqual([
      'odd/with space',
    ]);
  });

  it('plan --inventory counts a Parquet delivery as it counts the CSV one', async () => {
    type PlanDoc = { inventory?: { source?: string; stats?: unknown; rows?: number } };
    const plan = async (id: string) => {
      const r = await runBin(
        [
          '--json',
          'plan',
          '--bucket',
          src,
          '--kms-key',
          keyArn,
          '--inventory',
          `s3://${dest}/inv`,
          '--id',
          id,
        ],
        t,
      );
      return { r, doc: (r.stdout.trim() ? r.lines()[0] : {}) as PlanDoc };
    };
    const a = await plan('csv');
    const b = await plan('parquet');
    expect(a.doc.inventory?.source, a.r.stderr).toBe('inventory');
    expect(b.doc.inventory?.source, b.r.stderr).toBe('inventory');
    expect(b.doc.inventory?.stats).toEqual(a.doc.inventory?.stats);
    expect(b.r.code).toBe(a.r.code);
  });

  describe('refusals: one line, the right exit code', () => {
    const refused = async (id: string, code: number, pattern: RegExp, ...extra: string[]) => {
      const out = join(work, `refused-${id}`);
      const r = await buildManifest(id, out, ...extra);
      expect(r.code, r.stderr).toBe(code);
      // --engine select warns first that S3 reads the files; the refusal itself is one line.
      const lines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('warning: --engine select'));
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
      await expect(readdir(out)).rejects.toThrow();
    };

    it('an ORC delivery names the formats that are read (exit 3)', async () => {
      const d = renderDelivery(records, {
        ...base,
        id: 'orc',
        manifest: (m) => ({ ...m, fileFormat: 'ORC' }),
      });
      await putDelivery(s3, dest, d);
      await refused(
        'orc',
        3,
        /has fileFormat "ORC"; s3-encrypt reads CSV and Parquet deliveries only: reconfigure/,
      );
    });

    it('a Parquet file whose bytes differ from its MD5 (exit 3)', async () => {
      await deliverParquet('pq-md5', {
        // One letter of a key changed inside an uncompressed data page: the file still parses,
        // only its MD5 can tell.
        compression: 'none',
        damage: (b) => {
          const at = b.indexOf('kms/no-bk');
          if (at < 0) return b;
          const c = Buffer.from(b);
          c[at + 8] = 'X'.charCodeAt(0);
          return c;
        },
      });
      await refused('pq-md5', 3, /\.parquet has MD5 [0-9a-f]{32}, but manifest\.json says [0-9a-f]{32}/);
    });

    it('a truncated Parquet file (exit 3)', async () => {
      await deliverParquet('pq-short', { damage: (b, i) => (i === 0 ? b.subarray(0, b.length - 100) : b) });
      await refused('pq-short', 3, /\.parquet is \d+ bytes, but manifest\.json says \d+/);
    });

    it('an empty data file (S3 answers the footer read 416) is a damaged delivery (exit 3)', async () => {
      await deliverParquet('pq-empty', { damage: (b, i) => (i === 1 ? Buffer.alloc(0) : b) });
      await refused('pq-empty', 3, /\.parquet is 0 bytes, but manifest\.json says \d+/);
    });

    it('a file that is not Parquet at all (exit 3)', async () => {
      await deliverParquet('pq-notpq', {
        damage: (b, i) => (i === 0 ? Buffer.concat([b.subarray(0, b.length - 4), Buffer.from('PAR0')]) : b),
      });
      await refused('pq-notpq', 3, /\.parquet is not a Parquet file \(it does not end with PAR1\)/);
    });

    it('a codec S3 does not write (ZSTD) is refused by name (exit 3)', async () => {
      await deliverParquet('pq-zstd', { compression: 'zstd' });
      await refused(
        'pq-zstd',
        3,
        /\.parquet is compressed with ZSTD; s3-encrypt reads Parquet compressed with SNAPPY/,
      );
    });

    it('a data file without a column fileSchema names (exit 3)', async () => {
      await deliverParquet('pq-cols', {
        fields: [
          'Bucket',
          'Key',
          'VersionId',
          'IsLatest',
          'IsDeleteMarker',
          'Size',
          'StorageClass',
          'EncryptionStatus',
        ],
        // manifest.json names a column the data files do not have.
        manifest: (m) => ({
          ...m,
          fileSchema: String(m.fileSchema).replace(/\s*}$/, ' optional binary bucket_key_status (UTF8); }'),
        }),
      });
      await refused(
        'pq-cols',
        3,
        /\.parquet has no column bucket_key_status, which manifest\.json fileSchema names/,
      );
    });

    it('a Parquet fileSchema that is not a message schema (exit 3)', async () => {
      await deliverParquet('pq-schema', {
        manifest: (m) => ({ ...m, fileSchema: 'Bucket, Key, EncryptionStatus' }),
      });
      await refused(
        'pq-schema',
        3,
        /fileSchema "Bucket, Key, EncryptionStatus" is not a Parquet message schema/,
      );
    });

    it('--engine select with a Parquet delivery (exit 2)', async () => {
      await refused(
        'parquet',
        2,
        /--engine select reads CSV deliveries only, and .* is a Parquet one: drop --engine select/,
        '--engine',
        'select',
      );
    });
  });
});
