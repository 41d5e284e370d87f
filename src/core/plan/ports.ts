/**
 * What plan reads about a bucket and a key, in our own words. Adapters (src/adapters/aws/
 * bucket-audit.ts, key-audit.ts) translate S3 and KMS answers into these shapes; "not configured"
 * is a normal answer (empty list / undefined), never an error. Every method throws
 * S3EncryptError subclasses (AccessDenied names the IAM action).
 */

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Off';

export interface LifecycleRule {
  id?: string | undefined;
  enabled: boolean;
  /** True when the rule has no filter, or only an empty prefix: it covers every object. */
  wholeBucket: boolean;
  /** Human description of the filter, e.g. "prefix logs/" or "tag env=dev". */
  scope: string;
  noncurrentExpirationDays?: number | undefined;
}

export interface ObjectLockSettings {
  enabled: boolean;
  defaultMode?: string | undefined;
  defaultDays?: number | undefined;
  defaultYears?: number | undefined;
}

/**
 * S3 Object Ownership ('BucketOwnerEnforced', 'BucketOwnerPreferred' or 'ObjectWriter', kept open for
 * values S3 adds); undefined when the bucket has no ownership controls (legacy: ACLs on).
 */
export type ObjectOwnership = string;

export interface AclGrant {
  /** CanonicalUser | Group | AmazonCustomerByEmail */
  type: string;
  id?: string | undefined;
  uri?: string | undefined;
  email?: string | undefined;
  permission: string;
}

export interface ObjectAcl {
  ownerId?: string | undefined;
  grants: AclGrant[];
}

export interface ReplicationRule {
  id?: string | undefined;
  enabled: boolean;
  /** Destination bucket ARN. */
  destination: string;
  sseKmsEncryptedObjects: boolean;
  replicaKmsKeyId?: string | undefined;
}

export interface NotificationTarget {
  kind: 'queue' | 'topic' | 'lambda';
  arn: string;
  events: string[];
}

export interface Notifications {
  targets: NotificationTarget[];
  eventBridge: boolean;
}

export interface InventoryConfigInfo {
  id: string;
  enabled: boolean;
  format: string;
  includedVersions: string;
  optionalFields: string[];
  /** Destination bucket ARN (arn:aws:s3:::name). */
  destinationBucket: string;
  destinationPrefix?: string | undefined;
  /**
   * Filter.Prefix: the configuration lists only keys under it, so its deliveries say nothing
   * about the rest of the bucket. Undefined or empty: the whole bucket.
   */
  filterPrefix?: string | undefined;
  frequency?: string | undefined;
  /** Report encryption: SSE-S3, SSE-KMS (with key), or none. */
  encryption?: { type: 'SSE-S3' } | { type: 'SSE-KMS'; keyId?: string | undefined } | undefined;
}

export interface BucketAudit {
  versioning(bucket: string): Promise<VersioningStatus>;
  lifecycleRules(bucket: string): Promise<LifecycleRule[]>;
  /** undefined when Object Lock was never enabled on the bucket. */
  objectLock(bucket: string): Promise<ObjectLockSettings | undefined>;
  ownership(bucket: string): Promise<ObjectOwnership | undefined>;
  /** GetObjectAcl; undefined when the object disappeared since it was listed. */
  objectAcl(bucket: string, key: string): Promise<ObjectAcl | undefined>;
  replicationRules(bucket: string): Promise<ReplicationRule[]>;
  notifications(bucket: string): Promise<Notifications>;
  inventoryConfigurations(bucket: string): Promise<InventoryConfigInfo[]>;
}

export interface KeyAudit {
  /** GetKeyRotationStatus. */
  rotationEnabled(keyArn: string): Promise<boolean>;
  /** GetKeyPolicy with the only policy name KMS has, `default`: the JSON text. */
  keyPolicy(keyArn: string): Promise<string>;
}

/** Small JSON files the user names on the command line (--prices, --summary). */
export interface JsonFiles {
  /** Parsed JSON. Throws UsageError naming `flag` when the file is missing, unreadable or not JSON. */
  readJson(path: string, flag: string): Promise<unknown>;
}
