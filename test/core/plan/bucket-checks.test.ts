import { describe, expect, it } from 'vitest';
import {
  lifecycleCheck,
  notificationCheck,
  objectLockCheck,
  replicationCheck,
  versioningCheck,
} from '../../../src/core/plan/bucket-checks.js';
import type { LifecycleRule, ReplicationRule } from '../../../src/core/plan/ports.js';

const rule = (over: Partial<LifecycleRule>): LifecycleRule => ({
  id: 'r',
  enabled: true,
  wholeBucket: true,
  scope: 'whole bucket',
  ...over,
});

describe('versioningCheck', () => {
  it.each([
    ['Enabled', 'PASS', /new encrypted version/],
    ['Suspended', 'WARN', /suspended/],
    ['Off', 'PASS', /in place/],
  ] as const)('%s -> %s', (status, expected, detail) => {
    const c = versioningCheck(status);
    expect(c.status).toBe(expected);
    expect(c.detail).toMatch(detail);
  });
});

describe('lifecycleCheck', () => {
  const extra = { bytes: '2.0 GiB', usdPerMonth: '$0.05', partial: false };

  it('is not needed on an unversioned bucket', () => {
    expect(lifecycleCheck('Off', [], extra).status).toBe('PASS');
  });

  it('passes with a whole-bucket NoncurrentVersionExpiration rule and names the days', () => {
    const c = lifecycleCheck('Enabled', [rule({ id: 'expire-old', noncurrentExpirationDays: 30 })], extra);
    expect(c.status).toBe('PASS');
    expect(c.detail).toContain('expire-old');
    expect(c.detail).toContain('30 days');
  });

  it('warns with the extra-storage estimate when no rule expires noncurrent versions', () => {
    const c = lifecycleCheck('Enabled', [rule({ noncurrentExpirationDays: undefined })], extra);
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('no NoncurrentVersionExpiration rule');
    expect(c.detail).toContain('2.0 GiB of old versions (~$0.05/month)');
  });

  it('says "at least" when the sizes come from a partial listing', () => {
    const c = lifecycleCheck('Enabled', [], { ...extra, partial: true });
    expect(c.detail).toContain('at least 2.0 GiB');
  });

  it('ignores disabled rules and warns about prefix-only rules', () => {
    expect(
      lifecycleCheck('Enabled', [rule({ enabled: false, noncurrentExpirationDays: 7 })], undefined).detail,
    ).toContain('no NoncurrentVersionExpiration rule');
    const c = lifecycleCheck(
      'Suspended',
      [rule({ wholeBucket: false, scope: 'prefix logs/', noncurrentExpirationDays: 7 })],
      undefined,
    );
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('prefix logs/');
  });
});

describe('objectLockCheck', () => {
  it('passes without Object Lock', () => {
    expect(objectLockCheck(undefined).status).toBe('PASS');
  });
  it('warns about retention and UpdateObjectEncryption when enabled', () => {
    const c = objectLockCheck({ enabled: true, defaultMode: 'GOVERNANCE', defaultDays: 5 });
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('GOVERNANCE 5 days');
    expect(c.detail).toContain('UpdateObjectEncryption fails');
    expect(c.advice).toContain('same retention');
  });
});

describe('replicationCheck', () => {
  const r = (over: Partial<ReplicationRule>): ReplicationRule => ({
    id: 'to-dr',
    enabled: true,
    destination: 'arn:aws:s3:::dr',
    sseKmsEncryptedObjects: true,
    replicaKmsKeyId: 'arn:aws:kms:us-west-2:111122223333:key/k',
    ...over,
  });
  it('passes with no rules or only disabled rules', () => {
    expect(replicationCheck([]).status).toBe('PASS');
    expect(replicationCheck([r({ enabled: false, sseKmsEncryptedObjects: false })]).status).toBe('PASS');
  });
  it('fails when a rule does not replicate SSE-KMS objects', () => {
    const c = replicationCheck([r({ sseKmsEncryptedObjects: false })]);
    expect(c.status).toBe('FAIL');
    expect(c.detail).toContain('SseKmsEncryptedObjects');
    expect(c.detail).toContain('to-dr -> arn:aws:s3:::dr');
  });
  it('warns when the destination has no replica key', () => {
    const c = replicationCheck([r({ replicaKmsKeyId: undefined })]);
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('ReplicaKmsKeyID');
  });
  it('passes a complete rule and still says UpdateObjectEncryption does not replicate', () => {
    const c = replicationCheck([r({})]);
    expect(c.status).toBe('PASS');
    expect(c.advice).toContain('does not');
  });
});

describe('notificationCheck', () => {
  it('passes when nothing listens to copy events', () => {
    const c = notificationCheck({
      targets: [{ kind: 'queue', arn: 'q', events: ['s3:ObjectRemoved:*', 's3:ObjectCreated:Put'] }],
      eventBridge: false,
    });
    expect(c.status).toBe('PASS');
  });
  it.each(['s3:ObjectCreated:*', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload'])(
    'warns on %s',
    (event) => {
      const c = notificationCheck({
        targets: [{ kind: 'lambda', arn: 'arn:aws:lambda:us-east-1:1:function:f', events: [event] }],
        eventBridge: false,
      });
      expect(c.status).toBe('WARN');
      expect(c.detail).toContain(`lambda arn:aws:lambda:us-east-1:1:function:f (${event})`);
    },
  );
  it('warns when EventBridge receives every event', () => {
    expect(notificationCheck({ targets: [], eventBridge: true }).detail).toContain('EventBridge');
  });
});
