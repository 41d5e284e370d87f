import { defineConfig } from 'vitest/config';

// Unit and in-process command tests: no network, no servers.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/int/**', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['test/support/json-schemas-setup.ts'],
    reporters: ['default'],
  },
});
