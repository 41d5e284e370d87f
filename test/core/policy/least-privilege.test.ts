import { describe, expect, it } from 'vitest';
import { policy } from '../../../src/core/policy/document.js';
import { leastPrivilegeViolations } from '../../../src/core/policy/least-privilege.js';
import { scanWildcards } from './iam-scan.js';

const ok = { Sid: 'A', Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] };

describe('leastPrivilegeViolations (the printer refuses broad documents)', () => {
  it('accepts scoped statements', () => {
    expect(leastPrivilegeViolations(policy([ok]))).toEqual([]);
  });
  it.each([
    [{ ...ok, Action: ['s3:*'] }, 'wildcard action s3:*'],
    [{ ...ok, Action: ['kms:ReEncrypt*'] }, 'wildcard action kms:ReEncrypt*'],
    [{ ...ok, Resource: ['*'] }, 'Resource "*"'],
    [{ ...ok, Resource: ['arn:aws:s3:::*'] }, 'unscoped wildcard resource'],
    [{ ...ok, Resource: ['arn:aws:kms:*:111122223333:key/*'] }, 'unscoped wildcard resource'],
    [{ ...ok, Resource: ['my-bucket'] }, 'not an ARN'],
    [{ ...ok, Action: ['s3:CreateJob'], Resource: ['*'] }, 'Resource "*"'],
    [{ ...ok, Principal: { AWS: ['*'] } }, 'wildcard principal'],
    [{ ...ok, NotAction: ['s3:DeleteObject'] }, 'uses NotAction'],
  ])('flags %j', (statement, message) => {
    expect(leastPrivilegeViolations(policy([statement as typeof ok])).join('; ')).toContain(message);
  });
  it('accepts s3:CreateJob on "*" only with a condition', () => {
    expect(
      leastPrivilegeViolations(
        policy([
          {
            ...ok,
            Action: ['s3:CreateJob'],
            Resource: ['*'],
            Condition: { StringEquals: { 's3:RequestJobOperation': ['S3PutObjectCopy'] } },
          },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('scanWildcards (test helper) finds what it must', () => {
  it('walks nested documents', () => {
    const hits = scanWildcards({
      a: [{ Statement: [{ Action: 'kms:*', Resource: ['arn:aws:s3:::b/*', '*'], NotResource: 'x' }] }],
    });
    expect(hits.map((h) => h.value)).toEqual(['kms:*', '*', '"x"']);
  });
});
