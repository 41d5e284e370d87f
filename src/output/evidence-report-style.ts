import { createHash } from 'node:crypto';

/**
 * The report's one style sheet. System fonts only (no font file, nothing fetched); colours are
 * kept when printing, and tables repeat their header on every printed page.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.subject { font-size: 15px; color: #444; margin: 0 0 16px; word-break: break-all; }
.verdict { border-radius: 6px; padding: 12px 16px; margin: 12px 0 20px; border: 2px solid; }
.verdict .name { font-size: 20px; font-weight: 700; }
.verdict .exit { float: right; font-weight: 600; }
.verdict.pass { background: #e8f5e9; border-color: #2e7d32; color: #1b5e20; }
.verdict.fail { background: #ffebee; border-color: #c62828; color: #8e0000; }
.verdict.stopped { background: #fff8e1; border-color: #f9a825; color: #6d4c00; }
.verdict .headline { margin-top: 4px; color: #1f2328; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { font-weight: 600; color: #444; }
dl.facts dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
table.totals { width: auto; min-width: 380px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.key { word-break: break-all; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 13px; }
.sha { word-break: break-all; font-size: 14px; background: #f3f5f7; padding: 6px 8px; border-radius: 4px; display: block; }
.charts { display: flex; flex-wrap: wrap; gap: 16px 32px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { max-width: 100%; height: auto; }
.v-compliant { color: #1b5e20; font-weight: 600; }
.v-needs-work { color: #b71c1c; font-weight: 600; }
.v-unknown { color: #8a6100; font-weight: 600; }
.v-deleted { color: #546e7a; }
ul.warnings li { color: #6d4c00; }
footer { margin-top: 32px; color: #57606a; font-size: 12px; border-top: 1px solid #d0d7de; padding-top: 8px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure, .verdict, dl.facts { break-inside: avoid; }
}
`;

/** The Content-Security-Policy source that allows exactly this style sheet and nothing else. */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}
