import { describe, expect, it } from 'vitest';
import { emptyStats, workloadFromListing } from '../../../src/core/cost/workload.js';
import { nextSteps } from '../../../src/core/plan/next-steps.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k';
const base = {
  bucket: 'my-bucket',
  key: KEY,
  encryptionReady: false,
  workload: { ...workloadFromListing(emptyStats(), false), basis: 'inventory' as const },
  account: '111122223333',
  roleName: 's3-encrypt-batch',
};

describe('nextSteps', () => {
  it('runs the whole pipeline in order when nothing is set up', () => {
    const steps = nextSteps({ ...base, inventoryDestination: 's3://inv/reports' });
    expect(steps.map((s) => s.split(' ')[1])).toEqual([
      'policy',
      'enable-sse',
      'setup-inventory',
      'build-manifest',
      'create-job',
      'status',
      'verify',
    ]);
    expect(steps[2]).toBe(
      's3-encrypt setup-inventory --bucket my-bucket --destination s3://inv/reports --id s3-encrypt',
    );
    expect(steps[3]).toBe(
      `s3-encrypt build-manifest --bucket my-bucket --kms-key ${KEY} --inventory s3://inv/reports --id s3-encrypt`,
    );
    expect(steps[4]).toContain(
      '--role-arn arn:aws:iam::111122223333:role/s3-encrypt-batch --report s3://inv/reports/batch-reports',
    );
  });

  it('skips enable-sse and setup-inventory when they are done, and uses the existing inventory', () => {
    const steps = nextSteps({
      ...base,
      encryptionReady: true,
      inventory: { destination: 's3://dest/p', id: 'daily' },
    });
    expect(steps.some((s) => s.includes('enable-sse') || s.includes('setup-inventory'))).toBe(false);
    expect(steps).toContain(
      `s3-encrypt build-manifest --bucket my-bucket --kms-key ${KEY} --inventory s3://dest/p --id daily`,
    );
  });

  it('adds the direct engine for large objects, and quotes what a shell would split', () => {
    const steps = nextSteps({
      ...base,
      key: 'alias/my key',
      workload: { ...base.workload, large: { objects: 1, bytes: 6e9 } },
    });
    expect(steps).toContain("s3-encrypt encrypt --bucket my-bucket --kms-key 'alias/my key'");
  });
});
