// The Batch path for real on moto and the local S3 Batch Operations service (batch-path-suite.ts).
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect } from 'vitest';
import { kmsFor } from '../support/clients.js';
import { target } from '../support/servers.js';
import { batchPathSuite } from './batch-path-suite.js';

describe('the Batch path on moto', () => {
  batchPathSuite({
    key: async () => {
      const kms = kmsFor(target());
      const out = await kms.send(new CreateKeyCommand({ Description: 'batch path' }));
      return out.KeyMetadata?.Arn ?? '';
    },
    archiveFailure: true,
    expectVerify: (r) => expect(r.code, r.stdout + r.stderr).toBe(0),
  });
});
