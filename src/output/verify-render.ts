/**
 * verify's words: the line naming what is checked, one line per object that needs work or could
 * not be verified, the progress line, the class table, the inventory's warnings and the one
 * headline (core/verify/verify-outcome.ts). --json gets one record per such object and the
 * summary line (output/json/verify.ts); the evidence report gets the facts below.
 */
import { EncryptionClass } from '../core/encryption/classify.js';
import type { DeliveryVerifyEvents, DeliveryVerifyRun } from '../core/inventory/verify-delivery.js';
import type { LiveVerifyEvents, VerifyRun } from '../core/verify/verify-bucket.js';
import type { Verdict, VerifySummary } from '../core/verify/tally.js';
import { formatBytes, formatCount, printable, quoted, table } from './format.js';
import { inventoryProgressEvents, LiveProgress } from './live-progress.js';
import type { Output } from './output.js';
import { pacingLine } from './pacing-line.js';
import type { VerifyReportFacts } from './verify-report.js';

/** The flags the words depend on. */
export interface VerifyView {
  bucket: string;
  prefix?: string | undefined;
  allVersions: boolean;
  requireBucketKey: boolean;
  /** Offenders listed in human output (--show-offenders). */
  showOffenders: number;
  fromDir?: string | undefined;
}

/** verify --live's events as lines on `out`. */
export function liveVerifyEvents(out: Output, v: VerifyView): LiveVerifyEvents {
  let live: LiveProgress | undefined;
  return {
    checking: (key) =>
      out.say(
        printable(
          `Checking s3://${v.bucket}/${v.prefix ?? ''} against ${key.id}${v.allVersions ? ' (all versions)' : ''} ...`,
        ),
      ),
    running(progress) {
      live = new LiveProgress(out, () => {
        const p = progress();
        return {
          done: p.done,
          total: p.total,
          growing: p.growing,
          unit: 'objects',
          extras: [`${formatCount(p.needWork)} need work`],
        };
      }).start();
    },
    reported: offenderLines(out, v),
    stopped: () => live?.stop(),
  };
}

/** verify --inventory's events as lines on `out`. */
export function deliveryVerifyEvents(out: Output, v: VerifyView): DeliveryVerifyEvents {
  const progress = inventoryProgressEvents(out);
  return {
    warn: (text) => out.warn(text),
    debug: (text) => out.debug(text),
    checking(d) {
      out.say(
        printable(
          `Checking s3://${v.bucket}/${v.prefix ?? ''} in inventory delivery ${d.folder} (${d.manifestLocation})${v.allVersions ? ', all versions' : ''} ...`,
        ),
      );
      progress.start();
    },
    progress: progress.progress,
    reported: offenderLines(out, v),
    stopped: progress.stopped,
  };
}

/** One record per object reported; a line for the first --show-offenders of them. */
function offenderLines(out: Output, v: VerifyView): (verdict: Verdict) => void {
  let shown = 0;
  return (verdict) => {
    out.record(verdictRecord(verdict));
    if (!out.json && shown++ < v.showOffenders) out.say(`  ${verdict.class.padEnd(22)} ${describe(verdict)}`);
  };
}

function verdictRecord(v: Verdict): Record<string, unknown> {
  return {
    key: v.key,
    versionId: v.versionId ?? null,
    class: v.class,
    isLatest: v.isLatest,
    ...(v.reason !== undefined ? { reason: v.reason } : {}),
  };
}

function describe(v: Verdict): string {
  const what = v.isLatest ? quoted(v.key) : `${quoted(v.key)} version ${v.versionId ?? 'null'} (noncurrent)`;
  return v.reason !== undefined ? `${what}: ${printable(v.reason)}` : what;
}

/** What an inventory can and cannot prove, in the terminal (when something is compliant) and in the report. */
const INVENTORY_NOTE = (keyId: string): string =>
  `"compliant" = SSE-KMS with an S3 Bucket Key; the inventory cannot tell the key (verify --live checks it is ${keyId}).`;

export function renderDeliverySummary(out: Output, run: DeliveryVerifyRun, v: VerifyView): void {
  const r = run.result;
  const nc = r.noncurrent.unencrypted;
  if (nc.objects > 0 && !v.allVersions)
    out.warn(
      `${formatCount(nc.objects)} noncurrent versions are not encrypted (${formatBytes(nc.bytes)}): pass --all-versions to fail on them; re-encrypting current objects leaves them as they are`,
    );
  renderVerifySummary(out, run, v, run.summary.compliant > 0 ? INVENTORY_NOTE(run.key.id) : undefined, {
    source: 'inventory',
    delivery: { manifest: r.delivery.manifest, date: r.delivery.date },
    noncurrent: { versions: r.noncurrent.versions, unencrypted: r.noncurrent.unencrypted.objects },
    stale: run.stale,
    outOfDate: run.outOfDate ?? null,
  });
}

function summaryRecord(s: VerifySummary, interrupted: boolean): Record<string, unknown> {
  return {
    checked: s.checked,
    compliant: s.compliant,
    needWork: s.offenders,
    vanished: s.vanished,
    unverified: s.unverified,
    byClass: s.byClass,
    bytesByClass: s.bytesByClass,
    interrupted,
  };
}

/** The summary record, the table and the one headline; it names what was proved, never more. */
export function renderVerifySummary(
  out: Output,
  run: VerifyRun,
  v: VerifyView,
  note?: string,
  extra: Record<string, unknown> = {},
): void {
  const { summary: s, outcome: o } = run;
  const pacing = run.pacing;
  out.record({
    summary: { ...summaryRecord(s, run.interrupted), ...(pacing ? { pacing } : {}), ...extra },
  });
  if (out.json) return;
  const listed = s.offenders + s.unverified;
  if (listed > v.showOffenders)
    out.say(`  ... and ${formatCount(listed - v.showOffenders)} more (--json lists every one)`);
  const rows = [['class', 'objects']];
  for (const [cls, n] of Object.entries(s.byClass))
    if (n > 0 || cls === EncryptionClass.COMPLIANT) rows.push([cls, formatCount(n)]);
  out.say('');
  out.say(table(rows));
  if (note !== undefined) out.say(note);
  if (pacing) out.say(pacingLine(pacing));
  out.say(o.tone === 'plain' ? o.text : out.style[o.tone](o.text));
}

/** The evidence report's facts of a --live run. */
export function liveReportFacts(v: VerifyView, run: VerifyRun): VerifyReportFacts {
  return {
    ...v,
    source: `live: every object listed (ListObject${v.allVersions ? 'Versions' : 'sV2'}) and read back (HeadObject)`,
    key: run.key,
    outcome: run.outcome,
    exitCode: run.exitCode,
  };
}

/** The evidence report's facts of an --inventory run. */
export function deliveryReportFacts(v: VerifyView, run: DeliveryVerifyRun): VerifyReportFacts {
  const d = run.result.delivery;
  return {
    ...v,
    source: `inventory delivery ${d.date} (${d.manifest})${run.offline ? `, read from ${v.fromDir}` : ''}`,
    key: run.key,
    outcome: run.outcome,
    exitCode: run.exitCode,
    notes: [INVENTORY_NOTE(run.key.id)],
  };
}
