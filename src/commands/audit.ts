import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { accountIds, bucketNames, ROLE_NAME } from '../core/audit/inputs.js';
import { AuditRecord, AuditSummary } from '../core/audit/records.js';
import { runAudit, type AccountSource } from '../core/audit/run-audit.js';
import { applyPriceOverrides, DEFAULT_PRICES } from '../core/cost/prices.js';
import { UsageError } from '../core/errors.js';
import { parseKeyRef } from '../core/kms/key.js';
import { FORMATS, renderCsv, renderMarkdown, renderTable } from '../output/audit-render.js';
import { LiveProgress } from '../output/live-progress.js';
import type { Services } from '../deps.js';
import { VERSION } from '../version.js';
import { checkAuditReport, writeAuditReport } from './audit-report.js';
import type { CommandContext, Runner } from './context.js';

const Options = z.object({
  kmsKey: z.string(),
  bucketPrefix: z.string().min(1, 'give a prefix, or leave the flag out').optional(),
  buckets: z.string().min(1).optional(),
  accounts: z.string().min(1).optional(),
  roleName: z.string().regex(ROLE_NAME, 'an IAM role name is 1-64 letters, digits and +=,.@_-').optional(),
  sample: z.coerce
    .number({ error: 'must be a number of objects' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .optional(),
  concurrency: schemas.concurrency.default(8),
  prices: z.string().min(1).optional(),
  format: z.enum(FORMATS, { error: `one of ${FORMATS.join(', ')}` }).default('table'),
  report: schemas.evidenceReport('audit.html'),
});
type Options = z.infer<typeof Options>;

export function auditCommand(run: Runner): Command {
  return new Command('audit')
    .description(
      'read-only: which buckets, in which accounts, hold objects not under your key, how many, and what fixing them costs',
    )
    .requiredOption(
      '--kms-key <key>',
      'the target key: an ARN, or an alias/key id resolved in each account and region',
    )
    .option('--bucket-prefix <prefix>', 'only buckets whose name starts with this')
    .option('--buckets <file>', 'only the buckets named in this file, one a line (# comments)')
    .option(
      '--accounts <file|org>',
      'with --role-name: account ids in a file (one a line), or "org" for AWS Organizations ListAccounts',
    )
    .option(
      '--role-name <name>',
      'with --accounts: the role to assume in each account (arn:aws:iam::ACCOUNT:role/NAME)',
    )
    .option(
      '--sample <n>',
      'buckets without an inventory delivery: HEAD the first N objects (marked SAMPLE; never proves compliance)',
    )
    .option('--concurrency <n>', 'buckets audited at once', '8')
    .option('--prices <file>', "JSON price overrides for the cost estimates (as plan's --prices)")
    .option('--report <file.html>', 'also write a self-contained HTML evidence report (whatever the verdict)')
    .addOption(
      new Option('--format <format>', 'table, csv or md (--json: JSON lines)')
        .choices(FORMATS)
        .default('table'),
    )
    .addHelpText(
      'after',
      `
Read-only, always: audit writes nothing (so it has no --dry-run). Every bucket ListBuckets shows
(all regions), in the account of the credentials, of each --profile (repeat it), or of every
account in --accounts via --role-name. Per bucket: region, default encryption, versioning, Object
Lock, whether an inventory with EncryptionStatus and BucketKeyStatus exists, the object counts by
encryption class from its newest delivery, a verdict, the next command, and plan's cost estimate
when it needs work. compliant = default SSE-KMS under the key with Bucket Keys AND every current
object of the newest inventory delivery SSE-KMS with a Bucket Key (a delivery more than a day past
its Daily/Weekly schedule proves nothing: deliveries may have stopped); without a delivery the objects
are unknown (a --sample can show work, never prove compliance). A bucket that may not be read is
a row naming the denied permission.

Exit codes: 0 every bucket compliant, 1 any bucket needs work or is unknown (or none matched),
2 bad input, 3 refused (credentials, Organizations), 4 service error, 130 interrupted.

Examples:
  $ s3-encrypt audit --kms-key alias/my-app
  $ s3-encrypt audit --kms-key alias/my-app --bucket-prefix prod- --sample 100
  $ s3-encrypt --profile prod --profile staging audit --kms-key alias/my-app --format csv > audit.csv
  $ s3-encrypt audit --kms-key alias/my-app --role-name S3EncryptAudit --accounts org --json > audit.jsonl
  $ s3-encrypt audit --kms-key alias/my-app --role-name S3EncryptAudit --accounts accounts.txt --format md
  $ s3-encrypt audit --kms-key alias/my-app --json --report audit.html > audit.jsonl`,
    )
    .action(run(auditHandler));
}

export async function auditHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const kmsKey = parseKeyRef(opts.kmsKey);
  const profiles = ctx.global.profiles ?? [];
  if (opts.roleName !== undefined && opts.accounts === undefined)
    throw new UsageError(
      '--role-name needs --accounts',
      'name the accounts: --accounts FILE (one id a line) or --accounts org',
      'MissingOption',
    );
  if (opts.accounts !== undefined && opts.roleName === undefined)
    throw new UsageError(
      '--accounts needs --role-name',
      'name the role to assume in each account: --role-name NAME',
      'MissingOption',
    );
  if (opts.roleName !== undefined && profiles.length > 1)
    throw new UsageError(
      'several --profile with --role-name',
      'give one --profile (the credentials that assume the role), or drop --role-name to audit each profile',
      'ConflictingOptions',
    );
  if (opts.format !== 'table' && ctx.global.json)
    throw new UsageError(`--format ${opts.format} and --json`, 'give one of them', 'ConflictingOptions');
  // Files first: bad input stops the run before the first request.
  const lists = ctx.app.offline.lists;
  const accounts =
    opts.accounts === undefined || opts.accounts === 'org'
      ? opts.accounts
      : accountIds(await lists.readLines(opts.accounts, '--accounts'), opts.accounts);
  const buckets = opts.buckets
    ? bucketNames(await lists.readLines(opts.buckets, '--buckets'), opts.buckets)
    : undefined;
  const report = await checkAuditReport(ctx, opts.report);
  const svc = await ctx.app.services(ctx.global);
  const prices = opts.prices
    ? applyPriceOverrides(DEFAULT_PRICES, await svc.files.readJson(opts.prices, '--prices'), opts.prices)
    : DEFAULT_PRICES;
  const source: AccountSource =
    opts.roleName !== undefined && accounts !== undefined
      ? { kind: 'roles', profile: ctx.global.profile, roleName: opts.roleName, accounts }
      : { kind: 'profiles', profiles: profiles.length > 0 ? profiles : [ctx.global.profile] };
  return audit(ctx, opts, { kmsKey, source, buckets, prices, svc, report });
}

async function audit(
  ctx: CommandContext,
  opts: Options,
  a: {
    kmsKey: string;
    source: AccountSource;
    buckets: string[] | undefined;
    prices: typeof DEFAULT_PRICES;
    svc: Services;
    report: string | undefined;
  },
): Promise<number> {
  const out = ctx.out;
  const warnings: string[] = [];
  out.observe({ warn: (text) => warnings.push(text) });
  // CSV and Markdown are the whole of stdout: no heading line before them.
  if (opts.format === 'table') out.say(`Auditing buckets against ${a.kmsKey} (read-only) ...`);
  let total: number | undefined;
  let done = 0;
  let needWork = 0;
  const live = new LiveProgress(out, () => ({
    done,
    total,
    unit: 'buckets',
    extras: [`${needWork} need work`],
  })).start();
  let result;
  try {
    result = await runAudit(a.svc.audit, {
      kmsKey: a.kmsKey,
      accounts: a.source,
      buckets: a.buckets,
      bucketPrefix: opts.bucketPrefix,
      sample: opts.sample,
      concurrency: opts.concurrency,
      prices: a.prices,
      toolVersion: VERSION,
      now: () => new Date(),
      signal: ctx.app.signal,
      onTotal: (n) => (total = n),
      onRecord: (r) => {
        if (r.type === 'bucket') done++;
        if (r.verdict === 'needs-work') needWork++;
        // The bar moves as each bucket ends, not up to 250 ms later (or never, on a quick run).
        live.draw();
      },
    });
  } finally {
    live.stop();
  }
  const { records, summary } = result;
  for (const s of summary.skippedAccounts) out.warn(`account ${s.account} is ${s.status}: not audited`);
  // Checked against the schemas the report and other readers rely on: a drift is a bug here, not
  // there. The report hashes these very lines, as --json prints them.
  const checked = [...records.map((r) => AuditRecord.parse(r)), AuditSummary.parse(summary)];
  if (out.json) {
    for (const r of checked) out.record(r);
  } else if (opts.format === 'csv') out.say(renderCsv(records));
  else if (opts.format === 'md') out.say(renderMarkdown(records, summary));
  else out.say(renderTable(records, summary));
  if (summary.buckets === 0) out.warn('no bucket matched: nothing was proved compliant (exit 1)');
  if (a.report) {
    const lines = checked.map((r) => `${JSON.stringify(r)}\n`);
    await writeAuditReport(ctx, a.report, result, lines, out.json, warnings);
  }
  return summary.exitCode;
}
