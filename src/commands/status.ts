import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas, typedNumber } from '../config/global.js';
import { followJob, retryTarget, waitUnlessAborted } from '../core/batch/follow-job.js';
import { ExitCode } from '../core/exit-codes.js';
import { pollRenderer, renderJobStatus } from '../output/status-render.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';

const Options = z.object({
  jobId: z
    .string({ error: 'required: the id create-job printed' })
    .regex(/^[A-Za-z0-9_-]{5,36}$/, 'a Batch job id is 5-36 letters, digits, hyphens and underscores'),
  bucket: schemas.bucket.optional(),
  watch: z.boolean().default(false),
  interval: typedNumber(
    z
      .number({ error: 'give seconds, e.g. 15' })
      .min(1, 'must be at least 1 second')
      .max(3600, 'must be at most 3600'),
  ).default(15),
  retryManifest: z.string().optional(),
});

export function statusCommand(run: Runner): Command {
  return new Command('status')
    .description(
      "show a Batch job's progress; once it ends, count failures by error code from its completion report and write a retry manifest",
    )
    .requiredOption('--job-id <id>', 'the job id create-job printed')
    .option('--bucket <name>', "use this bucket's region (default: --region / AWS_REGION)")
    .option('--watch', 'poll until the job ends')
    .option('--interval <seconds>', 'seconds between polls with --watch (default: 15)')
    .option(
      '--retry-manifest <file|s3://...>',
      'write the failed tasks as a Batch CSV manifest (S3 uploads use SSE-S3 and print the ETag)',
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 the job is Complete with no failed task; 1 tasks failed, the job Failed or was
Cancelled, or it has not finished yet; 2 bad input or unknown job; 3 refused; 4 service error.

Examples:
  $ s3-encrypt status --job-id 6f0d2c7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f --region eu-west-1
  $ s3-encrypt status --job-id 6f0d2c7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f --bucket my-bucket --watch
  $ s3-encrypt status --job-id 6f0d2c7e-1b2a-4c3d-9e8f-0a1b2c3d4e5f --retry-manifest s3://my-reports/retry/`,
    )
    .action(run(statusHandler));
}

async function statusHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const retryRef =
    opts.retryManifest !== undefined ? retryTarget(opts.retryManifest, opts.jobId, ctx.app.cwd) : undefined;
  // A local path that cannot be written is refused now, not after watching the job.
  if (retryRef?.kind === 'file')
    await ctx.app.offline.paths.outputFile(resolve(ctx.app.cwd, retryRef.path), '--retry-manifest');
  const svc = opts.bucket ? await servicesForBucket(ctx, opts.bucket) : await ctx.app.services(ctx.global);
  const out = ctx.out;
  const result = await followJob(
    {
      account: svc.account,
      batchJobs: svc.batchJobs,
      batchFiles: svc.batchFiles,
      encryption: svc.encryption,
      md5Hex: ctx.app.offline.digests.md5Hex,
      wait: waitUnlessAborted,
    },
    {
      jobId: opts.jobId,
      watch: opts.watch,
      intervalSeconds: opts.interval,
      retryRef,
      signal: ctx.app.signal,
    },
    { polled: pollRenderer(out, opts.watch), watchEnded: () => out.clearProgress() },
  );
  if (result.interrupted) {
    // The job as last seen: --json still gets its one document (the job has not ended: no report).
    renderJobStatus(out, svc.region, { interrupted: false, job: result.job, succeeded: false }, false);
    out.say(`Stopped watching job ${result.job.jobId} (${result.job.status}); the job keeps running.`);
    return ExitCode.INTERRUPTED;
  }
  renderJobStatus(out, svc.region, result, opts.retryManifest !== undefined);
  return result.succeeded ? ExitCode.OK : ExitCode.NOT_COMPLIANT;
}
