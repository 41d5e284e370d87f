import { defineConfig } from 'vitest/config';

process.env.S3E_TIER = 'seaweedfs';

// Integration tier 3: a real SeaweedFS (scripts/local-s3/seaweedfs.sh, SSE-KMS through its local KMS
// provider), started by the global setup unless S3E_SEAWEEDFS_ENDPOINT (+ S3E_SEAWEEDFS_ACCESS_KEY,
// S3E_SEAWEEDFS_SECRET_KEY, S3E_SEAWEEDFS_KMS_KEYS) names another store. Not part of `npm test` yet.
export default defineConfig({
  test: {
    include: ['test/int/**/*.seaweedfs.test.ts'],
    globalSetup: ['test/int/support/global-setup.ts', 'test/support/json-schemas-setup.ts'],
    env: { S3E_TIER: 'seaweedfs' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
