import { describe, expect, it } from 'vitest';
import { isDefaultAcl, sameGrants } from '../../../src/core/encrypt/acl.js';
import { changedAttributes, encryptionProblem, missingLock } from '../../../src/core/encrypt/readback.js';
import {
  copyRequest,
  lockToCarry,
  multipartStart,
  planParts,
  sameTags,
  taggingHeader,
} from '../../../src/core/encrypt/requests.js';
import { parseSize } from '../../../src/core/encrypt/sizes.js';
import type { ObjectHead } from '../../../src/core/objects.js';

const MIB = 1024 * 1024;
const NOW = new Date('2026-11-30T00:00:00Z');
const FUTURE = new Date('2027-01-01T00:00:00Z');
const KEY = { id: 'arn:aws:kms:us-east-1:111122223333:key/k1', shortId: 'k1', checked: true };
const head = (over: Partial<ObjectHead> = {}): ObjectHead => ({
  key: 'dir/a b',
  versionId: 'v1',
  size: 10,
  etag: '"abc"',
  storageClass: 'STANDARD_IA',
  metadata: { a: '1' },
  ...over,
});

describe('planParts', () => {
  it('cuts exact parts with a short last one', () => {
    const p = planParts(11 * MIB, 5 * MIB);
    expect(p.parts).toEqual([
      { partNumber: 1, range: { start: 0, end: 5 * MIB - 1 } },
      { partNumber: 2, range: { start: 5 * MIB, end: 10 * MIB - 1 } },
      { partNumber: 3, range: { start: 10 * MIB, end: 11 * MIB - 1 } },
    ]);
  });
  it('copies a small object in one part and an empty one without a range', () => {
    expect(planParts(12, 5 * MIB).parts).toEqual([{ partNumber: 1, range: { start: 0, end: 11 } }]);
    expect(planParts(0, 5 * MIB).parts).toEqual([{ partNumber: 1 }]);
  });
  it('grows the part size in whole MiB to stay within 10,000 parts', () => {
    const size = 5 * 1024 ** 4; // 5 TiB
    const p = planParts(size, 5 * MIB);
    expect(p.parts.length).toBeLessThanOrEqual(10_000);
    expect(p.partSize % MIB).toBe(0);
    expect(p.partSize).toBeGreaterThan(5 * MIB);
    expect(p.parts.at(-1)?.range?.end).toBe(size - 1);
    for (const part of p.parts.slice(0, -1))
      expect((part.range?.end ?? 0) - (part.range?.start ?? 0) + 1).toBe(p.partSize);
  });
});

describe('copyRequest', () => {
  it('guards source and destination with the ETag just read and names the version read', () => {
    const r = copyRequest(
      'b',
      head({ websiteRedirectLocation: '/x' }),
      { keyId: KEY.id, bucketKey: true },
      NOW,
    );
    expect(r).toEqual({
      bucket: 'b',
      key: 'dir/a b',
      sourceVersionId: 'v1',
      guard: { sourceEtag: '"abc"', destinationEtag: '"abc"' },
      target: { keyId: KEY.id, bucketKey: true },
      storageClass: 'STANDARD_IA',
      websiteRedirectLocation: '/x',
      lock: {},
    });
  });
  it('carries a future retention and a legal hold, never a past one', () => {
    expect(
      lockToCarry(
        head({
          objectLockMode: 'COMPLIANCE',
          objectLockRetainUntilDate: FUTURE,
          objectLockLegalHoldStatus: 'ON',
        }),
        NOW,
      ),
    ).toEqual({
      mode: 'COMPLIANCE',
      retainUntil: FUTURE,
      legalHold: 'ON',
    });
    expect(
      lockToCarry(
        head({
          objectLockMode: 'GOVERNANCE',
          objectLockRetainUntilDate: new Date('2020-01-01'),
          objectLockLegalHoldStatus: 'OFF',
        }),
        NOW,
      ),
    ).toEqual({});
  });
  it('restates every header for CreateMultipartUpload', () => {
    const expires = new Date('2031-01-01T00:00:00Z');
    const h = head({
      contentType: 't/x',
      cacheControl: 'no-cache',
      contentDisposition: 'inline',
      contentEncoding: 'gzip',
      contentLanguage: 'en',
      expires,
      websiteRedirectLocation: '/r',
    });
    const s = multipartStart('b', h, { keyId: KEY.id, bucketKey: true }, [{ key: 't', value: 'v' }], NOW);
    expect(s).toMatchObject({
      contentType: 't/x',
      cacheControl: 'no-cache',
      contentDisposition: 'inline',
      contentEncoding: 'gzip',
      contentLanguage: 'en',
      expires,
      websiteRedirectLocation: '/r',
      metadata: { a: '1' },
      tags: [{ key: 't', value: 'v' }],
      storageClass: 'STANDARD_IA',
    });
  });
});

describe('tags and ACLs', () => {
  it('URL-encodes the tagging header', () => {
    expect(
      taggingHeader([
        { key: 'a b', value: 'x&y=z' },
        { key: 'k', value: '' },
      ]),
    ).toBe('a%20b=x%26y%3Dz&k=');
  });
  it('compares tags and grants as sets', () => {
    expect(
      sameTags(
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
        [
          { key: 'b', value: '2' },
          { key: 'a', value: '1' },
        ],
      ),
    ).toBe(true);
    expect(sameTags([{ key: 'a', value: '1' }], [{ key: 'a', value: '2' }])).toBe(false);
    const g1 = { type: 'CanonicalUser', id: 'o', permission: 'FULL_CONTROL' };
    const g2 = { type: 'Group', id: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' };
    expect(sameGrants([g1, g2], [g2, g1])).toBe(true);
    expect(sameGrants([g1], [g1, g2])).toBe(false);
    expect(isDefaultAcl({ ownerId: 'o', grants: [g1] })).toBe(true);
    expect(isDefaultAcl({ ownerId: 'o', grants: [g1, g2] })).toBe(false);
    expect(isDefaultAcl({ ownerId: 'someone-else', grants: [g1] })).toBe(false);
  });
});

describe('read-back', () => {
  const enc = (over: Partial<ObjectHead> = {}) =>
    head({ serverSideEncryption: 'aws:kms', kmsKeyId: KEY.id, bucketKeyEnabled: true, ...over });
  it('names the encryption problem', () => {
    expect(encryptionProblem(enc(), KEY, 'required')).toBeUndefined();
    expect(encryptionProblem(undefined, KEY, 'required')).toBe('gone');
    expect(encryptionProblem(head(), KEY, 'required')).toBe('not-encrypted');
    expect(encryptionProblem(enc({ kmsKeyId: 'other' }), KEY, 'required')).toBe('wrong-key');
    expect(encryptionProblem(enc({ bucketKeyEnabled: false }), KEY, 'accept-absent')).toBe('no-bucket-key');
    expect(encryptionProblem(enc({ bucketKeyEnabled: undefined }), KEY, 'required')).toBe(
      'bucket-key-absent',
    );
    expect(encryptionProblem(enc({ bucketKeyEnabled: undefined }), KEY, 'accept-absent')).toBeUndefined();
  });
  it('lists changed attributes, ignoring ETag, version and LastModified', () => {
    const b = head({ contentType: 'a', tagCount: 2 });
    expect(changedAttributes(b, { ...b, etag: '"new"', versionId: 'v2', lastModified: new Date() })).toEqual(
      [],
    );
    expect(
      changedAttributes(b, { ...b, contentType: 'b', storageClass: 'STANDARD', metadata: {}, tagCount: 0 }),
    ).toEqual(['contentType', 'storageClass', 'metadata', 'tagCount']);
  });
  it('checks the lock to the second', () => {
    const want = { mode: 'GOVERNANCE', retainUntil: FUTURE, legalHold: 'ON' };
    expect(
      missingLock(
        head({
          objectLockMode: 'GOVERNANCE',
          objectLockRetainUntilDate: new Date(FUTURE.getTime() - 500),
          objectLockLegalHoldStatus: 'ON',
        }),
        want,
      ),
    ).toEqual([]);
    expect(missingLock(head(), want)).toEqual([
      'objectLockMode',
      'objectLockRetainUntilDate',
      'objectLockLegalHoldStatus',
    ]);
  });
});

describe('parseSize', () => {
  it.each([
    ['5GiB', 5 * 1024 ** 3],
    ['64 MiB', 64 * MIB],
    ['8KiB', 8192],
    ['1.5g', 1.5 * 1024 ** 3],
    ['5368709120', 5368709120],
    ['10MB', 10_000_000],
  ])('%s', (text, n) => expect(parseSize(text)).toBe(n));
  it.each(['', 'five', '-1', '5 parsecs', '1e9'])('rejects %j', (text) =>
    expect(parseSize(text)).toBeUndefined(),
  );
});
