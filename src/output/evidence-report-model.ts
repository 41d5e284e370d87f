import { z } from 'zod';

/**
 * What an evidence report shows, for `verify --report` (one bucket, a row per encryption class)
 * and `audit --report` (a row per bucket). The renderer draws only what is here: every figure
 * comes from the run's JSON records, whose SHA-256 the report carries (`records`).
 */

const Count = z.number().int().nonnegative();

/** Where a row, or an object, stands against the target; `deleted`: listed, then proved gone. */
export const RowVerdict = z.enum(['compliant', 'needs-work', 'unknown', 'deleted']);
export type RowVerdict = z.infer<typeof RowVerdict>;

export const ReportRow = z
  .object({
    /** audit: the bucket of this row. */
    bucket: z.string().optional(),
    /** verify: the encryption class of this row. */
    class: z.string().optional(),
    region: z.string().optional(),
    /** null: not known (audit without an inventory, or a bucket it may not read). */
    objects: Count.nullable(),
    bytes: Count.nullable(),
    verdict: RowVerdict.optional(),
    /** One line: the missing permission, the next command, a sample's size. */
    note: z.string().optional(),
  })
  .refine((r) => r.bucket !== undefined || r.class !== undefined, 'a row names a bucket or a class');
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportOffender = z.object({
  bucket: z.string().optional(),
  key: z.string(),
  versionId: z.string().nullable(),
  /** A noncurrent version (verify --all-versions). */
  noncurrent: z.boolean().optional(),
  class: z.string(),
  reason: z.string().optional(),
});
export type ReportOffender = z.infer<typeof ReportOffender>;

const Fact = z.object({ label: z.string(), value: z.string() });

export const EvidenceReport = z.object({
  kind: z.enum(['verify', 'audit']),
  tool: z.object({ name: z.literal('s3-encrypt'), version: z.string() }),
  /** What was examined, in a few words: `s3://bucket/prefix`, `31 buckets in 3 accounts`. */
  subject: z.string(),
  /** When the run began and when the report was made (UTC, ISO 8601). */
  startedAt: z.iso.datetime().optional(),
  generatedAt: z.iso.datetime(),
  /** STS GetCallerIdentity; null with a note when no AWS identity was asked (offline runs). */
  identity: z.object({
    account: z.string().nullable(),
    principalArn: z.string().nullable(),
    note: z.string().optional(),
  }),
  /** The key objects must be under: the ARN once KMS described it (checked), else as given. */
  targetKey: z.object({ id: z.string(), checked: z.boolean() }),
  /** What was examined and how: source, bucket or buckets, prefix, options. */
  scope: z.array(Fact),
  outcome: z.object({
    /** COMPLIANT, NOT COMPLIANT, UNVERIFIED, ... as the command prints it. */
    verdict: z.string(),
    /** The command's own headline line, without colour. */
    headline: z.string(),
    exitCode: z.number().int().nonnegative(),
    passed: z.boolean(),
  }),
  totals: z.object({
    buckets: Count.optional(),
    objects: Count,
    bytes: Count,
    compliant: Count,
    needWork: Count,
    /** Objects (or buckets) nothing was proved about: unverified, unreadable. */
    unknown: Count,
    deleted: Count.optional(),
  }),
  /** Objects and bytes per encryption class over the whole scope: the share-of-bytes chart. */
  classes: z.array(z.object({ class: z.string(), objects: Count, bytes: Count })),
  /** The verdict chart: objects by verdict (verify) or buckets by verdict (audit). */
  byVerdict: z.object({
    unit: z.enum(['objects', 'buckets']),
    counts: z.array(z.object({ verdict: RowVerdict, count: Count })),
  }),
  rows: z.array(ReportRow),
  /** The first objects that need work or could not be verified, in the order the run found them. */
  offenders: z.object({ shown: z.array(ReportOffender), total: Count }),
  /** The JSON lines the run's `--json` output carries on stdout (see records-digest.ts). */
  records: z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** What the lines are, in the command's words: "one line per ..., then the summary line". */
    content: z.string(),
    lines: Count,
    bytes: Count,
    /** Whether this run printed them (it was given --json). */
    printed: z.boolean(),
  }),
  warnings: z.array(z.string()),
  notes: z.array(z.string()),
});
export type EvidenceReport = z.infer<typeof EvidenceReport>;

/** The verdict chart's counts; `deleted` only where a run sees objects vanish (verify). */
export function verdictCounts(
  unit: EvidenceReport['byVerdict']['unit'],
  c: { compliant: number; needWork: number; unknown: number; deleted?: number },
): EvidenceReport['byVerdict'] {
  const counts: EvidenceReport['byVerdict']['counts'] = [
    { verdict: 'compliant', count: c.compliant },
    { verdict: 'needs-work', count: c.needWork },
    { verdict: 'unknown', count: c.unknown },
  ];
  if (c.deleted !== undefined) counts.push({ verdict: 'deleted', count: c.deleted });
  return { unit, counts };
}
