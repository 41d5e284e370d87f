import { accountInfo } from './adapters/aws/account.js';
import { bucketEncryptionStore, bucketInfo } from './adapters/aws/bucket-settings.js';
import { makeClients } from './adapters/aws/clients.js';
import { keyDirectory } from './adapters/aws/key-directory.js';
import { objectReader } from './adapters/aws/object-reader.js';
import { encryptServices } from './adapters/aws/object-engine-services.js';
import type { EncryptServices } from './core/encrypt/ports.js';
import { batchJobs } from './adapters/aws/batch-jobs.js';
import { bucketPolicyStore } from './adapters/aws/bucket-policy.js';
import { inventoryConfigStore } from './adapters/aws/inventory-config.js';
import { inventoryPorts } from './adapters/aws/inventory-ports.js';
import { batchFiles } from './adapters/aws/job-report.js';
import { bucketAudit } from './adapters/aws/bucket-audit.js';
import { keyAudit } from './adapters/aws/key-audit.js';
import { jsonFiles } from './adapters/fs/prices-file.js';
import type { BucketAudit, JsonFiles, KeyAudit } from './core/plan/ports.js';
import type { BatchFiles, BatchJobs } from './core/batch/ports.js';
import type { BucketPolicyStore, InventoryConfigStore } from './core/inventory-config/ports.js';
import type { InventoryPorts } from './core/inventory/ports.js';
import type { GlobalConfig } from './config/global.js';
import type {
  AccountInfo,
  BucketEncryptionStore,
  BucketInfo,
  KeyDirectory,
  ObjectReader,
} from './core/ports.js';

/** Every port a command may use, built for one region. Tests build this from fakes instead. */
export interface Services {
  region: string;
  endpoint?: string | undefined;
  keys: KeyDirectory;
  buckets: BucketInfo;
  encryption: BucketEncryptionStore;
  objects: ObjectReader;
  account: AccountInfo;
  inventoryConfigs: InventoryConfigStore;
  bucketPolicies: BucketPolicyStore;
  batchJobs: BatchJobs;
  batchFiles: BatchFiles;
  /** Inventory deliveries (S3 or local), manifest files and uploads: build-manifest, verify --inventory, plan. */
  inventory: InventoryPorts;
  /** Read-only bucket and key settings for plan. */
  bucketAudit: BucketAudit;
  keyAudit: KeyAudit;
  /** JSON files named by flags (--prices, --summary). */
  files: JsonFiles;
  /** The direct engine (encrypt): its object store, manifests, state and report files. */
  encrypt: EncryptServices;
}

export type ServicesFactory = (config: GlobalConfig) => Services;

/** The composition root: the only place that turns configuration into real AWS adapters. */
export const awsServices: ServicesFactory = (config) => {
  const aws = makeClients({ region: config.region, profile: config.profile, endpoint: config.endpointUrl });
  return {
    region: config.region,
    endpoint: config.endpointUrl,
    keys: keyDirectory(aws),
    buckets: bucketInfo(aws),
    encryption: bucketEncryptionStore(aws),
    objects: objectReader(aws),
    account: accountInfo(aws),
    inventoryConfigs: inventoryConfigStore(aws),
    bucketPolicies: bucketPolicyStore(aws),
    batchJobs: batchJobs(aws),
    batchFiles: batchFiles(aws),
    inventory: inventoryPorts(aws),
    bucketAudit: bucketAudit(aws),
    keyAudit: keyAudit(aws),
    files: jsonFiles(),
    encrypt: encryptServices(aws),
  };
};
