import type { Env, GlobalConfig } from '../config/global.js';
import type { OfflineServices, Services, ServicesFactory } from '../deps.js';
import { UsageError } from '../core/errors.js';
import type { Output, Sink } from '../output/output.js';

/** What the process gives the program: streams, environment, the interrupt signal, the adapters. */
export interface AppContext {
  env: Env;
  stdout: Sink;
  stderr: Sink;
  /** Aborted on the first Ctrl-C: commands stop starting work, drain, and print their summary. */
  signal: AbortSignal;
  services: ServicesFactory;
  /** Local files only (offline inventory reads, manifest files): never loads the AWS SDK. */
  offline: OfflineServices;
  /** Current directory, for default file locations (state files, reports). */
  cwd: string;
}

/** What one command invocation works with. */
export interface CommandContext {
  app: AppContext;
  global: GlobalConfig;
  out: Output;
}

/**
 * Services for the bucket's own region. Without an explicit --region/AWS_REGION the bucket's
 * region is adopted; with one that differs, the user is told which region to use.
 */
export async function servicesForBucket(ctx: CommandContext, bucket: string): Promise<Services> {
  const first = await ctx.app.services(ctx.global);
  const region = await first.buckets.bucketRegion(bucket);
  if (region === ctx.global.region) return first;
  if (ctx.global.regionExplicit) {
    throw new UsageError(
      `bucket ${bucket} is in ${region}, not ${ctx.global.region}`,
      `pass --region ${region}`,
      'WrongRegion',
    );
  }
  ctx.out.debug(`bucket ${bucket} is in ${region}; using that region`);
  return await ctx.app.services({ ...ctx.global, region });
}

/** A command's work: parsed options in, exit code out. Errors are thrown and rendered by the one handler. */
export type Handler = (opts: Record<string, unknown>, ctx: CommandContext) => Promise<number>;

/** Turns a Handler into a commander action that builds the CommandContext and records the exit code. */
export type Runner = (handler: Handler) => (...args: unknown[]) => Promise<void>;
