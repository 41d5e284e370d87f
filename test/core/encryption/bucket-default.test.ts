import { describe, expect, it } from 'vitest';
import { bucketEncryptionChange } from '../../../src/core/encryption/bucket-default.js';

const key = { id: 'arn:aws:kms:us-east-1:111122223333:key/k-1', shortId: 'k-1', checked: true };

describe('bucketEncryptionChange', () => {
  it('from nothing: one aws:kms rule with the key ARN and a bucket key', () => {
    const plan = bucketEncryptionChange(undefined, key, true);
    expect(plan.next).toEqual({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.id },
          BucketKeyEnabled: true,
        },
      ],
    });
    expect(plan.changes.map((c) => c.field)).toEqual(['SSEAlgorithm', 'KMSMasterKeyID', 'BucketKeyEnabled']);
  });

  it('from SSE-S3: keeps BlockedEncryptionTypes and unknown fields, changes only what it manages', () => {
    const current = {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
          BucketKeyEnabled: false,
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          FutureField: 1,
        },
        { Second: true },
      ],
      Extra: 'kept',
    };
    const plan = bucketEncryptionChange(current, key, true);
    expect(plan.next).toEqual({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.id },
          BucketKeyEnabled: true,
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          FutureField: 1,
        },
        { Second: true },
      ],
      Extra: 'kept',
    });
    expect(current.Rules[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('already in place: nothing to write', () => {
    const plan = bucketEncryptionChange(
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.id },
            BucketKeyEnabled: true,
          },
        ],
      },
      key,
      true,
    );
    expect(plan).toEqual({ next: undefined, changes: [] });
  });

  it('--no-bucket-key turns an enabled bucket key off, and says so', () => {
    const plan = bucketEncryptionChange(
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.id },
            BucketKeyEnabled: true,
          },
        ],
      },
      key,
      false,
    );
    expect(plan.changes).toEqual([{ field: 'BucketKeyEnabled', before: 'true', after: 'false' }]);
    expect(plan.next?.Rules[0]?.BucketKeyEnabled).toBe(false);
  });

  it('an alias in the current config is replaced by the ARN', () => {
    const plan = bucketEncryptionChange(
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/x' },
            BucketKeyEnabled: true,
          },
        ],
      },
      key,
      true,
    );
    expect(plan.changes).toEqual([{ field: 'KMSMasterKeyID', before: 'alias/x', after: key.id }]);
  });
});
