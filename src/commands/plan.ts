import { Command } from 'commander';
import { z } from 'zod';
import { parseOptions, schemas } from '../config/global.js';
import { applyPriceOverrides, DEFAULT_PRICES, type PriceTable } from '../core/cost/prices.js';
import { costRows } from '../core/cost/table.js';
import { workloadFromGroups, workloadFromSummary } from '../core/cost/workload.js';
import { S3EncryptError, UsageError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { analyzeInventory } from '../core/inventory/analyze.js';
import { INVENTORY_ID, parseInventoryUrl } from '../core/inventory/location.js';
import { checkSummary, type CountBytes, type Summary } from '../core/inventory/summary.js';
import { parseKeyRef, regionOfArn } from '../core/kms/key.js';
import { readFact, warn, type Check } from '../core/plan/check.js';
import {
  runPlan,
  type InventoryInput,
  type KeyFacts,
  type ObjectCounts,
  type PlanResult,
} from '../core/plan/run-plan.js';
import { DEFAULT_ROLE_NAME } from '../core/policy/documents.js';
import type { Services } from '../deps.js';
import { formatBytes, formatCount, table } from '../output/format.js';
import type { Output } from '../output/output.js';
import { inventoryProgress } from '../output/live-progress.js';
import { servicesForBucket, type CommandContext, type Runner } from './context.js';
import { addKeyOptions, keyFlags } from './key-options.js';

const count = (what: string) =>
  z.coerce
    .number({ error: `must be a number of ${what}` })
    .int('must be a whole number')
    .min(0, 'must be 0 or more');

const Options = z.object({
  bucket: schemas.bucket,
  ...keyFlags,
  inventory: z.string().optional(),
  id: z
    .string()
    .regex(INVENTORY_ID, 'an inventory configuration id is 1-64 letters, digits, ".", "-" or "_"')
    .optional(),
  summary: z.string().min(1).optional(),
  prices: z.string().min(1).optional(),
  aclSample: count('objects').default(100),
  maxList: count('objects').default(100_000),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
    .optional(),
  roleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name is 1-64 letters, digits and +=,.@_-')
    .default(DEFAULT_ROLE_NAME),
});
type Options = z.infer<typeof Options>;

export function planCommand(run: Runner): Command {
  const cmd = new Command('plan')
    .description(
      'read-only preflight: PASS/WARN/FAIL checklist, object counts, cost estimate and the next commands',
    )
    .requiredOption('--bucket <name>', 'bucket to migrate');
  addKeyOptions(cmd)
    .option('--inventory <s3://DEST/PREFIX>', 'count objects from the latest inventory delivery (with --id)')
    .option('--id <id>', 'inventory configuration id (with --inventory)')
    .option('--summary <file>', "count objects from build-manifest's summary.json instead")
    .option(
      '--prices <file>',
      'JSON price overrides: {"region":..., "takenOn":..., "prices":{"putRequest":0.0054, ...}}',
    )
    .option('--acl-sample <n>', 'objects whose ACL is read when ACLs are enabled', '100')
    .option('--max-list <n>', 'without an inventory: list at most this many objects for the counts', '100000')
    .option('--account-id <id>', "the bucket owner's account (default: STS GetCallerIdentity)")
    .option('--role-name <name>', 'Batch role name used in the next commands', DEFAULT_ROLE_NAME)
    .addHelpText(
      'after',
      `
Writes nothing. Exit codes: 0 no FAIL (WARN lines are advice), 3 at least one FAIL, 2 bad input.
Without --inventory/--summary the counts come from a live listing (partial beyond --max-list), and
every listed object is priced as a copy (an upper bound: encryption is unknown without an inventory).

Examples:
  $ s3-encrypt plan --bucket my-bucket --kms-key alias/my-app
  $ s3-encrypt plan --bucket my-bucket --kms-key alias/my-app --inventory s3://my-inventory/inv --id s3-encrypt
  $ s3-encrypt plan --bucket my-bucket --kms-key alias/my-app --prices eu-prices.json --json > plan.json`,
    )
    .action(run(planHandler));
  return cmd;
}

export async function planHandler(raw: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const opts = parseOptions(Options, raw);
  if ((opts.inventory === undefined) !== (opts.id === undefined))
    throw new UsageError(
      opts.inventory ? '--inventory needs --id' : '--id needs --inventory',
      'name both the destination and the configuration: --inventory s3://DEST/PREFIX --id ID',
      'MissingOption',
    );
  if (opts.inventory && opts.summary)
    throw new UsageError(
      '--inventory and --summary both give object counts',
      'pass only one of them',
      'ConflictingOptions',
    );
  const destination = opts.inventory ? parseInventoryUrl(opts.inventory, '--inventory') : undefined;
  const ref = parseKeyRef(opts.kmsKey);

  const svc = await servicesForBucket(ctx, opts.bucket);
  const prices = await loadPrices(svc, opts.prices);
  const summary = opts.summary ? await loadSummary(svc, opts.summary, opts.bucket) : undefined;
  const key = await keyFacts(ctx, svc, ref, opts);
  const account = opts.accountId ?? (await callerAccount(svc));

  const out = ctx.out;
  out.say(`Checking s3://${opts.bucket} (${svc.region}) for migration to ${key.description?.arn ?? ref} ...`);
  const extra: Check[] = [];
  let inventory: InventoryInput | undefined = summary
    ? {
        source: 'summary',
        label: `build-manifest summary of ${summary.inventory.manifest} (${summary.inventory.date})`,
        stats: summary.stats,
        workload: workloadFromSummary(summary),
        warnings: [],
      }
    : undefined;
  if (destination && opts.id) {
    const loc = { ...destination, sourceBucket: opts.bucket, id: opts.id };
    const progress = inventoryProgress(out);
    progress.live.start();
    const read = await readFact(
      {
        id: 'inventory-read',
        title: 'Inventory counts',
        action: 's3:GetObject',
        on: `s3://${loc.bucket}/${loc.prefix}`,
      },
      () =>
        analyzeInventory(svc.inventory.s3Delivery(loc, 'local'), {
          bucket: opts.bucket,
          signal: ctx.app.signal,
          onProgress: progress.onProgress,
        }),
    ).finally(() => progress.live.stop());
    if (read.ok) {
      const label = `inventory delivery ${read.value.delivery.date} (${read.value.delivery.manifest})`;
      inventory = {
        source: 'inventory',
        label,
        stats: read.value.stats,
        workload: workloadFromGroups(read.value.groups, read.value.stats, read.value.rows, `from ${label}`),
        warnings: read.value.warnings,
      };
    } else
      extra.push({
        ...read.check,
        advice: `${read.check.advice}; counts below come from a live listing instead`,
      });
  }

  const result = await runPlan(
    {
      audit: svc.bucketAudit,
      encryption: svc.encryption,
      bucketPolicy: (b) => svc.bucketPolicies.get(b),
      objects: svc.objects,
    },
    {
      bucket: opts.bucket,
      region: svc.region,
      account,
      key,
      aclSample: opts.aclSample,
      maxList: opts.maxList,
      inventory,
      inventoryDestination: opts.inventory,
      prices,
      roleName: opts.roleName,
      signal: ctx.app.signal,
      onListed: (n) => out.progress(`listed ${formatCount(n)} objects`),
    },
  );
  out.clearProgress();
  const checks = [...result.checks, ...extra];
  const failed = checks.some((c) => c.status === 'FAIL');
  render(out, { ...result, checks }, prices);
  return failed ? ExitCode.PRECONDITION : ExitCode.OK;
}

async function loadPrices(svc: Services, file: string | undefined): Promise<PriceTable> {
  if (!file) return DEFAULT_PRICES;
  return applyPriceOverrides(DEFAULT_PRICES, await svc.files.readJson(file, '--prices'), file);
}

async function loadSummary(svc: Services, file: string, bucket: string): Promise<Summary> {
  return checkSummary(await svc.files.readJson(file, '--summary'), `--summary ${file}`, bucket);
}

/** DescribeKey in the key's own region, so a key from another region is reported, not "not found". */
async function keyFacts(
  ctx: CommandContext,
  svc: Services,
  ref: string,
  opts: Pick<Options, 'skipKeyCheck' | 'allowAwsManagedKey'>,
): Promise<KeyFacts> {
  const keyRegion = regionOfArn(ref);
  const keySvc =
    keyRegion && keyRegion !== svc.region
      ? await ctx.app.services({ ...ctx.global, region: keyRegion })
      : svc;
  const base = { ref, audit: keySvc.keyAudit, allowAwsManaged: opts.allowAwsManagedKey === true };
  if (opts.skipKeyCheck)
    return {
      ...base,
      unreadable: warn(
        'key-state',
        'KMS key',
        `not checked (--skip-key-check): ${ref} is used as given`,
        'run plan without --skip-key-check where a KMS API is available',
      ),
    };
  const d = await readFact(
    { id: 'key-state', title: 'KMS key', action: 'kms:DescribeKey', on: `key ${ref}` },
    () => keySvc.keys.describeKey(ref),
  );
  return d.ok ? { ...base, description: d.value } : { ...base, unreadable: d.check };
}

async function callerAccount(svc: Services): Promise<string | undefined> {
  try {
    return await svc.account.accountId();
  } catch (err) {
    // The key-policy check then says it needs --account-id; nothing else depends on it.
    if (err instanceof S3EncryptError && err.code !== 'Unreachable' && err.code !== 'NoCredentials')
      return undefined;
    throw err;
  }
}

function countsJson(c: ObjectCounts | undefined): unknown {
  return c
    ? { source: c.source, label: c.label, partial: c.partial, stats: c.stats, warnings: c.warnings }
    : undefined;
}

function render(out: Output, r: PlanResult, prices: PriceTable): void {
  const inv = r.counts && r.counts.source !== 'listing' ? countsJson(r.counts) : undefined;
  const listing = r.counts?.source === 'listing' ? countsJson(r.counts) : undefined;
  const failed = r.checks.filter((c) => c.status === 'FAIL').length;
  const warned = r.checks.filter((c) => c.status === 'WARN').length;
  const status = failed ? 'FAIL' : warned ? 'WARN' : 'PASS';
  if (out.json) {
    out.record({
      bucket: r.bucket,
      region: r.region,
      kmsKey: r.kmsKey,
      status,
      checks: r.checks.map(({ id, status: s, title, detail, advice }) => ({
        id,
        status: s,
        title,
        detail,
        advice,
      })),
      ...(inv ? { inventory: inv } : {}),
      ...(listing ? { listing } : {}),
      cost: r.cost,
      prices: { region: prices.region, takenOn: prices.takenOn, prices: prices.prices },
      next: r.next,
    });
    return;
  }
  const s = out.style;
  const paint = (st: string) => (st === 'FAIL' ? s.red(st) : st === 'WARN' ? s.yellow(st) : s.green(st));
  out.say('');
  for (const c of r.checks) {
    out.say(`${paint(c.status)}  ${c.title}: ${c.detail}`);
    out.say(`      ${s.dim(c.advice)}`);
  }
  if (r.counts) renderCounts(out, r.counts);
  out.say('');
  out.say(
    s.bold(
      `Cost estimate (${r.cost.basis}${r.cost.partial ? ', PARTIAL count' : ''}; ${prices.region} prices taken ${prices.takenOn}; override with --prices FILE):`,
    ),
  );
  out.say(indent(table(costRows(r.cost))));
  for (const n of r.cost.notes) out.say(`  - ${n}`);
  out.say('');
  out.say(s.bold('Next, in order:'));
  r.next.forEach((cmd, i) => out.say(`  ${i + 1}. ${cmd}`));
  out.say('');
  const line = `${failed} FAIL, ${warned} WARN, ${r.checks.length - failed - warned} PASS`;
  out.say(
    failed
      ? s.red(`${line}: fix every FAIL before migrating (exit 3)`)
      : warned
        ? s.yellow(`${line}: read the WARN advice, then run the next commands`)
        : s.green(`${line}: ready`),
  );
}

function renderCounts(out: Output, c: ObjectCounts): void {
  const st = c.stats;
  const row = (label: string, cb: CountBytes | undefined): string[] => [
    label,
    formatCount(cb?.objects ?? 0),
    formatBytes(cb?.bytes ?? 0),
  ];
  const rows = [['objects', 'count', 'bytes']];
  const statuses = Object.entries(st.byEncryptionStatus);
  if (c.source !== 'listing') for (const [k, v] of statuses) rows.push(row(`encryption ${k}`, v));
  for (const [k, v] of Object.entries(st.byStorageClass)) rows.push(row(`class ${k}`, v));
  rows.push(row('over 5 GB', st.large), row('archived (restore first)', st.archived));
  if (c.source !== 'listing') {
    rows.push(row('noncurrent versions', st.noncurrent), row('noncurrent NOT-SSE', st.noncurrentUnencrypted));
    rows.push(['delete markers', formatCount(st.deleteMarkers), '']);
  }
  out.say('');
  out.say(out.style.bold(`Objects (${c.label}${c.partial ? ': PARTIAL count' : ''}):`));
  out.say(indent(table(rows)));
  for (const w of c.warnings) out.say(`  - ${w}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
