import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { enableSse, type EnableSseResult } from '../core/encryption/enable-sse.js';
import { PreconditionError, ServiceError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Output } from '../output/output.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { addKeyOptions, keyFlags, resolveKey } from './key-options.js';

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  bucketKey: z.boolean().default(true),
  dryRun: z.boolean().default(false),
});

export function enableSseCommand(run: Runner): Command {
  const cmd = new Command('enable-sse')
    .description(
      'set the bucket default encryption to SSE-KMS with your key and S3 Bucket Keys (keeps every other field)',
    )
    .requiredOption('--bucket <name>', 'bucket to configure');
  addKeyOptions(cmd)
    .option('--no-bucket-key', 'do not enable S3 Bucket Keys (every object then costs KMS requests)')
    .option('--dry-run', 'print the change and write nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ s3-encrypt enable-sse --bucket my-bucket --kms-key alias/my-app --dry-run
  $ s3-encrypt enable-sse --bucket my-bucket --kms-key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...
  $ s3-encrypt enable-sse --bucket my-bucket --kms-key alias/my-app --json`,
    )
    .action(run(enableSseHandler));
  return cmd;
}

export async function enableSseHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const svc = await servicesForBucket(ctx, opts.bucket);
  const key = await resolveKey(ctx, svc, opts, svc.region);
  let result: EnableSseResult;
  try {
    result = await enableSse(svc.encryption, {
      bucket: opts.bucket,
      key,
      bucketKey: opts.bucketKey,
      dryRun: opts.dryRun,
    });
  } catch (err) {
    if (
      err instanceof ServiceError &&
      ['InvalidArgument', 'NotImplemented', 'MethodNotAllowed'].includes(err.code) &&
      svc.endpoint
    ) {
      throw new PreconditionError(
        'DefaultEncryptionUnsupported',
        `the store at ${svc.endpoint} does not support bucket default encryption (PutBucketEncryption: ${err.code})`,
        "send SSE-KMS headers on every write and use 's3-encrypt encrypt' to re-encrypt existing objects",
        { cause: err },
      );
    }
    throw err;
  }
  render(ctx.out, result, key.checked);
  return ExitCode.OK;
}

/**
 * `keyChecked`: whether KMS confirmed the key (not so under --skip-key-check). The read-back proves
 * the setting, not that the store can encrypt under the key: a store may take a default it then
 * fails every write under (SeaweedFS with a full key ARN), so only a checked key earns "new objects
 * are now encrypted".
 */
function render(out: Output, r: EnableSseResult, keyChecked: boolean): void {
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
