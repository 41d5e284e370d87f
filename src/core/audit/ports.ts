import type { InventoryLocation, DeliveryReader } from '../inventory/ports.js';
import type { BucketAudit } from '../plan/ports.js';
import type { BucketEncryptionStore, KeyDirectory, ObjectReader } from '../ports.js';

/**
 * What audit reads, across accounts and regions. The adapter (src/adapters/aws/accounts/audit-access.ts)
 * holds the credentials; the core sees only these handles. Every method throws S3EncryptError
 * subclasses (AccessDenied names the IAM action), never SDK errors. Nothing here writes.
 */

/** STS GetCallerIdentity: who the credentials are. */
export interface CallerIdentity {
  /** 12 digits. */
  account: string;
  /** The principal ARN (user, assumed-role session, ...). */
  arn: string;
}

/** One Organizations ListAccounts entry. */
export interface OrgAccount {
  id: string;
  name?: string | undefined;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE. */
  status: string;
}

/** The reads audit makes in one account and one region. */
export interface RegionReader {
  encryption: Pick<BucketEncryptionStore, 'getEncryption'>;
  settings: Pick<BucketAudit, 'versioning' | 'objectLock' | 'inventoryConfigurations' | 'lifecycleRules'>;
  /** The newest delivery of one inventory configuration (read with build-manifest's scanner). */
  delivery(loc: InventoryLocation): DeliveryReader;
  /** Listing and HEAD (the HEAD proof of head-proof.ts) for --sample. */
  objects: ObjectReader;
  keys: KeyDirectory;
}

/** One set of credentials: a profile, the default chain, or an assumed role. */
export interface AccountAccess {
  identity(): Promise<CallerIdentity>;
  /** ListBuckets (every region), all pages. */
  listBuckets(): Promise<string[]>;
  /** GetBucketLocation, as a region code (an empty constraint is us-east-1, EU is eu-west-1). */
  bucketRegion(bucket: string): Promise<string>;
  /** Organizations ListAccounts, all pages (the credentials must be of the management or a delegated account). */
  organizationAccounts(): Promise<OrgAccount[]>;
  /** sts:AssumeRole into `roleArn`; the credentials are renewed before they expire. */
  assumeRole(roleArn: string, sessionName: string): Promise<AccountAccess>;
  inRegion(region: string): RegionReader;
}

export interface AuditDirectory {
  /** The credentials of a named profile, or of the default chain when `profile` is undefined. */
  open(profile: string | undefined): Promise<AccountAccess>;
}

/** Small text files named by flags (--accounts, --buckets): one entry a line. */
export interface ListFiles {
  /** The file's lines, as read. Throws UsageError naming `flag` when it is missing or unreadable. */
  readLines(path: string, flag: string): Promise<string[]>;
}
