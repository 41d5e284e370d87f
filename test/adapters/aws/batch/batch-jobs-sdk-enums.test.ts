// The shapes we send are our own types; these checks tie them to the installed SDK's enums, so an
// SDK without a value we rely on fails here rather than at AWS.
import { InventoryOptionalField } from '@aws-sdk/client-s3';
import { OperationName, S3StorageClass } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import { BATCH_COPY_CLASSES } from '../../../../src/core/batch/job-request.js';
import { OPTIONAL_FIELDS } from '../../../../src/core/inventory-config/inventory-config.js';

describe('installed SDK enums', () => {
  it('know every inventory field setup-inventory asks for', () => {
    const known: string[] = Object.values(InventoryOptionalField);
    expect(OPTIONAL_FIELDS.filter((f) => !known.includes(f))).toEqual([]);
  });

  it('know both Batch operations and every class a copy job writes', () => {
    expect(Object.values(OperationName)).toEqual(
      expect.arrayContaining(['S3PutObjectCopy', 'S3UpdateObjectEncryption']),
    );
    const classes: string[] = Object.values(S3StorageClass);
    expect(BATCH_COPY_CLASSES.filter((c) => !classes.includes(c))).toEqual([]);
  });
});
