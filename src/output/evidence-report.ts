import { EVIDENCE_REPORT_HEAD } from '../core/evidence-mark.js';
import { EvidenceReport, type ReportRow, type RowVerdict } from './evidence-report-model.js';
import { REPORT_CSS, styleHashSource } from './evidence-report-style.js';
import { formatBytes, formatCount } from './format.js';
import { htmlText as h } from './html-text.js';
import { barChart, donutChart, percent, type ChartPart } from './svg-charts.js';

export { EvidenceReport } from './evidence-report-model.js';

/** `--report FILE.html` of verify (and audit): the evidence report's file. */
export interface EvidenceReportFiles {
  /** Before the first request: refuses (exit 2) a path it cannot write or must not replace. */
  check(path: string): Promise<void>;
  /** Writes the page (all or nothing); returns the absolute path written. */
  write(path: string, html: string): Promise<string>;
}

/**
 * One self-contained HTML page an auditor opens offline: nothing is fetched (no script, font,
 * image or style sheet from anywhere), and the Content-Security-Policy allows only the page's own
 * style sheet, by its hash. Pure: the same report gives the same bytes.
 */
export function renderEvidenceReport(input: EvidenceReport): string {
  const r = EvidenceReport.parse(input);
  const csp = [
    "default-src 'none'",
    `style-src ${styleHashSource(REPORT_CSS)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `s3-encrypt ${r.kind} evidence: ${r.outcome.verdict}: ${r.subject}`;
  return [
    EVIDENCE_REPORT_HEAD + '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    header(r),
    runFacts(r),
    totals(r),
    charts(r),
    rowsTable(r),
    offenders(r),
    listSection('warnings', 'Warnings', r.warnings),
    listSection('notes', 'Notes', r.notes),
    records(r),
    `<footer>Made by ${h(r.tool.name)} ${h(r.tool.version)} at ${h(r.generatedAt)}. This page loads nothing from anywhere and runs no script.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const VERDICT_LABEL: Record<RowVerdict, { verify: string; audit: string }> = {
  compliant: { verify: 'compliant', audit: 'compliant' },
  'needs-work': { verify: 'needs work', audit: 'needs work' },
  unknown: { verify: 'unverified', audit: 'unknown' },
  deleted: { verify: 'proved deleted', audit: 'deleted' },
};

const VERDICT_COLOR: Record<RowVerdict, string> = {
  compliant: '#2e7d32',
  'needs-work': '#c62828',
  unknown: '#f9a825',
  deleted: '#90a4ae',
};

const CLASS_COLOR: Record<string, string> = {
  compliant: '#2e7d32',
  'NOT-SSE': '#c62828',
  'SSE-S3': '#ef6c00',
  'SSE-KMS-other-key': '#6a1b9a',
  'SSE-KMS-no-bucket-key': '#1565c0',
  'SSE-C': '#ad1457',
  'DSSE-KMS': '#00838f',
  vanished: '#90a4ae',
  unverified: '#f9a825',
};
const SPARE_COLORS = ['#5d4037', '#283593', '#558b2f', '#4e342e', '#37474f'];

function classColor(cls: string, i: number): string {
  return CLASS_COLOR[cls] ?? (SPARE_COLORS[i % SPARE_COLORS.length] as string);
}

const verdictLabel = (r: EvidenceReport, v: RowVerdict): string => VERDICT_LABEL[v][r.kind];

function header(r: EvidenceReport): string {
  const tone = r.outcome.passed ? 'pass' : r.outcome.verdict === 'INTERRUPTED' ? 'stopped' : 'fail';
  return [
    `<h1>Encryption evidence: s3-encrypt ${h(r.kind)}</h1>`,
    `<p class="subject mono" id="subject">${h(r.subject)}</p>`,
    `<div class="verdict ${tone}" id="verdict">`,
    `<span class="exit">exit code ${r.outcome.exitCode}</span>`,
    `<div class="name">${h(r.outcome.verdict)}</div>`,
    `<div class="headline">${h(r.outcome.headline)}</div>`,
    '</div>',
  ].join('\n');
}

function facts(items: { label: string; value: string; mono?: boolean }[]): string {
  return `<dl class="facts">${items
    .map((f) => `<dt>${h(f.label)}</dt><dd${f.mono === true ? ' class="mono"' : ''}>${h(f.value)}</dd>`)
    .join('')}</dl>`;
}

function runFacts(r: EvidenceReport): string {
  const id = r.identity;
  const who =
    id.account === null && id.principalArn === null
      ? [{ label: 'Identity', value: id.note ?? 'not asked' }]
      : [
          { label: 'Account', value: id.account ?? 'unknown', mono: true },
          { label: 'Principal', value: id.principalArn ?? 'unknown', mono: true },
          ...(id.note !== undefined ? [{ label: 'Identity note', value: id.note }] : []),
        ];
  return [
    '<section id="run"><h2>Run</h2>',
    facts([
      ...(r.startedAt !== undefined ? [{ label: 'Run began (UTC)', value: r.startedAt, mono: true }] : []),
      { label: 'Report made (UTC)', value: r.generatedAt, mono: true },
      { label: 'Tool', value: `${r.tool.name} ${r.tool.version}` },
      ...who,
      {
        label: 'Target key',
        value: `${r.targetKey.id}${r.targetKey.checked ? ' (described by KMS)' : ' (as given; not checked with KMS)'}`,
        mono: true,
      },
      ...r.scope,
    ]),
    '</section>',
  ].join('\n');
}

function totals(r: EvidenceReport): string {
  const t = r.totals;
  const unknown = verdictLabel(r, 'unknown');
  const rows: [string, string][] = [
    ...(t.buckets !== undefined ? [['Buckets', formatCount(t.buckets)] as [string, string]] : []),
    ['Objects examined', formatCount(t.objects)],
    ['Bytes examined', `${formatBytes(t.bytes)} (${formatCount(t.bytes)} bytes)`],
    [r.kind === 'audit' ? 'Compliant buckets' : 'Compliant', formatCount(t.compliant)],
    [r.kind === 'audit' ? 'Buckets that need work' : 'Need work', formatCount(t.needWork)],
    [r.kind === 'audit' ? 'Buckets unknown' : capital(unknown), formatCount(t.unknown)],
    ...(t.deleted !== undefined ? [['Proved deleted', formatCount(t.deleted)] as [string, string]] : []),
  ];
  return [
    '<section id="totals"><h2>Totals</h2>',
    '<table class="totals"><tbody>',
    ...rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td class="num">${h(v)}</td></tr>`),
    '</tbody></table>',
    '</section>',
  ].join('\n');
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function charts(r: EvidenceReport): string {
  const bytes: ChartPart[] = r.classes.map((c, i) => ({
    label: c.class,
    value: c.bytes,
    color: classColor(c.class, i),
  }));
  const totalBytes = bytes.reduce((a, p) => a + p.value, 0);
  const verdicts: ChartPart[] = r.byVerdict.counts.map((c) => ({
    label: verdictLabel(r, c.verdict),
    value: c.count,
    color: VERDICT_COLOR[c.verdict],
  }));
  const unit = r.byVerdict.unit;
  return [
    '<section id="charts"><h2>Charts</h2><div class="charts">',
    '<figure><figcaption>Share of bytes by encryption class</figcaption>',
    donutChart({
      id: 'chart-bytes-by-class',
      title: 'Share of bytes by encryption class',
      parts: bytes,
      format: formatBytes,
      centre: formatBytes(totalBytes),
      empty: 'no bytes examined',
    }),
    '</figure>',
    `<figure><figcaption>${h(unit === 'buckets' ? 'Buckets' : 'Objects')} by verdict</figcaption>`,
    barChart({
      id: 'chart-by-verdict',
      title: `${unit === 'buckets' ? 'Buckets' : 'Objects'} by verdict`,
      parts: verdicts,
      format: (n) => `${formatCount(n)} ${n === 1 ? unit.slice(0, -1) : unit}`,
    }),
    '</figure>',
    '</div></section>',
  ].join('\n');
}

function rowsTable(r: EvidenceReport): string {
  const rows = r.rows;
  const has = (f: keyof ReportRow): boolean => rows.some((x) => x[f] !== undefined);
  const knownBytes = rows.reduce((a, x) => a + (x.bytes ?? 0), 0);
  const cols: { head: string; num?: boolean; cell: (x: ReportRow) => string }[] = [];
  if (has('bucket')) cols.push({ head: 'Bucket', cell: (x) => `<code>${h(x.bucket ?? '')}</code>` });
  if (has('region')) cols.push({ head: 'Region', cell: (x) => h(x.region ?? '') });
  if (has('class')) cols.push({ head: 'Encryption class', cell: (x) => h(x.class ?? '') });
  const known = (n: number | null, f: (n: number) => string): string => (n === null ? 'unknown' : h(f(n)));
  cols.push(
    { head: 'Objects', num: true, cell: (x) => known(x.objects, formatCount) },
    { head: 'Bytes', num: true, cell: (x) => known(x.bytes, formatBytes) },
    { head: 'Share of bytes', num: true, cell: (x) => known(x.bytes, (b) => percent(b, knownBytes)) },
  );
  if (has('verdict'))
    cols.push({
      head: 'Verdict',
      cell: (x) =>
        x.verdict === undefined ? '' : `<span class="v-${x.verdict}">${h(verdictLabel(r, x.verdict))}</span>`,
    });
  if (has('note')) cols.push({ head: 'Note', cell: (x) => h(x.note ?? '') });
  const heading = r.kind === 'audit' ? 'By bucket' : 'By encryption class';
  return [
    `<section id="rows"><h2>${heading}</h2>`,
    '<table class="rows"><thead><tr>',
    cols.map((c) => `<th${c.num === true ? ' class="num"' : ''} scope="col">${h(c.head)}</th>`).join(''),
    '</tr></thead><tbody>',
    ...rows.map(
      (x) =>
        `<tr>${cols.map((c) => `<td${c.num === true ? ' class="num"' : ''}>${c.cell(x)}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
    '</section>',
  ].join('\n');
}

function offenders(r: EvidenceReport): string {
  const o = r.offenders;
  const heading = `First offenders (${formatCount(o.shown.length)} of ${formatCount(o.total)})`;
  if (o.total === 0)
    return `<section id="offenders"><h2>Offenders</h2><p>None: no object needs work or went unverified.</p></section>`;
  const withBucket = o.shown.some((x) => x.bucket !== undefined);
  const head = [...(withBucket ? ['Bucket'] : []), 'Key', 'Version', 'Class', 'Reason'];
  const more =
    o.total > o.shown.length
      ? `<p>… and ${formatCount(o.total - o.shown.length)} more: the JSON records name every one.</p>`
      : '';
  return [
    `<section id="offenders"><h2>${h(heading)}</h2>`,
    '<p>Keys are shown as text: a character that would act instead of showing is written as \\uXXXX; the JSON records hold the exact key.</p>',
    `<table class="offenders"><thead><tr>${head.map((x) => `<th scope="col">${x}</th>`).join('')}</tr></thead><tbody>`,
    ...o.shown.map(
      (x) =>
        `<tr>${withBucket ? `<td><code>${h(x.bucket ?? '')}</code></td>` : ''}<td class="key"><code>${h(x.key)}</code></td><td><code>${h(x.versionId ?? '')}</code>${x.noncurrent === true ? ' (noncurrent)' : ''}</td><td>${h(x.class)}</td><td>${h(x.reason ?? '')}</td></tr>`,
    ),
    '</tbody></table>',
    more,
    '</section>',
  ].join('\n');
}

function listSection(id: string, heading: string, items: string[]): string {
  if (items.length === 0) return '';
  return `<section id="${id}"><h2>${h(heading)}</h2><ul class="${id}">${items.map((w) => `<li>${h(w)}</li>`).join('')}</ul></section>`;
}

function records(r: EvidenceReport): string {
  const x = r.records;
  const printed = x.printed
    ? `This run was given --json and printed them. To check: save that output (<code>s3-encrypt --json ${r.kind} … --report FILE.html &gt; records.jsonl</code>) and run <code>sha256sum records.jsonl</code>.`
    : `This run was not given --json, so it did not print them, and another run may list objects in another order: run with <code>--json … &gt; records.jsonl</code> to keep the records this hash can be checked against.`;
  return [
    '<section id="records"><h2>Records this report was built from</h2>',
    `<p>SHA-256:</p><code class="sha" id="records-sha256">${h(x.sha256)}</code>`,
    `<p>Hashed bytes: the ${formatCount(x.lines)} JSON lines (${formatCount(x.bytes)} bytes, UTF-8, each ending in one line feed) that <code>s3-encrypt --json ${r.kind}</code> writes to standard output for this run: ${h(x.content)}; exactly as written, nothing before or after them. ${printed}</p>`,
    '</section>',
  ].join('\n');
}
