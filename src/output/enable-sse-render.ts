/** enable-sse's words: the fields changed (- before, + after) and what the outcome means. */
import type { EnableSseResult } from '../core/encryption/enable-sse.js';
import type { Output } from './output.js';

/**
 * `keyChecked`: whether KMS confirmed the key (not so under --skip-key-check). The read-back proves
 * the setting, not that the store can encrypt under the key: a store may take a default it then
 * fails every write under (SeaweedFS with a full key ARN), so only a checked key earns "new objects
 * are now encrypted".
 */
export function renderEnableSse(out: Output, r: EnableSseResult, keyChecked: boolean): void {
  const s = out.style;
  const lines = [`Bucket ${r.bucket}: default encryption`];
  for (const c of r.changes) {
    lines.push(s.red(`  - ${c.field}: ${c.before ?? '(none)'}`));
    lines.push(s.green(`  + ${c.field}: ${c.after ?? '(none)'}`));
  }
  if (r.outcome === 'unchanged') lines.push(`Already in place (aws:kms, ${r.keyId}); nothing to change.`);
  if (r.outcome === 'planned')
    lines.push('Dry run: nothing was changed. Run again without --dry-run to apply.');
  if (r.outcome === 'applied')
    lines.push(
      keyChecked
        ? 'Applied and read back. New objects are now encrypted with this key; existing objects are not: run verify, then encrypt or the inventory pipeline.'
        : 'Applied and read back. The key was not checked (--skip-key-check): whether the store can encrypt under it is unknown until a write succeeds: write one object and HEAD it; existing objects are not encrypted: run verify, then encrypt or the inventory pipeline.',
    );
  out.result(
    {
      bucket: r.bucket,
      kmsKey: r.keyId,
      keyChecked,
      outcome: r.outcome,
      changes: r.changes,
      before: r.before ?? null,
      after: r.after ?? null,
    },
    lines.join('\n'),
  );
}
