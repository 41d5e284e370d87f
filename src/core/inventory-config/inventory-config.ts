import { bucketArn, cleanPrefix, joinKey } from '../s3-uri.js';

/**
 * An S3 Inventory configuration in S3's own field names (PutBucketInventoryConfiguration's
 * `InventoryConfiguration`), so the dry run prints exactly what is sent.
 */
export interface InventoryConfig {
  Id: string;
  IsEnabled: boolean;
  /** 'All' or 'Current'; kept open for values S3 adds. */
  IncludedObjectVersions: string;
  /** Frequency: 'Daily' or 'Weekly'; kept open for values S3 adds. */
  Schedule: { Frequency: string };
  Filter?: { Prefix?: string; [k: string]: unknown } | undefined;
  OptionalFields: string[];
  Destination: {
    S3BucketDestination: {
      Bucket: string;
      AccountId?: string | undefined;
      Format: string;
      Prefix?: string | undefined;
      Encryption?: unknown;
    };
  };
  [k: string]: unknown;
}

/**
 * The columns build-manifest and verify need, in the order AWS's examples list them. EncryptionStatus
 * and BucketKeyStatus pick the work; Size, StorageClass and IntelligentTieringAccessTier split it
 * (5 GB limit, one storage class per job, archived objects); the Object Lock fields and
 * ObjectAccessControlList / ObjectOwner flag objects a copy would change (retention, ACL grants). @internal
 */
export const OPTIONAL_FIELDS: readonly string[] = [
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ObjectAccessControlList',
  'ObjectOwner',
];

export const DEFAULT_INVENTORY_ID = 's3-encrypt';

export interface InventorySpec {
  sourceBucket: string;
  id: string;
  /** Only objects under this key prefix (Filter.Prefix), exactly as given. */
  prefix?: string | undefined;
  versions: 'All' | 'Current';
  frequency: 'Daily' | 'Weekly';
  destinationBucket: string;
  /** Account that owns the destination bucket; S3 refuses delivery to another owner. */
  destinationAccount: string;
  destinationPrefix?: string | undefined;
}

/** CSV only: S3 Batch Operations and the manifest builder read CSV inventories, not ORC/Parquet. */
export function desiredInventoryConfig(spec: InventorySpec): InventoryConfig {
  const destPrefix = cleanPrefix(spec.destinationPrefix);
  return {
    Id: spec.id,
    IsEnabled: true,
    IncludedObjectVersions: spec.versions,
    Schedule: { Frequency: spec.frequency },
    ...(spec.prefix ? { Filter: { Prefix: spec.prefix } } : {}),
    OptionalFields: [...OPTIONAL_FIELDS],
    Destination: {
      S3BucketDestination: {
        Bucket: bucketArn(spec.destinationBucket),
        AccountId: spec.destinationAccount,
        Format: 'CSV',
        ...(destPrefix ? { Prefix: destPrefix } : {}),
      },
    },
  };
}

/** Where deliveries land: `s3://DEST/<prefix>/SOURCE/ID/` (manifest folders, data/, hive/). */
export function reportLocation(spec: InventorySpec): string {
  return `s3://${spec.destinationBucket}/${joinKey(cleanPrefix(spec.destinationPrefix), spec.sourceBucket, spec.id)}/`;
}

export interface ConfigChange {
  field: string;
  before: string | undefined;
  after: string | undefined;
}

/**
 * Field-by-field differences, ignoring what S3 does not preserve: the order of OptionalFields and
 * absent-versus-empty optional members. An empty result means the stored configuration is ours.
 */
export function diffInventoryConfig(current: InventoryConfig, desired: InventoryConfig): ConfigChange[] {
  const a = flatten(current);
  const b = flatten(desired);
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changes: ConfigChange[] = [];
  for (const field of fields) {
    if (a[field] !== b[field]) changes.push({ field, before: a[field], after: b[field] });
  }
  return changes;
}

function flatten(value: unknown, path = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === undefined || value === null || value === '') return out;
  if (Array.isArray(value)) {
    const items = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).sort();
    if (items.length > 0) out[path] = items.join(', ');
    return out;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // A nested empty object is a value (Encryption: { SSES3: {} }); an empty top-level Filter is not.
    if (entries.length === 0 && path.includes('.')) out[path] = '{}';
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
    return out;
  }
  // A JSON scalar: strings as they are, numbers and booleans as JSON writes them.
  out[path] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}
