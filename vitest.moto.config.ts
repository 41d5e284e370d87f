import { defineConfig } from 'vitest/config';

process.env.S3E_TIER = 'moto';

// Integration tier 1: moto server (AWS semantics for S3, KMS, STS), started by the global setup
// unless S3E_MOTO_ENDPOINT points at a running one.
export default defineConfig({
  test: {
    include: ['test/int/**/*.moto.test.ts'],
    globalSetup: ['test/int/support/global-setup.ts', 'test/support/json-schemas-setup.ts'],
    env: { S3E_TIER: 'moto' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
  },
});
