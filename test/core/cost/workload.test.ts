import { describe, expect, it } from 'vitest';
import {
  countListed,
  emptyStats,
  workloadFromGroups,
  workloadFromListing,
  workloadFromManifestSummary,
} from '../../../src/core/cost/workload.js';
import type { InventoryStats, ManifestSummary } from '../../../src/core/inventory/manifest-summary.js';

const GiB = 1024 ** 3;

function stats(over: Partial<InventoryStats> = {}): InventoryStats {
  return { ...emptyStats(), ...over };
}

describe('workloadFromListing', () => {
  it('counts every listed object as a copy, and splits out large and archived ones', () => {
    const s = emptyStats();
    countListed(s, { size: 100, storageClass: 'STANDARD' });
    countListed(s, { size: 200 });
    countListed(s, { size: 300, storageClass: 'STANDARD_IA' });
    countListed(s, { size: 6 * GiB, storageClass: 'STANDARD' });
    countListed(s, { size: 50, storageClass: 'GLACIER' });
    const w = workloadFromListing(s, true);
    expect(w).toMatchObject({
      basis: 'listing',
      partial: true,
      copy: { objects: 3, bytes: 600 },
      copyJobs: 2,
      large: { objects: 1, bytes: 6 * GiB },
      archived: { objects: 1, bytes: 50 },
      update: { objects: 0, bytes: 0 },
      listedRows: 5,
    });
    expect(w.notes.join(' ')).toContain('partial count');
  });
});

describe('workloadFromGroups / workloadFromManifestSummary', () => {
  const s = stats({
    byEncryptionStatus: { 'SSE-KMS': { objects: 4, bytes: 40 } },
    kmsWithBucketKey: { objects: 1, bytes: 10 },
  });

  it('reads build-manifest group names', () => {
    const w = workloadFromGroups(
      {
        'copy-STANDARD': { objects: 3, bytes: 30 },
        'copy-STANDARD_IA': { objects: 2, bytes: 20 },
        'update-encryption': { objects: 9, bytes: 90 },
        large: { objects: 1, bytes: 6 * GiB },
        archived: { objects: 4, bytes: 4 },
      },
      s,
      100,
      'from x',
    );
    expect(w).toMatchObject({
      basis: 'manifests',
      copy: { objects: 5, bytes: 50 },
      copyJobs: 2,
      update: { objects: 9, bytes: 90 },
      updateFromKms: 3,
      large: { objects: 1 },
      archived: { objects: 4 },
      listedRows: 100,
    });
  });

  it('reads a summary.json the same way', () => {
    const summary: ManifestSummary = {
      version: 1,
      sourceBucket: 'b',
      kmsKey: 'arn:aws:kms:us-east-1:111122223333:key/k',
      inventory: {
        manifest: 's3://d/p/b/inv/2026-11-29T00-00Z/manifest.json',
        date: '2026-11-29T00-00Z',
        creationTimestamp: '1',
      },
      createdAt: '2026-11-30T00:00:00Z',
      manifests: [
        {
          name: 'copy-STANDARD',
          group: 'copy',
          storageClass: 'STANDARD',
          location: 's3://d/m1',
          etag: 'e',
          versioned: false,
          objects: 3,
          bytes: 30,
        },
        {
          name: 'update-encryption',
          group: 'update-encryption',
          location: 's3://d/m2',
          etag: 'e',
          versioned: true,
          objects: 2,
          bytes: 20,
        },
      ],
      leftAlone: {},
      stats: s,
    };
    const w = workloadFromManifestSummary(summary);
    expect(w.copy).toEqual({ objects: 3, bytes: 30 });
    expect(w.copyJobs).toBe(1);
    expect(w.update).toEqual({ objects: 2, bytes: 20 });
    expect(w.updateFromKms).toBe(2);
    expect(w.notes[0]).toContain('s3://d/p/b/inv/2026-11-29T00-00Z/manifest.json');
  });
});
