import { describe, expect, it } from 'vitest';
import { aclCheck, describeAcl, isDefaultAcl } from '../../../src/core/plan/acl-check.js';
import type { ObjectAcl } from '../../../src/core/plan/ports.js';

const OWNER = 'owner-canonical-id-0123456789';
const privateAcl: ObjectAcl = {
  ownerId: OWNER,
  grants: [{ type: 'CanonicalUser', id: OWNER, permission: 'FULL_CONTROL' }],
};
const publicRead: ObjectAcl = {
  ownerId: OWNER,
  grants: [
    ...privateAcl.grants,
    { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' },
  ],
};

describe('isDefaultAcl', () => {
  it('accepts only the owner FULL_CONTROL grant', () => {
    expect(isDefaultAcl(privateAcl)).toBe(true);
    expect(isDefaultAcl(publicRead)).toBe(false);
    expect(
      isDefaultAcl({
        ownerId: OWNER,
        grants: [{ type: 'CanonicalUser', id: 'someone-else', permission: 'FULL_CONTROL' }],
      }),
    ).toBe(false);
    expect(
      isDefaultAcl({ ownerId: OWNER, grants: [{ type: 'CanonicalUser', id: OWNER, permission: 'READ' }] }),
    ).toBe(false);
  });
  it('describes the extra grants briefly', () => {
    expect(describeAcl(publicRead)).toBe('AllUsers READ');
  });
});

describe('aclCheck', () => {
  it('passes when ACLs are disabled (BucketOwnerEnforced), without sampling', () => {
    expect(aclCheck('BucketOwnerEnforced', undefined)).toMatchObject({
      status: 'PASS',
      detail: 'ACLs are disabled (BucketOwnerEnforced)',
    });
  });
  it('warns with examples when sampled objects carry non-default ACLs', () => {
    const c = aclCheck(undefined, {
      sampled: 10,
      asked: 10,
      nonDefault: 2,
      examples: [{ key: 'a.txt', grants: 'AllUsers READ' }],
    });
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('no ownership controls');
    expect(c.detail).toContain('2 of 10 sampled objects');
    expect(c.detail).toContain('"a.txt": AllUsers READ');
    expect(c.advice).toContain('Batch copy job does not');
  });
  it('passes when ACLs are enabled but no sampled object has extra grants', () => {
    const c = aclCheck('ObjectWriter', { sampled: 100, asked: 100, nonDefault: 0, examples: [] });
    expect(c.status).toBe('PASS');
    expect(c.detail).toContain('none of 100 sampled objects');
  });
  it('does not call a bucket empty when the sampled objects vanished before their ACLs were read', () => {
    expect(aclCheck('ObjectWriter', { sampled: 0, asked: 0, nonDefault: 0, examples: [] }).status).toBe(
      'PASS',
    );
    const c = aclCheck('ObjectWriter', { sampled: 0, asked: 7, nonDefault: 0, examples: [] });
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('all 7 sampled objects were deleted');
  });
  it('warns when ACLs are enabled and nothing was sampled (--acl-sample 0)', () => {
    expect(aclCheck('BucketOwnerPreferred', undefined).status).toBe('WARN');
  });
});
