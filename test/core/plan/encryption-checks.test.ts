import { describe, expect, it } from 'vitest';
import { bucketPolicyCheck, defaultEncryptionCheck } from '../../../src/core/plan/encryption-checks.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const key = { id: KEY, shortId: '1234abcd-12ab-34cd-56ef-1234567890ab', checked: true };
const run = 's3-encrypt enable-sse --bucket b --kms-key k';

describe('defaultEncryptionCheck', () => {
  it.each([
    ['none', undefined, 'WARN', /none configured/],
    [
      'SSE-S3',
      { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      'WARN',
      /SSE-S3/,
    ],
    [
      'another key',
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: 'arn:aws:kms:us-east-1:111122223333:key/other',
            },
          },
        ],
      },
      'WARN',
      /not arn:aws:kms/,
    ],
    [
      'no bucket key',
      { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } }] },
      'WARN',
      /Bucket Keys off/,
    ],
    [
      'target',
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
            BucketKeyEnabled: true,
          },
        ],
      },
      'PASS',
      /target key and S3 Bucket Keys/,
    ],
  ] as const)('%s', (_name, config, status, detail) => {
    const c = defaultEncryptionCheck(config as never, key, run);
    expect(c.status).toBe(status);
    expect(c.detail).toMatch(detail);
    if (status === 'WARN') expect(c.advice).toBe(`run: ${run}`);
  });

  it('reports BlockedEncryptionTypes and that enable-sse keeps them', () => {
    const c = defaultEncryptionCheck(
      {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
            BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          },
        ],
      },
      key,
      run,
    );
    expect(c.detail).toContain('blocks SSE-C (enable-sse keeps this)');
  });
});

const policyWith = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

describe('bucketPolicyCheck', () => {
  it('passes without a policy', () => {
    expect(bucketPolicyCheck(undefined).status).toBe('PASS');
  });

  it('fails on a Deny unless the SSE header is AES256 (forces SSE-S3)', () => {
    const c = bucketPolicyCheck(
      policyWith({
        Sid: 'RequireAES256',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
      }),
    );
    expect(c.status).toBe('FAIL');
    expect(c.detail).toContain('"RequireAES256"');
    expect(c.detail).toContain('forced to AES256');
  });

  it('fails on an Allow only when the header is AES256', () => {
    const c = bucketPolicyCheck(
      policyWith({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringEquals: { 'S3:X-AMZ-Server-Side-Encryption': ['AES256'] } },
      }),
    );
    expect(c.status).toBe('FAIL');
    expect(c.detail).toContain('#1');
  });

  it('passes a policy that requires aws:kms, or denies AES256', () => {
    expect(
      bucketPolicyCheck(
        policyWith({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        }),
      ).status,
    ).toBe('PASS');
    expect(
      bucketPolicyCheck(
        policyWith({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
        }),
      ).status,
    ).toBe('PASS');
  });

  it('warns on an encryption-context condition naming object ARNs', () => {
    const c = bucketPolicyCheck(
      policyWith({
        Sid: 'Ctx',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::b/secret/*' } },
      }),
    );
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('arn:aws:s3:::b/secret/*');
    expect(c.advice).toContain('bucket ARN');
  });

  it('does not warn when the context names the bucket ARN', () => {
    const c = bucketPolicyCheck(
      policyWith({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::b' } },
      }),
    );
    expect(c.status).toBe('PASS');
  });

  it('warns when the policy text is not a policy', () => {
    expect(bucketPolicyCheck('not json').status).toBe('WARN');
  });
});
