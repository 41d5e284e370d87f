import { z } from 'zod';

/** setup-inventory --json: one document (src/output/setup-inventory-render.ts). */

/** IAM statements and documents as they are in a bucket policy: AWS's grammar, free-form. */
const Statement = z
  .looseObject({
    Sid: z.string().optional().describe('statement id'),
    Effect: z.string().describe('Allow or Deny'),
  })
  .describe('an IAM policy statement (AWS policy grammar; free-form beyond Sid and Effect)');

const Change = z
  .strictObject({
    field: z.string().describe('the setting'),
    before: z.string().optional().describe('its value before; absent when unset'),
    after: z.string().optional().describe('its value after; absent when unset'),
  })
  .describe('one setting that changes');

const Configuration = z
  .looseObject({
    Id: z.string().describe('the configuration id'),
    IsEnabled: z.boolean().describe('whether S3 delivers reports'),
    IncludedObjectVersions: z.string().describe('All or Current'),
    Schedule: z.looseObject({ Frequency: z.string().describe('Daily or Weekly') }).describe('how often'),
    OptionalFields: z.array(z.string()).describe('the columns the reports carry'),
    Destination: z
      .looseObject({
        S3BucketDestination: z
          .looseObject({
            Bucket: z.string().describe('the destination bucket ARN'),
            Format: z.string().describe('CSV, Parquet or ORC'),
          })
          .describe('the destination bucket, prefix and format'),
      })
      .describe('where reports land'),
  })
  .describe(
    "the inventory configuration as written (or as it already was), in S3's own shape (free-form beyond the fields named)",
  );

const KeyPolicyStatement = z
  .record(z.string(), z.unknown())
  .describe(
    'the key-policy statement S3 needs to deliver reports under that key (AWS policy grammar, free-form)',
  );

export const SetupInventoryOutput = z
  .strictObject({
    bucket: z.string().describe('the source bucket'),
    id: z.string().describe('the inventory configuration id'),
    location: z.string().describe('where the reports land: s3://DEST/PREFIX/SOURCE/ID/'),
    dryRun: z.boolean().describe('true with --dry-run: nothing was written'),
    configuration: z
      .strictObject({
        outcome: z
          .enum(['created', 'updated', 'unchanged'])
          .describe('what happened (or, in a dry run, would happen) to the configuration'),
        changes: z.array(Change).describe('the settings changed (updated only)'),
        config: Configuration,
      })
      .describe('the inventory configuration'),
    destinationPolicy: z
      .discriminatedUnion('outcome', [
        z
          .strictObject({
            outcome: z
              .literal('skipped')
              .describe('the destination belongs to another account: its owner must add the statement'),
            statement: Statement,
          })
          .describe('not written: another account owns the destination'),
        z
          .strictObject({
            outcome: z
              .enum(['unchanged', 'added', 'updated'])
              .describe('what happened (or would happen) to the bucket policy'),
            statement: Statement,
            policy: z
              .looseObject({
                Version: z.string().optional().describe('IAM policy language version'),
                Statement: z.array(Statement).describe('every statement'),
              })
              .describe(
                'the whole bucket policy as written (every other statement kept; free-form beyond Version and Statement)',
              ),
          })
          .describe('the destination bucket policy'),
      ])
      .describe('the statement that lets S3 deliver reports to the destination'),
    destinationEncryption: z
      .discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('ok').describe('S3 can deliver: the default is not SSE-KMS'),
          algorithm: z.string().describe("the destination's default algorithm (AES256 when it has no rule)"),
        }),
        z.strictObject({
          kind: z
            .literal('customer-key')
            .describe('the destination encrypts with a customer managed key: its policy must let S3 use it'),
          keyId: z.string().describe('the key'),
          keyPolicyStatement: KeyPolicyStatement,
        }),
        z.strictObject({
          kind: z.literal('unknown-key').describe('a KMS key that could not be checked'),
          keyId: z.string().describe('the key'),
          reason: z.string().describe('why it could not be checked'),
          keyPolicyStatement: KeyPolicyStatement,
        }),
      ])
      .nullable()
      .describe(
        "the destination's default encryption, as far as it matters for delivery; null when the destination belongs to another account (not readable)",
      ),
    firstReportWithinHours: z.literal(48).describe('S3 delivers the first report within 48 hours'),
  })
  .describe('setup-inventory --json: the inventory configuration and the destination policy it needs.');
export type SetupInventoryOutput = z.infer<typeof SetupInventoryOutput>;
