// The one reading of a bucket's default encryption (plan, encrypt and create-job use it), and
// create-job's gate on it.
import { describe, expect, it } from 'vitest';
import { requireBatchReadyDefault } from '../../../src/core/batch/default-encryption-gate.js';
import type { BucketEncryption } from '../../../src/core/encryption/bucket-default.js';
import {
  judgeDefaultEncryption,
  readDefaultEncryption,
  type DefaultEncryptionState,
} from '../../../src/core/encryption/default-state.js';
import { PreconditionError, ServiceError, UsageError } from '../../../src/core/errors.js';
import type { KeyDescription } from '../../../src/core/kms/key.js';
import { keyDesc } from '../../support/fakes.js';

const K = keyDesc();
const key = { id: K.arn, shortId: K.keyId, checked: true };
const kms = (id: string | undefined, bucketKey: boolean | 'absent' = true): BucketEncryption => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', ...(id ? { KMSMasterKeyID: id } : {}) },
      ...(bucketKey === 'absent' ? {} : { BucketKeyEnabled: bucketKey }),
    },
  ],
});

describe('judgeDefaultEncryption', () => {
  it.each<[string, BucketEncryption | undefined, DefaultEncryptionState['state']]>([
    ['no configuration', undefined, 'none'],
    ['an empty rule list', { Rules: [] }, 'none'],
    ['SSE-S3', { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }, 'sse-s3'],
    [
      'DSSE-KMS',
      { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse' } }] },
      'other-algorithm',
    ],
    ['aws:kms without a key (aws/s3)', kms(undefined), 'other-key'],
    ['another key ARN', kms(keyDesc({ keyId: '0ther' }).arn), 'other-key'],
    // A multi-Region replica has the same key id in another Region: another ARN, another key.
    ['the same key id in another region', kms(keyDesc({ region: 'eu-west-1' }).arn), 'other-key'],
    ['an alias, unresolved', kms('alias/app'), 'other-key'],
    ['the target ARN without a bucket key', kms(K.arn, false), 'no-bucket-key'],
    ['the target ARN, BucketKeyEnabled absent', kms(K.arn, 'absent'), 'no-bucket-key'],
    ['the target ARN with a bucket key', kms(K.arn), 'ready'],
    ['the bare target key id with a bucket key', kms(K.keyId), 'ready'],
  ])('%s', (_name, config, state) => {
    expect(judgeDefaultEncryption(config, key).state).toBe(state);
  });

  it('compares a resolved alias by its key ARN', () => {
    expect(judgeDefaultEncryption(kms('alias/app'), key, K.arn).state).toBe('ready');
    expect(judgeDefaultEncryption(kms('alias/app'), key, keyDesc({ keyId: '0ther' }).arn).state).toBe(
      'other-key',
    );
  });
});

describe('readDefaultEncryption', () => {
  const keys = (known: Record<string, KeyDescription>) => ({
    async describeKey(ref: string) {
      const k = known[ref];
      if (!k) throw new UsageError(`KMS key ${ref} was not found`, 'check it', 'UnknownKey');
      return k;
    },
  });
  const store = (get: () => Promise<BucketEncryption | undefined>) => ({
    getEncryption: get,
    putEncryption: async () => {
      throw new Error('never written');
    },
  });

  it('resolves an alias or alias ARN in the bucket default through KMS and compares ARNs', async () => {
    const aliasArn = `arn:aws:kms:us-east-1:111122223333:alias/app`;
    for (const configured of ['alias/app', aliasArn]) {
      const s = await readDefaultEncryption(
        { encryption: store(async () => kms(configured)), keys: keys({ [configured]: K }) },
        'b',
        key,
      );
      expect(s.state).toBe('ready');
    }
    const other = await readDefaultEncryption(
      {
        encryption: store(async () => kms('alias/old')),
        keys: keys({ 'alias/old': keyDesc({ keyId: '0ther' }) }),
      },
      'b',
      key,
    );
    expect(other).toEqual({ state: 'other-key', keyId: 'alias/old' });
  });

  it('is unknown, never ready, when the read is refused or the configured key cannot be resolved', async () => {
    const denied = await readDefaultEncryption(
      {
        encryption: store(async () => {
          throw new PreconditionError('AccessDenied', 'access denied (s3:GetEncryptionConfiguration)');
        }),
        keys: keys({}),
      },
      'b',
      key,
    );
    expect(denied).toEqual({
      state: 'unknown',
      reason: 'GetBucketEncryption: access denied (s3:GetEncryptionConfiguration)',
    });
    const unresolved = await readDefaultEncryption(
      { encryption: store(async () => kms('alias/gone')), keys: keys({}) },
      'b',
      key,
    );
    expect(unresolved.state).toBe('unknown');
  });

  it('lets a service error (retry) propagate instead of calling it unknown', async () => {
    const err = new ServiceError('InternalError', 'S3 answered 500');
    await expect(
      readDefaultEncryption({ encryption: store(async () => Promise.reject(err)), keys: keys({}) }, 'b', key),
    ).rejects.toBe(err);
  });
});

describe('requireBatchReadyDefault', () => {
  const fix = `s3-encrypt enable-sse --bucket data-1 --kms-key ${K.arn}`;
  it('passes only on ready, and says it checked', () => {
    expect(requireBatchReadyDefault({ state: 'ready' }, 'data-1', K.arn)).toBe(
      `bucket default of data-1: SSE-KMS under ${K.arn} with S3 Bucket Keys (checked)`,
    );
  });
  it.each<DefaultEncryptionState>([
    { state: 'none' },
    { state: 'sse-s3' },
    { state: 'other-key', keyId: undefined },
    { state: 'other-algorithm', algorithm: 'aws:kms:dsse', keyId: undefined },
    { state: 'no-bucket-key' },
  ])('refuses %o with exit 3 naming enable-sse', (state) => {
    let err: unknown;
    try {
      requireBatchReadyDefault(state, 'data-1', K.arn);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PreconditionError);
    expect((err as PreconditionError).code).toBe('BucketDefaultNotReady');
    expect((err as PreconditionError).oneLine()).toContain(`run ${fix} first`);
  });
  it('refuses unknown too, with the reason and the fix', () => {
    expect(() =>
      requireBatchReadyDefault(
        { state: 'unknown', reason: 'GetBucketEncryption: access denied' },
        'data-1',
        K.arn,
      ),
    ).toThrow(/could not be checked \(GetBucketEncryption: access denied\)/);
  });
});
