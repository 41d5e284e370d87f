import { describe, expect, it } from 'vitest';
import type { BucketEncryption } from '../../../src/core/encryption/bucket-default.js';
import type { S3EncryptError } from '../../../src/core/errors.js';
import { UsageError } from '../../../src/core/errors.js';
import { checkDestinationEncryption } from '../../../src/core/inventory-config/destination-encryption.js';
import type { KeyDescription } from '../../../src/core/kms/key.js';
import type { KeyDirectory } from '../../../src/core/ports.js';
import { keyDesc } from '../../support/fakes.js';

const grant = { sourceBucket: 'src-bucket', sourceAccount: '111122223333', destinationBucket: 'dest-bucket' };

function keys(map: Record<string, KeyDescription>): KeyDirectory & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async describeKey(ref) {
      calls.push(ref);
      const k = map[ref];
      if (!k) throw new UsageError(`KMS key ${ref} was not found`, 'check', 'UnknownKey');
      return k;
    },
  };
}

const kms = (keyId?: string): BucketEncryption => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        ...(keyId ? { KMSMasterKeyID: keyId } : {}),
      },
    },
  ],
});

async function refusal(p: Promise<unknown>): Promise<S3EncryptError> {
  try {
    await p;
  } catch (e) {
    return e as S3EncryptError;
  }
  throw new Error('expected a refusal');
}

describe('checkDestinationEncryption', () => {
  it('accepts no default encryption and SSE-S3 without asking KMS', async () => {
    const k = keys({});
    expect(await checkDestinationEncryption(undefined, k, grant)).toEqual({
      kind: 'ok',
      algorithm: 'AES256',
    });
    expect(
      await checkDestinationEncryption(
        { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        k,
        grant,
      ),
    ).toEqual({ kind: 'ok', algorithm: 'AES256' });
    expect(k.calls).toEqual([]);
  });

  it('refuses SSE-KMS without a key id (the AWS managed aws/s3 key) with a fix', async () => {
    const err = await refusal(checkDestinationEncryption(kms(), keys({}), grant));
    expect(err.code).toBe('DestinationAwsManagedKey');
    expect(err.exitCode).toBe(3);
    expect(err.oneLine()).toMatch(
      /S3 Inventory cannot use: set its default encryption to SSE-S3 or a customer managed key/,
    );
  });

  it('refuses alias/aws/s3 by name and an AWS managed key found by DescribeKey', async () => {
    expect((await refusal(checkDestinationEncryption(kms('alias/aws/s3'), keys({}), grant))).code).toBe(
      'DestinationAwsManagedKey',
    );
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/aaaa';
    const k = keys({ [arn]: keyDesc({ arn, manager: 'AWS' }) });
    expect((await refusal(checkDestinationEncryption(kms(arn), k, grant))).code).toBe(
      'DestinationAwsManagedKey',
    );
  });

  it('warns about a customer managed key with the key-policy statement S3 needs', async () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/bbbb';
    const r = await checkDestinationEncryption(kms(arn), keys({ [arn]: keyDesc({ arn }) }), grant);
    expect(r).toEqual({
      kind: 'customer-key',
      keyId: arn,
      keyPolicyStatement: {
        Sid: 'AllowS3InventoryDelivery',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: ['kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111122223333' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::src-bucket' },
        },
      },
    });
  });

  it('reports a key it cannot describe as unknown, not as a failure', async () => {
    const r = await checkDestinationEncryption(
      kms('arn:aws:kms:us-east-1:999999999999:key/cccc'),
      keys({}),
      grant,
    );
    expect(r.kind).toBe('unknown-key');
    expect(r.kind === 'unknown-key' && r.reason).toMatch(/not found/);
  });
});
