// build-manifest from a delivery on disk (--from-dir/--out): no AWS at all, so these run in-process.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPTIONAL_FIELDS } from '../../src/core/inventory-config/inventory-config.js';
import { ManifestSummary } from '../../src/core/inventory/manifest-summary.js';
import {
  ALL_FIELDS,
  record,
  renderDelivery,
  writeDeliveryDir,
  type DeliveryOptions,
  type InventoryRecord,
} from '../int/support/inventory-delivery.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const B = 'data-1';
const KEY = keyDesc().arn;
const GiB = 1024 ** 3;
let dir: string;
let out: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-bm-in-'));
  out = join(await mkdtemp(join(tmpdir(), 's3e-bm-out-')), 'out');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(out, '..'), { recursive: true, force: true });
});

const opts = (o: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
  sourceBucket: B,
  destinationBucket: 'inv-dest',
  prefix: 'inv',
  id: 'cfg',
  folder: '2026-05-03T00-00Z',
  ...o,
});

async function deliver(records: InventoryRecord[], o: Partial<DeliveryOptions> = {}) {
  const d = renderDelivery(records, opts(o));
  await writeDeliveryDir(dir, d);
  return d;
}

const cli = (...extra: string[]) =>
  runCli(
    ['build-manifest', '--bucket', B, '--from-dir', dir, '--out', out, '--kms-key', KEY, ...extra],
    fakeServices(fakeWorld()),
  );

async function lines(name: string): Promise<string[]> {
  return (await readFile(join(out, `${name}.csv`), 'utf8')).split('\n').filter(Boolean);
}

const MIXED: InventoryRecord[] = [
  record(B, 'plain/a.txt'),
  record(B, 'with space+plus%pct,comma"quote\'ü~/x', { Size: '5' }),
  record(B, 'line\nbreak'),
  record(B, 'ia/b', { StorageClass: 'STANDARD_IA', Size: '7' }),
  record(B, 'big', { Size: String(5 * GiB + 1) }),
  record(B, 'exactly-5gib', { Size: String(5 * GiB) }),
  record(B, 'glacier', { StorageClass: 'GLACIER' }),
  record(B, 'deep', { StorageClass: 'DEEP_ARCHIVE' }),
  record(B, 'it-archive', { StorageClass: 'INTELLIGENT_TIERING', IntelligentTieringAccessTier: 'ARCHIVE' }),
  record(B, 'it-instant', {
    StorageClass: 'INTELLIGENT_TIERING',
    IntelligentTieringAccessTier: 'ARCHIVE_INSTANT_ACCESS',
  }),
  record(B, 'sse-s3', { EncryptionStatus: 'SSE-S3', VersionId: 'v1' }),
  record(B, 'sse-s3-glacier-big', {
    EncryptionStatus: 'SSE-S3',
    StorageClass: 'GLACIER',
    Size: String(6 * GiB),
    VersionId: 'v+/2',
  }),
  record(B, 'kms-no-bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED' }),
  record(B, 'kms-bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED', Size: '3' }),
  record(B, 'ssec', { EncryptionStatus: 'SSE-C' }),
  record(B, 'dsse', { EncryptionStatus: 'DSSE-KMS' }),
  record(B, 'old', { IsLatest: 'false', VersionId: 'old1', Size: '4' }),
  record(B, 'old-enc', { IsLatest: 'false', VersionId: 'old2', EncryptionStatus: 'SSE-S3' }),
  record(B, 'gone', { IsDeleteMarker: 'true', VersionId: 'dm1', Size: '', EncryptionStatus: '' }),
];

describe('build-manifest --from-dir --out', () => {
  it('sorts every row into the documented groups and writes Batch CSV', async () => {
    await deliver(MIXED, { files: 3 });
    const r = await cli();
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'archived.csv',
      'copy-INTELLIGENT_TIERING.csv',
      'copy-STANDARD.csv',
      'copy-STANDARD_IA.csv',
      'large.csv',
      'summary.json',
      'update-encryption.csv',
    ]);
    expect((await lines('copy-STANDARD')).sort()).toEqual(
      [
        `${B},exactly-5gib`,
        `${B},line%0Abreak`,
        `${B},plain/a.txt`,
        `${B},with%20space%2Bplus%25pct%2Ccomma%22quote'%C3%BC~/x`,
      ].sort(),
    );
    expect(await lines('copy-STANDARD_IA')).toEqual([`${B},ia/b`]);
    expect(await lines('copy-INTELLIGENT_TIERING')).toEqual([`${B},it-instant`]);
    expect(await lines('large')).toEqual([`${B},big`]);
    expect((await lines('archived')).sort()).toEqual([`${B},deep`, `${B},glacier`, `${B},it-archive`]);
    expect((await lines('update-encryption')).sort()).toEqual([
      `${B},kms-no-bk,null`,
      `${B},sse-s3,v1`,
      `${B},sse-s3-glacier-big,v%2B%2F2`,
    ]);

    const summary = ManifestSummary.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')));
    expect(summary.kmsKey).toBe(KEY);
    expect(summary.inventory).toEqual({
      manifest: join(dir, 'manifest.json'),
      date: '2026-05-03T00-00Z',
      creationTimestamp: String(Date.parse('2026-05-03T00:00:00Z')),
    });
    const byName = Object.fromEntries(summary.manifests.map((m) => [m.name, m]));
    expect(byName['copy-STANDARD']).toMatchObject({
      group: 'copy',
      storageClass: 'STANDARD',
      objects: 4,
      bytes: 10 + 5 + 10 + 5 * GiB,
      versioned: false,
      etag: null,
      location: join(out, 'copy-STANDARD.csv'),
    });
    expect(byName['update-encryption']).toMatchObject({
      group: 'update-encryption',
      objects: 3,
      versioned: true,
    });
    expect(summary.manifests.map((m) => m.name)).toEqual([
      'copy-INTELLIGENT_TIERING',
      'copy-STANDARD',
      'copy-STANDARD_IA',
      'update-encryption',
      'large',
      'archived',
    ]);
    expect(summary.leftAlone).toEqual({
      compliant: { objects: 1, bytes: 3 },
      'SSE-C': { objects: 1, bytes: 10 },
      'DSSE-KMS': { objects: 1, bytes: 10 },
    });
    expect(summary.stats.noncurrent).toEqual({ objects: 2, bytes: 14 });
    expect(summary.stats.noncurrentUnencrypted).toEqual({ objects: 1, bytes: 4 });
    expect(summary.stats.deleteMarkers).toBe(1);
    expect(summary.stats.large).toEqual({ objects: 2, bytes: 11 * GiB + 1 });
    expect(summary.stats.archived.objects).toBe(4);
    expect(summary.stats.kmsWithBucketKey).toEqual({ objects: 1, bytes: 3 });
    expect(summary.stats.byEncryptionStatus['NOT-SSE']?.objects).toBe(10);

    expect(r.stdout).toMatch(/copy-STANDARD\s+4\s+5\.0 GiB/);
    expect(r.stdout).toContain('Left alone (current objects): compliant 1, SSE-C 1, DSSE-KMS 1.');
    expect(r.stdout).toContain('The inventory does not say which KMS key');
    expect(r.stdout).toContain(`Next: s3-encrypt create-job --summary ${join(out, 'summary.json')}`);
  });

  it('--json prints the summary document only', async () => {
    await deliver(MIXED);
    const r = await runCli(
      ['--json', 'build-manifest', '--bucket', B, '--from-dir', dir, '--out', out, '--kms-key', KEY],
      fakeServices(fakeWorld()),
    );
    expect(r.code, r.stderr).toBe(0);
    const docs = r.json();
    expect(docs).toHaveLength(1);
    expect(ManifestSummary.parse(docs[0]).sourceBucket).toBe(B);
  });

  it('maps columns by name, in any order, with upper-case booleans and literal slashes', async () => {
    const all = async (): Promise<Record<string, string[]>> => {
      const res: Record<string, string[]> = {};
      for (const f of (await readdir(out)).filter((n) => n.endsWith('.csv')).sort())
        res[f] = (await lines(f.slice(0, -4))).sort();
      return res;
    };
    await deliver(MIXED);
    expect((await cli()).code).toBe(0);
    const canonical = await all();
    await rm(dir, { recursive: true });
    await rm(out, { recursive: true });
    const fields = [
      'EncryptionStatus',
      'IntelligentTieringAccessTier',
      'Key',
      'StorageClass',
      'Bucket',
      'IsDeleteMarker',
      'BucketKeyStatus',
      'IsLatest',
      'Size',
      'VersionId',
    ];
    await deliver(MIXED, { fields, upperBooleans: true, slash: 'literal' });
    const r = await cli();
    expect(r.code, r.stderr).toBe(0);
    expect(await all()).toEqual(canonical);
    expect(canonical['archived.csv']).toHaveLength(3);
  });

  it("reads setup-inventory's full field list (base64 ACLs, owners, lock fields) the same way", async () => {
    const acl = Buffer.from(
      JSON.stringify({
        version: '2022-11-10',
        status: 'AVAILABLE',
        grants: [{ permission: 'READ', type: 'CanonicalUser', canonicalId: 'ab/+=' }],
      }),
    ).toString('base64');
    const fields = ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', ...OPTIONAL_FIELDS];
    const rich = MIXED.map((r) => ({
      ...r,
      ObjectAccessControlList: acl,
      ObjectOwner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      ObjectLockMode: 'GOVERNANCE',
      ReplicationStatus: 'COMPLETED',
    }));
    await deliver(rich, { fields, files: 2 });
    const r = await cli();
    expect(r.code, r.stderr).toBe(0);
    expect((await lines('copy-STANDARD')).length).toBe(4);
    expect((await lines('update-encryption')).length).toBe(3);
    expect((await lines('archived')).length).toBe(3);
  });

  it('an inventory of current versions only has no noncurrent rows and says so', async () => {
    const fields = ['Bucket', 'Key', 'Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus'];
    await deliver([record(B, 'a'), record(B, 'b', { EncryptionStatus: 'SSE-S3' })], { fields });
    const r = await cli();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the inventory lists current versions only');
    expect(await lines('update-encryption')).toEqual([`${B},b`]);
  });

  it('--dry-run writes nothing, not even the --out directory', async () => {
    await deliver(MIXED);
    const r = await cli('--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was uploaded or written');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('is safe to run twice, and removes manifests a newer delivery no longer needs', async () => {
    await deliver(MIXED);
    expect((await cli()).code).toBe(0);
    const first = await readFile(join(out, 'copy-STANDARD.csv'), 'utf8');
    expect((await cli()).code).toBe(0);
    expect(await readFile(join(out, 'copy-STANDARD.csv'), 'utf8')).toBe(first);
    await rm(dir, { recursive: true });
    await deliver([record(B, 'only-sse-s3', { EncryptionStatus: 'SSE-S3' })]);
    expect((await cli()).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['summary.json', 'update-encryption.csv']);
  });

  // --out may be any directory: files of the names a run writes or removes that build-manifest
  // did not write (no summary.json of its own beside them) are someone else's, and stay as they are.
  it.each([
    [['large.csv'], 2],
    [['copy-STANDARD.csv', 'notes.txt'], 2],
    [['summary.json'], 2],
    [['summary.json', 'archived.csv'], 2],
    [['notes.txt', 'copy.csv', 'large.csv.bak'], 0],
  ] as const)('an --out directory holding %j of its own: exit %i', async (files, code) => {
    await deliver(MIXED);
    await mkdir(out, { recursive: true });
    for (const f of files) await writeFile(join(out, f), f === 'summary.json' ? '{"mine":true}' : 'mine\n');
    const r = await cli();
    expect(r.code, r.stderr).toBe(code);
    for (const f of files)
      expect(await readFile(join(out, f), 'utf8')).toBe(f === 'summary.json' ? '{"mine":true}' : 'mine\n');
    if (code === 0) return;
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: --out .*: it already holds .*which build-manifest did not write/),
    ]);
    expect((await readdir(out)).sort()).toEqual([...files].sort());
  });

  it('gives byte-identical manifests whatever the concurrency (rows in data-file order)', async () => {
    const many = Array.from({ length: 4000 }, (_, i) =>
      record(B, `k/${i}/${'x'.repeat(i % 50)}`, {
        EncryptionStatus: i % 3 ? 'NOT-SSE' : 'SSE-S3',
        VersionId: `v${i}`,
      }),
    );
    await deliver(many, { files: 7 });
    expect((await cli('--concurrency', '1')).code).toBe(0);
    const serial = [
      await readFile(join(out, 'copy-STANDARD.csv'), 'utf8'),
      await readFile(join(out, 'update-encryption.csv'), 'utf8'),
    ];
    expect((await cli('--concurrency', '7')).code).toBe(0);
    expect([
      await readFile(join(out, 'copy-STANDARD.csv'), 'utf8'),
      await readFile(join(out, 'update-encryption.csv'), 'utf8'),
    ]).toEqual(serial);
    // Rows were dealt round-robin into 7 files: file 0 holds k/0, k/7, ..., and comes first.
    expect(serial[0]?.split('\n').slice(0, 3)).toEqual([
      `${B},k/7/${'x'.repeat(7)}`,
      `${B},k/14/${'x'.repeat(14)}`,
      `${B},k/28/${'x'.repeat(28)}`,
    ]);
  });

  it('an interrupted run writes nothing and exits 130', async () => {
    await deliver(MIXED);
    const ac = new AbortController();
    ac.abort();
    const r = await runCli(
      ['build-manifest', '--bucket', B, '--from-dir', dir, '--out', out, '--kms-key', KEY],
      fakeServices(fakeWorld()),
      { signal: ac.signal },
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted while reading the inventory/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('an empty bucket produces no manifests and a valid summary', async () => {
    await deliver([]);
    const r = await cli();
    expect(r.code, r.stderr).toBe(0);
    expect(await readdir(out)).toEqual(['summary.json']);
    expect(r.stdout).toContain('nothing to re-encrypt');
  });

  it('finds data files by key, under data/, or next to the manifest', async () => {
    const d = renderDelivery(MIXED, opts());
    await writeDeliveryDir(dir, d, 's3');
    const r = await runCli(
      [
        'build-manifest',
        '--bucket',
        B,
        '--from-dir',
        join(dir, 'inv', B, 'cfg'),
        '--out',
        out,
        '--kms-key',
        KEY,
      ],
      fakeServices(fakeWorld()),
    );
    expect(r.code, r.stderr).toBe(0);
    expect((await lines('copy-STANDARD')).length).toBe(4);
  });

  // manifest.json is input like any other: its keys must not reach files outside --from-dir.
  it.each([
    ['../outside.csv.gz', 3],
    ['../../outside.csv.gz', 3],
    ['data/../../outside.csv.gz', 3],
    ['..data.csv.gz', 0],
  ] as const)('a data file key %s: read only from under --from-dir', async (key, code) => {
    const d = await deliver(MIXED);
    const [data] = [...d.objects].filter(([k]) => k.includes('/data/'));
    const body = data?.[1] ?? Buffer.alloc(0);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      files: { key: string }[];
    };
    (manifest.files[0] as { key: string }).key = key;
    const text = JSON.stringify(manifest);
    await writeFile(join(dir, 'manifest.json'), text);
    await writeFile(join(dir, 'manifest.checksum'), createHash('md5').update(text).digest('hex'));
    // The same bytes where the key leads: outside the folder, or (the last case) inside it.
    await writeFile(join(dir, '..', 'outside.csv.gz'), body);
    await writeFile(join(dir, '..data.csv.gz'), body);
    const r = await cli();
    await rm(join(dir, '..', 'outside.csv.gz'), { force: true });
    expect(r.code, r.stderr).toBe(code);
    if (code === 0) return;
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: data file ".*outside\.csv\.gz" of .*manifest\.json leads outside /);
    expect(await readdir(join(out, '..'))).toEqual([]);
  });
});

describe('build-manifest bad input: one line, documented exit code, nothing written', () => {
  const cases: [string, () => Promise<unknown>, number, RegExp][] = [
    [
      'foreign sourceBucket',
      () => deliver(MIXED, { sourceBucket: 'someone-else' }),
      2,
      /manifest.json lists bucket someone-else, not data-1: check --bucket, --inventory and --id/,
    ],
    [
      'missing manifest.json',
      () => deliver(MIXED, { omit: 'manifest.json' }),
      2,
      /no manifest.json in .*: point --from-dir at a downloaded delivery/,
    ],
    [
      'malformed manifest.json',
      () => deliver(MIXED, { manifest: () => '{"sourceBucket": "data-1",', checksum: () => undefined }),
      3,
      /manifest.json is not valid JSON .*: the delivery is damaged or incomplete/,
    ],
    [
      'manifest.json without files',
      () => deliver(MIXED, { manifest: (m) => ({ ...m, files: undefined }) }),
      3,
      /manifest.json: field files: .*expected array/i,
    ],
    [
      'creationTimestamp not epoch ms',
      () => deliver(MIXED, { manifest: (m) => ({ ...m, creationTimestamp: 1514944800000 }) }),
      3,
      /field creationTimestamp/,
    ],
    [
      'checksum mismatch',
      () => deliver(MIXED, { checksum: () => '00000000000000000000000000000000' }),
      3,
      /does not match manifest.checksum/,
    ],
    [
      'ORC delivery',
      () => deliver(MIXED, { manifest: (m) => ({ ...m, fileFormat: 'ORC' }) }),
      3,
      /has fileFormat "ORC"; s3-encrypt reads CSV and Parquet deliveries only: reconfigure the inventory as CSV with s3-encrypt setup-inventory/,
    ],
    [
      'no EncryptionStatus',
      () => deliver(MIXED, { fields: ['Bucket', 'Key', 'Size', 'StorageClass'] }),
      3,
      /fileSchema has no EncryptionStatus column .*run s3-encrypt setup-inventory \(it adds EncryptionStatus/,
    ],
    [
      'truncated gzip',
      () => deliver(MIXED, { files: 2, gzip: (gz, i) => (i === 1 ? gz.subarray(0, gz.length - 12) : gz) }),
      3,
      /\.csv\.gz is truncated \(the gzip stream ends early\)/,
    ],
    // Bytes 4-7 of a gzip header are its MTIME: gunzip ignores them, only the MD5 can tell.
    [
      'MD5 mismatch',
      () =>
        deliver(MIXED, {
          gzip: (gz) =>
            Buffer.concat([gz.subarray(0, 4), Buffer.from([(gz[4] as number) ^ 1]), gz.subarray(5)]),
        }),
      3,
      /\.csv\.gz has MD5 [0-9a-f]{32}, but manifest.json says [0-9a-f]{32}: the delivery is damaged/,
    ],
    [
      'not gzip at all',
      () => deliver(MIXED, { gzip: () => Buffer.from('"b","k"\n') }),
      3,
      /\.csv\.gz is not valid gzip \(incorrect header check\)/,
    ],
    [
      'row with a wrong field count',
      () => deliver(MIXED, { files: 1, csv: (t) => t.replace(/\n/, ',"extra"\n') }),
      3,
      /data\/[0-9a-f-]+\.csv\.gz row 1 has 13 fields, but manifest.json fileSchema names 12/,
    ],
    [
      'no StorageClass for a copy',
      () => deliver(MIXED, { fields: ['Bucket', 'Key', 'Size', 'EncryptionStatus'] }),
      3,
      /no StorageClass column, and a Batch copy without it would move every unencrypted object to STANDARD/,
    ],
    [
      'a row of another bucket after rows of this one',
      () =>
        deliver([record(B, 'a'), record(B, 'b'), record('other-bucket', 'c'), record(B, 'd')], { files: 1 }),
      3,
      /row 3 lists bucket "other-bucket", not data-1/,
    ],
    [
      'bad percent-encoding',
      () => deliver([record(B, 'x')], { csv: (t) => t.replace('"x"', '"%E0%A4%A"') }),
      3,
      /row 1: URI malformed/,
    ],
  ];
  it.each(cases)('%s', async (_name, arrange, code, message) => {
    await arrange();
    const r = await cli();
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(code);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('a failing data file after good ones leaves no partial file behind in --out', async () => {
    await deliver(MIXED, { files: 3, gzip: (gz, i) => (i === 2 ? gz.subarray(0, 30) : gz) });
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    await writeFile(join(out, 'keep-me.txt'), 'x');
    const r = await cli('--concurrency', '1');
    expect(r.code).toBe(3);
    expect(await readdir(out)).toEqual(['keep-me.txt']);
  });

  it.each([
    [['--inventory', 's3://d/p'], /--inventory and --from-dir both name a delivery/],
    [['--engine', 'select'], /--engine select reads from S3, not --from-dir/],
    [['--date', 'yesterday'], /invalid --date "yesterday": use latest, a day/],
  ])('flag problems exit 2: %s', async (extra, message) => {
    await deliver(MIXED);
    const r = await cli(...(extra as string[]));
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('--from-dir without --out or --manifest-prefix is refused before any work', async () => {
    const r = await runCli(
      ['build-manifest', '--bucket', B, '--from-dir', dir, '--kms-key', KEY],
      fakeServices(fakeWorld()),
    );
    expect(r.stderr).toMatch(/--from-dir has nowhere to write the manifests: add --out DIR/);
    expect(r.code).toBe(2);
  });

  it('neither --inventory nor --from-dir', async () => {
    const r = await runCli(['build-manifest', '--bucket', B, '--kms-key', KEY], fakeServices(fakeWorld()));
    expect(r.stderr).toMatch(/no inventory delivery named: pass --inventory s3:\/\/DEST\/PREFIX --id ID/);
    expect(r.code).toBe(2);
  });

  it('a directory with several deliveries: --date picks one, a missing day is a clear error', async () => {
    for (const folder of ['2026-05-01T00-00Z', '2026-05-02T00-00Z']) {
      const d = renderDelivery([record(B, `from-${folder}`)], opts({ folder }));
      await writeDeliveryDir(dir, d, 's3');
    }
    const root = join(dir, 'inv', B, 'cfg');
    const run = (...extra: string[]) =>
      runCli(
        ['build-manifest', '--bucket', B, '--from-dir', root, '--out', out, '--kms-key', KEY, ...extra],
        fakeServices(fakeWorld()),
      );
    expect((await run()).code).toBe(0);
    expect(await lines('copy-STANDARD')).toEqual([`${B},from-2026-05-02T00-00Z`]);
    expect((await run('--date', '2026-05-01')).code).toBe(0);
    expect(await lines('copy-STANDARD')).toEqual([`${B},from-2026-05-01T00-00Z`]);
    const r = await run('--date', '2026-04-30');
    expect(r.stderr).toMatch(
      /no 2026-04-30 complete inventory delivery under .*: deliveries there: 2026-05-02T00-00Z, 2026-05-01T00-00Z; pass --date latest/,
    );
    expect(r.code).toBe(3);
  });
});

it('ALL_FIELDS is the full canonical list (guards the helper itself)', () => {
  expect(ALL_FIELDS).toContain('BucketKeyStatus');
});
