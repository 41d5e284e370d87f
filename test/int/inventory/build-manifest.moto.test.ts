// build-manifest end to end on moto: a real versioned bucket, its inventory delivery written in
// S3's exact format (moto never delivers one), the built CLI reading it from S3 and uploading
// manifests. Every manifest row must decode to a real key, and the keys must be exactly the
// objects that need that treatment.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManifestSummary } from '../../../src/core/inventory/manifest-summary.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import {
  putDelivery,
  record,
  recordsFromBucket,
  renderDelivery,
  type DeliveryOptions,
  type InventoryRecord,
} from '../support/inventory-delivery.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const src = uniqueBucket('bm-src');
const dest = uniqueBucket('bm-dest');
const GiB = 1024 ** 3;
let keyArn = '';
let records: InventoryRecord[] = [];

const TRICKY = [
  'with space',
  'plus+sign',
  '100%25 and %',
  'comma,separated',
  'quote"d\'s',
  'ünïcødé/日本語',
  'tab\there',
  'a/b//c/',
  '~tilde*star(1)!',
];
/** moto answers a PUT of a key with a newline with HTTP 500, so that row is synthetic: decoded, not HEAD-able. */
const NEWLINE_KEY = 'tricky/new\nline';

const put = (Key: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: src, Key, Body: `body of ${Key}`, ...extra }));

/** Storage classes and sizes the local server cannot hold for real: claimed by row override. */
const OVERRIDES: Record<string, Partial<InventoryRecord>> = {
  'class/GLACIER': { StorageClass: 'GLACIER' },
  'class/DEEP_ARCHIVE': { StorageClass: 'DEEP_ARCHIVE' },
  'class/GLACIER_IR': { StorageClass: 'GLACIER_IR' },
  'class/ONEZONE_IA': { StorageClass: 'ONEZONE_IA' },
  'class/REDUCED_REDUNDANCY': { StorageClass: 'REDUCED_REDUNDANCY' },
  'class/INTELLIGENT_TIERING': {
    StorageClass: 'INTELLIGENT_TIERING',
    IntelligentTieringAccessTier: 'FREQUENT',
  },
  'class/IT-ARCHIVE': { StorageClass: 'INTELLIGENT_TIERING', IntelligentTieringAccessTier: 'ARCHIVE' },
  'class/IT-DEEP': { StorageClass: 'INTELLIGENT_TIERING', IntelligentTieringAccessTier: 'DEEP_ARCHIVE' },
  'big/over-5gib': { Size: String(5 * GiB + 1) },
  'big/exactly-5gib': { Size: String(5 * GiB) },
  'big/sse-s3-huge': { Size: String(50 * GiB) },
};

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: src }));
  await s3.send(new CreateBucketCommand({ Bucket: dest }));
  // The destination already defaults to SSE-KMS: manifests must still be written SSE-S3.
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: dest,
      ServerSideEncryption: undefined,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    } as never),
  );
  await put('pre-versioning/plain');
  await put('pre-versioning/sse-s3', { ServerSideEncryption: 'AES256' });
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: src, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  for (const k of TRICKY) await put(`tricky/${k}`);
  await put('tricky/sse-s3 with space+plus', { ServerSideEncryption: 'AES256' });
  await put('kms/no-bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: false });
  await put('kms/bk', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
  await put('class/STANDARD_IA', { StorageClass: 'STANDARD_IA' });
  for (const k of Object.keys(OVERRIDES))
    await put(k, k === 'big/sse-s3-huge' ? { ServerSideEncryption: 'AES256' } : {});
  await put('versioned/overwritten');
  await put('versioned/overwritten', { ServerSideEncryption: 'AES256' });
  await put('versioned/deleted');
  await s3.send(new DeleteObjectCommand({ Bucket: src, Key: 'versioned/deleted' }));
  records = await recordsFromBucket(s3, src);
  records.push(record(src, NEWLINE_KEY, { VersionId: 'synthetic-v1' }));
});

const override = (r: InventoryRecord) => OVERRIDES[r.Key ?? ''];

async function deliver(id: string, o: Partial<DeliveryOptions> = {}) {
  const d = renderDelivery(records, {
    sourceBucket: src,
    destinationBucket: dest,
    prefix: 'inv',
    id,
    files: 3,
    override,
    ...o,
  });
  await putDelivery(s3, dest, d);
  return d;
}

async function listAll(prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: dest, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((c) => `${c.Key} ${c.ETag}`));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function text(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString()) ?? '';
}

const bm = (id: string, ...extra: string[]) =>
  runBin(
    [
      'build-manifest',
      '--bucket',
      src,
      '--inventory',
      `s3://${dest}/inv`,
      '--id',
      id,
      '--kms-key',
      keyArn,
      ...extra,
    ],
    t,
  );

describe('build-manifest on moto', () => {
  it('uploads SSE-S3 manifests whose rows are exactly the objects each treatment needs', async () => {
    const d = await deliver('full');
    const r = await runBin(
      [
        '--json',
        'build-manifest',
        '--bucket',
        src,
        '--inventory',
        `s3://${dest}/inv`,
        '--id',
        'full',
        '--kms-key',
        keyArn,
      ],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = ManifestSummary.parse(JSON.parse(r.stdout));
    const base = `inv/${src}/full/s3-encrypt/${d.folder}`;
    expect(ManifestSummary.parse(JSON.parse(await text(dest, `${base}/summary.json`)))).toEqual(summary);

    const rows: Record<string, string[][]> = {};
    for (const m of summary.manifests) {
      expect(m.location).toBe(`s3://${dest}/${base}/${m.name}.csv`);
      const head = await s3.send(new HeadObjectCommand({ Bucket: dest, Key: `${base}/${m.name}.csv` }));
      expect(head.ServerSideEncryption).toBe('AES256');
      expect(m.etag).toBe(head.ETag?.replace(/"/g, ''));
      rows[m.name] = (await text(dest, `${base}/${m.name}.csv`))
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(','));
      expect(rows[m.name]?.length).toBe(m.objects);
      for (const row of rows[m.name] ?? []) {
        expect(row[0]).toBe(src);
        expect(row.length).toBe(m.versioned ? 3 : 2);
      }
    }
    const keysOf = (name: string) => (rows[name] ?? []).map((r) => decodeURIComponent(r[1] ?? '')).sort();
    expect(Object.keys(rows).sort()).toEqual(
      [
        'archived',
        'copy-GLACIER_IR',
        'copy-INTELLIGENT_TIERING',
        'copy-ONEZONE_IA',
        'copy-REDUCED_REDUNDANCY',
        'copy-STANDARD',
        'copy-STANDARD_IA',
        'large',
        'update-encryption',
      ].sort(),
    );
    expect(keysOf('copy-STANDARD')).toEqual(
      ['big/exactly-5gib', 'pre-versioning/plain', NEWLINE_KEY, ...TRICKY.map((k) => `tricky/${k}`)].sort(),
    );
    expect(keysOf('copy-STANDARD_IA')).toEqual(['class/STANDARD_IA']);
    expect(keysOf('copy-GLACIER_IR')).toEqual(['class/GLACIER_IR']);
    expect(keysOf('copy-INTELLIGENT_TIERING')).toEqual(['class/INTELLIGENT_TIERING']);
    expect(keysOf('large')).toEqual(['big/over-5gib']);
    expect(keysOf('archived')).toEqual([
      'class/DEEP_ARCHIVE',
      'class/GLACIER',
      'class/IT-ARCHIVE',
      'class/IT-DEEP',
    ]);
    expect(keysOf('update-encryption')).toEqual([
      'big/sse-s3-huge',
      'kms/no-bk',
      'pre-versioning/sse-s3',
      'tricky/sse-s3 with space+plus',
      'versioned/overwritten',
    ]);

    // Version ids name the current version; the pre-versioning object has the null version.
    const ue = Object.fromEntries(
      (rows['update-encryption'] ?? []).map((r) => [
        decodeURIComponent(r[1] ?? ''),
        decodeURIComponent(r[2] ?? ''),
      ]),
    );
    expect(ue['pre-versioning/sse-s3']).toBe('null');
    for (const [key, versionId] of Object.entries(ue)) {
      const h = await s3.send(new HeadObjectCommand({ Bucket: src, Key: key, VersionId: versionId }));
      expect(h.ServerSideEncryption, key).toMatch(/^(AES256|aws:kms)$/);
      const latest = await s3.send(new HeadObjectCommand({ Bucket: src, Key: key }));
      expect(latest.VersionId ?? 'null').toBe(versionId);
    }
    // Every copy/large/archived row is a live object stored without encryption.
    for (const name of Object.keys(rows).filter((n) => n !== 'update-encryption')) {
      for (const key of keysOf(name).filter((k) => k !== NEWLINE_KEY)) {
        const h = await s3.send(new HeadObjectCommand({ Bucket: src, Key: key }));
        expect(h.ServerSideEncryption, key).toBeUndefined();
      }
    }
    expect(summary.leftAlone.compliant?.objects).toBe(1);
    expect(summary.stats.deleteMarkers).toBe(1);
    expect(summary.stats.noncurrent.objects).toBe(2);
    expect(summary.stats.noncurrentUnencrypted.objects).toBe(2);
  });

  it('--dry-run and a second run: nothing uploaded, then the same manifests again', async () => {
    await deliver('twice');
    const before = await listAll();
    const dry = await bm('twice', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was uploaded or written');
    expect(await listAll()).toEqual(before);
    const first = await bm('twice');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Next: s3-encrypt create-job --summary s3:\/\/.*\/summary\.json/);
    const after1 = (await listAll(`inv/${src}/twice/s3-encrypt/`)).filter((k) => k.includes('.csv'));
    expect((await bm('twice')).code).toBe(0);
    expect((await listAll(`inv/${src}/twice/s3-encrypt/`)).filter((k) => k.includes('.csv'))).toEqual(after1);
  });

  it('--skip-key-check records --kms-key as given (no KMS call); --json --dry-run prints the planned summary', async () => {
    const d = await deliver('skipcheck');
    const r = await runBin(
      [
        '--json',
        'build-manifest',
        '--bucket',
        src,
        '--inventory',
        `s3://${dest}/inv`,
        '--id',
        'skipcheck',
        '--kms-key',
        'alias/not-in-kms',
        '--skip-key-check',
        '--dry-run',
      ],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = ManifestSummary.parse(JSON.parse(r.stdout));
    expect(summary.kmsKey).toBe('alias/not-in-kms');
    expect(
      summary.manifests.every(
        (m) =>
          m.etag === null &&
          m.location.startsWith(`s3://${dest}/inv/${src}/skipcheck/s3-encrypt/${d.folder}/`),
      ),
    ).toBe(true);
    expect(await listAll(`inv/${src}/skipcheck/s3-encrypt/`)).toEqual([]);
  });

  it('--manifest-prefix puts the output elsewhere', async () => {
    const d = await deliver('elsewhere');
    const r = await bm('elsewhere', '--manifest-prefix', `s3://${dest}/manifests/run-1`);
    expect(r.code, r.stderr).toBe(0);
    expect(
      (await listAll(`manifests/run-1/${d.folder}/`)).some((k) =>
        k.startsWith(`manifests/run-1/${d.folder}/summary.json`),
      ),
    ).toBe(true);
  });
});

describe('build-manifest bad deliveries on moto: one line, exit code, nothing uploaded', () => {
  const cases: [string, string, Partial<DeliveryOptions> | null, number, RegExp][] = [
    [
      'no delivery yet',
      'none',
      null,
      3,
      // other configurations deliver next to it: the line names them and the 48-hour wait
      /no inventory configuration "none" has delivered under s3:\/\/.*\/inv\/.*\/ \(found: .*\): pass one of them with --id; if "none" was set up less than 48 hours ago, try again later/,
    ],
    [
      'foreign sourceBucket',
      'foreign',
      { manifest: (m) => ({ ...m, sourceBucket: 'another-bucket' }) },
      2,
      /lists bucket another-bucket, not /,
    ],
    [
      'missing manifest.json',
      'nomanifest',
      { omit: 'manifest.json' },
      3,
      /no complete inventory delivery .*lack manifest.json or manifest.checksum/,
    ],
    [
      'malformed manifest.json',
      'malformed',
      { manifest: () => '{ "sourceBucket": ' },
      3,
      /manifest.json is not valid JSON/,
    ],
    [
      'fileSchema without EncryptionStatus',
      'noenc',
      { fields: ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', 'Size', 'StorageClass'] },
      3,
      /fileSchema has no EncryptionStatus column .*run s3-encrypt setup-inventory/,
    ],
    [
      'truncated gzip',
      'truncated',
      { gzip: (gz, i) => (i === 2 ? gz.subarray(0, gz.length - 9) : gz) },
      3,
      /\.csv\.gz is truncated \(the gzip stream ends early\)/,
    ],
    [
      'an MD5 mismatch (gzip MTIME bytes changed)',
      'md5',
      {
        gzip: (gz, i) =>
          i === 0
            ? Buffer.concat([gz.subarray(0, 4), Buffer.from([(gz[4] as number) ^ 1]), gz.subarray(5)])
            : gz,
      },
      3,
      /\.csv\.gz has MD5 [0-9a-f]{32}, but manifest.json says/,
    ],
    [
      'a row with the wrong field count',
      'fields',
      { csv: (text, i) => (i === 1 ? text.replace(/\n(?=.)/, ',"x"\n') : text) },
      3,
      /\.csv\.gz row 1 has 13 fields, but manifest.json fileSchema names 12/,
    ],
  ];
  it.each(cases)('%s', async (_name, id, o, code, message) => {
    if (o) await deliver(id, o);
    const before = await listAll();
    const r = await bm(id);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(code);
    expect(await listAll()).toEqual(before);
  });
});
