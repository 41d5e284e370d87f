import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../src/core/cost/estimate.js';
import { DEFAULT_PRICES } from '../../../src/core/cost/prices.js';
import { costRows } from '../../../src/core/cost/table.js';
import type { Workload } from '../../../src/core/cost/workload.js';

const GiB = 1024 ** 3;
const TiB = 1024 * GiB;

/** 2M NOT-SSE copies (2 TiB, two classes), 1M updates (400k from SSE-KMS), 10 large objects (100 GiB). */
const workload: Workload = {
  basis: 'manifests',
  partial: false,
  copy: { objects: 2_000_000, bytes: 2 * TiB },
  copyJobs: 2,
  update: { objects: 1_000_000, bytes: 500 * GiB },
  updateFromKms: 400_000,
  large: { objects: 10, bytes: 100 * GiB },
  archived: { objects: 5, bytes: 5 * GiB },
  listedRows: 5_000_000,
  notes: [],
};

const usd = (e: ReturnType<typeof estimateCost>, id: string) => e.lines.find((l) => l.id === id)?.usd;
const qty = (e: ReturnType<typeof estimateCost>, id: string) => e.lines.find((l) => l.id === id)?.quantity;

describe('estimateCost (hand-computed, default us-east-1 prices)', () => {
  const e = estimateCost(workload, { versioning: 'Enabled' }, DEFAULT_PRICES);

  it('charges $0.25 per job: two copy jobs and one UpdateObjectEncryption job', () => {
    expect(qty(e, 'batch-jobs')).toBe(3);
    expect(usd(e, 'batch-jobs')).toBe(0.75);
  });

  it('charges $1 per million Batch objects (copies + updates, not the large ones)', () => {
    expect(qty(e, 'batch-objects')).toBe(3_000_000);
    expect(usd(e, 'batch-objects')).toBe(3);
  });

  it('charges copies at the PUT price, large objects as create + complete + one part per GiB', () => {
    // 2,000,000 + 2*10 + 100 parts = 2,000,120 requests * $0.005/1000
    expect(qty(e, 'copy-requests')).toBe(2_000_120);
    expect(usd(e, 'copy-requests')).toBe(10.0006);
  });

  it('charges UpdateObjectEncryption at the assumed PUT-class price', () => {
    expect(usd(e, 'update-requests')).toBe(5);
    expect(e.lines.find((l) => l.id === 'update-requests')?.note).toBe('assumed PUT-class price');
  });

  it('counts KMS requests without and with Bucket Keys', () => {
    // 2,000,000 + 10 + 1,000,000 + 400,000 decrypts = 3,400,010 * $0.03/10,000
    expect(qty(e, 'kms-no-bucket-key')).toBe(3_400_010);
    expect(usd(e, 'kms-no-bucket-key')).toBe(10.20003);
    // 1% of that, rounded up: 34,001 * $0.03/10,000
    expect(qty(e, 'kms-bucket-key')).toBe(34_001);
    expect(usd(e, 'kms-bucket-key')).toBe(0.102003);
  });

  it('charges one month of old versions for copied bytes when versioning keeps them', () => {
    // (2 TiB + 100 GiB) = 2148 GiB * $0.023
    expect(qty(e, 'extra-storage')).toBe(2148);
    expect(usd(e, 'extra-storage')).toBe(49.404);
  });

  it('charges the inventory per object listed', () => {
    expect(usd(e, 'inventory')).toBe(0.0125);
  });

  it('totals every line except the no-Bucket-Key comparison', () => {
    expect(e.totalUsd).toBe(68.269103);
    expect(e.lines.find((l) => l.id === 'kms-no-bucket-key')?.inTotal).toBe(false);
    expect(e.notes).toContain('5 archived object(s) are not priced: restore them first');
  });

  it('prorates old versions by the noncurrent expiry, and charges none when unversioned', () => {
    expect(
      usd(
        estimateCost(workload, { versioning: 'Enabled', noncurrentExpirationDays: 15 }, DEFAULT_PRICES),
        'extra-storage',
      ),
    ).toBe(24.702);
    expect(usd(estimateCost(workload, { versioning: 'Off' }, DEFAULT_PRICES), 'extra-storage')).toBe(0);
    expect(usd(estimateCost(workload, { versioning: 'Suspended' }, DEFAULT_PRICES), 'extra-storage')).toBe(0);
  });

  it('renders one table row per line plus the total, with the comparison line in parentheses', () => {
    const rows = costRows(e);
    expect(rows[0]).toEqual(['item', 'quantity', 'unit price', 'cost', 'price']);
    expect(rows).toHaveLength(e.lines.length + 2);
    expect(rows.find((r) => r[0] === 'Batch Operations jobs')).toEqual([
      'Batch Operations jobs',
      '3',
      '$0.25 / job',
      '$0.75',
      'secondary',
    ]);
    expect(rows.find((r) => r[0]?.startsWith('('))?.[0]).toBe('(KMS requests without S3 Bucket Keys)');
    expect(rows.at(-1)).toEqual(['total', '', '', '$68.27', '']);
  });

  it('does not round float noise up: 300 objects need 3 Bucket Key requests, not 4', () => {
    const small = {
      ...workload,
      copy: { objects: 300, bytes: 300 },
      update: { objects: 0, bytes: 0 },
      updateFromKms: 0,
      large: { objects: 0, bytes: 0 },
    };
    expect(qty(estimateCost(small, { versioning: 'Off' }, DEFAULT_PRICES), 'kms-bucket-key')).toBe(3);
  });

  it('labels a partial count as a lower bound', () => {
    const p = estimateCost({ ...workload, partial: true }, { versioning: 'Off' }, DEFAULT_PRICES);
    expect(costRows(p).at(-1)?.[0]).toBe('total (partial count: at least)');
  });
});
