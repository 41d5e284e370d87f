import { describe, expect, it } from 'vitest';
import {
  desiredInventoryConfig,
  diffInventoryConfig,
  OPTIONAL_FIELDS,
  reportLocation,
  type InventorySpec,
} from '../../../src/core/inventory-config/inventory-config.js';

const spec: InventorySpec = {
  sourceBucket: 'src-bucket',
  id: 's3-encrypt',
  versions: 'All',
  frequency: 'Daily',
  destinationBucket: 'dest-bucket',
  destinationAccount: '111122223333',
  destinationPrefix: '/inv/',
};

describe('desiredInventoryConfig', () => {
  it('is a daily CSV inventory of all versions with every field the migration reads', () => {
    expect(desiredInventoryConfig(spec)).toEqual({
      Id: 's3-encrypt',
      IsEnabled: true,
      IncludedObjectVersions: 'All',
      Schedule: { Frequency: 'Daily' },
      OptionalFields: [...OPTIONAL_FIELDS],
      Destination: {
        S3BucketDestination: {
          Bucket: 'arn:aws:s3:::dest-bucket',
          AccountId: '111122223333',
          Format: 'CSV',
          Prefix: 'inv',
        },
      },
    });
    for (const f of [
      'Size',
      'LastModifiedDate',
      'StorageClass',
      'ETag',
      'IsMultipartUploaded',
      'EncryptionStatus',
      'BucketKeyStatus',
      'ObjectLockMode',
      'ObjectLockRetainUntilDate',
      'ObjectLockLegalHoldStatus',
      'IntelligentTieringAccessTier',
      'ReplicationStatus',
      'ObjectAccessControlList',
      'ObjectOwner',
    ])
      expect(OPTIONAL_FIELDS).toContain(f);
  });

  it('adds a filter only for a prefix, and no destination prefix when none is given', () => {
    const c = desiredInventoryConfig({
      ...spec,
      prefix: 'logs/',
      destinationPrefix: undefined,
      frequency: 'Weekly',
      versions: 'Current',
    });
    expect(c.Filter).toEqual({ Prefix: 'logs/' });
    expect(c.Destination.S3BucketDestination.Prefix).toBeUndefined();
    expect(c.Schedule.Frequency).toBe('Weekly');
    expect(c.IncludedObjectVersions).toBe('Current');
  });

  it('says where reports land', () => {
    expect(reportLocation(spec)).toBe('s3://dest-bucket/inv/src-bucket/s3-encrypt/');
    expect(reportLocation({ ...spec, destinationPrefix: undefined })).toBe(
      's3://dest-bucket/src-bucket/s3-encrypt/',
    );
  });
});

describe('diffInventoryConfig', () => {
  it('ignores the order of OptionalFields', () => {
    const a = desiredInventoryConfig(spec);
    const b = { ...a, OptionalFields: [...a.OptionalFields].reverse() };
    expect(diffInventoryConfig(b, a)).toEqual([]);
  });

  it('names each changed field with before and after', () => {
    const desired = desiredInventoryConfig(spec);
    const current = {
      ...desired,
      IsEnabled: false,
      OptionalFields: ['Size', 'EncryptionStatus'],
      Destination: {
        S3BucketDestination: {
          ...desired.Destination.S3BucketDestination,
          Format: 'ORC',
          Encryption: { SSES3: {} },
        },
      },
    };
    const changes = diffInventoryConfig(current, desired);
    expect(changes.map((c) => c.field)).toEqual([
      'Destination.S3BucketDestination.Encryption.SSES3',
      'Destination.S3BucketDestination.Format',
      'IsEnabled',
      'OptionalFields',
    ]);
    expect(changes.find((c) => c.field === 'Destination.S3BucketDestination.Format')).toEqual({
      field: 'Destination.S3BucketDestination.Format',
      before: 'ORC',
      after: 'CSV',
    });
    expect(
      changes.find((c) => c.field === 'Destination.S3BucketDestination.Encryption.SSES3')?.after,
    ).toBeUndefined();
  });
});
