import type { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { enableSse } from '../core/encryption/enable-sse.js';
import { ExitCode } from '../core/exit-codes.js';
import { renderEnableSse } from '../output/enable-sse-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { bucketKeyCommand, keyFlags, resolveKey } from './key-options.js';

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  bucketKey: z.boolean().default(true),
  dryRun: z.boolean().default(false),
});

export function enableSseCommand(run: Runner): Command {
  return bucketKeyCommand(
    'enable-sse',
    'set the bucket default encryption to SSE-KMS with your key and S3 Bucket Keys (keeps every other field)',
    'bucket to configure',
  )
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
}

async function enableSseHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const svc = await servicesForBucket(ctx, opts.bucket);
  const key = await resolveKey(ctx, svc, opts, svc.region);
  const result = await enableSse(svc.encryption, {
    bucket: opts.bucket,
    key,
    bucketKey: opts.bucketKey,
    dryRun: opts.dryRun,
    endpoint: svc.endpoint,
  });
  renderEnableSse(ctx.out, result, key.checked);
  return ExitCode.OK;
}
