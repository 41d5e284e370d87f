import { describe, expect, it } from 'vitest';
import { checkManifest, rowFromFields, manifestSummaryPlan } from '../../../src/core/encrypt/sources.js';
import { memoryManifests } from '../../support/encrypt-fakes.js';

const summary = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: 1,
    sourceBucket: 'b',
    kmsKey: 'arn:aws:kms:us-east-1:111122223333:key/k',
    inventory: { manifest: 's3://i/m.json', date: '2026-11-01T00-00Z', creationTimestamp: '1' },
    createdAt: '2026-11-01T00:00:00Z',
    manifests: [
      {
        name: 'copy-STANDARD',
        group: 'copy',
        storageClass: 'STANDARD',
        location: 's3://m/copy-STANDARD.csv',
        etag: 'e',
        versioned: false,
        objects: 2,
        bytes: 3,
      },
      {
        name: 'update-encryption',
        group: 'update-encryption',
        location: 's3://m/update-encryption.csv',
        etag: 'e',
        versioned: true,
        objects: 1,
        bytes: 1,
      },
      {
        name: 'archived',
        group: 'archived',
        location: 's3://m/archived.csv',
        etag: 'e',
        versioned: false,
        objects: 5,
        bytes: 9,
      },
    ],
    leftAlone: {},
    stats: {
      byEncryptionStatus: {},
      byStorageClass: {},
      large: { objects: 0, bytes: 0 },
      archived: { objects: 0, bytes: 0 },
      noncurrent: { objects: 0, bytes: 0 },
      noncurrentUnencrypted: { objects: 0, bytes: 0 },
      deleteMarkers: 0,
      kmsWithBucketKey: { objects: 0, bytes: 0 },
    },
    ...over,
  });

describe('Batch CSV rows', () => {
  it('decodes keys and keeps version ids', () => {
    expect(rowFromFields(['b', 'a%20b/%2B%25', 'v1'], 3, 'm.csv')).toEqual({
      bucket: 'b',
      key: 'a b/+%',
      versionId: 'v1',
      line: 3,
    });
    expect(rowFromFields(['b', 'k'], 1, 'm.csv').versionId).toBeUndefined();
  });
  it.each([[['b']], [['b', 'k', 'v', 'x']], [['', 'k']]])('refuses %j with the line number', (fields) => {
    expect(() => rowFromFields(fields, 7, 'm.csv')).toThrow(/m\.csv line 7/);
  });
  it('refuses broken URL encoding', () => {
    expect(() => rowFromFields(['b', 'bad%zz'], 2, 'm.csv')).toThrow(
      /line 2: the key "bad%zz" is not valid URL encoding/,
    );
  });
});

describe('checkManifest', () => {
  it('counts rows and reads versioning', async () => {
    const r = memoryManifests({ 'm.csv': 'b,one\nb,two\n\n', 'v.csv': 'b,one,v1\nb,two,v2\n' });
    expect(await checkManifest(r, 'm.csv', 'b')).toEqual({ rows: 2, versioned: false });
    expect(await checkManifest(r, 'v.csv', 'b')).toEqual({ rows: 2, versioned: true });
  });
  it('refuses another bucket and mixed version ids, naming the line', async () => {
    const r = memoryManifests({ 'x.csv': 'b,one\nother,two\n', 'mix.csv': 'b,one,v1\nb,two\n' });
    await expect(checkManifest(r, 'x.csv', 'b')).rejects.toThrow(/x\.csv line 2 names bucket other, not b/);
    await expect(checkManifest(r, 'mix.csv', 'b')).rejects.toThrow(/mix\.csv line 2 lacks a version id/);
  });
});

describe('manifestSummaryPlan', () => {
  it('takes copy, update-encryption and large manifests, not archived', () => {
    const p = manifestSummaryPlan(summary(), 's.json', 'b');
    expect(p.manifests.map((m) => m.name)).toEqual(['copy-STANDARD', 'update-encryption']);
    expect(p.skipped.map((m) => m.name)).toEqual(['archived']);
  });
  it('refuses another bucket, non-JSON and a wrong schema', () => {
    expect(() => manifestSummaryPlan(summary(), 's.json', 'other')).toThrow(/built for bucket b, not other/);
    expect(() => manifestSummaryPlan('not json', 's.json', 'b')).toThrow(/s\.json is not JSON/);
    expect(() => manifestSummaryPlan(summary({ version: 2 }), 's.json', 'b')).toThrow(
      /not a build-manifest summary\.json \(version/,
    );
  });
});
