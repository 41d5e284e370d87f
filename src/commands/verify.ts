import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { EncryptionClass } from '../core/encryption/classify.js';
import { UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { verifyLive } from '../core/verify/live-verify.js';
import { isOffender, Tally, type Verdict, type VerifySummary } from '../core/verify/tally.js';
import { formatCount, table } from '../output/format.js';
import type { Output } from '../output/output.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { addKeyOptions, resolveKey } from './key-options.js';

const Options = z.object({
  bucket: schemas.bucket,
  kmsKey: z.string(),
  skipKeyCheck: z.boolean().optional(),
  allowAwsManagedKey: z.boolean().optional(),
  live: z.boolean().default(false),
  prefix: schemas.prefix,
  allVersions: z.boolean().default(false),
  concurrency: schemas.concurrency.default(32),
  requireBucketKey: z.boolean().default(false),
  showOffenders: z.coerce.number().int().min(0, 'must be 0 or more').default(50),
});

export function verifyCommand(run: Runner): Command {
  const cmd = new Command('verify')
    .description('prove that every object is SSE-KMS under your key; exit 0 only when all are compliant')
    .requiredOption('--bucket <name>', 'bucket to check');
  addKeyOptions(cmd)
    .option('--live', 'list the bucket and HEAD every object now')
    .option('--prefix <prefix>', 'only objects under this key prefix')
    .option('--all-versions', 'check noncurrent versions too (ListObjectVersions)')
    .option('--concurrency <n>', 'HEAD requests in flight', '32')
    .option('--require-bucket-key', 'also flag SSE-KMS objects without an S3 Bucket Key')
    .option('--show-offenders <n>', 'offenders listed in human output (all of them with --json)', '50')
    .addHelpText(
      'after',
      `
Exit codes: 0 every object checked is compliant, 1 some are not, 2 bad input, 3 refused, 4 service error.

Examples:
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --require-bucket-key --all-versions
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --json > offenders.jsonl   # CI`,
    )
    .action(run(verifyHandler));
  return cmd;
}

export async function verifyHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  if (!opts.live) {
    throw new UsageError(
      'verify needs a source of objects',
      'pass --live to list and HEAD the bucket now',
      'MissingSource',
    );
  }
  const svc = await servicesForBucket(ctx, opts.bucket);
  const key = await resolveKey(ctx, svc, opts, svc.region);
  const out = ctx.out;
  out.say(
    `Checking s3://${opts.bucket}/${opts.prefix ?? ''} against ${key.id}${opts.allVersions ? ' (all versions)' : ''} ...`,
  );
  const tally = new Tally();
  let shown = 0;
  const started = Date.now();
  for await (const v of verifyLive(svc.objects, { ...opts, key, signal: ctx.app.signal })) {
    tally.add(v);
    if (isOffender(v)) {
      out.record({ key: v.key, versionId: v.versionId ?? null, class: v.class, isLatest: v.isLatest });
      if (!out.json && shown++ < opts.showOffenders) out.say(`  ${v.class.padEnd(22)} ${describe(v)}`);
    }
    const n = tally.summary().checked;
    if (n % 100 === 0)
      out.progress(
        `checked ${formatCount(n)} objects, ${Math.round(n / Math.max(0.001, (Date.now() - started) / 1000))}/s`,
      );
  }
  out.clearProgress();
  const summary = tally.summary();
  if (ctx.app.signal.aborted) {
    renderSummary(out, summary, opts.showOffenders, true);
    return ExitCode.INTERRUPTED;
  }
  renderSummary(out, summary, opts.showOffenders, false);
  return summary.offenders === 0 ? ExitCode.OK : ExitCode.NOT_COMPLIANT;
}

function describe(v: Verdict): string {
  return v.isLatest ? JSON.stringify(v.key) : `${JSON.stringify(v.key)} version ${v.versionId ?? 'null'} (noncurrent)`;
}

function renderSummary(out: Output, s: VerifySummary, shownLimit: number, interrupted: boolean): void {
  out.record({ summary: { checked: s.checked, compliant: s.compliant, byClass: s.byClass, interrupted } });
  if (out.json) return;
  if (s.offenders > shownLimit)
    out.say(`  ... and ${formatCount(s.offenders - shownLimit)} more (--json lists every one)`);
  const rows = [['class', 'objects']];
  for (const [cls, n] of Object.entries(s.byClass))
    if (n > 0 || cls === EncryptionClass.COMPLIANT) rows.push([cls, formatCount(n)]);
  out.say('');
  out.say(table(rows));
  const verdict = interrupted
    ? out.style.yellow(`INTERRUPTED after ${formatCount(s.checked)} objects`)
    : s.offenders === 0
      ? out.style.green(
          `COMPLIANT: all ${formatCount(s.checked)} objects checked are SSE-KMS under the target key`,
        )
      : out.style.red(
          `NOT COMPLIANT: ${formatCount(s.offenders)} of ${formatCount(s.checked)} objects need work`,
        );
  out.say(verdict);
}
