import { fail, pass, warn, type Check } from './check.js';
import type {
  LifecycleRule,
  Notifications,
  ObjectLockSettings,
  ReplicationRule,
  VersioningStatus,
} from './ports.js';

export function regionCheck(bucket: string, region: string): Check {
  return pass(
    'bucket-region',
    'Bucket region',
    `${bucket} is in ${region}`,
    'the key and every Batch job must be in this region; s3-encrypt uses it automatically',
  );
}

export function versioningCheck(status: VersioningStatus): Check {
  const title = 'Versioning';
  if (status === 'Enabled')
    return pass(
      'versioning',
      title,
      'enabled: each copy adds a new encrypted version and keeps the old unencrypted one',
      "expire old versions with a lifecycle rule (next check); 'verify --all-versions' lists any left",
    );
  if (status === 'Suspended')
    return warn(
      'versioning',
      title,
      'suspended: copies overwrite the null version, versions written before the suspension stay unencrypted',
      "re-enable versioning or delete the old versions after checking them with 'verify --all-versions'",
    );
  return pass(
    'versioning',
    title,
    'off: copies replace each object in place, there is no previous version to roll back to',
    'nothing to do; keep a backup if you need a way back',
  );
}

/** What keeping old versions costs, when the object sizes are known. */
export interface ExtraStorage {
  bytes: string;
  usdPerMonth: string;
  partial: boolean;
}

export function lifecycleCheck(
  versioning: VersioningStatus,
  rules: LifecycleRule[],
  extra: ExtraStorage | undefined,
): Check {
  const id = 'noncurrent-lifecycle';
  const title = 'Noncurrent version expiry';
  if (versioning === 'Off')
    return pass(id, title, 'not needed: the bucket is not versioned', 'nothing to do');
  const expiring = rules.filter((r) => r.enabled && r.noncurrentExpirationDays !== undefined);
  const whole = expiring.find((r) => r.wholeBucket);
  if (whole)
    return pass(
      id,
      title,
      `rule ${whole.id ?? '(unnamed)'} expires noncurrent versions after ${whole.noncurrentExpirationDays} days`,
      'the unencrypted versions a copy leaves behind are deleted after that many days',
    );
  const cost = extra
    ? `; copying keeps ${extra.partial ? 'at least ' : ''}${extra.bytes} of old versions (~${extra.usdPerMonth}/month)`
    : '';
  if (expiring.length > 0)
    return warn(
      id,
      title,
      `only some objects expire old versions (${expiring.map((r) => r.scope).join('; ')})${cost}`,
      'add a NoncurrentVersionExpiration rule for the whole bucket, or accept the extra storage and old plaintext',
    );
  return warn(
    id,
    title,
    `no NoncurrentVersionExpiration rule: old unencrypted versions stay forever${cost}`,
    'add a lifecycle rule with NoncurrentVersionExpiration (e.g. 30 days) before copying, or use UpdateObjectEncryption per version',
  );
}

export function objectLockCheck(lock: ObjectLockSettings | undefined): Check {
  const id = 'object-lock';
  const title = 'Object Lock';
  if (!lock?.enabled) return pass(id, title, 'not enabled', 'nothing to do');
  const retention = lock.defaultMode
    ? `default retention ${lock.defaultMode} ${lock.defaultDays !== undefined ? `${lock.defaultDays} days` : `${lock.defaultYears ?? '?'} years`}`
    : 'no default retention';
  return warn(
    id,
    title,
    `enabled (${retention}): UpdateObjectEncryption fails on objects under retention or legal hold`,
    'copies get the default retention only: set the same retention on each copy, and expect locked old versions to stay until they expire',
  );
}

export function replicationCheck(rules: ReplicationRule[]): Check {
  const id = 'replication';
  const title = 'Replication';
  const active = rules.filter((r) => r.enabled);
  if (active.length === 0)
    return pass(id, title, rules.length ? 'all rules are disabled' : 'no replication rules', 'nothing to do');
  const name = (r: ReplicationRule) => `${r.id ?? '(unnamed)'} -> ${r.destination}`;
  const noKms = active.filter((r) => !r.sseKmsEncryptedObjects);
  if (noKms.length > 0)
    return fail(
      id,
      title,
      `rule ${noKms.map(name).join(', ')} lacks SourceSelectionCriteria.SseKmsEncryptedObjects: SSE-KMS objects stop replicating`,
      'enable SseKmsEncryptedObjects and set Destination.EncryptionConfiguration.ReplicaKmsKeyID before migrating',
    );
  const noReplicaKey = active.filter((r) => !r.replicaKmsKeyId);
  if (noReplicaKey.length > 0)
    return warn(
      id,
      title,
      `rule ${noReplicaKey.map(name).join(', ')} has no Destination.EncryptionConfiguration.ReplicaKmsKeyID`,
      'set ReplicaKmsKeyID to a key in the destination region; UpdateObjectEncryption does not replicate, run it on the destination too',
    );
  return pass(
    id,
    title,
    `${active.length} rule(s) replicate SSE-KMS objects with a replica key`,
    'copies replicate; UpdateObjectEncryption does not, run it on the destination too',
  );
}

const COPY_EVENTS = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
];

export function notificationCheck(n: Notifications): Check {
  const id = 'event-notifications';
  const title = 'Event notifications';
  const hits = n.targets.filter((t) => t.events.some((e) => COPY_EVENTS.includes(e)));
  const parts = hits.map(
    (t) => `${t.kind} ${t.arn} (${t.events.filter((e) => COPY_EVENTS.includes(e)).join(', ')})`,
  );
  if (n.eventBridge) parts.push('EventBridge (every event)');
  if (parts.length === 0)
    return pass(id, title, 'nothing listens to ObjectCreated copy events', 'nothing to do');
  return warn(
    id,
    title,
    `copies fire ${parts.join('; ')}`,
    'pause or filter these consumers during the copy, or make them idempotent; UpdateObjectEncryption does not rewrite objects',
  );
}
