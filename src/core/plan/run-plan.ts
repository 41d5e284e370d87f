import { pool } from '../concurrency/pool.js';
import { estimateCost, type CostEstimate } from '../cost/estimate.js';
import { priceOf, type PriceTable } from '../cost/prices.js';
import { bytesText, GIB, usdText } from '../cost/units.js';
import { countListed, emptyStats, workloadFromListing, type Workload } from '../cost/workload.js';
import { InterruptedError } from '../errors.js';
import type { InventoryStats } from '../inventory/manifest-summary.js';
import { uncheckedKey, type KeyDescription, type ResolvedKey } from '../kms/key.js';
import type { BucketEncryptionStore, ObjectReader } from '../ports.js';
import { aclCheck, describeAcl, isDefaultAcl, type AclSample } from './acl-check.js';
import {
  lifecycleCheck,
  notificationCheck,
  objectLockCheck,
  regionCheck,
  replicationCheck,
  versioningCheck,
  type ExtraStorage,
} from './bucket-checks.js';
import { readFact, worst, type Check, type CheckStatus, type Fact } from './check.js';
import { bucketPolicyCheck, defaultEncryptionCheck } from './encryption-checks.js';
import { destinationUri, inventoryConfigCheck, usableInventory } from './inventory-checks.js';
import { keyDescriptionChecks, keyPolicyCheck, rotationCheck } from './key-checks.js';
import {
  DEFAULT_INVENTORY_DESTINATION,
  enableSseCommand,
  nextSteps,
  setupInventoryCommand,
} from './next-steps.js';
import type { BucketAudit, KeyAudit, LifecycleRule } from './ports.js';

export interface PlanPorts {
  audit: BucketAudit;
  encryption: BucketEncryptionStore;
  /** The bucket policy JSON; undefined when there is none. */
  bucketPolicy(bucket: string): Promise<string | undefined>;
  objects: ObjectReader;
}

export interface KeyFacts {
  /** --kms-key as given. */
  ref: string;
  description?: KeyDescription | undefined;
  /** The WARN line when DescribeKey could not be read; the other key checks are then skipped. */
  unreadable?: Check | undefined;
  /** KMS reads in the key's own region. */
  audit: KeyAudit;
  /** --allow-aws-managed-key: an AWS managed key is a WARN, not a FAIL. */
  allowAwsManaged: boolean;
}

/** Counts from an inventory (or build-manifest's summary.json) given with --inventory / --summary. */
export interface InventoryInput {
  source: 'inventory' | 'summary';
  /** Which delivery or file, for the report. */
  label: string;
  stats: InventoryStats;
  workload: Workload;
  warnings: string[];
}

export interface PlanInput {
  bucket: string;
  region: string;
  /** The bucket owner's account (STS or --account-id); undefined when it could not be read. */
  account?: string | undefined;
  key: KeyFacts;
  aclSample: number;
  maxList: number;
  inventory?: InventoryInput | undefined;
  /** --inventory s3://D/P as given, to fill the next commands. */
  inventoryDestination?: string | undefined;
  prices: PriceTable;
  /** The Batch role name the next commands name (as 's3-encrypt policy' creates it). */
  roleName: string;
  signal?: AbortSignal | undefined;
  /** Called every 1,000 listed objects. */
  onListed?: ((n: number) => void) | undefined;
}

export interface ObjectCounts {
  source: 'inventory' | 'summary' | 'listing';
  label: string;
  /** The listing stopped at --max-list: counts are lower bounds. */
  partial: boolean;
  stats: InventoryStats;
  warnings: string[];
}

export interface PlanResult {
  bucket: string;
  region: string;
  kmsKey: string;
  status: CheckStatus;
  checks: Check[];
  counts: ObjectCounts | undefined;
  cost: CostEstimate;
  next: string[];
}

const ACL_CONCURRENCY = 8;
const ACL_EXAMPLES = 3;

function resolvedKey(k: KeyFacts): ResolvedKey {
  return k.description
    ? { id: k.description.arn, shortId: k.description.keyId, checked: true }
    : uncheckedKey(k.ref);
}

/** Read everything plan needs (in parallel), then judge it. Read-only: nothing is written. */
export async function runPlan(ports: PlanPorts, input: PlanInput): Promise<PlanResult> {
  const { bucket } = input;
  const on = `bucket ${bucket}`;
  const key = resolvedKey(input.key);
  const src = (id: string, title: string, action: string, where = on) => ({ id, title, action, on: where });

  const [
    versioning,
    lifecycle,
    lock,
    ownership,
    replication,
    notifications,
    encryption,
    policy,
    inventories,
  ] = await Promise.all([
    readFact(src('versioning', 'Versioning', 's3:GetBucketVersioning'), () => ports.audit.versioning(bucket)),
    readFact(src('noncurrent-lifecycle', 'Noncurrent version expiry', 's3:GetLifecycleConfiguration'), () =>
      ports.audit.lifecycleRules(bucket),
    ),
    readFact(src('object-lock', 'Object Lock', 's3:GetBucketObjectLockConfiguration'), () =>
      ports.audit.objectLock(bucket),
    ),
    readFact(src('object-acls', 'Object ACLs', 's3:GetBucketOwnershipControls'), () =>
      ports.audit.ownership(bucket),
    ),
    readFact(src('replication', 'Replication', 's3:GetReplicationConfiguration'), () =>
      ports.audit.replicationRules(bucket),
    ),
    readFact(src('event-notifications', 'Event notifications', 's3:GetBucketNotification'), () =>
      ports.audit.notifications(bucket),
    ),
    readFact(src('default-encryption', 'Default encryption', 's3:GetEncryptionConfiguration'), () =>
      ports.encryption.getEncryption(bucket),
    ),
    readFact(src('bucket-policy', 'Bucket policy', 's3:GetBucketPolicy'), () => ports.bucketPolicy(bucket)),
    readFact(src('inventory-config', 'S3 Inventory', 's3:GetInventoryConfiguration'), () =>
      ports.audit.inventoryConfigurations(bucket),
    ),
  ]);

  const keyChecks = await checkKey(input, key);

  // A listing feeds the ACL sample, and the counts when no inventory was given.
  const sampleAcls = ownership.ok && ownership.value !== 'BucketOwnerEnforced' && input.aclSample > 0;
  const limit = input.inventory ? (sampleAcls ? input.aclSample : 0) : input.maxList;
  const listing = limit > 0 ? await listObjects(ports.objects, input, limit) : undefined;
  let aclFact: Fact<AclSample> | undefined;
  if (sampleAcls && listing?.ok)
    aclFact = await sampleObjectAcls(ports.audit, bucket, listing.value.sampleKeys, input.signal);

  const counts: ObjectCounts | undefined = input.inventory
    ? {
        source: input.inventory.source,
        label: input.inventory.label,
        partial: false,
        stats: input.inventory.stats,
        warnings: input.inventory.warnings,
      }
    : listing?.ok
      ? {
          source: 'listing',
          label: `live listing of current objects${listing.value.partial ? ` (stopped at --max-list ${input.maxList})` : ''}`,
          partial: listing.value.partial,
          stats: listing.value.stats,
          warnings: [],
        }
      : undefined;
  const workload =
    input.inventory?.workload ??
    workloadFromListing(
      listing?.ok ? listing.value.stats : emptyStats(),
      listing?.ok ? listing.value.partial : false,
    );

  const rules = lifecycle.ok ? lifecycle.value : [];
  const expiry = wholeBucketExpiry(rules);
  // Unknown versioning is judged as versioned: the lifecycle check and the storage figure then
  // show the worst case instead of hiding it.
  const versioningStatus = versioning.ok ? versioning.value : 'Enabled';
  const cost = estimateCost(
    workload,
    { versioning: versioningStatus, noncurrentExpirationDays: expiry },
    input.prices,
  );

  const usable = inventories.ok ? usableInventory(inventories.value) : undefined;
  const inventoryDestination = input.inventoryDestination ?? DEFAULT_INVENTORY_DESTINATION;
  const checks: Check[] = [
    regionCheck(bucket, input.region),
    versioning.ok ? versioningCheck(versioning.value) : versioning.check,
    lifecycle.ok
      ? lifecycleCheck(versioningStatus, rules, extraStorage(workload, input.prices))
      : lifecycle.check,
    lock.ok ? objectLockCheck(lock.value) : lock.check,
    !ownership.ok
      ? ownership.check
      : aclFact && !aclFact.ok
        ? aclFact.check
        : listing && !listing.ok && sampleAcls
          ? { ...listing.check, id: 'object-acls', title: 'Object ACLs' }
          : aclCheck(ownership.value, aclFact?.ok ? aclFact.value : undefined),
    replication.ok ? replicationCheck(replication.value) : replication.check,
    notifications.ok ? notificationCheck(notifications.value) : notifications.check,
    encryption.ok
      ? defaultEncryptionCheck(encryption.value, key, enableSseCommand(bucket, key.id))
      : encryption.check,
    policy.ok ? bucketPolicyCheck(policy.value) : policy.check,
    ...keyChecks,
    inventories.ok
      ? inventoryConfigCheck(inventories.value, setupInventoryCommand(bucket, inventoryDestination))
      : inventories.check,
    ...(listing && !listing.ok && !input.inventory ? [listing.check] : []),
  ];

  const next = nextSteps({
    bucket,
    key: key.id,
    encryptionReady: checks.some((c) => c.id === 'default-encryption' && c.status === 'PASS'),
    inventory: usable ? { destination: destinationUri(usable), id: usable.id } : undefined,
    inventoryDestination: input.inventoryDestination,
    workload,
    account: input.account,
    roleName: input.roleName,
  });
  return { bucket, region: input.region, kmsKey: key.id, status: worst(checks), checks, counts, cost, next };
}

async function checkKey(input: PlanInput, key: ResolvedKey): Promise<Check[]> {
  const k = input.key;
  if (!k.description) return k.unreadable ? [k.unreadable] : [];
  const arn = k.description.arn;
  const where = `key ${arn}`;
  const [rotation, policy] = await Promise.all([
    readFact(
      { id: 'key-rotation', title: 'KMS key rotation', action: 'kms:GetKeyRotationStatus', on: where },
      () => k.audit.rotationEnabled(arn),
    ),
    readFact({ id: 'key-policy', title: 'KMS key policy', action: 'kms:GetKeyPolicy', on: where }, () =>
      k.audit.keyPolicy(arn),
    ),
  ]);
  return [
    ...keyDescriptionChecks(k.description, input.region, input.account, k.allowAwsManaged, k.ref),
    rotation.ok ? rotationCheck(key.id, rotation.value) : rotation.check,
    policy.ok ? keyPolicyCheck(policy.value, input.account, arn) : policy.check,
  ];
}

interface Listing {
  stats: InventoryStats;
  partial: boolean;
  sampleKeys: string[];
}

async function listObjects(objects: ObjectReader, input: PlanInput, limit: number): Promise<Fact<Listing>> {
  return readFact(
    { id: 'object-listing', title: 'Object listing', action: 's3:ListBucket', on: `bucket ${input.bucket}` },
    async () => {
      const stats = emptyStats();
      const sampleKeys: string[] = [];
      let n = 0;
      let partial = false;
      for await (const o of objects.list(input.bucket, { allVersions: false })) {
        if (input.signal?.aborted) throw new InterruptedError('interrupted while listing');
        if (n >= limit) {
          partial = true;
          break;
        }
        n++;
        countListed(stats, o);
        if (sampleKeys.length < input.aclSample) sampleKeys.push(o.key);
        if (n % 1000 === 0) input.onListed?.(n);
      }
      return { stats, partial, sampleKeys };
    },
  );
}

async function sampleObjectAcls(
  audit: BucketAudit,
  bucket: string,
  keys: string[],
  signal: AbortSignal | undefined,
): Promise<Fact<AclSample>> {
  return readFact(
    { id: 'object-acls', title: 'Object ACLs', action: 's3:GetObjectAcl', on: `objects in bucket ${bucket}` },
    async () => {
      const sample: AclSample = { sampled: 0, asked: keys.length, nonDefault: 0, examples: [] };
      const found: AclSample['examples'] = [];
      const read = async (key: string) => ({ key, acl: await audit.objectAcl(bucket, key) });
      for await (const { key, acl } of pool(keys, ACL_CONCURRENCY, read, signal)) {
        if (!acl) continue;
        sample.sampled++;
        if (isDefaultAcl(acl)) continue;
        sample.nonDefault++;
        found.push({ key, grants: describeAcl(acl) });
      }
      // A sample the interrupt cut short is no sample: the plan stops here, as the listing does.
      if (signal?.aborted) throw new InterruptedError('interrupted while sampling object ACLs');
      // Results arrive in completion order; sorting keeps the examples the same from run to run.
      sample.examples = found.sort((a, b) => (a.key < b.key ? -1 : 1)).slice(0, ACL_EXAMPLES);
      return sample;
    },
  );
}

export function wholeBucketExpiry(rules: LifecycleRule[]): number | undefined {
  const days = rules
    .filter((r) => r.enabled && r.wholeBucket && r.noncurrentExpirationDays !== undefined)
    .map((r) => r.noncurrentExpirationDays as number);
  return days.length ? Math.min(...days) : undefined;
}

function extraStorage(w: Workload, prices: PriceTable): ExtraStorage | undefined {
  const bytes = w.copy.bytes + w.large.bytes;
  if (bytes === 0 && w.copy.objects === 0) return undefined;
  return {
    bytes: bytesText(bytes),
    usdPerMonth: usdText(priceOf(prices.prices.storageGbMonth, bytes / GIB)),
    partial: w.partial,
  };
}
