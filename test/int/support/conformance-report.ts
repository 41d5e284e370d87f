// The conformance proxy's log as text: which operations were seen (and how often), and every
// violation with its request, operation, member path and rule.
import type { ConformanceLog } from './conformance-proxy.js';

export function seenLines(log: ConformanceLog): string[] {
  return Object.entries(log.seen)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `  ${name}: ${n}`);
}

export function violationLines(log: ConformanceLog): string[] {
  const lines: string[] = [];
  for (const r of log.failed) {
    lines.push(
      `  ${r.method} ${r.url.length > 200 ? `${r.url.slice(0, 197)}...` : r.url} (${r.service ?? '?'} ${r.operation ?? '?'}${r.agent ? `, sent by ${r.agent}` : ''})`,
    );
    for (const v of r.violations) lines.push(`    ${v.path || '(request)'} [${v.rule}] ${v.message}`);
  }
  if (log.failedCount > log.failed.length)
    lines.push(`  ... and ${log.failedCount - log.failed.length} more requests`);
  return lines;
}
