/**
 * plan's words: the PASS/WARN/FAIL checklist, the object counts, the cost estimate, the next
 * commands and the closing line; --json gets one document of the same facts.
 */
import type { PriceTable } from '../core/cost/prices.js';
import { costRows } from '../core/cost/table.js';
import type { CountBytes } from '../core/inventory/manifest-summary.js';
import type { PreflightEvents } from '../core/plan/preflight.js';
import type { ObjectCounts, PlanResult } from '../core/plan/run-plan.js';
import { formatBytes, formatCount, table } from './format.js';
import { inventoryProgress } from './live-progress.js';
import type { Output } from './output.js';

/** The use case's events as lines on `out`. */
export function preflightEvents(out: Output): PreflightEvents {
  return {
    checking: (c) => out.say(`Checking s3://${c.bucket} (${c.region}) for migration to ${c.key} ...`),
    readingInventory() {
      const progress = inventoryProgress(out);
      progress.live.start();
      return { onProgress: progress.onProgress, stop: () => progress.live.stop() };
    },
    listed: (n) => out.progress(`listed ${formatCount(n)} objects`),
  };
}

function countsJson(c: ObjectCounts | undefined): unknown {
  return c
    ? { source: c.source, label: c.label, partial: c.partial, stats: c.stats, warnings: c.warnings }
    : undefined;
}

export function renderPlan(out: Output, r: PlanResult, prices: PriceTable): void {
  const inv = r.counts && r.counts.source !== 'listing' ? countsJson(r.counts) : undefined;
  const listing = r.counts?.source === 'listing' ? countsJson(r.counts) : undefined;
  const failed = r.checks.filter((c) => c.status === 'FAIL').length;
  const warned = r.checks.filter((c) => c.status === 'WARN').length;
  const status = failed ? 'FAIL' : warned ? 'WARN' : 'PASS';
  if (out.json) {
    out.record({
      bucket: r.bucket,
      region: r.region,
      kmsKey: r.kmsKey,
      status,
      checks: r.checks.map(({ id, status: s, title, detail, advice }) => ({
        id,
        status: s,
        title,
        detail,
        advice,
      })),
      ...(inv ? { inventory: inv } : {}),
      ...(listing ? { listing } : {}),
      cost: r.cost,
      prices: { region: prices.region, takenOn: prices.takenOn, prices: prices.prices },
      next: r.next,
    });
    return;
  }
  const s = out.style;
  const paint = (st: string) => (st === 'FAIL' ? s.red(st) : st === 'WARN' ? s.yellow(st) : s.green(st));
  out.say('');
  for (const c of r.checks) {
    out.say(`${paint(c.status)}  ${c.title}: ${c.detail}`);
    out.say(`      ${s.dim(c.advice)}`);
  }
  if (r.counts) renderCounts(out, r.counts);
  out.say('');
  out.say(
    s.bold(
      `Cost estimate (${r.cost.basis}${r.cost.partial ? ', PARTIAL count' : ''}; ${prices.region} prices taken ${prices.takenOn}; override with --prices FILE):`,
    ),
  );
  out.say(indent(table(costRows(r.cost))));
  for (const n of r.cost.notes) out.say(`  - ${n}`);
  out.say('');
  out.say(s.bold('Next, in order:'));
  r.next.forEach((cmd, i) => out.say(`  ${i + 1}. ${cmd}`));
  out.say('');
  const line = `${failed} FAIL, ${warned} WARN, ${r.checks.length - failed - warned} PASS`;
  out.say(
    failed
      ? s.red(`${line}: fix every FAIL before migrating (exit 3)`)
      : warned
        ? s.yellow(`${line}: read the WARN advice, then run the next commands`)
        : s.green(`${line}: ready`),
  );
}

function renderCounts(out: Output, c: ObjectCounts): void {
  const st = c.stats;
  const row = (label: string, cb: CountBytes | undefined): string[] => [
    label,
    formatCount(cb?.objects ?? 0),
    formatBytes(cb?.bytes ?? 0),
  ];
  const rows = [['objects', 'count', 'bytes']];
  const statuses = Object.entries(st.byEncryptionStatus);
  if (c.source !== 'listing') for (const [k, v] of statuses) rows.push(row(`encryption ${k}`, v));
  for (const [k, v] of Object.entries(st.byStorageClass)) rows.push(row(`class ${k}`, v));
  rows.push(row('over 5 GB', st.large), row('archived (restore first)', st.archived));
  if (c.source !== 'listing') {
    rows.push(row('noncurrent versions', st.noncurrent), row('noncurrent NOT-SSE', st.noncurrentUnencrypted));
    rows.push(['delete markers', formatCount(st.deleteMarkers), '']);
  }
  out.say('');
  out.say(out.style.bold(`Objects (${c.label}${c.partial ? ': PARTIAL count' : ''}):`));
  out.say(indent(table(rows)));
  for (const w of c.warnings) out.say(`  - ${w}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
