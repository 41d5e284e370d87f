// The Parquet side of the inventory core: manifest.json's Parquet fileSchema mapped to the CSV
// column names, and keys that Parquet holds as they are (CSV URL-encodes them).
import { describe, expect, it } from 'vitest';
import {
  Col,
  columnsForFormat,
  columnsFromParquetSchema,
  csvColumnName,
  parquetColumnName,
} from '../../../src/core/inventory/columns.js';
import { manifestKeyOf, objectKeyOf } from '../../../src/core/inventory/keys.js';
import { parseInventoryManifest } from '../../../src/core/inventory/manifest.js';
import { ALL_FIELDS, encodeInventoryKey } from '../../int/support/inventory-delivery.js';
import { parquetFileSchema } from '../../int/support/inventory-parquet.js';

/** The AWS User Guide's example manifest.json fileSchema for a Parquet inventory, verbatim. */
const DOC_SCHEMA =
  'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary version_id (UTF8); optional boolean is_latest; optional boolean is_delete_marker; optional int64 size; optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional binary storage_class (UTF8); optional boolean is_multipart_uploaded; optional binary replication_status (UTF8); optional binary encryption_status (UTF8); optional int64 object_lock_retain_until_date (TIMESTAMP_MILLIS); optional binary object_lock_mode (UTF8); optional binary object_lock_legal_hold_status (UTF8); optional binary intelligent_tiering_access_tier (UTF8); optional binary bucket_key_status (UTF8); optional binary checksum_algorithm (UTF8); }';

describe('Parquet fileSchema', () => {
  it("maps the AWS example's columns to the CSV names, in file order", () => {
    const l = columnsFromParquetSchema(DOC_SCHEMA, 'm.json');
    expect(l.format).toBe('Parquet');
    expect(l.names).toEqual([...ALL_FIELDS]);
    expect(l.slotOfField[1]).toBe(Col.Key);
    expect(l.slotOfField[l.names.indexOf('BucketKeyStatus')]).toBe(Col.BucketKeyStatus);
    expect(l.slotOfField[l.names.indexOf('ETag')]).toBe(-1);
    expect(Object.values(l.has).every(Boolean)).toBe(true);
  });

  it('reads the form real deliveries write: (STRING), TIMESTAMP(MILLIS,true), two spaces', () => {
    const delivered =
      'message s3.inventory {  required binary bucket (STRING);  required binary key (STRING);  optional binary version_id (STRING);  optional boolean is_latest;  optional boolean is_delete_marker;  optional int64 size;  optional int64 last_modified_date (TIMESTAMP(MILLIS,true));  optional binary e_tag (STRING);  optional binary storage_class (STRING);  optional binary encryption_status (STRING);  optional binary bucket_key_status (STRING);}';
    const l = columnsFromParquetSchema(delivered, 'm.json');
    expect(l.names).toEqual([
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
      'BucketKeyStatus',
    ]);
    expect(l.has.IntelligentTieringAccessTier).toBe(false);
    // The test helper's two styles give the same layout.
    expect(columnsFromParquetSchema(parquetFileSchema(l.names, 'delivered'), 'm').names).toEqual(l.names);
    expect(columnsFromParquetSchema(parquetFileSchema(l.names, 'doc'), 'm').names).toEqual(l.names);
  });

  it('names map both ways for every inventory field', () => {
    for (const f of [...ALL_FIELDS, 'ObjectAccessControlList', 'ObjectOwner', 'LifecycleExpirationDate']) {
      expect(csvColumnName(parquetColumnName(f))).toBe(f);
    }
    expect(parquetColumnName('ETag')).toBe('e_tag');
    expect(parquetColumnName('IntelligentTieringAccessTier')).toBe('intelligent_tiering_access_tier');
  });

  it.each([
    ['a CSV schema', 'Bucket, Key, EncryptionStatus', /is not a Parquet message schema/],
    ['an empty message', 'message s3.inventory { }', /is not a Parquet message schema/],
    [
      'a nested group',
      'message s3.inventory { required group x { required binary y; } }',
      /is not a Parquet message schema/,
    ],
    [
      'a field without a type',
      'message s3.inventory { required key; }',
      /field "required key" is not a Parquet primitive field/,
    ],
    [
      'no encryption_status',
      'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); }',
      /fileSchema has no EncryptionStatus column .*run s3-encrypt setup-inventory/,
    ],
    [
      'a column twice',
      'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary key (UTF8); optional binary encryption_status (UTF8); }',
      /names column Key twice/,
    ],
  ])('refuses %s with one line (exit 3)', (_n, schema, msg) => {
    try {
      columnsFromParquetSchema(schema, 'm.json');
      expect.unreachable();
    } catch (e) {
      const err = e as { message: string; hint?: string; exitCode: number };
      expect(`${err.message}: ${err.hint ?? ''}`).toMatch(msg);
      expect(err.exitCode).toBe(3);
    }
  });

  it('columnsForFormat picks the parser by fileFormat', () => {
    expect(columnsForFormat('CSV', 'Bucket, Key, EncryptionStatus', 'm').format).toBe('CSV');
    expect(columnsForFormat('Parquet', DOC_SCHEMA, 'm').format).toBe('Parquet');
    expect(() => columnsForFormat('CSV', DOC_SCHEMA, 'm')).toThrow(/no Bucket, Key, EncryptionStatus column/);
  });

  it('manifest.json with fileFormat Parquet is accepted', () => {
    const text = JSON.stringify({
      sourceBucket: 'src',
      destinationBucket: 'arn:aws:s3:::dest',
      version: '2016-11-30',
      creationTimestamp: '1514944800000',
      fileFormat: 'Parquet',
      fileSchema: DOC_SCHEMA,
      files: [
        { key: 'inv/src/id/data/a.parquet', size: 56291, MD5checksum: '5825f2e18e1695c2d030b9f6eeeeeeee' },
      ],
    });
    expect(parseInventoryManifest(text, 'm.json', 'src').fileFormat).toBe('Parquet');
  });
});

describe('keys of Parquet rows', () => {
  const ODD = [
    'plain/key.txt',
    'with space',
    'plus+sign',
    'literal %2B and %20',
    '100% and %zz',
    'comma,separated',
    'quote"d\'s',
    'ünïcødé/日本語/😀',
    '\uFEFFbom',
    '~tilde*star(1)!',
    'a/b//c/',
  ];
  it.each(ODD)(
    '%j: the Parquet key as it is and its CSV form give the same object and manifest key',
    (key) => {
      const plain = { encodedKey: key, plainKey: true };
      const csv = { encodedKey: encodeInventoryKey(key), plainKey: false };
      expect(objectKeyOf(plain)).toBe(key);
      expect(objectKeyOf(csv)).toBe(key);
      expect(manifestKeyOf(plain)).toBe(manifestKeyOf(csv));
    },
  );
  it('a Parquet key is never URL-decoded', () => {
    expect(objectKeyOf({ encodedKey: 'a+b%20c', plainKey: true })).toBe('a+b%20c');
    expect(manifestKeyOf({ encodedKey: 'a+b%20c', plainKey: true })).toBe('a%2Bb%2520c');
    // The same text read as CSV is another key: '+' is a space there.
    expect(objectKeyOf({ encodedKey: 'a+b%20c', plainKey: false })).toBe('a b c');
  });
});
