/**
 * plan's use case: the facts runPlan judges that come from the flags (prices, summary.json, an
 * inventory delivery, the key in its own region, the owner's account), then runPlan itself.
 * Read-only. Text for people is the caller's (output/plan-render.ts).
 */
import { applyPriceOverrides, DEFAULT_PRICES, type PriceTable } from '../cost/prices.js';
import { workloadFromGroups, workloadFromManifestSummary } from '../cost/workload.js';
import { S3EncryptError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { analyzeInventory } from '../inventory/analyze.js';
import { parseInventoryUrl } from '../inventory/location.js';
import type { InventoryPorts } from '../inventory/ports.js';
import { checkManifestSummary } from '../inventory/manifest-summary.js';
import { parseKeyRef, regionOfArn } from '../kms/key.js';
import type { AccountInfo, KeyDirectory } from '../ports.js';
import { readFact, warn, type Check } from './check.js';
import type { JsonFiles, KeyAudit } from './ports.js';
import { runPlan, type InventoryInput, type KeyFacts, type PlanPorts, type PlanResult } from './run-plan.js';

export interface PreflightRequest {
  bucket: string;
  kmsKey: string;
  skipKeyCheck?: boolean | undefined;
  allowAwsManagedKey?: boolean | undefined;
  /** --inventory s3://DEST/PREFIX with --id: counts from its latest delivery. */
  inventory?: string | undefined;
  id?: string | undefined;
  /** --summary: counts from build-manifest's summary.json. */
  summary?: string | undefined;
  /** --prices: a JSON file of price overrides. */
  prices?: string | undefined;
  aclSample: number;
  maxList: number;
  accountId?: string | undefined;
  roleName: string;
  signal?: AbortSignal | undefined;
}

/** KMS reads: DescribeKey and the key's policy and rotation. */
interface KeyPorts {
  keys: KeyDirectory;
  keyAudit: KeyAudit;
}

/** The bucket reached (its region): the first request. @internal */
export interface PreflightTarget extends PlanPorts, KeyPorts {
  region: string;
  account: AccountInfo;
  inventory: Pick<InventoryPorts, 's3Delivery'>;
  /** The KMS ports of another region (a key ARN from elsewhere is read there, not "not found"). */
  keysIn(region: string): Promise<KeyPorts>;
}

export interface PreflightEvents {
  /** Every fact the flags name is read: the checks start. */
  checking(c: { bucket: string; region: string; key: string }): void;
  /** An inventory delivery is being read: its progress, until `stop`. */
  readingInventory(): {
    /** A plain function (no `this`): handed to the inventory reader as its progress callback. */
    onProgress: (rows: number, files: { done: number; total: number }) => void;
    stop(): void;
  };
  /** Every 1,000 objects of a live listing. */
  listed(n: number): void;
}

export interface PreflightOutcome {
  /** runPlan's result with the checks of the facts that could not be read added. */
  plan: PlanResult;
  prices: PriceTable;
  exitCode: number;
}

export interface PreflightPorts {
  /** The local JSON files the flags name (--prices, --summary), read before any request. */
  files(): Promise<JsonFiles>;
  /** Reaches the bucket (its region); the flags and their files are checked before. */
  connect(): Promise<PreflightTarget>;
}

export async function preflight(
  ports: PreflightPorts,
  req: PreflightRequest,
  events: PreflightEvents,
): Promise<PreflightOutcome> {
  if ((req.inventory === undefined) !== (req.id === undefined))
    throw new UsageError(
      req.inventory ? '--inventory needs --id' : '--id needs --inventory',
      'name both the destination and the configuration: --inventory s3://DEST/PREFIX --id ID',
      'MissingOption',
    );
  if (req.inventory && req.summary)
    throw new UsageError(
      '--inventory and --summary both give object counts',
      'pass only one of them',
      'ConflictingOptions',
    );
  const destination = req.inventory ? parseInventoryUrl(req.inventory, '--inventory') : undefined;
  const ref = parseKeyRef(req.kmsKey);

  // Local files first: a dead network or a missing bucket must not hide a bad file.
  const files = req.prices !== undefined || req.summary !== undefined ? await ports.files() : undefined;
  const prices =
    files && req.prices
      ? applyPriceOverrides(DEFAULT_PRICES, await files.readJson(req.prices, '--prices'), req.prices)
      : DEFAULT_PRICES;
  const summary =
    files && req.summary
      ? checkManifestSummary(
          await files.readJson(req.summary, '--summary'),
          `--summary ${req.summary}`,
          req.bucket,
        )
      : undefined;
  const t = await ports.connect();
  const key = await keyFacts(t, ref, req);
  const account = req.accountId ?? (await callerAccount(t.account));

  events.checking({ bucket: req.bucket, region: t.region, key: key.description?.arn ?? ref });
  const extra: Check[] = [];
  let inventory: InventoryInput | undefined = summary
    ? {
        source: 'summary',
        label: `build-manifest summary of ${summary.inventory.manifest} (${summary.inventory.date})`,
        stats: summary.stats,
        workload: workloadFromManifestSummary(summary),
        warnings: [],
      }
    : undefined;
  if (destination && req.id) {
    const loc = { ...destination, sourceBucket: req.bucket, id: req.id };
    const progress = events.readingInventory();
    const read = await readFact(
      {
        id: 'inventory-read',
        title: 'Inventory counts',
        action: 's3:GetObject',
        on: `s3://${loc.bucket}/${loc.prefix}`,
      },
      () =>
        analyzeInventory(t.inventory.s3Delivery(loc, 'local'), {
          bucket: req.bucket,
          signal: req.signal,
          onProgress: progress.onProgress,
        }),
    ).finally(() => progress.stop());
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

  const result = await runPlan(t, {
    bucket: req.bucket,
    region: t.region,
    account,
    key,
    aclSample: req.aclSample,
    maxList: req.maxList,
    inventory,
    inventoryDestination: req.inventory,
    prices,
    roleName: req.roleName,
    signal: req.signal,
    onListed: (n) => events.listed(n),
  });
  const checks = [...result.checks, ...extra];
  const failed = checks.some((c) => c.status === 'FAIL');
  return { plan: { ...result, checks }, prices, exitCode: failed ? ExitCode.PRECONDITION : ExitCode.OK };
}

/** DescribeKey in the key's own region, so a key from another region is reported, not "not found". */
async function keyFacts(
  t: PreflightTarget,
  ref: string,
  req: Pick<PreflightRequest, 'skipKeyCheck' | 'allowAwsManagedKey'>,
): Promise<KeyFacts> {
  const keyRegion = regionOfArn(ref);
  const kms = keyRegion && keyRegion !== t.region ? await t.keysIn(keyRegion) : t;
  const base = { ref, audit: kms.keyAudit, allowAwsManaged: req.allowAwsManagedKey === true };
  if (req.skipKeyCheck)
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
    () => kms.keys.describeKey(ref),
  );
  return d.ok ? { ...base, description: d.value } : { ...base, unreadable: d.check };
}

async function callerAccount(account: AccountInfo): Promise<string | undefined> {
  try {
    return await account.accountId();
  } catch (err) {
    // The key-policy check then says it needs --account-id; nothing else depends on it.
    if (err instanceof S3EncryptError && err.code !== 'Unreachable' && err.code !== 'NoCredentials')
      return undefined;
    throw err;
  }
}
