/**
 * build-manifest's words: the line naming the delivery read, the progress line, then the
 * manifests table, what was left alone, noncurrent versions and the next command. --json gets
 * summary.json's document (ManifestSummary).
 */
import type { BuildManifestEvents, BuildManifestRun } from '../core/inventory/build-manifest-run.js';
import { formatBytes, formatCount, table } from './format.js';
import { inventoryProgressEvents } from './live-progress.js';
import type { Output } from './output.js';

/** The flags the words depend on. */
export interface BuildManifestView {
  bucket: string;
  kmsKey: string;
}

/** The use case's events as lines on `out`. */
export function buildManifestEvents(out: Output, v: BuildManifestView): BuildManifestEvents {
  const progress = inventoryProgressEvents(out);
  return {
    warn: (text) => out.warn(text),
    debug: (text) => out.debug(text),
    reading(where) {
      out.say(`Reading the inventory of ${v.bucket} from ${where} ...`);
      progress.start();
    },
    progress: progress.progress,
    stopped: progress.stopped,
  };
}

export function renderBuildManifest(out: Output, r: BuildManifestRun, v: BuildManifestView): void {
  const s = r.summary;
  const lines: string[] = [];
  lines.push(
    `Delivery ${r.delivery.date} (${r.delivery.manifest}): ${formatCount(r.delivery.files)} data files, ${formatCount(r.rows)} rows in ${r.seconds.toFixed(1)}s`,
  );
  lines.push('');
  const rows = [['manifest', 'objects', 'bytes', r.dryRun ? 'would be written to' : 'location']];
  for (const m of s.manifests) rows.push([m.name, formatCount(m.objects), formatBytes(m.bytes), m.location]);
  if (s.manifests.length === 0) rows.push(['(none)', '0', '0 B', 'nothing to re-encrypt']);
  lines.push(table(rows));
  lines.push('');
  const left = s.leftAlone;
  const leftText = Object.entries(left)
    .map(([k, c]) => `${k} ${formatCount(c.objects)}`)
    .join(', ');
  lines.push(`Left alone (current objects): ${leftText}.`);
  if ((left.compliant?.objects ?? 0) > 0)
    lines.push(
      '  "compliant" = SSE-KMS with an S3 Bucket Key. The inventory does not say which KMS key: verify --live checks that.',
    );
  if ((left['SSE-C']?.objects ?? 0) > 0 || (left['DSSE-KMS']?.objects ?? 0) > 0)
    lines.push(
      '  SSE-C and DSSE-KMS objects cannot be re-encrypted by Batch copy or UpdateObjectEncryption.',
    );
  const nc = s.stats.noncurrentUnencrypted;
  if (s.stats.noncurrent.objects > 0)
    lines.push(
      `Noncurrent versions: ${formatCount(s.stats.noncurrent.objects)} (${formatCount(nc.objects)} unencrypted, ${formatBytes(nc.bytes)}); no manifest includes them.`,
    );
  lines.push('');
  if (r.dryRun) {
    lines.push(`Dry run: nothing was uploaded or written. summary.json would be ${r.summaryLocation}.`);
  } else {
    lines.push(`Summary: ${r.summaryLocation}`);
    const jobs = s.manifests.filter((m) => m.group === 'copy' || m.group === 'update-encryption');
    if (jobs.length > 0)
      lines.push(
        `Next: s3-encrypt create-job --summary ${r.summaryLocation} --bucket ${v.bucket} --kms-key ${v.kmsKey} --role-arn ROLE_ARN --report s3://REPORT-BUCKET/PREFIX`,
      );
    if (s.manifests.some((m) => m.group === 'large'))
      lines.push(`Large objects (> 5 GiB): s3-encrypt encrypt --manifest <large.csv> (multipart copy).`);
  }
  out.result(s, lines.join('\n'));
}
