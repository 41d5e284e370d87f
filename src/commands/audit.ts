import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { runAuditRequest } from '../core/audit/audit-request.js';
import { ROLE_NAME } from '../core/audit/inputs.js';
import { UsageError } from '../core/errors.js';
import { auditEvidence } from '../output/audit-evidence.js';
import { auditEvents, FORMATS, renderAudit } from '../output/audit-render.js';
import { renderEvidenceReport } from '../output/evidence-report.js';
import { printable } from '../output/format.js';
import { VERSION } from '../version.js';
import type { CommandContext, Runner } from './context.js';

const Options = z.object({
  kmsKey: schemas.kmsKey,
  bucketPrefix: z.string().min(1, 'give a prefix, or leave the flag out').optional(),
  buckets: z.string().min(1).optional(),
  accounts: z.string().min(1).optional(),
  roleName: z.string().regex(ROLE_NAME, 'an IAM role name is 1-64 letters, digits and +=,.@_-').optional(),
  sample: schemas.objects(1, 20, 1000).optional(),
  concurrency: schemas.concurrency().default(8),
  prices: z.string().min(1).optional(),
  format: z.enum(FORMATS, { error: `one of ${FORMATS.join(', ')}` }).default('table'),
  report: schemas.evidenceReport('audit.html'),
});

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
    .option('--concurrency <n>', 'buckets audited at once (default: 8)')
    .option('--prices <file>', "JSON price overrides for the cost estimates (as plan's --prices)")
    .option('--report <file.html>', 'also write a self-contained HTML evidence report (whatever the verdict)')
    .addOption(
      new Option('--format <format>', 'table, csv or md (--json: JSON lines) (default: table)').choices(
        FORMATS,
      ),
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

async function auditHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const out = ctx.out;
  if (opts.format !== 'table' && ctx.global.json)
    throw new UsageError(`--format ${opts.format} and --json`, 'give one of them', 'ConflictingOptions');
  const evidence = ctx.app.offline.evidence;
  const report = opts.report === undefined ? undefined : resolve(ctx.app.cwd, opts.report);
  const events = auditEvents(out, opts.format);
  const result = await runAuditRequest(
    {
      lists: ctx.app.offline.lists,
      // --report: the path is checked before the first request (exit 2, nothing created).
      checkOutputs: async () => {
        if (report !== undefined) await evidence.check(report);
      },
      connect: async () => {
        const svc = await ctx.app.services(ctx.global);
        return { directory: svc.audit, files: svc.files };
      },
    },
    {
      ...opts,
      profiles: ctx.global.profiles ?? [],
      profile: ctx.global.profile,
      toolVersion: VERSION,
      now: () => new Date(),
      signal: ctx.app.signal,
    },
    events,
  );
  const lines = renderAudit(out, opts.format, result);
  if (report !== undefined) {
    // Whatever the verdict; the page hashes the very lines --json prints.
    const page = renderEvidenceReport(auditEvidence(result, lines, out.json, events.warnings));
    out.say(printable(`Evidence report: ${await evidence.write(report, page)}`));
  }
  return result.summary.exitCode;
}
