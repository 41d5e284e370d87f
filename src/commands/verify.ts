import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { EncryptionClass } from '../core/encryption/classify.js';
import { UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { configPrefix, parseInventoryUrl } from '../core/inventory/location.js';
import type { DeliveryReader } from '../core/inventory/ports.js';
import { openInventory } from '../core/inventory/scan.js';
import {
  outOfDateReason,
  stalenessWarnings,
  verifyInventory,
  type InventoryVerifyResult,
} from '../core/inventory/verify-inventory.js';
import { verifyLive } from '../core/verify/live-verify.js';
import {
  isProvenCompliant,
  isReported,
  Tally,
  type Verdict,
  type VerifySummary,
} from '../core/verify/tally.js';
import { formatBytes, formatCount, printable, quoted, table } from '../output/format.js';
import type { Output } from '../output/output.js';
import { inventoryProgress, LiveProgress } from '../output/live-progress.js';
import { CountAhead, listingTotal } from '../core/concurrency/count-ahead.js';
import { checkInventorySource, inventorySourceSchemas } from './inventory-source.js';
import { verifyOutcome, type VerifyOutcome } from './verify-outcome.js';
import { VerifyReport } from './verify-report.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { addKeyOptions, keyFlags, offlineKey, resolveKey } from './key-options.js';

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  live: z.boolean().default(false),
  ...inventorySourceSchemas,
  since: z
    .string()
    .refine(
      (v) => !Number.isNaN(Date.parse(v)),
      'give an ISO date or time, e.g. 2026-05-03 or 2026-05-03T12:00Z',
    )
    .optional(),
  prefix: schemas.prefix,
  allVersions: z.boolean().default(false),
  concurrency: schemas.concurrency.optional(),
  requireBucketKey: z.boolean().default(false),
  showOffenders: z.coerce.number().int().min(0, 'must be 0 or more').default(50),
  allowEmpty: z.boolean().default(false),
  maxAge: z.coerce
    .number({ error: 'give hours, e.g. 48' })
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1')
    .max(87600, 'must be at most 87600 (10 years)')
    .default(48),
  report: schemas.evidenceReport('verify.html'),
});

export function verifyCommand(run: Runner): Command {
  const cmd = new Command('verify')
    .description('prove that every object is SSE-KMS under your key; exit 0 only when all are compliant')
    .requiredOption('--bucket <name>', 'bucket to check');
  addKeyOptions(cmd)
    .option('--live', 'list the bucket and HEAD every object now')
    .option('--inventory <s3://DEST/PREFIX>', 'read the newest S3 Inventory delivery instead (with --id)')
    .option('--id <id>', 'inventory configuration id (with --inventory)')
    .option('--date <latest|YYYY-MM-DD>', 'with --inventory: which delivery', 'latest')
    .option('--from-dir <dir>', 'read a delivery copied to disk instead (no AWS access)')
    .option(
      '--max-age <hours>',
      'with --inventory and --date latest: a newest delivery older than this proves nothing (exit 1): deliveries may have stopped (default: 48, a daily inventory and a day of grace; 192 for a weekly one)',
    )
    .option(
      '--since <time>',
      'with --inventory: warn if the delivery began before this time (your last encryption change)',
    )
    .option('--prefix <prefix>', 'only objects under this key prefix')
    .option('--all-versions', 'check noncurrent versions too (ListObjectVersions)')
    .option(
      '--concurrency <n>',
      'HEAD requests in flight (--live, default 32) or data files read at once (--inventory, default 4)',
    )
    .option('--require-bucket-key', 'also flag SSE-KMS objects without an S3 Bucket Key')
    .option('--show-offenders <n>', 'offenders listed in human output (all of them with --json)', '50')
    .option('--allow-empty', 'exit 0 when no object matches (an empty bucket or prefix is expected)')
    .option(
      '--report <file.html>',
      'also write a self-contained HTML evidence report (whatever the verdict; lists the first --show-offenders, at most 1,000)',
    )
    .addHelpText(
      'after',
      `
With --inventory, an object is compliant when the inventory says SSE-KMS with an S3 Bucket Key (it
cannot say which key); noncurrent unencrypted versions are a warning unless --all-versions.

Exit 0 means: every listed object was seen SSE-KMS under the key (or proved deleted meanwhile),
and at least one object was examined (or --allow-empty). An object the store answered about
without proof (a bare 404/400/403, a 5xx after retries) is "unverified" and fails the run.

Exit codes: 0 proven compliant, 1 some objects need work or could not be verified, or none
matched, 2 bad input, 3 refused (rejected or expired credentials, no inventory delivery yet / a
damaged one), 4 service error, 130 interrupted.

Examples:
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --require-bucket-key --all-versions
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --json > offenders.jsonl   # CI
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --live --json --report evidence.html > records.jsonl
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --inventory s3://my-inventory/inv --id s3-encrypt
  $ s3-encrypt verify --bucket my-bucket --kms-key alias/my-app --inventory s3://my-inventory/inv --id s3-encrypt --all-versions --since 2026-05-03T12:00Z`,
    )
    .action(run(verifyHandler));
  return cmd;
}

export async function verifyHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  const fromInventory = opts.inventory !== undefined || opts.fromDir !== undefined;
  if (opts.live && fromInventory)
    throw new UsageError(
      '--live and --inventory/--from-dir are two different sources',
      'give only one: --live lists the bucket now, --inventory reads the newest inventory delivery',
      'ConflictingOptions',
    );
  if (!opts.live && !fromInventory) {
    throw new UsageError(
      'verify needs a source of objects',
      'pass --live to list and HEAD the bucket now, or --inventory s3://DEST/PREFIX --id ID to read the newest inventory delivery',
      'MissingSource',
    );
  }
  if (fromInventory) return verifyFromInventory(opts, ctx);
  if (opts.since !== undefined)
    throw new UsageError(
      '--since applies to --inventory',
      'drop --since: --live checks the bucket as it is now',
      'ConflictingOptions',
    );
  const concurrency = opts.concurrency ?? 32;
  const report = await VerifyReport.start(ctx, opts.report, opts.showOffenders);
  const svc = await servicesForBucket(ctx, opts.bucket);
  const key = await resolveKey(ctx, svc, opts, svc.region);
  await report?.identify(svc.caller);
  const out = ctx.out;
  out.say(
    printable(
      `Checking s3://${opts.bucket}/${opts.prefix ?? ''} against ${key.id}${opts.allVersions ? ' (all versions)' : ''} ...`,
    ),
  );
  const tally = new Tally();
  let shown = 0;
  // The same listing walked ahead, counting only, gives the progress line its total (terminals only).
  const ahead = out.interactive
    ? new CountAhead(
        svc.objects.list(opts.bucket, { prefix: opts.prefix, allVersions: opts.allVersions }),
        (o) => !(o as { isDeleteMarker?: boolean }).isDeleteMarker,
      )
    : undefined;
  const live = new LiveProgress(out, () => ({
    done: tally.checked,
    ...listingTotal(tally.checked, ahead),
    unit: 'objects',
    extras: [`${formatCount(tally.summary().offenders)} need work`],
  })).start();
  try {
    for await (const v of verifyLive(svc.objects, { ...opts, concurrency, key, signal: ctx.app.signal })) {
      tally.add(v);
      if (isReported(v)) {
        out.record(verdictRecord(v));
        if (!out.json && shown++ < opts.showOffenders) out.say(`  ${v.class.padEnd(22)} ${describe(v)}`);
      }
    }
  } finally {
    ahead?.stop();
    live.stop();
  }
  const summary = tally.summary();
  const interrupted = ctx.app.signal.aborted;
  const what = `s3://${opts.bucket}/${opts.prefix ?? ''}`;
  const outcome = renderSummary(out, summary, opts, interrupted, {
    compliant: 'objects seen are SSE-KMS under the target key',
    empty: `no object listed under ${what}`,
  });
  const code = verifyExit(summary, interrupted, opts.allowEmpty);
  await report?.write({
    ...opts,
    source: `live: every object listed (ListObject${opts.allVersions ? 'Versions' : 'sV2'}) and read back (HeadObject)`,
    key,
    outcome,
    exitCode: code,
  });
  return code;
}

/** The exit-0 rule, the same for --live and --inventory (README: "What exit 0 means"). */
function verifyExit(s: VerifySummary, interrupted: boolean, allowEmpty: boolean): number {
  if (interrupted) return ExitCode.INTERRUPTED;
  return isProvenCompliant(s, { allowEmpty }) ? ExitCode.OK : ExitCode.NOT_COMPLIANT;
}

function verdictRecord(v: Verdict): Record<string, unknown> {
  return {
    key: v.key,
    versionId: v.versionId ?? null,
    class: v.class,
    isLatest: v.isLatest,
    ...(v.reason !== undefined ? { reason: v.reason } : {}),
  };
}

function describe(v: Verdict): string {
  const what = v.isLatest ? quoted(v.key) : `${quoted(v.key)} version ${v.versionId ?? 'null'} (noncurrent)`;
  return v.reason !== undefined ? `${what}: ${printable(v.reason)}` : what;
}

function summaryRecord(s: VerifySummary, interrupted: boolean): Record<string, unknown> {
  return {
    checked: s.checked,
    compliant: s.compliant,
    needWork: s.offenders,
    vanished: s.vanished,
    unverified: s.unverified,
    byClass: s.byClass,
    bytesByClass: s.bytesByClass,
    interrupted,
  };
}

/** The table and the one headline; it names what was proved, never more. */
function renderSummary(
  out: Output,
  s: VerifySummary,
  opts: Pick<Options, 'showOffenders' | 'allowEmpty'>,
  interrupted: boolean,
  words: { compliant: string; empty: string; note?: string | undefined; outOfDate?: string | undefined },
  extra: Record<string, unknown> = {},
): VerifyOutcome {
  out.record({ summary: { ...summaryRecord(s, interrupted), ...extra } });
  const o = verifyOutcome(s, interrupted, opts.allowEmpty, words);
  if (out.json) return o;
  const listed = s.offenders + s.unverified;
  if (listed > opts.showOffenders)
    out.say(`  ... and ${formatCount(listed - opts.showOffenders)} more (--json lists every one)`);
  const rows = [['class', 'objects']];
  for (const [cls, n] of Object.entries(s.byClass))
    if (n > 0 || cls === EncryptionClass.COMPLIANT) rows.push([cls, formatCount(n)]);
  out.say('');
  out.say(table(rows));
  if (words.note !== undefined) out.say(words.note);
  out.say(o.tone === 'plain' ? o.text : out.style[o.tone](o.text));
  return o;
}

type Options = z.infer<typeof Options>;

async function verifyFromInventory(opts: Options, ctx: CommandContext): Promise<number> {
  checkInventorySource(opts);
  const out = ctx.out;
  const offline = opts.fromDir !== undefined;
  const report = await VerifyReport.start(ctx, opts.report, opts.showOffenders);
  const svc = offline ? undefined : await servicesForBucket(ctx, opts.bucket);
  // The inventory cannot name the key; the key is still checked so a typo fails here, not later.
  const key = svc ? await resolveKey(ctx, svc, opts, svc.region) : offlineKey(opts);
  if (svc) await report?.identify(svc.caller);
  const inv = opts.inventory !== undefined ? parseInventoryUrl(opts.inventory, '--inventory') : undefined;
  const loc = inv && opts.id !== undefined ? { ...inv, sourceBucket: opts.bucket, id: opts.id } : undefined;
  const reader: DeliveryReader =
    loc && svc
      ? svc.inventory.s3Delivery(loc, 'local')
      : ctx.app.offline.inventory.dirDelivery(opts.fromDir ?? '');
  const delivery = await openInventory(reader, opts.date, opts.bucket);
  let lastManifestWrite: Date | undefined;
  if (loc && svc && opts.since === undefined) {
    try {
      lastManifestWrite = await svc.inventory.clock.newestUnder(
        loc.bucket,
        `${configPrefix(loc)}/s3-encrypt/`,
      );
    } catch (err) {
      out.debug(
        `cannot list earlier build-manifest output (${(err as Error).message}); staleness is judged by age only`,
      );
    }
  }
  const warnings = [
    ...delivery.warnings,
    ...stalenessWarnings({
      folder: delivery.folder,
      now: new Date(),
      since: opts.since !== undefined ? new Date(opts.since) : undefined,
      lastManifestWrite,
    }),
  ];
  for (const w of warnings) out.warn(w);
  out.say(
    printable(
      `Checking s3://${opts.bucket}/${opts.prefix ?? ''} in inventory delivery ${delivery.folder} (${delivery.opened.manifestLocation})${opts.allVersions ? ', all versions' : ''} ...`,
    ),
  );
  let shown = 0;
  const progress = inventoryProgress(out);
  progress.live.start();
  const result = await verifyInventory(
    delivery,
    {
      bucket: opts.bucket,
      date: opts.date,
      prefix: opts.prefix,
      allVersions: opts.allVersions,
      concurrency: opts.concurrency ?? 4,
      signal: ctx.app.signal,
      onProgress: progress.onProgress,
    },
    (v) => {
      out.record(verdictRecord(v));
      if (!out.json && shown++ < opts.showOffenders) out.say(`  ${v.class.padEnd(22)} ${describe(v)}`);
    },
  ).finally(() => progress.live.stop());
  // Proof of work needed stands however old the delivery; an explicit --date asks about that
  // delivery only.
  const outOfDate =
    opts.date === 'latest' ? outOfDateReason(delivery.folder, opts.maxAge, new Date()) : undefined;
  const outcome = renderInventorySummary(
    out,
    result,
    key.id,
    opts,
    warnings.length > delivery.warnings.length,
    outOfDate,
  );
  // With --all-versions, noncurrent versions are in the tally: their offenders fail the run too.
  const exit = verifyExit(result.summary, result.interrupted, opts.allowEmpty);
  const code = outOfDate !== undefined && exit === ExitCode.OK ? ExitCode.NOT_COMPLIANT : exit;
  await report?.write({
    ...opts,
    source: `inventory delivery ${result.delivery.date} (${result.delivery.manifest})${offline ? `, read from ${opts.fromDir}` : ''}`,
    key,
    outcome,
    exitCode: code,
    notes: [INVENTORY_NOTE(key.id)],
  });
  return code;
}

/** What an inventory can and cannot prove, in the terminal (when something is compliant) and in the report. */
const INVENTORY_NOTE = (keyId: string): string =>
  `"compliant" = SSE-KMS with an S3 Bucket Key; the inventory cannot tell the key (verify --live checks it is ${keyId}).`;

function renderInventorySummary(
  out: Output,
  r: InventoryVerifyResult,
  keyId: string,
  opts: Options,
  stale: boolean,
  outOfDate: string | undefined,
): VerifyOutcome {
  const s = r.summary;
  const nc = r.noncurrent.unencrypted;
  if (nc.objects > 0 && !opts.allVersions)
    out.warn(
      `${formatCount(nc.objects)} noncurrent versions are not encrypted (${formatBytes(nc.bytes)}): pass --all-versions to fail on them; re-encrypting current objects leaves them as they are`,
    );
  if (!r.listsVersions && opts.allVersions)
    out.warn('the inventory lists current versions only: --all-versions cannot check noncurrent versions');
  return renderSummary(
    out,
    s,
    opts,
    r.interrupted,
    {
      compliant: `objects in delivery ${r.delivery.date} are SSE-KMS with an S3 Bucket Key`,
      empty: `delivery ${r.delivery.date} lists no object of s3://${opts.bucket}/${opts.prefix ?? ''}`,
      note: s.compliant > 0 ? INVENTORY_NOTE(keyId) : undefined,
      outOfDate,
    },
    {
      source: 'inventory',
      delivery: { manifest: r.delivery.manifest, date: r.delivery.date },
      noncurrent: { versions: r.noncurrent.versions, unencrypted: r.noncurrent.unencrypted.objects },
      stale,
      outOfDate: outOfDate ?? null,
    },
  );
}
