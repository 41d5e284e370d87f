import { describe, expect, it } from 'vitest';
import {
  destinationUri,
  inventoryConfigCheck,
  usableInventory,
} from '../../../src/core/plan/inventory-checks.js';
import type { InventoryConfigInfo } from '../../../src/core/plan/ports.js';

const cfg = (over: Partial<InventoryConfigInfo>): InventoryConfigInfo => ({
  id: 'inv',
  enabled: true,
  format: 'CSV',
  includedVersions: 'All',
  optionalFields: ['Size', 'EncryptionStatus', 'BucketKeyStatus'],
  destinationBucket: 'arn:aws:s3:::dest',
  destinationPrefix: 'reports',
  frequency: 'Daily',
  ...over,
});
const setup = 's3-encrypt setup-inventory --bucket b --destination s3://D/P --id s3-encrypt';

describe('inventoryConfigCheck', () => {
  it('passes a CSV configuration with EncryptionStatus and BucketKeyStatus, naming where it goes', () => {
    const c = inventoryConfigCheck([cfg({})], setup);
    expect(c.status).toBe('PASS');
    expect(c.detail).toContain('configuration inv delivers Daily CSV');
    expect(c.detail).toContain('s3://dest/reports');
  });

  it('prefers an all-versions configuration', () => {
    const picked = usableInventory([cfg({ id: 'cur', includedVersions: 'Current' }), cfg({ id: 'all' })]);
    expect(picked?.id).toBe('all');
    expect(destinationUri(cfg({ destinationPrefix: undefined }))).toBe('s3://dest/');
  });

  it('warns with the setup-inventory command when there is none', () => {
    const c = inventoryConfigCheck([], setup);
    expect(c.status).toBe('WARN');
    expect(c.advice).toContain(setup);
  });

  it('says why existing configurations are not usable', () => {
    const c = inventoryConfigCheck(
      [
        cfg({ id: 'orc', format: 'ORC' }),
        cfg({ id: 'thin', optionalFields: ['Size'] }),
        cfg({ id: 'off', enabled: false }),
      ],
      setup,
    );
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('orc (ORC)');
    expect(c.detail).toContain('thin (no EncryptionStatus, BucketKeyStatus)');
    expect(c.detail).toContain('off (disabled)');
  });
});

// A configuration filtered by prefix lists part of the bucket: plan and audit must not count the
// bucket by it (audit would call the whole bucket compliant from one prefix's objects).
describe('a configuration filtered by prefix', () => {
  it('is not usable, and the check says why', () => {
    expect(usableInventory([cfg({ id: 'logs', filterPrefix: 'logs/' })])).toBeUndefined();
    expect(usableInventory([cfg({ id: 'logs', filterPrefix: 'logs/' }), cfg({ id: 'all' })])?.id).toBe('all');
    expect(usableInventory([cfg({ id: 'empty', filterPrefix: '' })])?.id).toBe('empty');
    const c = inventoryConfigCheck([cfg({ id: 'logs', filterPrefix: 'logs/' })], setup);
    expect(c.status).toBe('WARN');
    expect(c.detail).toContain('logs (only keys under "logs/")');
  });
});

describe('usableInventory with Parquet', () => {
  it('a Parquet configuration with the encryption fields is usable (build-manifest reads it)', () => {
    const c = inventoryConfigCheck([cfg({ id: 'pq', format: 'Parquet' })], setup);
    expect(c.status).toBe('PASS');
    expect(c.detail).toContain('configuration pq delivers Daily Parquet with EncryptionStatus');
  });
  it('all versions first, then CSV over Parquet; ORC never', () => {
    expect(usableInventory([cfg({ id: 'pq', format: 'Parquet' }), cfg({ id: 'csv' })])?.id).toBe('csv');
    expect(
      usableInventory([
        cfg({ id: 'csv-cur', includedVersions: 'Current' }),
        cfg({ id: 'pq', format: 'Parquet' }),
      ])?.id,
    ).toBe('pq');
    expect(usableInventory([cfg({ id: 'orc', format: 'ORC' })])).toBeUndefined();
  });
});
