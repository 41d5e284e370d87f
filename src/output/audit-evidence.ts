import type { AuditRecord, AuditResult } from '../core/audit/records.js';
import { verdictCounts, type ReportRow } from './evidence-report-model.js';
import type { EvidenceReport } from './evidence-report.js';
import { RecordsDigest } from './records-digest.js';

/**
 * `audit --report FILE.html`: the evidence page of an audit, built only from the records audit
 * prints with --json (the same lines, hashed as Output.record writes them), so the page says no
 * more than the records an auditor can recompute its SHA-256 from.
 */
export function auditEvidence(
  result: AuditResult,
  lines: readonly string[],
  printed: boolean,
  warnings: readonly string[],
): EvidenceReport {
  const { records, summary } = result;
  const digest = new RecordsDigest();
  for (const line of lines) digest.add(line);
  const buckets = records.filter((r) => r.type === 'bucket');
  const counted = Object.entries(summary.byClass);
  const objects = counted.reduce((a, [, c]) => a + c.objects, 0);
  const accounts = summary.accounts.map((a) => a.account ?? a.via);
  return {
    kind: 'audit',
    tool: { name: 's3-encrypt', version: summary.toolVersion },
    subject: `${summary.buckets} bucket${summary.buckets === 1 ? '' : 's'} in ${accounts.length} account${accounts.length === 1 ? '' : 's'}`,
    startedAt: summary.startedAt,
    generatedAt: new Date().toISOString(),
    identity: summary.ranBy
      ? { account: summary.ranBy.account, principalArn: summary.ranBy.arn }
      : { account: null, principalArn: null, note: 'unknown: STS GetCallerIdentity did not answer' },
    targetKey: { id: summary.kmsKey, checked: false },
    scope: [
      { label: 'Accounts', value: accounts.join(', ') || '(none)' },
      {
        label: 'Objects counted',
        value: summary.sample
          ? `a sample of ${summary.sample} per bucket without an inventory`
          : "from each bucket's newest inventory delivery",
      },
      ...(summary.skippedAccounts.length
        ? [
            {
              label: 'Accounts not audited',
              value: summary.skippedAccounts.map((s) => `${s.account} (${s.status})`).join(', '),
            },
          ]
        : []),
    ],
    outcome: {
      verdict: summary.exitCode === 0 ? 'COMPLIANT' : 'NOT COMPLIANT',
      headline: headline(summary),
      exitCode: summary.exitCode,
      passed: summary.exitCode === 0,
    },
    totals: {
      buckets: summary.buckets,
      objects,
      bytes: counted.reduce((a, [, c]) => a + c.bytes, 0),
      compliant: summary.compliant,
      needWork: summary.needsWork,
      unknown: summary.unknown,
    },
    classes: counted.map(([cls, c]) => ({ class: cls, objects: c.objects, bytes: Math.round(c.bytes) })),
    byVerdict: verdictCounts('buckets', { ...summary, needWork: summary.needsWork }),
    rows: [...buckets.map(bucketRow), ...records.filter((r) => r.type === 'account').map(accountRow)],
    // audit counts objects, it does not name them: the offenders are in verify's report per bucket.
    offenders: { shown: [], total: 0 },
    records: {
      ...digest.finish(),
      content: 'one line per bucket (and per account that could not be entered), then the summary line',
      printed,
    },
    warnings: [...warnings],
    notes: [
      'Objects are counted, not named: run verify --report on a bucket for its offenders.',
      ...(summary.unreadableAccounts
        ? [
            `${summary.unreadableAccounts} account(s) could not be entered or listed: their buckets are unknown.`,
          ]
        : []),
      ...(summary.unpriced
        ? [`${summary.unpriced} bucket(s) that need work could not be priced (no counts).`]
        : []),
    ],
  };
}

function headline(s: AuditResult['summary']): string {
  if (s.buckets === 0) return 'no bucket matched: nothing was proved compliant';
  if (s.exitCode === 0) return `all ${s.buckets} buckets are compliant`;
  return `${s.needsWork} of ${s.buckets} buckets need work, ${s.unknown} unknown`;
}

function bucketRow(r: Extract<AuditRecord, { type: 'bucket' }>): ReportRow {
  // A problem that is no denial ("run audit again (see problems)") is named on the page itself:
  // an auditor has the page, not the records.
  const other = r.problems.filter((p) => p.code !== 'AccessDenied').map((p) => `${p.action}: ${p.message}`);
  const next = r.next && other.length ? `${r.next}; problems: ${other.join('; ')}` : r.next;
  const note = r.denied.length ? `denied: ${r.denied.join(', ')}` : (next ?? undefined);
  return {
    bucket: r.bucket,
    ...(r.region ? { region: r.region } : {}),
    objects: r.objects?.objects ?? null,
    bytes: r.objects ? Math.round(r.objects.bytes) : null,
    verdict: r.verdict,
    ...(note ? { note: r.objects?.sample ? `SAMPLE; ${note}` : note } : {}),
  };
}

function accountRow(r: Extract<AuditRecord, { type: 'account' }>): ReportRow {
  return {
    bucket: `(account ${r.account ?? r.via})`,
    objects: null,
    bytes: null,
    verdict: 'unknown',
    note: r.denied.length ? `denied: ${r.denied.join(', ')}` : r.next,
  };
}
