/**
 * audit's words: the heading and the live bar while it runs, then its records as a text table
 * (default), CSV or Markdown. --json writes the records themselves (core/audit/records.ts), one a
 * line.
 */
import type { AuditEvents } from '../core/audit/audit-request.js';
import { AuditRecord, AuditSummary, type AuditResult, type BucketRecord } from '../core/audit/records.js';
import { OFFENDING_CLASSES, UNCERTAIN_CLASSES } from '../core/audit/verdict.js';
import { usdText } from '../core/cost/units.js';
import { formatBytes, formatCount, printable, table } from './format.js';
import { LiveProgress } from './live-progress.js';
import type { Output } from './output.js';

export const FORMATS = ['table', 'csv', 'md'] as const;
export type AuditFormat = (typeof FORMATS)[number];

function defaultText(r: BucketRecord): string {
  const d = r.defaultEncryption;
  if (!d) return '?';
  const blocked = d.blockedEncryptionTypes.length ? ` (blocks ${d.blockedEncryptionTypes.join(',')})` : '';
  if (d.algorithm === null) return `none${blocked}`;
  if (d.algorithm === 'AES256') return `SSE-S3${blocked}`;
  if (d.algorithm !== 'aws:kms') return `${d.algorithm}${blocked}`;
  const key = d.targetKey === true ? 'target key' : d.targetKey === false ? 'other key' : 'key ?';
  return `SSE-KMS ${key}${d.bucketKey ? ' +BK' : ' no BK'}${blocked}`;
}

const sum = (r: BucketRecord, classes: readonly string[]): number =>
  classes.reduce((n, c) => n + (r.objects?.byClass[c]?.objects ?? 0), 0);

function objectsText(r: BucketRecord): string {
  const o = r.objects;
  if (!o) return 'unknown';
  const bad = sum(r, OFFENDING_CLASSES);
  const unverified = sum(r, UNCERTAIN_CLASSES);
  const what = `${formatCount(o.objects)} (${formatBytes(o.bytes)}), ${formatCount(bad)} need work${unverified ? `, ${formatCount(unverified)} unverified` : ''}`;
  return o.sample ? `SAMPLE ${what}` : what;
}

function inventoryText(r: BucketRecord): string {
  if (!r.inventory) return '?';
  if (r.inventory.usable)
    return r.objects?.source === 'inventory'
      ? `yes (${r.objects.deliveredAt ?? ''})`
      : 'yes, no delivery read';
  return r.inventory.unusable.length ? 'unusable' : 'no';
}

const yesNo = (v: boolean | null): string => (v === null ? '?' : v ? 'yes' : 'no');

function row(r: AuditRecord): string[] {
  if (r.type === 'account')
    return [r.account ?? '?', '(account)', '', '', '', '', '', '', r.verdict, '', r.denied.join(' '), r.next];
  return [
    r.account ?? '?',
    r.bucket,
    r.region ?? '?',
    defaultText(r),
    r.versioning ?? '?',
    yesNo(r.objectLock),
    inventoryText(r),
    objectsText(r),
    r.verdict,
    r.cost ? `${r.cost.partial ? '>=' : ''}${usdText(r.cost.totalUsd)}` : '',
    r.denied.join(' '),
    r.next ?? '',
  ];
}

const HEADER = [
  'account',
  'bucket',
  'region',
  'default',
  'versioning',
  'lock',
  'inventory',
  'objects',
  'verdict',
  'cost',
  'denied',
  'next',
];

function summaryLine(s: AuditSummary): string {
  const cost = s.needsWork
    ? `; plan's estimate for those that need work ${usdText(s.costUsd)}${s.unpriced ? ` (+${s.unpriced} not priced: no counts)` : ''}`
    : '';
  const accounts = s.unreadableAccounts ? `, ${s.unreadableAccounts} account(s) unreadable` : '';
  return `${s.buckets} bucket(s): ${s.compliant} compliant, ${s.needsWork} need work, ${s.unknown} unknown${accounts}${cost}`;
}

/** The human table: one row a bucket, then each bucket's reasons and problems. @internal */
export function renderTable(records: AuditRecord[], s: AuditSummary): string {
  const lines = [table([HEADER, ...records.map((r) => row(r).map(printable))]), ''];
  for (const r of records) {
    if (r.type === 'bucket' && r.verdict === 'compliant' && r.problems.length === 0) continue;
    lines.push(`${r.type === 'bucket' ? r.bucket : `account ${r.account ?? '?'}`} (${r.verdict}):`);
    for (const why of r.reasons) lines.push(`  - ${printable(why)}`);
    for (const p of r.problems) lines.push(`  ! ${printable(`${p.action}: ${p.code}: ${p.message}`)}`);
  }
  lines.push(summaryLine(s));
  return lines.join('\n');
}

/** RFC 4180: every cell quoted, quotes doubled; a cell a spreadsheet would run as a formula gets a leading '. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** --format csv: one line a bucket, cells that a spreadsheet would run neutralised. @internal */
export function renderCsv(records: AuditRecord[]): string {
  const header = [
    ...HEADER,
    'objects_source',
    'objects_total',
    'bytes_total',
    'need_work',
    'cost_usd',
    'reasons',
  ];
  const rows = records.map((r) => {
    const base = row(r);
    if (r.type === 'account') return [...base, '', '', '', '', '', r.reasons.join('; ')];
    return [
      ...base,
      r.objects?.source ?? '',
      r.objects ? String(r.objects.objects) : '',
      r.objects ? String(r.objects.bytes) : '',
      r.objects ? String(sum(r, OFFENDING_CLASSES)) : '',
      r.cost ? String(r.cost.totalUsd) : '',
      r.reasons.join('; '),
    ];
  });
  return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n');
}

/** --format md: a Markdown table a bucket a row, then the summary line. @internal */
export function renderMarkdown(records: AuditRecord[], s: AuditSummary): string {
  const cell = (v: string) => printable(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|') || ' ';
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => ' --- ').join('|')}|`,
    ...records.map((r) => `| ${row(r).map(cell).join(' | ')} |`),
    '',
    summaryLine(s),
  ];
  return lines.join('\n');
}

/** The run as it goes: the heading (table only), the live bar; `warnings` keeps every warning for the report. */
export function auditEvents(out: Output, format: AuditFormat): AuditEvents & { warnings: string[] } {
  const warnings: string[] = [];
  let total: number | undefined;
  let done = 0;
  let needWork = 0;
  const live = new LiveProgress(out, () => ({
    done,
    total,
    unit: 'buckets',
    extras: [`${needWork} need work`],
  }));
  return {
    warnings,
    started(kmsKey) {
      out.observe({ warn: (text) => warnings.push(text) });
      // CSV and Markdown are the whole of stdout: no heading line before them.
      if (format === 'table') out.say(`Auditing buckets against ${kmsKey} (read-only) ...`);
      live.start();
    },
    total: (n) => (total = n),
    record(r) {
      if (r.type === 'bucket') done++;
      if (r.verdict === 'needs-work') needWork++;
      // The bar moves as each bucket ends, not up to 250 ms later (or never, on a quick run).
      live.draw();
    },
    stopped: () => live.stop(),
  };
}

/**
 * The records in the chosen format (or as JSON lines), after the warnings about accounts not
 * audited. Returns the JSON lines, as --json prints them, which the evidence report hashes.
 */
export function renderAudit(out: Output, format: AuditFormat, { records, summary }: AuditResult): string[] {
  for (const s of summary.skippedAccounts) out.warn(`account ${s.account} is ${s.status}: not audited`);
  // Checked against the schemas the report and other readers rely on: a drift is a bug here, not
  // there.
  const checked = [...records.map((r) => AuditRecord.parse(r)), AuditSummary.parse(summary)];
  if (out.json) {
    for (const r of checked) out.record(r);
  } else if (format === 'csv') out.say(renderCsv(records));
  else if (format === 'md') out.say(renderMarkdown(records, summary));
  else out.say(renderTable(records, summary));
  if (summary.buckets === 0) out.warn('no bucket matched: nothing was proved compliant (exit 1)');
  return checked.map((r) => `${JSON.stringify(r)}\n`);
}
