import { describe, expect, it } from 'vitest';
import { columnsFromSchema, Col, USED_COLUMNS } from '../../../src/core/inventory/columns.js';
import {
  decodeInventoryKey,
  decodeManifestKey,
  encodeManifestKey,
  inventoryToManifestKey,
} from '../../../src/core/inventory/keys.js';
import {
  checkManifestChecksum,
  deliveryCandidates,
  deliveryTime,
  folderOf,
  isDeliveryDate,
  parseInventoryManifest,
} from '../../../src/core/inventory/manifest.js';
import {
  configPrefix,
  defaultManifestPrefix,
  parseInventoryUrl,
} from '../../../src/core/inventory/location.js';
import {
  place,
  Placement,
  toRow,
  verifyClass,
  type InventoryRow,
} from '../../../src/core/inventory/placement.js';
import { stalenessWarnings } from '../../../src/core/inventory/verify-inventory.js';
import { encodeInventoryKey } from '../../int/support/inventory-delivery.js';

const manifest = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    sourceBucket: 'src',
    destinationBucket: 'arn:aws:s3:::dest',
    version: '2021-05-22',
    creationTimestamp: '1514944800000',
    fileFormat: 'CSV',
    fileSchema: 'Bucket, Key, EncryptionStatus',
    files: [{ key: 'p/src/id/data/a.csv.gz', size: 10, MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc' }],
    ...over,
  });

describe('manifest.json', () => {
  it('accepts the documented shape with any version string', () => {
    expect(parseInventoryManifest(manifest(), 'm.json', 'src').version).toBe('2021-05-22');
  });
  it.each([
    [
      'destinationBucket as a name',
      { destinationBucket: 'dest' },
      /field destinationBucket: must be an S3 bucket ARN/,
    ],
    ['creationTimestamp as a number', { creationTimestamp: 1514944800000 }, /field creationTimestamp/],
    [
      'files[].size as a string',
      { files: [{ key: 'k', size: '1', MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc' }] },
      /field files\.0\.size/,
    ],
    [
      'MD5checksum not hex',
      { files: [{ key: 'k', size: 1, MD5checksum: 'xyz' }] },
      /files\.0\.MD5checksum: must be 32 hex digits/,
    ],
    [
      'ORC',
      { fileFormat: 'ORC' },
      /m\.json has fileFormat "ORC"; s3-encrypt reads CSV and Parquet deliveries only/,
    ],
    ['an unknown format', { fileFormat: 'csv' }, /has fileFormat "csv"; s3-encrypt reads CSV and Parquet/],
  ])('refuses %s', (_n, over, msg) => {
    expect(() => parseInventoryManifest(manifest(over), 'm.json', 'src')).toThrow(msg);
  });
  it('refuses a delivery for another bucket as a usage error naming both', () => {
    try {
      parseInventoryManifest(manifest(), 'm.json', 'other');
      expect.unreachable();
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
      expect(String(e)).toMatch(/lists bucket src, not other/);
    }
  });
  it('checks manifest.checksum case- and whitespace-insensitively', () => {
    expect(() => checkManifestChecksum('abc0', ' ABC0\n', 'm')).not.toThrow();
    expect(() => checkManifestChecksum('abc0', 'abc1', 'm')).toThrow(/does not match manifest.checksum/);
  });
});

describe('delivery folders', () => {
  const folders = [
    '2026-05-01T00-00Z',
    'data',
    'hive',
    '2026-05-03T01-15Z',
    '2026-05-03T00-00Z',
    's3-encrypt',
    '2026-05-02T00-00Z',
  ];
  it('newest first, ignoring data/, hive/ and our own output', () => {
    expect(deliveryCandidates(folders, 'latest')).toEqual([
      '2026-05-03T01-15Z',
      '2026-05-03T00-00Z',
      '2026-05-02T00-00Z',
      '2026-05-01T00-00Z',
    ]);
  });
  it('--date picks the day (newest of it) or one folder', () => {
    expect(deliveryCandidates(folders, '2026-05-03')).toEqual(['2026-05-03T01-15Z', '2026-05-03T00-00Z']);
    expect(deliveryCandidates(folders, '2026-05-03T00-00Z')).toEqual(['2026-05-03T00-00Z']);
    expect(deliveryCandidates(folders, '2026-04-30')).toEqual([]);
  });
  it('validates --date and converts folder names both ways', () => {
    expect(['latest', '2026-05-03', '2026-05-03T00-00Z'].every(isDeliveryDate)).toBe(true);
    expect(['yesterday', '2026-5-3', '2026-05-03T00:00Z'].some(isDeliveryDate)).toBe(false);
    expect(deliveryTime('2016-11-06T21-32Z')).toBe(Date.UTC(2016, 10, 6, 21, 32));
    expect(folderOf(Date.UTC(2016, 10, 6, 21, 32, 59))).toBe('2016-11-06T21-32Z');
  });
});

describe('columns', () => {
  it('maps by name with spaces trimmed, whatever the order', () => {
    const l = columnsFromSchema('Key,  EncryptionStatus ,Bucket, Size, ETag', 'm');
    expect(l.fieldCount).toBe(5);
    expect(l.slotOfField).toEqual([Col.Key, Col.EncryptionStatus, Col.Bucket, Col.Size, -1]);
    expect(l.has.BucketKeyStatus).toBe(false);
    expect(USED_COLUMNS[Col.Bucket]).toBe('Bucket');
  });
  it('names the missing required column and the fix', () => {
    expect(() => columnsFromSchema('Bucket, Key, Size', 'm')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/no EncryptionStatus column/),
        hint: expect.stringMatching(/setup-inventory/),
      }),
    );
    expect(() => columnsFromSchema('Key, EncryptionStatus', 'm')).toThrow(/no Bucket column/);
    expect(() => columnsFromSchema('Bucket, Key, Key, EncryptionStatus', 'm')).toThrow(
      /names column Key twice/,
    );
  });
});

describe('keys', () => {
  const keys = [
    'plain/a.txt',
    'with space',
    'plus+sign',
    '100%',
    'comma,quote"apos\'',
    'ünï/cödé',
    'new\nline',
    'tilde~star*(x)!',
    'a/b//c/',
    ' lead',
    '%2B literal',
  ];
  it.each(keys)('inventory encoding decodes back to %j', (k) => {
    expect(decodeInventoryKey(encodeInventoryKey(k))).toBe(k);
    expect(decodeInventoryKey(encodeInventoryKey(k, 'literal'))).toBe(k);
  });
  it.each(keys)('manifest encoding is URL-encoding with / kept: %j', (k) => {
    const e = encodeManifestKey(k);
    expect(decodeManifestKey(e)).toBe(k);
    expect(e).not.toMatch(/[ ,"\n+]/);
    expect(e).toBe(encodeURIComponent(k).replace(/%2F/g, '/'));
  });
  it('+ in an inventory key is a space, %2B a plus', () => {
    expect(decodeInventoryKey('a+b%2Bc')).toBe('a b+c');
  });
});

describe('placement', () => {
  const all = columnsFromSchema(USED_COLUMNS.join(', '), 'm').has;
  const row = (o: Partial<Record<(typeof USED_COLUMNS)[number], string>>): InventoryRow => {
    const v = USED_COLUMNS.map((c) => o[c] ?? '');
    return toRow(v, all);
  };
  const base = {
    Bucket: 'b',
    Key: 'k',
    IsLatest: 'true',
    IsDeleteMarker: 'false',
    Size: '1',
    StorageClass: 'STANDARD',
  };
  it.each([
    [{ EncryptionStatus: 'NOT-SSE' }, Placement.COPY, 'NOT-SSE'],
    [{ EncryptionStatus: 'not-sse' }, Placement.COPY, 'NOT-SSE'],
    [{ EncryptionStatus: 'NOT-SSE', Size: String(5 * 1024 ** 3) }, Placement.COPY, 'NOT-SSE'],
    [{ EncryptionStatus: 'NOT-SSE', Size: String(5 * 1024 ** 3 + 1) }, Placement.LARGE, 'NOT-SSE'],
    [
      { EncryptionStatus: 'NOT-SSE', StorageClass: 'GLACIER', Size: String(9 * 1024 ** 3) },
      Placement.ARCHIVED,
      'NOT-SSE',
    ],
    [{ EncryptionStatus: 'NOT-SSE', StorageClass: 'DEEP_ARCHIVE' }, Placement.ARCHIVED, 'NOT-SSE'],
    [{ EncryptionStatus: 'NOT-SSE', StorageClass: 'GLACIER_IR' }, Placement.COPY, 'NOT-SSE'],
    [
      {
        EncryptionStatus: 'NOT-SSE',
        StorageClass: 'INTELLIGENT_TIERING',
        IntelligentTieringAccessTier: 'DEEP_ARCHIVE',
      },
      Placement.ARCHIVED,
      'NOT-SSE',
    ],
    [
      {
        EncryptionStatus: 'NOT-SSE',
        StorageClass: 'INTELLIGENT_TIERING',
        IntelligentTieringAccessTier: 'ARCHIVE_INSTANT_ACCESS',
      },
      Placement.COPY,
      'NOT-SSE',
    ],
    [
      { EncryptionStatus: 'SSE-S3', StorageClass: 'GLACIER', Size: String(9 * 1024 ** 3) },
      Placement.UPDATE,
      'SSE-S3',
    ],
    [{ EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED' }, Placement.UPDATE, 'SSE-KMS-no-bucket-key'],
    [{ EncryptionStatus: 'SSE-KMS', BucketKeyStatus: '' }, Placement.UPDATE, 'SSE-KMS-no-bucket-key'],
    [{ EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'enabled' }, Placement.COMPLIANT, 'compliant'],
    [{ EncryptionStatus: 'SSE-C' }, Placement.SSE_C, 'SSE-C'],
    [{ EncryptionStatus: 'DSSE-KMS' }, Placement.DSSE_KMS, 'DSSE-KMS'],
    // A status this tool cannot read proves nothing: unverified, never compliant.
    [{ EncryptionStatus: 'SSE-NEW' }, Placement.UNKNOWN, 'unverified'],
    [{ EncryptionStatus: 'NOT-SSE', IsLatest: 'FALSE' }, Placement.NONCURRENT, 'NOT-SSE'],
    [{ EncryptionStatus: '', IsDeleteMarker: 'TRUE' }, Placement.DELETE_MARKER, 'unverified'],
  ])('%j -> %s (verify: %s)', (o, placement, cls) => {
    const r = row({ ...base, ...o });
    expect(place(r)).toBe(placement);
    expect(verifyClass(r)).toBe(cls);
  });
  it('a Current-only inventory (no IsLatest column) treats every row as current', () => {
    const has = columnsFromSchema('Bucket, Key, EncryptionStatus', 'm').has;
    expect(toRow(['b', 'k', '', '', '', '', '', 'NOT-SSE', '', ''], has).isLatest).toBe(true);
  });
});

describe('locations', () => {
  it('parses --inventory and builds the configuration prefix', () => {
    const inv = parseInventoryUrl('s3://dest/inv/', '--inventory');
    expect(inv).toEqual({ bucket: 'dest', prefix: 'inv' });
    expect(configPrefix({ ...inv, sourceBucket: 'src', id: 'cfg' })).toBe('inv/src/cfg');
    expect(configPrefix({ bucket: 'dest', prefix: '', sourceBucket: 'src', id: 'cfg' })).toBe('src/cfg');
    expect(defaultManifestPrefix({ ...inv, sourceBucket: 'src', id: 'cfg' }, '2026-05-03T00-00Z')).toBe(
      'inv/src/cfg/s3-encrypt/2026-05-03T00-00Z',
    );
    expect(() => parseInventoryUrl('dest/inv', '--inventory')).toThrow(
      /--inventory "dest\/inv" is not an s3:\/\/ URI/,
    );
  });
});

describe('staleness', () => {
  const now = new Date('2026-05-10T00:00:00Z');
  it('is quiet for a fresh delivery with nothing newer known', () => {
    expect(stalenessWarnings({ folder: '2026-05-09T12-00Z', now })).toEqual([]);
  });
  it('warns past 48 h, saying why it cannot know better', () => {
    expect(stalenessWarnings({ folder: '2026-05-07T00-00Z', now })[0]).toMatch(
      /is 72 h old, and S3 does not record/,
    );
  });
  it('warns when build-manifest wrote after the delivery began', () => {
    const w = stalenessWarnings({
      folder: '2026-05-09T12-00Z',
      now,
      lastManifestWrite: new Date('2026-05-09T13:00:00Z'),
    });
    expect(w[0]).toMatch(/before build-manifest last wrote manifests/);
  });
  it('gives the folder its whole minute before calling it older', () => {
    expect(
      stalenessWarnings({
        folder: '2026-05-09T12-00Z',
        now,
        lastManifestWrite: new Date('2026-05-09T12:00:59Z'),
      }),
    ).toEqual([]);
    expect(
      stalenessWarnings({ folder: '2026-05-09T12-00Z', now, since: new Date('2026-05-09T12:01:00Z') }),
    ).toHaveLength(1);
  });
  it('--since decides alone when given', () => {
    expect(
      stalenessWarnings({ folder: '2026-05-01T00-00Z', now, since: new Date('2026-04-30T00:00:00Z') }),
    ).toEqual([]);
    expect(
      stalenessWarnings({ folder: '2026-05-01T00-00Z', now, since: new Date('2026-05-02T00:00:00Z') })[0],
    ).toMatch(/before --since/);
  });
});

describe('inventoryToManifestKey', () => {
  it.each([
    'plain/a.txt',
    'with space',
    'plus+sign',
    '100%',
    'comma,quote"',
    'ünï',
    'new\nline',
    "tilde~star*(x)!'",
    'a b c/d e',
  ])('equals decode-then-encode for %j', (k) => {
    for (const enc of [encodeInventoryKey(k), encodeInventoryKey(k, 'literal')])
      expect(inventoryToManifestKey(enc)).toBe(encodeManifestKey(decodeInventoryKey(enc)));
  });
});
