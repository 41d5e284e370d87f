import { z } from 'zod';
import { ALL_CLASSES, EncryptionClass } from '../../core/encryption/classify.js';
import { NonNegativeInt } from './common.js';

/**
 * verify --json: JSON lines, one per offender or unverified object (verdictRecord in
 * src/output/verify-render.ts), then one summary line (summaryRecord; --inventory adds the delivery's
 * facts). Compliant and vanished objects get no line.
 */

/** The classes a line is written for: an offender, or `unverified`. */
const ReportedClass = z
  .enum(
    ALL_CLASSES.filter((c) => c !== EncryptionClass.COMPLIANT && c !== EncryptionClass.VANISHED) as [
      EncryptionClass,
      ...EncryptionClass[],
    ],
  )
  .describe(
    'what the object is: NOT-SSE, SSE-S3, SSE-KMS-other-key, SSE-KMS-no-bucket-key, SSE-C, DSSE-KMS (offenders) or unverified (the store proved nothing about it)',
  );

export const VerifyRecord = z
  .strictObject({
    key: z.string().describe('the object key, as S3 lists it'),
    versionId: z
      .string()
      .nullable()
      .describe(
        'the version examined, as the read-back, the listing or the inventory row named it; null when none was named (an unversioned bucket)',
      ),
    class: ReportedClass,
    isLatest: z.boolean().describe('false for a noncurrent version (only with --all-versions)'),
    reason: z
      .string()
      .optional()
      .describe("only for `unverified`: why the store's answer proved nothing, in one line"),
  })
  .describe('One object that needs work or could not be verified (verify --json, one line each).');
export type VerifyRecord = z.infer<typeof VerifyRecord>;

/** One count per class, every class named (zero included). */
const PerClass = (what: string, unit: string) =>
  z
    .strictObject(
      Object.fromEntries(
        ALL_CLASSES.map((c) => [c, NonNegativeInt.describe(`${unit} of class ${c}`)]),
      ) as Record<EncryptionClass, typeof NonNegativeInt>,
    )
    .describe(what);

const SummaryFields = {
  checked: NonNegativeInt.describe('objects examined (every class, vanished and unverified included)'),
  compliant: NonNegativeInt.describe(
    'objects seen SSE-KMS under the target key (with a Bucket Key when required)',
  ),
  needWork: NonNegativeInt.describe('objects seen and not compliant: each has a line above'),
  vanished: NonNegativeInt.describe('objects listed, then proved deleted before they could be read'),
  unverified: NonNegativeInt.describe(
    "objects the store's answers proved nothing about: each has a line above",
  ),
  byClass: PerClass('objects per class', 'objects'),
  bytesByClass: PerClass("bytes per class: the objects' sizes added up", 'bytes'),
  interrupted: z.boolean().describe('true when Ctrl-C cut the run short (exit 130): the counts are partial'),
};

const LiveSummary = z
  .strictObject({
    ...SummaryFields,
    pacing: z
      .strictObject({
        throttles: NonNegativeInt.describe('throttling answers to HEADs (503 SlowDown, 429)'),
        backoffs: NonNegativeInt.describe(
          'times the run cut its concurrency (throttling, connections reset; a burst within a second counts once)',
        ),
        highestConcurrency: NonNegativeInt.describe(
          'the highest number of HEADs in flight allowed (without --concurrency the run finds its own, from 8 up to 256)',
        ),
      })
      .describe('how the run paced itself'),
  })
  .describe('verify --live: every object listed and read back (HeadObject)');

const InventorySummary = z
  .strictObject({
    ...SummaryFields,
    source: z
      .literal('inventory')
      .describe('the counts come from an S3 Inventory delivery (--inventory or --from-dir)'),
    delivery: z
      .strictObject({
        manifest: z.string().describe("the delivery's manifest.json (s3://... or a local path)"),
        date: z.string().describe('the delivery folder, YYYY-MM-DDTHH-MMZ (when S3 began scanning)'),
      })
      .describe('which delivery was read'),
    noncurrent: z
      .strictObject({
        versions: NonNegativeInt.describe('noncurrent versions the delivery lists'),
        unencrypted: NonNegativeInt.describe('of them, stored without encryption (NOT-SSE)'),
      })
      .describe('noncurrent versions (an offence only with --all-versions, a warning otherwise)'),
    stale: z
      .boolean()
      .describe(
        'a staleness warning was given (the delivery predates --since or an earlier build-manifest run, or is over 48 h old)',
      ),
    outOfDate: z
      .string()
      .nullable()
      .describe('why the delivery is too old to prove compliance (--max-age); null when it is recent enough'),
  })
  .describe('verify --inventory / --from-dir: the objects of one inventory delivery');

export const VerifySummary = z
  .strictObject({ summary: z.union([LiveSummary, InventorySummary]).describe('the counts') })
  .describe('The last line of verify --json: the counts of the run.');
export type VerifySummary = z.infer<typeof VerifySummary>;
