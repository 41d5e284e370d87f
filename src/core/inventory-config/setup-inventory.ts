import { S3EncryptError, ServiceError, UsageError } from '../errors.js';
import type { AccountInfo, BucketEncryptionStore, BucketInfo, KeyDirectory } from '../ports.js';
import { checkDestinationEncryption, type DestinationEncryption } from './destination-encryption.js';
import {
  inventoryStatement,
  mergeInventoryStatement,
  type PolicyDocument,
  type PolicyOutcome,
  type PolicyStatement,
} from './destination-policy.js';
import {
  desiredInventoryConfig,
  diffInventoryConfig,
  reportLocation,
  type ConfigChange,
  type InventoryConfig,
  type InventorySpec,
} from './inventory-config.js';
import type { BucketPolicyStore, InventoryConfigStore } from './ports.js';

export interface SetupInventoryPorts {
  inventory: InventoryConfigStore;
  policies: BucketPolicyStore;
  encryption: BucketEncryptionStore;
  buckets: BucketInfo;
  keys: KeyDirectory;
  account: AccountInfo;
}

export interface SetupInventoryInput extends Omit<InventorySpec, 'destinationAccount'> {
  sourceRegion: string;
  /** Owner of the destination bucket; default: the caller's account, which owns the source. */
  destinationAccount?: string | undefined;
  dryRun: boolean;
}

type ConfigOutcome = 'created' | 'updated' | 'unchanged';

export interface SetupInventoryResult {
  config: InventoryConfig;
  configOutcome: ConfigOutcome;
  configChanges: ConfigChange[];
  /**
   * `skipped`: the destination belongs to another account, whose owner must add `statement`.
   * Otherwise what happened (or, in a dry run, would happen) to the destination bucket policy.
   */
  policy:
    | { outcome: 'skipped'; statement: PolicyStatement }
    | {
        outcome: PolicyOutcome;
        statement: PolicyStatement;
        document: PolicyDocument;
        previous?: PolicyStatement;
      };
  destinationEncryption: DestinationEncryption | undefined;
  location: string;
  dryRun: boolean;
  /** True when something was (or, in a dry run, would be) written. */
  changed: boolean;
}

/**
 * Point S3 Inventory at a destination and let S3 write there. Every check runs before the first
 * write; the policy goes in before the configuration so the first delivery is never refused; the
 * configuration is read back, because some S3-compatible stores answer 200 and keep nothing.
 */
export async function setupInventory(
  ports: SetupInventoryPorts,
  input: SetupInventoryInput,
): Promise<SetupInventoryResult> {
  // First, because it also tells whether this store has S3 Inventory at all.
  const current = await ports.inventory.get(input.sourceBucket, input.id);
  const destRegion = await ports.buckets.bucketRegion(input.destinationBucket);
  if (destRegion !== input.sourceRegion) {
    throw new UsageError(
      `destination bucket ${input.destinationBucket} is in ${destRegion}, but ${input.sourceBucket} is in ${input.sourceRegion}`,
      `S3 Inventory delivers only within one region: choose a --destination bucket in ${input.sourceRegion}`,
      'DestinationInOtherRegion',
    );
  }
  const sourceAccount = await ports.account.accountId();
  const spec: InventorySpec = { ...input, destinationAccount: input.destinationAccount ?? sourceAccount };
  const ownDestination = spec.destinationAccount === sourceAccount;
  const grant = {
    sourceBucket: input.sourceBucket,
    sourceAccount,
    destinationBucket: input.destinationBucket,
    destinationPrefix: input.destinationPrefix,
  };
  // Another account's bucket: we can neither read its encryption nor write its policy.
  const destinationEncryption = ownDestination
    ? await checkDestinationEncryption(
        await ports.encryption.getEncryption(input.destinationBucket),
        ports.keys,
        grant,
      )
    : undefined;

  const desired = desiredInventoryConfig(spec);
  const configChanges = current ? diffInventoryConfig(current, desired) : [];
  const configOutcome: ConfigOutcome = !current
    ? 'created'
    : configChanges.length === 0
      ? 'unchanged'
      : 'updated';

  const statement = inventoryStatement(grant);
  let policy: SetupInventoryResult['policy'];
  let policyToWrite: PolicyDocument | undefined;
  let previousPolicy: string | undefined;
  if (ownDestination) {
    previousPolicy = await ports.policies.get(input.destinationBucket);
    const plan = mergeInventoryStatement(previousPolicy, statement, input.destinationBucket);
    policy = {
      outcome: plan.outcome,
      statement: plan.statement,
      document: plan.policy,
      ...(plan.previous ? { previous: plan.previous } : {}),
    };
    if (plan.outcome !== 'unchanged') policyToWrite = plan.policy;
  } else {
    policy = { outcome: 'skipped', statement };
  }

  const changed = policyToWrite !== undefined || configOutcome !== 'unchanged';
  const result: SetupInventoryResult = {
    config: desired,
    configOutcome,
    configChanges,
    policy,
    destinationEncryption,
    location: reportLocation(spec),
    dryRun: input.dryRun,
    changed,
  };
  if (input.dryRun || !changed) return result;

  if (policyToWrite) await ports.policies.put(input.destinationBucket, JSON.stringify(policyToWrite));
  if (configOutcome !== 'unchanged') {
    try {
      await ports.inventory.put(input.sourceBucket, desired);
    } catch (err) {
      // The policy alone is a half-done change: put the destination back as it was. (A
      // configuration that was accepted but reads back different, below, is not undone: it is
      // in place, and the policy is what lets it deliver.)
      if (!policyToWrite) throw err;
      throw await undoPolicy(ports.policies, input.destinationBucket, previousPolicy, statement.Sid, err);
    }
    const stored = await ports.inventory.get(input.sourceBucket, input.id);
    const drift = stored ? diffInventoryConfig(stored, desired) : undefined;
    if (!stored || (drift && drift.length > 0)) {
      throw new ServiceError(
        'InventoryNotStored',
        `the inventory configuration ${input.id} on ${input.sourceBucket} reads back ${stored ? `different (${drift?.map((c) => c.field).join(', ')})` : 'missing'} after it was written`,
        'run again; if it persists, this store does not support S3 Inventory',
      );
    }
  }
  return result;
}

/**
 * After a failed configuration write: restore the destination's bucket policy to the exact text
 * it had (or delete it when there was none). Returns the error to throw: the original one, saying
 * the policy was restored, or, when the undo fails too, naming what was changed and the command
 * that reverts it.
 */
async function undoPolicy(
  policies: BucketPolicyStore,
  bucket: string,
  previous: string | undefined,
  sid: string | undefined,
  err: unknown,
): Promise<S3EncryptError> {
  const failure =
    err instanceof S3EncryptError
      ? err
      : new ServiceError('InventoryWriteFailed', err instanceof Error ? err.message : String(err));
  const again = (message: string, hint: string | undefined) =>
    new S3EncryptError(failure.code, message, hint, failure.exitCode, { cause: err });
  try {
    if (previous === undefined) await policies.delete(bucket);
    else await policies.put(bucket, previous);
  } catch (undoErr) {
    const why = undoErr instanceof S3EncryptError ? undoErr.oneLine() : String(undoErr);
    const revert =
      previous === undefined
        ? `aws s3api delete-bucket-policy --bucket ${bucket}`
        : `aws s3api put-bucket-policy --bucket ${bucket} --policy '${oneLineJson(previous).replace(/'/g, "'\\''")}'`;
    return again(
      `${failure.message}; the bucket policy of ${bucket} was already changed (statement ${sid ?? ''} ${previous === undefined ? 'written as a new policy' : 'added'}) and restoring it failed too (${why})`,
      `revert it with: ${revert}`,
    );
  }
  return again(
    `${failure.message}; the bucket policy of ${bucket}, written just before, was ${previous === undefined ? 'deleted again' : 'restored to its previous text'}`,
    failure.hint,
  );
}

function oneLineJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.replace(/\s*\n\s*/g, ' ');
  }
}
