import { z } from 'zod';
import { ALL_CLASSES } from '../../core/encryption/classify.js';
import { Action, Category, SkipReason } from '../../core/encrypt/types.js';
import { CountBytes, NonNegativeInt } from './common.js';

/**
 * encrypt --json: JSON lines, one per object the run reached (resultRecord in
 * src/core/encrypt/record.ts; --report FILE writes the same lines), then one summary line
 * (the engine's EncryptSummary plus statePath and empty, in src/commands/encrypt.ts).
 */

const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

const ActionEnum = enumOf(Object.values(Action)).describe(
  'what the engine did (or, in a dry run, would do): skip-compliant, skip, update (UpdateObjectEncryption), copy (CopyObject onto itself), multipart (multipart copy)',
);

export const EncryptRecord = z
  .strictObject({
    key: z.string().describe('the object key'),
    versionId: z
      .string()
      .nullable()
      .describe('the version the input named (a manifest with version ids); null: the current version'),
    action: ActionEnum,
    outcome: z
      .enum(['done', 'skipped', 'vanished', 'unverified', 'failed', 'planned'])
      .describe(
        'how it ended: done, skipped (see reason), vanished (proved deleted meanwhile), unverified (the store proved nothing), failed, planned (--dry-run)',
      ),
    reason: z
      .string()
      .nullable()
      .describe(
        'skip reason ("CODE: detail", CODE one of archived, sse-c, dsse-kms, noncurrent-version, unsafe-copy-source), failure text, or a note; null when there is nothing to say',
      ),
    bytes: z.number().nonnegative().describe("the object's size when known (0 otherwise)"),
    ms: NonNegativeInt.describe(
      'wall time spent on this object, in milliseconds (requests and backoff included)',
    ),
    before: enumOf(ALL_CLASSES)
      .optional()
      .describe(
        "the encryption class the first HEAD found (verify's vocabulary); absent when the object was never read",
      ),
    parts: z.number().int().positive().optional().describe('multipart copies only: parts copied'),
  })
  .describe('One object of an encrypt run (encrypt --json, one line each; the same line in --report FILE).');
export type EncryptRecord = z.infer<typeof EncryptRecord>;

const SkipCode = z.enum(['unknown', ...Object.values(SkipReason)]).describe('a skip reason code');

const ByCategory = z
  .strictObject(
    Object.fromEntries(Object.values(Category).map((c) => [c, CountBytes])) as Record<
      Category,
      typeof CountBytes
    >,
  )
  .describe('objects and bytes per result category (every category named, zeros included)');

const RunSummary = z
  .strictObject({
    bucket: z.string().describe('the bucket'),
    kmsKey: z.string().describe('the target key ARN (the key id as given with --skip-key-check)'),
    dryRun: z.boolean().describe('true with --dry-run: nothing was written'),
    processed: NonNegativeInt.describe('objects this run reached'),
    bytes: z.number().nonnegative().describe('their sizes added up'),
    resumed: NonNegativeInt.describe(
      'objects skipped because the state file says an earlier run finished them',
    ),
    byCategory: ByCategory,
    skippedByReason: z.partialRecord(SkipCode, CountBytes).describe('skipped objects by reason code'),
    planned: z
      .partialRecord(ActionEnum, CountBytes)
      .describe('dry run: objects per planned action (empty otherwise)'),
    failures: NonNegativeInt.describe('objects that failed'),
    unverified: NonNegativeInt.describe(
      'objects the store never showed (its answers proved nothing): the run is not done',
    ),
    interrupted: z.boolean().describe('Ctrl-C cut the run short (exit 130)'),
    stoppedAtMaxFailures: z.boolean().describe('the run stopped at --max-failures'),
    stoppedAtFailureStreak: z
      .strictObject({
        objects: NonNegativeInt.describe('objects in a row that failed'),
        lastReason: z.string().optional().describe("the last one's failure text"),
      })
      .optional()
      .describe(
        'present when the run stopped after that many objects in a row failed with none done between (the store or the network stopped working)',
      ),
    copyMethod: z
      .strictObject({
        mode: z.enum(['auto', 'copy', 'multipart']).describe('--copy-method'),
        used: z
          .enum(['copy', 'multipart', 'undecided'])
          .describe('how single rewrites were made; undecided when none was needed'),
        note: z.string().optional().describe('why'),
      })
      .describe('how non-multipart rewrites were made'),
    updateObjectEncryption: z
      .strictObject({
        state: z
          .enum(['unknown', 'supported', 'unsupported'])
          .describe(
            'whether the store has UpdateObjectEncryption (probed once per run); unknown when no object needed it',
          ),
        note: z.string().optional().describe('why'),
      })
      .describe('UpdateObjectEncryption on this store'),
    bucketKey: z
      .strictObject({
        policy: z
          .enum(['required', 'accept-absent'])
          .describe(
            'required: the read-back must say BucketKeyEnabled=true; accept-absent (--skip-key-check): a store that never reports it passes, an explicit false fails',
          ),
        acceptedAbsent: z.boolean().describe('true when the policy is accept-absent'),
      })
      .describe('how the Bucket Key was judged'),
    aclsInForce: z
      .boolean()
      .optional()
      .describe('whether object ACLs are in force on the bucket (copies reset them); absent when not read'),
    pacing: z
      .strictObject({
        throttles: NonNegativeInt.describe('throttling answers (503 SlowDown, 429)'),
        retries: NonNegativeInt.describe('requests retried'),
        lowestConcurrency: NonNegativeInt.describe('the lowest concurrency the run slowed down to'),
        backoffs: NonNegativeInt.describe(
          'times the run cut its concurrency (throttling, connections reset; a burst within a second counts once)',
        ),
        highestConcurrency: NonNegativeInt.describe(
          'the highest concurrency reached (without --concurrency the run finds its own, from 8 up to 256)',
        ),
      })
      .describe('how the run paced itself'),
    abortedLeftoverUploads: NonNegativeInt.describe(
      'multipart uploads left open by a killed run, aborted before this one started',
    ),
    requests: z
      .strictObject(
        Object.fromEntries(
          [
            'HeadObject',
            'CopyObject',
            'UpdateObjectEncryption',
            'ListMultipartUploads',
            'CreateMultipartUpload',
            'UploadPartCopy',
            'CompleteMultipartUpload',
            'GetObjectTagging',
            'GetObjectAcl',
            'PutObjectAcl',
          ].map((op) => [op, NonNegativeInt.describe(`${op} requests`)]),
        ),
      )
      .optional()
      .describe('dry run only: S3 requests a real run would make, per operation'),
    kms: z
      .strictObject({
        upperBound: NonNegativeInt.describe(
          'GenerateDataKey + Decrypt requests S3 may make on your behalf, at most',
        ),
        assumption: z.string().describe('what the bound assumes'),
      })
      .optional()
      .describe('dry run only: the KMS request estimate'),
    elapsedMs: z.number().nonnegative().describe('wall time of the run, in milliseconds'),
    statePath: z.string().nullable().describe('the state file (resume), null with --no-state or --dry-run'),
    empty: z.boolean().describe('true when the source named no object (exit 1 without --allow-empty)'),
  })
  .describe('the counts of a run that started');

const EmptySourceSummary = z
  .strictObject({
    processed: z.literal(0).describe('nothing was processed'),
    empty: z.literal(true).describe('the source (a manifest with no rows) names no object'),
  })
  .describe(
    'the source named no object and --allow-empty was not given: nothing was opened or written (exit 1)',
  );

export const EncryptSummary = z
  .strictObject({ summary: z.union([RunSummary, EmptySourceSummary]).describe('the counts') })
  .describe('The last line of encrypt --json: the counts of the run.');
export type EncryptSummary = z.infer<typeof EncryptSummary>;
