import { resolve } from 'node:path';
import { z } from 'zod';
import { EncryptionClass } from '../core/encryption/classify.js';
import { InterruptedError } from '../core/errors.js';
import type { ResolvedKey } from '../core/kms/key.js';
import type { CallerIdentity } from '../core/ports.js';
import type { VerifyOutcome } from '../core/verify/verify-outcome.js';
import { VERSION } from '../version.js';
import {
  verdictCounts,
  type ReportOffender,
  type ReportRow,
  type RowVerdict,
} from './evidence-report-model.js';
import { renderEvidenceReport, type EvidenceReport, type EvidenceReportFiles } from './evidence-report.js';
import { printable } from './format.js';
import type { Output } from './output.js';
import { RecordsDigest } from './records-digest.js';

/** The summary line verify records last; the report's figures are read back from it. */
const SummaryRecord = z.object({
  summary: z.looseObject({
    checked: z.number(),
    compliant: z.number(),
    needWork: z.number(),
    vanished: z.number(),
    unverified: z.number(),
    byClass: z.record(z.string(), z.number()),
    bytesByClass: z.record(z.string(), z.number()),
  }),
});
type SummaryRecord = z.infer<typeof SummaryRecord>['summary'];

const OffenderRecord = z.object({
  key: z.string(),
  versionId: z.string().nullable(),
  isLatest: z.boolean(),
  class: z.string(),
  reason: z.string().optional(),
});

/** The page lists at most this many offenders (memory stays flat; the JSON records name every one). */
const MAX_SHOWN = 1000;

export interface VerifyReportFacts {
  bucket: string;
  prefix?: string | undefined;
  /** How the objects were examined, in one line. */
  source: string;
  allVersions: boolean;
  requireBucketKey: boolean;
  key: ResolvedKey;
  outcome: VerifyOutcome;
  exitCode: number;
  notes?: string[];
}

/** What the report works with: the run's one writer, the evidence file, the directory of relative paths. */
export interface VerifyReportTarget {
  out: Output;
  files: EvidenceReportFiles;
  cwd: string;
}

/**
 * `verify --report FILE.html`. Started before the first request (the path is checked then); from
 * there it sees every record the run makes, printed or not: their SHA-256 and the report's
 * figures come from the same lines, so the page says no more than the records it hashes.
 */
export class VerifyReport {
  private readonly digest = new RecordsDigest();
  private readonly warnings: string[] = [];
  private readonly shown: ReportOffender[] = [];
  private readonly startedAt = new Date().toISOString();
  private offenders = 0;
  private readonly showOffenders: number;
  private summary: SummaryRecord | undefined;
  /** Set once the page is built (its digest is final) or the run failed: later lines are not its records. */
  private sealed = false;
  private identity: EvidenceReport['identity'] = {
    account: null,
    principalArn: null,
    note: 'offline run (--from-dir): no AWS request was made, so no identity was asked',
  };

  private constructor(
    private readonly target: VerifyReportTarget,
    private readonly path: string,
    showOffenders: number,
  ) {
    this.showOffenders = Math.min(showOffenders, MAX_SHOWN);
    target.out.observe({ record: (line) => this.record(line), warn: (text) => this.warnings.push(text) });
  }

  /** Checks the path (exit 2 when it cannot be written, nothing created) and starts observing. */
  static async start(
    target: VerifyReportTarget,
    path: string | undefined,
    showOffenders: number,
  ): Promise<VerifyReport | undefined> {
    if (path === undefined) return undefined;
    const abs = resolve(target.cwd, path);
    await target.files.check(abs);
    return new VerifyReport(target, abs, showOffenders);
  }

  /** Who the requests are made as. A store without STS gets "unknown" and a warning, not a failed run. */
  async identify(caller: CallerIdentity): Promise<void> {
    try {
      const id = await caller.identity();
      this.identity = { account: id.account, principalArn: id.arn };
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      const why = printable((err as Error).message);
      this.identity = {
        account: null,
        principalArn: null,
        note: `unknown: STS GetCallerIdentity failed (${why})`,
      };
      this.target.out.warn(`the evidence report cannot name the caller: ${why}`);
    }
  }

  private record(line: string): void {
    // The error document of a failed run is no record of it (and fits neither schema below):
    // the run ends there, with no page.
    if (line.startsWith('{"error":')) this.sealed = true;
    if (this.sealed) return;
    this.digest.add(line);
    if (line.startsWith('{"summary":')) {
      this.summary = SummaryRecord.parse(JSON.parse(line)).summary;
      return;
    }
    this.offenders++;
    if (this.shown.length < this.showOffenders) {
      const o = OffenderRecord.parse(JSON.parse(line));
      this.shown.push({
        key: o.key,
        versionId: o.versionId,
        ...(o.isLatest ? {} : { noncurrent: true }),
        class: o.class,
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
      });
    }
  }

  /** Renders and writes the page after the summary was recorded; prints one line naming the file. */
  async write(facts: VerifyReportFacts): Promise<void> {
    const s = this.summary;
    if (!s) throw new Error('verify --report: the summary record was not made before the report');
    this.sealed = true;
    const html = renderEvidenceReport(this.build(facts, s));
    const written = await this.target.files.write(this.path, html);
    this.target.out.say(printable(`Evidence report: ${written}`));
  }

  private build(f: VerifyReportFacts, s: SummaryRecord): EvidenceReport {
    const classes = Object.keys(s.byClass).map((cls) => ({
      class: cls,
      objects: s.byClass[cls] ?? 0,
      bytes: s.bytesByClass[cls] ?? 0,
    }));
    const rows: ReportRow[] = classes
      .filter((c) => c.objects > 0 || c.class === EncryptionClass.COMPLIANT)
      .map((c) => ({ class: c.class, objects: c.objects, bytes: c.bytes, verdict: classVerdict(c.class) }));
    const yes = (b: boolean): string => (b ? 'yes' : 'no');
    return {
      kind: 'verify',
      tool: { name: 's3-encrypt', version: VERSION },
      subject: `s3://${f.bucket}/${f.prefix ?? ''}`,
      startedAt: this.startedAt,
      generatedAt: new Date().toISOString(),
      identity: this.identity,
      targetKey: { id: f.key.id, checked: f.key.checked },
      scope: [
        { label: 'Bucket', value: f.bucket },
        { label: 'Prefix', value: f.prefix ?? '(whole bucket)' },
        { label: 'Source', value: f.source },
        { label: 'Noncurrent versions checked', value: yes(f.allVersions) },
        { label: 'S3 Bucket Key required', value: yes(f.requireBucketKey) },
      ],
      outcome: {
        verdict: f.outcome.verdict,
        headline: f.outcome.text,
        exitCode: f.exitCode,
        passed: f.exitCode === 0,
      },
      totals: {
        objects: s.checked,
        bytes: classes.reduce((a, c) => a + c.bytes, 0),
        compliant: s.compliant,
        needWork: s.needWork,
        unknown: s.unverified,
        deleted: s.vanished,
      },
      classes: classes.filter((c) => c.objects > 0),
      byVerdict: verdictCounts('objects', { ...s, unknown: s.unverified, deleted: s.vanished }),
      rows,
      offenders: { shown: this.shown, total: this.offenders },
      records: {
        ...this.digest.finish(),
        content:
          'one line per object that needs work or could not be verified, in the order found, then the summary line',
        printed: this.target.out.json,
      },
      warnings: this.warnings,
      notes: f.notes ?? [],
    };
  }
}

function classVerdict(cls: string): RowVerdict {
  if (cls === EncryptionClass.COMPLIANT) return 'compliant';
  if (cls === EncryptionClass.VANISHED) return 'deleted';
  if (cls === EncryptionClass.UNVERIFIED) return 'unknown';
  return 'needs-work';
}
