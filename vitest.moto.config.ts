import { defineConfig } from 'vitest/config';

// The SDK's notice that its 2027 releases need Node 22 is for maintainers, not for test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.env.S3E_TIER = 'moto';

// Integration tier 1: moto server (AWS semantics for S3, KMS, STS), started by the global setup
// unless S3E_MOTO_ENDPOINT points at a running one.
export default defineConfig({
  test: {
    include: ['test/int/**/*.moto.test.ts'],
    globalSetup: ['test/int/support/global-setup.ts'],
    env: { S3E_TIER: 'moto' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
  },
});
