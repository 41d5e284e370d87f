import { z } from 'zod';

/** enable-sse --json: one document (src/commands/enable-sse.ts). */

/**
 * A bucket's ServerSideEncryptionConfiguration as S3 returns it (GetBucketEncryption): AWS's
 * shape, not ours, so keys a store adds are kept (free-form beyond `Rules`).
 */
const BucketEncryption = z
  .looseObject({
    Rules: z
      .array(
        z
          .looseObject({})
          .describe(
            'a ServerSideEncryptionRule (ApplyServerSideEncryptionByDefault, BucketKeyEnabled, BlockedEncryptionTypes, ...)',
          ),
      )
      .describe('the rules'),
  })
  .describe("the bucket's default-encryption configuration, in S3's own shape (free-form beyond Rules)");

export const EnableSseOutput = z
  .strictObject({
    bucket: z.string().describe('the bucket'),
    kmsKey: z.string().describe('the key the default names: its ARN, or as given with --skip-key-check'),
    keyChecked: z
      .boolean()
      .describe('false with --skip-key-check: whether the store can encrypt under the key is unknown'),
    outcome: z
      .enum(['unchanged', 'planned', 'applied'])
      .describe('unchanged: already as asked; planned: --dry-run; applied: written and read back'),
    changes: z
      .array(
        z
          .strictObject({
            field: z.string().describe('SSEAlgorithm, KMSMasterKeyID or BucketKeyEnabled'),
            before: z.string().optional().describe('the value before; absent when unset'),
            after: z.string().optional().describe('the value after; absent when unset'),
          })
          .describe('one field that changes'),
      )
      .describe('what changes (empty when unchanged)'),
    before: BucketEncryption.nullable().describe('the configuration before; null when the bucket had none'),
    after: BucketEncryption.nullable().describe(
      'the configuration after (read back when applied; the one to write when planned)',
    ),
  })
  .describe("enable-sse --json: the bucket's default encryption, before and after.");
export type EnableSseOutput = z.infer<typeof EnableSseOutput>;
