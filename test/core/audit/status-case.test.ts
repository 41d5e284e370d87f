// An inventory status in another case ("sse-kms"): build-manifest and verify read it as SSE-KMS
// (placement's statusOf), but audit's counts split SSE-KMS by Bucket Key with the raw spellings:
// the lower-case rows were counted compliant and unverified at once, the Bucket Key split went
// negative, and a real SSE-KMS-without-Bucket-Key offender vanished.
import { expect, it } from 'vitest';
import { countsFromInventory } from '../../../src/core/audit/object-counts.js';
import type { InventoryAnalysis } from '../../../src/core/inventory/analyze.js';

const zero = { objects: 0, bytes: 0 };

it('counts statuses in upper case, as the predicate does', () => {
  const analysis = {
    delivery: { manifest: 'm', date: '2026-12-07T00-00Z', creationTimestamp: '0', files: 1, engine: 'local' },
    rows: 4,
    stats: {
      // 1 SSE-KMS without a Bucket Key, 2 "sse-kms" with one, 1 NOT-SSE.
      byEncryptionStatus: {
        'SSE-KMS': { objects: 1, bytes: 10 },
        'sse-kms': { objects: 2, bytes: 20 },
        'NOT-SSE': { objects: 1, bytes: 1 },
      },
      byStorageClass: {},
      large: zero,
      archived: zero,
      noncurrent: zero,
      noncurrentUnencrypted: zero,
      deleteMarkers: 0,
      kmsWithBucketKey: { objects: 2, bytes: 20 },
    },
    groups: {},
    leftAlone: {},
    warnings: [],
  } satisfies InventoryAnalysis;
  const c = countsFromInventory(analysis, new Date('2026-12-07T01:00:00Z'));
  expect(c.byClass).toEqual({
    compliant: { objects: 2, bytes: 20 },
    'SSE-KMS-no-bucket-key': { objects: 1, bytes: 10 },
    'NOT-SSE': { objects: 1, bytes: 1 },
  });
  expect(c.objects).toBe(4);
});
