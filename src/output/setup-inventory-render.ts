/**
 * setup-inventory's words: warnings about where the reports land and what another account or a
 * KMS key must allow, then what was (or, in a dry run, would be) written. --json gets the
 * configuration and the destination policy as documents.
 */
import type { SetupInventoryResult } from '../core/inventory-config/setup-inventory.js';
import type { Output } from './output.js';

export function renderSetupInventory(
  out: Output,
  source: string,
  destination: string,
  r: SetupInventoryResult,
): void {
  const enc = r.destinationEncryption;
  if (destination === source && !r.config.Filter?.Prefix)
    out.warn(
      `the reports land in ${source} itself, so each inventory lists earlier reports too (and build-manifest will plan work for them); a separate destination bucket keeps them apart`,
    );
  if (enc?.kind === 'customer-key' || enc?.kind === 'unknown-key') {
    out.warn(
      `${destination} encrypts new objects with KMS key ${enc.keyId}${enc.kind === 'unknown-key' ? ` (not checked: ${enc.reason})` : ''}; S3 can deliver reports only if that key's policy has this statement:\n${JSON.stringify(enc.keyPolicyStatement, null, 2)}`,
    );
  }
  if (r.policy.outcome === 'skipped') {
    out.warn(
      `${destination} belongs to another account: its owner must add this statement to its bucket policy:\n${JSON.stringify(r.policy.statement, null, 2)}`,
    );
  }
  const value = {
    bucket: source,
    id: r.config.Id,
    location: r.location,
    dryRun: r.dryRun,
    configuration: { outcome: r.configOutcome, changes: r.configChanges, config: r.config },
    destinationPolicy:
      r.policy.outcome === 'skipped'
        ? { outcome: 'skipped', statement: r.policy.statement }
        : { outcome: r.policy.outcome, statement: r.policy.statement, policy: r.policy.document },
    destinationEncryption: enc ?? null,
    firstReportWithinHours: 48,
  };
  out.result(value, human(source, destination, r));
}

function human(source: string, destination: string, r: SetupInventoryResult): string {
  const lines = [`Inventory "${r.config.Id}" of ${source} -> ${r.location}`];
  const planned = r.dryRun && r.changed;
  const verb = (done: string, would: string) => (planned ? would : done);
  if (r.configOutcome === 'unchanged') lines.push('  configuration: already in place');
  else if (r.configOutcome === 'created')
    lines.push(`  configuration: ${verb('created', 'would be created')}`);
  else {
    lines.push(`  configuration: ${verb('updated', 'would be updated')} (other configurations are kept)`);
    for (const c of r.configChanges) {
      lines.push(`    - ${c.field}: ${c.before ?? '(none)'}`);
      lines.push(`    + ${c.field}: ${c.after ?? '(none)'}`);
    }
  }
  const p = r.policy;
  if (p.outcome === 'skipped') lines.push(`  bucket policy of ${destination}: not touched (another account)`);
  else if (p.outcome === 'unchanged')
    lines.push(`  bucket policy of ${destination}: statement ${p.statement.Sid} already in place`);
  else
    lines.push(
      `  bucket policy of ${destination}: statement ${p.statement.Sid} ${p.outcome === 'added' ? verb('added', 'would be added') : verb('updated', 'would be updated')} (other statements are kept)`,
    );
  if (r.dryRun) {
    lines.push('', 'PutBucketInventoryConfiguration:', JSON.stringify(r.config, null, 2));
    if (p.outcome !== 'skipped') {
      lines.push(
        '',
        `PutBucketPolicy on ${destination}${p.outcome === 'unchanged' ? ' (unchanged, not sent)' : ''}:`,
      );
      lines.push(JSON.stringify(p.document, null, 2));
    }
    lines.push(
      '',
      r.changed
        ? 'Dry run: nothing was changed. Run again without --dry-run to apply.'
        : 'Already in place: nothing to change.',
    );
    return lines.join('\n');
  }
  if (!r.changed) {
    lines.push('Already in place: nothing to change.');
  } else {
    lines.push(
      `Applied and read back. The first report can take up to 48 hours (then ${r.config.Schedule.Frequency === 'Weekly' ? 'every Sunday' : 'daily'}); it lands in ${r.location}<YYYY-MM-DDTHH-MMZ>/manifest.json.`,
    );
  }
  lines.push("Next: when the first manifest.json is there, run 's3-encrypt build-manifest'.");
  return lines.join('\n');
}
