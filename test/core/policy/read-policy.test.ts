import { describe, expect, it } from 'vitest';
import { actionMatches, coversAction, readPolicy } from '../../../src/core/policy/read-policy.js';

describe('readPolicy', () => {
  it('flattens strings and lists, principals, and condition operators with set prefixes and IfExists', () => {
    const [s] =
      readPolicy(
        JSON.stringify({
          Statement: {
            Sid: 'X',
            Effect: 'Deny',
            Principal: { AWS: ['arn:aws:iam::1:root'], Service: 's3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: ['arn:aws:s3:::b/*'],
            Condition: {
              'ForAnyValue:StringNotEqualsIfExists': { 'S3:X-Amz-Server-Side-Encryption': 'AES256' },
              Bool: { 'aws:SecureTransport': false },
            },
          },
        }),
      ) ?? [];
    expect(s).toEqual({
      sid: 'X',
      effect: 'Deny',
      principals: ['arn:aws:iam::1:root', 's3.amazonaws.com'],
      actions: ['s3:PutObject'],
      notAction: false,
      resources: ['arn:aws:s3:::b/*'],
      conditions: [
        { operator: 'StringNotEquals', key: 's3:x-amz-server-side-encryption', values: ['AES256'] },
        { operator: 'Bool', key: 'aws:securetransport', values: ['false'] },
      ],
    });
  });

  it('reads Principal "*" and NotAction', () => {
    const [s] =
      readPolicy('{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"kms:Decrypt"}]}') ?? [];
    expect(s?.principals).toEqual(['*']);
    expect(s?.notAction).toBe(true);
    expect(s && coversAction(s, 'kms:Decrypt')).toBe(false);
    expect(s && coversAction(s, 'kms:GenerateDataKey')).toBe(true);
  });

  it('returns undefined for text that is not a policy', () => {
    expect(readPolicy('nope')).toBeUndefined();
    expect(readPolicy('{"Version":"2012-10-17"}')).toBeUndefined();
  });
});

describe('actionMatches', () => {
  it.each([
    ['kms:*', 'kms:Decrypt', true],
    ['KMS:generatedatakey*', 'kms:GenerateDataKey', true],
    ['kms:GenerateDataKey*', 'kms:Decrypt', false],
    ['*', 's3:GetObject', true],
    ['kms:Re?ncrypt*', 'kms:ReEncryptFrom', true],
    ['s3:Get.bject', 's3:GetObject', false],
  ])('%s vs %s -> %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});
