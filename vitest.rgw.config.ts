import { defineConfig } from 'vitest/config';

process.env.S3E_TIER = 'rgw';

// Integration tier 2: a real single-node Ceph RADOS Gateway, started by the global setup unless
// S3E_RGW_ENDPOINT (+ S3E_RGW_ACCESS_KEY, S3E_RGW_SECRET_KEY, S3E_RGW_KMS_KEYS) names another store.
export default defineConfig({
  test: {
    include: ['test/int/**/*.rgw.test.ts'],
    globalSetup: ['test/int/support/global-setup.ts', 'test/support/json-schemas-setup.ts'],
    env: { S3E_TIER: 'rgw' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
