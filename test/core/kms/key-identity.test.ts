import { describe, expect, it } from 'vitest';
import { PreconditionError } from '../../../src/core/errors.js';
import {
  checkKey,
  isAwsManagedAlias,
  keyMismatch,
  refuseAwsManagedAlias,
} from '../../../src/core/kms/key.js';
import { keyDescriptionChecks } from '../../../src/core/plan/key-checks.js';
import { keyDesc } from '../../support/fakes.js';

const described = keyDesc(); // arn:aws:kms:us-east-1:<ACCOUNT>:key/1234abcd-...
const account = described.arn.split(':')[4] ?? '';
const id = described.keyId;
const opts = { bucketRegion: 'us-east-1', allowAwsManaged: false };

function refusal(fn: () => unknown): PreconditionError {
  try {
    fn();
  } catch (e) {
    return e as PreconditionError;
  }
  throw new Error('accepted');
}

describe('isAwsManagedAlias', () => {
  it.each([
    ['alias/aws/s3', true],
    ['alias/aws/ebs', true],
    [`arn:aws:kms:us-east-1:${account}:alias/aws/s3`, true],
    ['alias/awsome', false],
    ['alias/my-aws/s3', false],
    ['alias/app', false],
    [described.arn, false],
  ])('%s -> %s', (ref, expected) => {
    expect(isAwsManagedAlias(ref)).toBe(expected);
  });
});

describe('refuseAwsManagedAlias', () => {
  it('refuses alias/aws/* by name (exit 3), unless allowed', () => {
    const err = refusal(() => refuseAwsManagedAlias('alias/aws/s3', false));
    expect(err).toBeInstanceOf(PreconditionError);
    expect(err.code).toBe('KeyAwsManaged');
    expect(err.exitCode).toBe(3);
    expect(err.oneLine()).toMatch(/alias\/aws\/ prefix is reserved.*--allow-aws-managed-key/);
    expect(() => refuseAwsManagedAlias('alias/aws/s3', true)).not.toThrow();
    expect(() => refuseAwsManagedAlias('alias/app', false)).not.toThrow();
  });

  it('checkKey refuses alias/aws/s3 even when the store says KeyManager=CUSTOMER', () => {
    const err = refusal(() => checkKey(described, { ...opts, ref: 'alias/aws/s3' }));
    expect(err.code).toBe('KeyAwsManaged');
    expect(checkKey(described, { ...opts, allowAwsManaged: true, ref: 'alias/aws/s3' }).id).toBe(
      described.arn,
    );
  });
});

describe('keyMismatch: the described key must be the key named', () => {
  it.each([
    ['its own key ARN', described.arn],
    ['its bare key id', id],
    ['an alias name (nothing more to compare)', 'alias/app'],
    ['an alias ARN in its account and region', `arn:aws:kms:us-east-1:${account}:alias/app`],
  ])('agrees for %s', (_n, ref) => {
    expect(keyMismatch(ref, described)).toBeUndefined();
    expect(checkKey(described, { ...opts, ref }).id).toBe(described.arn);
  });

  it.each([
    [
      'a key ARN of another account',
      `arn:aws:kms:us-east-1:999999999999:key/${id}`,
      /account \d+, not 999999999999/,
    ],
    [
      'a key ARN of another region',
      `arn:aws:kms:eu-west-1:${account}:key/${id}`,
      /region us-east-1, not eu-west-1/,
    ],
    [
      'a key ARN with another key id',
      `arn:aws:kms:us-east-1:${account}:key/0000aaaa-12ab-34cd-56ef-1234567890ab`,
      /key id 1234abcd-12ab-34cd-56ef-1234567890ab, not 0000aaaa/,
    ],
    [
      'a key ARN of another partition',
      `arn:aws-cn:kms:us-east-1:${account}:key/${id}`,
      /partition aws, not aws-cn/,
    ],
    [
      'an alias ARN of another account',
      'arn:aws:kms:us-east-1:999999999999:alias/app',
      /account \d+, not 999999999999/,
    ],
    ['another bare key id', '0000aaaa-12ab-34cd-56ef-1234567890ab', /key id 1234abcd-.*, not 0000aaaa/],
  ])('refuses %s, showing both (exit 3)', (_n, ref, diff) => {
    expect(keyMismatch(ref, described)).toMatch(diff);
    const err = refusal(() => checkKey(described, { ...opts, ref }));
    expect(err).toBeInstanceOf(PreconditionError);
    expect(err.code).toBe('KeyMismatch');
    expect(err.exitCode).toBe(3);
    expect(err.oneLine()).toContain(ref);
    expect(err.oneLine()).toContain(described.arn);
  });

  it('plan reports a mismatch and an alias/aws/ name as FAIL checks', () => {
    const checks = keyDescriptionChecks(
      described,
      'us-east-1',
      account,
      false,
      `arn:aws:kms:us-east-1:999999999999:key/${id}`,
    );
    expect(checks.find((c) => c.id === 'key-identity')?.status).toBe('FAIL');
    const managed = keyDescriptionChecks(described, 'us-east-1', account, false, 'alias/aws/s3');
    expect(managed.find((c) => c.id === 'key-manager')?.status).toBe('FAIL');
    const fine = keyDescriptionChecks(described, 'us-east-1', account, false, described.arn);
    expect(fine.find((c) => c.id === 'key-identity')).toBeUndefined();
    expect(fine.find((c) => c.id === 'key-manager')?.status).toBe('PASS');
  });
});
