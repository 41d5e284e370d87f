import { describe, expect, it } from 'vitest';
import { PreconditionError, UsageError } from '../../../src/core/errors.js';
import { checkKey, parseKeyRef, sameKey, shortKeyId } from '../../../src/core/kms/key.js';
import { keyDesc } from '../../support/fakes.js';

const opts = { bucketRegion: 'us-east-1', allowAwsManaged: false };

describe('checkKey', () => {
  it('accepts an enabled symmetric customer key in the bucket region and returns its ARN', () => {
    const k = keyDesc();
    expect(checkKey(k, opts)).toEqual({ id: k.arn, shortId: k.keyId, checked: true });
  });

  it.each([
    ['disabled', { state: 'Disabled' }, 'KeyNotEnabled', /is Disabled, not Enabled: enable it/],
    ['pending deletion', { state: 'PendingDeletion' }, 'KeyNotEnabled', /cancel the deletion/],
    ['asymmetric', { spec: 'RSA_2048' }, 'KeyNotSymmetric', /RSA_2048.*symmetric/],
    ['signing key', { usage: 'SIGN_VERIFY' }, 'KeyNotSymmetric', /SIGN_VERIFY/],
    [
      'other region',
      { region: 'eu-west-1' },
      'KeyInOtherRegion',
      /is in eu-west-1 but the bucket is in us-east-1: .*us-east-1/,
    ],
    ['AWS managed', { manager: 'AWS' }, 'KeyAwsManaged', /AWS managed.*--allow-aws-managed-key/],
  ])('refuses a %s key with its own message', (_n, over, code, line) => {
    const err = (() => {
      try {
        checkKey(keyDesc(over), opts);
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    })() as PreconditionError;
    expect(err).toBeInstanceOf(PreconditionError);
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(3);
    expect(err.oneLine()).toMatch(line);
    expect(err.oneLine()).not.toContain('\n');
  });

  it('accepts an AWS managed key only when insisted on', () => {
    expect(checkKey(keyDesc({ manager: 'AWS' }), { ...opts, allowAwsManaged: true }).checked).toBe(true);
  });
});

describe('parseKeyRef', () => {
  it.each([
    'alias/my-app',
    'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab',
    '1234abcd-12ab-34cd',
    'arn:aws:kms:us-east-1:111122223333:alias/x',
  ])('accepts %s', (ref) => {
    expect(parseKeyRef(ref)).toBe(ref);
  });
  it.each(['alias my app', 'arn:aws:s3:::bucket', ''])('rejects %j as a usage error', (ref) => {
    expect(() => parseKeyRef(ref)).toThrow(UsageError);
  });
});

describe('sameKey / shortKeyId', () => {
  const key = { id: 'arn:aws:kms:us-east-1:1:key/abc', shortId: 'abc', checked: true };
  it('matches ARN and bare id, not another key', () => {
    expect(sameKey('arn:aws:kms:us-east-1:1:key/abc', key)).toBe(true);
    expect(sameKey('abc', key)).toBe(true);
    expect(sameKey('abd', key)).toBe(false);
    expect(sameKey(undefined, key)).toBe(false);
    expect(shortKeyId('plain-id')).toBe('plain-id');
  });
});
