import { describe, expect, it } from 'vitest';
import { decide, isLocked, needsRestore, type DecideContext } from '../../../src/core/encrypt/decide.js';
import { uncheckedKey, type ResolvedKey } from '../../../src/core/kms/key.js';
import type { ObjectHead } from '../../../src/core/objects.js';

const KEY: ResolvedKey = {
  id: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  shortId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  checked: true,
};
const OTHER = 'arn:aws:kms:us-east-1:111122223333:key/99999999-0000-0000-0000-000000000000';
const NOW = new Date('2026-11-30T00:00:00Z');
const FUTURE = new Date('2027-01-01T00:00:00Z');
const PAST = new Date('2026-01-01T00:00:00Z');

const ctx = (over: Partial<DecideContext> = {}): DecideContext => ({
  key: KEY,
  bucketKey: 'required',
  uoe: 'supported',
  multipartThreshold: 1000,
  copyMethod: 'copy',
  now: NOW,
  percentKeysSafe: true,
  ...over,
});
const head = (over: Partial<ObjectHead> = {}): ObjectHead => ({
  key: 'k',
  size: 10,
  etag: '"e"',
  storageClass: 'STANDARD',
  metadata: {},
  ...over,
});
const kms = (over: Partial<ObjectHead> = {}) =>
  head({ serverSideEncryption: 'aws:kms', kmsKeyId: KEY.id, bucketKeyEnabled: true, ...over });

describe('decide', () => {
  const cases: [string, ObjectHead, Partial<DecideContext>, string, string?][] = [
    ['compliant: key ARN + bucket key', kms(), {}, 'skip-compliant'],
    ['compliant: bare key id reported', kms({ kmsKeyId: KEY.shortId }), {}, 'skip-compliant'],
    ['no bucket key -> update', kms({ bucketKeyEnabled: false }), {}, 'update'],
    ['bucket key absent, AWS -> update', kms({ bucketKeyEnabled: undefined }), {}, 'update'],
    [
      'bucket key absent, store that never reports it -> compliant',
      kms({ bucketKeyEnabled: undefined }),
      { bucketKey: 'accept-absent' },
      'skip-compliant',
    ],
    [
      'bucket key false stays non-compliant even when absence is accepted',
      kms({ bucketKeyEnabled: false }),
      { bucketKey: 'accept-absent' },
      'update',
    ],
    ['other key -> update', kms({ kmsKeyId: OTHER }), {}, 'update'],
    ['SSE-S3 -> update', head({ serverSideEncryption: 'AES256' }), {}, 'update'],
    [
      'SSE-S3, UOE unknown -> update (probe first)',
      head({ serverSideEncryption: 'AES256' }),
      { uoe: 'unknown' },
      'update',
    ],
    [
      'SSE-S3, UOE unsupported -> copy',
      head({ serverSideEncryption: 'AES256' }),
      { uoe: 'unsupported' },
      'copy',
    ],
    ['NOT-SSE -> copy, never UOE', head(), {}, 'copy'],
    ['unknown algorithm is never compliant', head({ serverSideEncryption: 'weird' }), {}, 'copy'],
    ['NOT-SSE above the threshold -> multipart', head({ size: 1001 }), {}, 'multipart'],
    ['NOT-SSE at the threshold -> copy', head({ size: 1000 }), {}, 'copy'],
    [
      'over 5 GiB is multipart whatever the threshold',
      head({ size: 5 * 1024 ** 3 + 1 }),
      { multipartThreshold: 6 * 1024 ** 3 },
      'multipart',
    ],
    ['run switched to multipart', head(), { copyMethod: 'multipart' }, 'multipart'],
    ['SSE-C -> skip', head({ sseCustomerAlgorithm: 'AES256' }), {}, 'skip', 'sse-c'],
    ['DSSE-KMS -> skip', head({ serverSideEncryption: 'aws:kms:dsse' }), {}, 'skip', 'dsse-kms'],
    ['GLACIER not restored -> skip', head({ storageClass: 'GLACIER' }), {}, 'skip', 'archived'],
    [
      'DEEP_ARCHIVE restore ongoing -> skip',
      head({ storageClass: 'DEEP_ARCHIVE', restore: 'ongoing-request="true"' }),
      {},
      'skip',
      'archived',
    ],
    [
      'GLACIER restored -> copy',
      head({
        storageClass: 'GLACIER',
        restore: 'ongoing-request="false", expiry-date="Fri, 01 Jan 2027 00:00:00 GMT"',
      }),
      {},
      'copy',
    ],
    [
      'Intelligent-Tiering archive tier -> skip',
      head({ storageClass: 'INTELLIGENT_TIERING', archiveStatus: 'DEEP_ARCHIVE_ACCESS' }),
      {},
      'skip',
      'archived',
    ],
    ['GLACIER_IR is instant: copy', head({ storageClass: 'GLACIER_IR' }), {}, 'copy'],
    [
      'GLACIER SSE-S3 with UOE: update without restore',
      head({ storageClass: 'GLACIER', serverSideEncryption: 'AES256' }),
      {},
      'update',
    ],
    [
      'GLACIER SSE-S3 without UOE: skip',
      head({ storageClass: 'GLACIER', serverSideEncryption: 'AES256' }),
      { uoe: 'unsupported' },
      'skip',
      'archived',
    ],
    [
      'legal hold: UOE refuses, copy',
      head({ serverSideEncryption: 'AES256', objectLockLegalHoldStatus: 'ON' }),
      {},
      'copy',
    ],
    [
      'retention in the future: copy',
      head({
        serverSideEncryption: 'AES256',
        objectLockMode: 'COMPLIANCE',
        objectLockRetainUntilDate: FUTURE,
      }),
      {},
      'copy',
    ],
    [
      'retention expired: update',
      head({ serverSideEncryption: 'AES256', objectLockMode: 'GOVERNANCE', objectLockRetainUntilDate: PAST }),
      {},
      'update',
    ],
    [
      "'%' key multipart on an S3-compatible store: skip",
      head({ key: 'a%41', size: 2000 }),
      { percentKeysSafe: false },
      'skip',
      'unsafe-copy-source',
    ],
    [
      "'%' key single copy on an S3-compatible store: copy",
      head({ key: 'a%41' }),
      { percentKeysSafe: false },
      'copy',
    ],
    ["'%' key multipart on AWS: multipart", head({ key: 'a%41', size: 2000 }), {}, 'multipart'],
  ];
  it.each(cases)('%s', (_name, h, over, action, reason) => {
    const d = decide(h, ctx(over));
    expect(d.action).toBe(action);
    if (reason) expect(d).toMatchObject({ reason });
  });

  it('says why an SSE-S3 object is copied', () => {
    expect(decide(head({ serverSideEncryption: 'AES256' }), ctx({ uoe: 'unsupported' }))).toMatchObject({
      note: expect.stringMatching(/UpdateObjectEncryption unsupported/),
    });
    expect(
      decide(head({ serverSideEncryption: 'AES256', objectLockLegalHoldStatus: 'ON' }), ctx()),
    ).toMatchObject({
      note: expect.stringMatching(/Object Lock/),
    });
  });

  it('matches a --skip-key-check key id as given', () => {
    const k = uncheckedKey('s3e-key-1');
    expect(
      decide(
        kms({ kmsKeyId: 's3e-key-1', bucketKeyEnabled: undefined }),
        ctx({ key: k, bucketKey: 'accept-absent' }),
      ).action,
    ).toBe('skip-compliant');
    expect(decide(kms({ kmsKeyId: 's3e-key-2' }), ctx({ key: k, uoe: 'unsupported' })).action).toBe('copy');
  });
});

describe('needsRestore / isLocked', () => {
  it('reads x-amz-restore', () => {
    expect(
      needsRestore(head({ storageClass: 'GLACIER', restore: 'ongoing-request="false", expiry-date="x"' })),
    ).toBe(false);
    expect(needsRestore(head({ storageClass: 'GLACIER' }))).toBe(true);
    expect(needsRestore(head({ storageClass: 'STANDARD_IA' }))).toBe(false);
  });
  it('needs a future date or a legal hold', () => {
    expect(isLocked(head({ objectLockMode: 'GOVERNANCE', objectLockRetainUntilDate: FUTURE }), NOW)).toBe(
      true,
    );
    expect(isLocked(head({ objectLockMode: 'GOVERNANCE', objectLockRetainUntilDate: PAST }), NOW)).toBe(
      false,
    );
    expect(isLocked(head({ objectLockLegalHoldStatus: 'OFF' }), NOW)).toBe(false);
    expect(isLocked(head({ objectLockLegalHoldStatus: 'ON' }), NOW)).toBe(true);
  });
});
