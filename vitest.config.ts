import { defineConfig } from 'vitest/config';

// The SDK's notice that its 2027 releases need Node 22 is for maintainers, not for test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Unit and in-process command tests: no network, no servers.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/int/**', 'node_modules/**'],
    environment: 'node',
    reporters: ['default'],
  },
});
