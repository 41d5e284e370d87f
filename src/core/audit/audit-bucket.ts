import { estimateCost } from '../cost/estimate.js';
import type { PriceTable } from '../cost/prices.js';
import { workloadFromGroups, workloadFromListing } from '../cost/workload.js';
import type { BucketEncryption } from '../encryption/bucket-default.js';
import { analyzeInventory, type InventoryAnalysis } from '../inventory/analyze.js';
import { judgeDefaultEncryption } from '../encryption/default-state.js';
import type { ResolvedKey } from '../kms/key.js';
import { destinationUri, usableInventory } from '../plan/inventory-checks.js';
import type { InventoryConfigInfo } from '../plan/ports.js';
import { wholeBucketExpiry } from '../plan/run-plan.js';
import { cleanPrefix } from '../s3-uri.js';
import { countsFromInventory, sampleObjects, staleDelivery, type SampleResult } from './object-counts.js';
import type { AccountAccess } from './ports.js';
import { attempt, deniedActions } from './problems.js';
import type { AuditProblem, BucketRecord, CostSummary, DefaultEncryption, InventoryInfo } from './records.js';
import { judge, nextStep, type BucketFacts } from './verdict.js';

/** A key ARN (not an alias ARN): compared as it is, never resolved. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

/** One account as audit reaches it. */
export interface AuditedAccount {
  access: AccountAccess;
  account: string | null;
  via: string;
  /** The --profile it came from, repeated on the next commands. */
  profile?: string | undefined;
  /** The target key in this account, by region: resolved once, shared by its buckets. */
  targetKey(region: string): Promise<{ key: ResolvedKey } | { problem: AuditProblem }>;
}

export interface BucketAuditOptions {
  kmsKey: string;
  now: () => Date;
  sample: number | undefined;
  prices: PriceTable;
  signal?: AbortSignal | undefined;
}

/** Everything audit reads about one bucket, and its verdict. Read-only; failures are problems on the row. */
export async function auditBucket(
  a: AuditedAccount,
  bucket: string,
  opts: BucketAuditOptions,
): Promise<BucketRecord> {
  const problems: AuditProblem[] = [];
  const note = <T>(r: { ok: true; value: T } | { ok: false; problem: AuditProblem }): T | undefined => {
    if (r.ok) return r.value;
    problems.push(r.problem);
    return undefined;
  };
  const region = note(await attempt('s3:GetBucketLocation', () => a.access.bucketRegion(bucket)));
  const facts: BucketFacts = {
    bucket,
    region,
    encryption: undefined,
    inventory: undefined,
    objects: undefined,
    problems,
  };
  let versioning: BucketRecord['versioning'] = null;
  let objectLock: boolean | null = null;
  let cost: CostSummary | null = null;
  let keyArn: string | undefined;
  // What the cost estimate needs, once the verdict says the bucket needs work.
  let priced:
    | {
        r: ReturnType<AccountAccess['inRegion']>;
        analysis: InventoryAnalysis | undefined;
        sampled: SampleResult | undefined;
      }
    | undefined;
  if (region !== undefined) {
    const r = a.access.inRegion(region);
    const [enc, ver, lock, invs] = await Promise.all([
      attempt('s3:GetEncryptionConfiguration', () => r.encryption.getEncryption(bucket)),
      attempt('s3:GetBucketVersioning', () => r.settings.versioning(bucket)),
      attempt('s3:GetBucketObjectLockConfiguration', () => r.settings.objectLock(bucket)),
      attempt('s3:GetInventoryConfiguration', () => r.settings.inventoryConfigurations(bucket)),
    ]);
    // The target key, asked for only when a comparison needs it (kms:DescribeKey may be denied).
    let resolved: Promise<ResolvedKey | undefined> | undefined;
    const target = (): Promise<ResolvedKey | undefined> =>
      (resolved ??= a.targetKey(region).then((t) => {
        if ('key' in t) {
          keyArn = t.key.id;
          return t.key;
        }
        problems.push(t.problem);
        return undefined;
      }));
    if (enc.ok)
      facts.encryption = await defaultEncryption(enc.value, target, (ref) =>
        attempt('kms:DescribeKey', () => r.keys.describeKey(ref)).then((d) => {
          if (d.ok) return d.value.arn;
          problems.push({ ...d.problem, message: `${d.problem.message} (the key the bucket default names)` });
          return undefined;
        }),
      );
    else problems.push(enc.problem);
    versioning = note(ver) ?? null;
    const lockValue = note(lock);
    objectLock = lock.ok ? lockValue?.enabled === true : null;
    const configs = note(invs);
    facts.inventory = configs ? inventoryInfo(configs) : undefined;

    const usable = configs ? usableInventory(configs) : undefined;
    let analysis: InventoryAnalysis | undefined;
    if (usable) {
      const read = await attempt('s3:GetObject', () =>
        analyzeInventory(r.delivery(location(usable, bucket)), {
          bucket,
          concurrency: 2,
          signal: opts.signal,
        }),
      );
      if (read.ok) {
        analysis = read.value;
        facts.objects = countsFromInventory(read.value, opts.now());
        facts.staleBecause = staleDelivery(read.value.delivery.date, usable.frequency, opts.now());
      } else {
        problems.push(read.problem);
        facts.objectsUnknownBecause = `the inventory delivery could not be read (${read.problem.message})`;
      }
    } else if (!invs.ok) facts.objectsUnknownBecause = 'the inventory configurations could not be read';
    let sampled: SampleResult | undefined;
    if (!facts.objects && opts.sample !== undefined) {
      const s = await attempt('s3:ListBucket', () =>
        sampleObjects(r.objects, bucket, opts.sample as number, target, opts.signal),
      );
      if (s.ok) {
        sampled = s.value;
        facts.objects = s.value.counts;
      } else {
        problems.push(s.problem);
        facts.objectsUnknownBecause = `the sample could not be taken (${s.problem.message})`;
      }
    }
    priced = { r, analysis, sampled };
  }
  const { verdict, reasons } = judge(facts);
  if (verdict === 'needs-work' && priced && (priced.analysis || priced.sampled))
    cost = await estimate(
      priced.r,
      bucket,
      priced.analysis,
      priced.sampled,
      versioning,
      facts.objects?.label ?? '',
      opts.prices,
    );
  return {
    type: 'bucket',
    account: a.account,
    via: a.via,
    bucket,
    region: region ?? null,
    defaultEncryption: facts.encryption ?? null,
    versioning,
    objectLock,
    inventory: facts.inventory ?? null,
    objects: facts.objects ?? null,
    verdict,
    reasons,
    next: nextStep({ verdict, facts, key: keyArn ?? opts.kmsKey, profile: a.profile }),
    cost,
    denied: deniedActions(problems),
    problems,
  };
}

/** plan's estimate: the inventory's exact split, or a sample's listing (every object a copy: an upper bound for what it saw). */
async function estimate(
  r: ReturnType<AccountAccess['inRegion']>,
  bucket: string,
  analysis: InventoryAnalysis | undefined,
  sampled: SampleResult | undefined,
  versioning: BucketRecord['versioning'],
  label: string,
  prices: PriceTable,
): Promise<CostSummary> {
  const rules = await attempt('s3:GetLifecycleConfiguration', () => r.settings.lifecycleRules(bucket));
  const workload = analysis
    ? workloadFromGroups(analysis.groups, analysis.stats, analysis.rows, `from ${label}`)
    : workloadFromListing((sampled as SampleResult).listing, (sampled as SampleResult).counts.partial);
  const e = estimateCost(
    workload,
    {
      // Unknown versioning is priced as versioned: the worst case, as plan does.
      versioning: versioning ?? 'Enabled',
      noncurrentExpirationDays: rules.ok ? wholeBucketExpiry(rules.value) : undefined,
    },
    prices,
  );
  return {
    basis: e.basis,
    partial: e.partial || sampled !== undefined,
    totalUsd: e.totalUsd,
    region: e.region,
    pricesTakenOn: e.pricesTakenOn,
    notes: [
      ...(sampled
        ? ['from a sample: every sampled object priced as a copy, the rest of the bucket not at all']
        : []),
      ...(rules.ok ? [] : ['lifecycle not read: old versions priced as kept for a month']),
      ...e.notes,
    ],
  };
}

/**
 * The bucket default against the target key, compared as plan and create-job compare it
 * (judgeDefaultEncryption): a configured alias or bare key id is resolved to its key ARN first
 * (`resolve`: DescribeKey in the bucket's region; undefined when refused), and a key ARN must be
 * the target's ARN, not merely share its key id (a multi-Region replica does).
 */
async function defaultEncryption(
  config: BucketEncryption | undefined,
  target: () => Promise<ResolvedKey | undefined>,
  resolve: (ref: string) => Promise<string | undefined>,
): Promise<DefaultEncryption> {
  const rule = config?.Rules?.[0];
  const by = rule?.ApplyServerSideEncryptionByDefault;
  const algorithm = by?.SSEAlgorithm ?? null;
  const kmsKey = by?.KMSMasterKeyID ?? null;
  let targetKey: boolean | null = false;
  if (algorithm === 'aws:kms' && kmsKey !== null) {
    const t = await target();
    if (!t) targetKey = null;
    else if (t.checked && !KEY_ARN.test(kmsKey)) {
      const arn = await resolve(kmsKey);
      targetKey = arn === undefined ? null : judgeDefaultEncryption(config, t, arn).state !== 'other-key';
    } else targetKey = judgeDefaultEncryption(config, t).state !== 'other-key';
  }
  return {
    algorithm,
    kmsKey,
    bucketKey: rule?.BucketKeyEnabled === true,
    blockedEncryptionTypes: rule?.BlockedEncryptionTypes?.EncryptionType ?? [],
    targetKey,
  };
}

function inventoryInfo(configs: InventoryConfigInfo[]): InventoryInfo {
  const usable = usableInventory(configs);
  return {
    usable: usable !== undefined,
    id: usable?.id ?? null,
    destination: usable ? destinationUri(usable) : null,
    unusable: configs.filter((c) => c !== usable && c.id !== usable?.id).map((c) => c.id),
  };
}

function location(c: InventoryConfigInfo, sourceBucket: string) {
  return {
    bucket: c.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, ''),
    prefix: cleanPrefix(c.destinationPrefix),
    sourceBucket,
    id: c.id,
  };
}
