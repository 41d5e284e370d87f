import { describe, expect, it } from 'vitest';
import {
  canonical,
  inventorySid,
  inventoryStatement,
  mergeInventoryStatement,
} from '../../../src/core/inventory-config/destination-policy.js';

const grant = {
  sourceBucket: 'src-bucket',
  sourceAccount: '111122223333',
  destinationBucket: 'dest-bucket',
  destinationPrefix: 'inv',
};

const other = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::dest-bucket', 'arn:aws:s3:::dest-bucket/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

describe('inventoryStatement', () => {
  it("is AWS's inventory grant scoped to the source bucket, its account and the prefix", () => {
    expect(inventoryStatement(grant)).toEqual({
      Sid: 'S3EncryptInventorysrcHbucket',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::dest-bucket/inv/*',
      Condition: {
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::src-bucket' },
        StringEquals: { 'aws:SourceAccount': '111122223333', 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    });
    expect(inventoryStatement({ ...grant, destinationPrefix: '' }).Resource).toBe(
      'arn:aws:s3:::dest-bucket/*',
    );
  });

  it('derives an alphanumeric Sid that differs for names that differ only in - and .', () => {
    const sids = ['a-b.c', 'a.b-c', 'abc', 'a-bc'].map(inventorySid);
    for (const s of sids) expect(s).toMatch(/^[A-Za-z0-9]+$/);
    expect(new Set(sids).size).toBe(4);
  });
});

describe('mergeInventoryStatement', () => {
  const ours = inventoryStatement(grant);

  it('creates a policy when the bucket has none', () => {
    const plan = mergeInventoryStatement(undefined, ours, 'dest-bucket');
    expect(plan.outcome).toBe('added');
    expect(plan.policy).toEqual({ Version: '2012-10-17', Statement: [ours] });
  });

  it('appends to an existing policy and keeps every other statement and top-level field', () => {
    const existing = JSON.stringify({ Version: '2012-10-17', Id: 'KeepMe', Statement: [other] });
    const plan = mergeInventoryStatement(existing, ours, 'dest-bucket');
    expect(plan.outcome).toBe('added');
    expect(plan.policy).toEqual({ Version: '2012-10-17', Id: 'KeepMe', Statement: [other, ours] });
  });

  it('accepts a policy whose Statement is a single object', () => {
    const plan = mergeInventoryStatement(
      JSON.stringify({ Version: '2012-10-17', Statement: other }),
      ours,
      'd',
    );
    expect(plan.policy.Statement).toEqual([other, ours]);
  });

  it('is unchanged when our statement is already there, whatever its key order or array shapes', () => {
    const reordered = {
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::src-bucket' },
      },
      Resource: ['arn:aws:s3:::dest-bucket/inv/*'],
      Action: ['s3:PutObject'],
      Principal: { Service: 's3.amazonaws.com' },
      Effect: 'Allow',
      Sid: ours.Sid,
    };
    const existing = JSON.stringify({ Version: '2012-10-17', Statement: [other, reordered] });
    const plan = mergeInventoryStatement(existing, ours, 'dest-bucket');
    expect(plan.outcome).toBe('unchanged');
    expect(plan.policy.Statement).toEqual([other, reordered]);
  });

  it('updates our statement in place, keeping prefixes it already granted', () => {
    const old = { ...ours, Resource: 'arn:aws:s3:::dest-bucket/old/*' };
    const existing = JSON.stringify({ Version: '2012-10-17', Statement: [old, other] });
    const plan = mergeInventoryStatement(existing, ours, 'dest-bucket');
    expect(plan.outcome).toBe('updated');
    expect(plan.previous).toEqual(old);
    expect(plan.policy.Statement).toEqual([
      { ...ours, Resource: ['arn:aws:s3:::dest-bucket/inv/*', 'arn:aws:s3:::dest-bucket/old/*'] },
      other,
    ]);
    // A second merge of the result is a no-op: the run after an update writes nothing.
    expect(mergeInventoryStatement(JSON.stringify(plan.policy), ours, 'dest-bucket').outcome).toBe(
      'unchanged',
    );
  });

  it('replaces a statement with our Sid whose conditions differ', () => {
    const wrong = { ...ours, Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } };
    const plan = mergeInventoryStatement(JSON.stringify({ Statement: [wrong] }), ours, 'd');
    expect(plan.outcome).toBe('updated');
    expect(plan.policy.Statement[0]?.Condition).toEqual(ours.Condition);
  });

  it('refuses a policy that is not JSON with a usage error', () => {
    expect(() => mergeInventoryStatement('{not json', ours, 'dest-bucket')).toThrow(
      /bucket policy of dest-bucket is not valid JSON/,
    );
  });
});

describe('canonical', () => {
  it('ignores key order and string-array order but not values', () => {
    expect(canonical({ a: ['y', 'x'], b: 1 })).toBe(canonical({ b: 1, a: ['x', 'y'] }));
    expect(canonical({ a: ['x'] })).toBe(canonical({ a: 'x' }));
    expect(canonical({ a: 'x' })).not.toBe(canonical({ a: 'y' }));
  });
});
