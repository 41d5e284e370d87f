import { describe, expect, it } from 'vitest';
import { classify, EncryptionClass } from '../../../src/core/encryption/classify.js';
import { uncheckedKey } from '../../../src/core/kms/key.js';
import { head } from '../../support/fakes.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/k-1';
const key = { id: ARN, shortId: 'k-1', checked: true };

describe('classify', () => {
  it.each([
    ['plaintext', {}, false, EncryptionClass.NOT_SSE],
    ['SSE-S3', { serverSideEncryption: 'AES256' }, false, EncryptionClass.SSE_S3],
    ['DSSE-KMS', { serverSideEncryption: 'aws:kms:dsse', kmsKeyId: ARN }, false, EncryptionClass.DSSE_KMS],
    ['SSE-C', { sseCustomerAlgorithm: 'AES256' }, false, EncryptionClass.SSE_C],
    [
      'other key',
      {
        serverSideEncryption: 'aws:kms',
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k-2',
        bucketKeyEnabled: true,
      },
      false,
      EncryptionClass.SSE_KMS_OTHER_KEY,
    ],
    [
      'target key by ARN, bucket key',
      { serverSideEncryption: 'aws:kms', kmsKeyId: ARN, bucketKeyEnabled: true },
      true,
      EncryptionClass.COMPLIANT,
    ],
    [
      'target key by bare id',
      { serverSideEncryption: 'aws:kms', kmsKeyId: 'k-1', bucketKeyEnabled: true },
      true,
      EncryptionClass.COMPLIANT,
    ],
    [
      'no bucket key, not required',
      { serverSideEncryption: 'aws:kms', kmsKeyId: ARN },
      false,
      EncryptionClass.COMPLIANT,
    ],
    [
      'no bucket key, required',
      { serverSideEncryption: 'aws:kms', kmsKeyId: ARN, bucketKeyEnabled: false },
      true,
      EncryptionClass.SSE_KMS_NO_BUCKET_KEY,
    ],
    [
      'unknown algorithm is never compliant',
      { serverSideEncryption: 'aws:fancy', kmsKeyId: ARN },
      false,
      EncryptionClass.NOT_SSE,
    ],
  ])('%s', (_name, over, requireBucketKey, expected) => {
    expect(classify(head('k', over), key, { requireBucketKey })).toBe(expected);
  });

  it('an object proved absent between listing and HEAD is "vanished"', () => {
    expect(classify(undefined, key, { requireBucketKey: false })).toBe(EncryptionClass.VANISHED);
  });

  it('an unchecked key id (Ceph RGW) matches the id the store reports', () => {
    const rgwKey = uncheckedKey('s3e-key-1');
    expect(
      classify(head('k', { serverSideEncryption: 'aws:kms', kmsKeyId: 's3e-key-1' }), rgwKey, {
        requireBucketKey: false,
      }),
    ).toBe(EncryptionClass.COMPLIANT);
    expect(
      classify(head('k', { serverSideEncryption: 'aws:kms', kmsKeyId: 's3e-key-2' }), rgwKey, {
        requireBucketKey: false,
      }),
    ).toBe(EncryptionClass.SSE_KMS_OTHER_KEY);
  });
});
