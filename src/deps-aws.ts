import { accountInfo } from './adapters/aws/accounts/account.js';
import { auditDirectory } from './adapters/aws/accounts/audit-access.js';
import { bucketEncryptionStore, bucketInfo } from './adapters/aws/settings/bucket-settings.js';
import { makeClients } from './adapters/aws/transport/clients.js';
import { checkProfileExists } from './adapters/aws/transport/profile.js';
import { DEFAULT_LIMITS, type RequestLimits } from './adapters/aws/transport/request-limits.js';
import { keyDirectory } from './adapters/aws/settings/key-directory.js';
import { objectReader } from './adapters/aws/objects/object-reader.js';
import { encryptServices } from './adapters/aws/objects/object-engine-services.js';
import { batchJobs } from './adapters/aws/batch/batch-jobs.js';
import { bucketPolicyStore } from './adapters/aws/settings/bucket-policy.js';
import { inventoryConfigStore } from './adapters/aws/inventory/inventory-config.js';
import { inventoryPorts } from './adapters/aws/inventory/inventory-ports.js';
import { batchFiles } from './adapters/aws/batch/job-report.js';
import { bucketAudit } from './adapters/aws/settings/bucket-audit.js';
import { keyAudit } from './adapters/aws/settings/key-audit.js';
import { jsonFiles } from './adapters/fs/prices-file.js';
import type { GlobalConfig } from './config/global.js';
import type { Services } from './deps.js';

/**
 * The composition root: the only place that turns configuration into real AWS adapters.
 * `signal` (the run's interrupt) aborts every request in flight of every client built here.
 */
export function awsServices(config: GlobalConfig, signal?: AbortSignal): Services {
  const base = { region: config.region, endpoint: config.endpointUrl, limits: requestLimits(config), signal };
  const aws = makeClients({ ...base, profile: config.profile });
  const account = accountInfo(aws);
  return {
    region: config.region,
    endpoint: config.endpointUrl,
    keys: keyDirectory(aws),
    buckets: bucketInfo(aws),
    encryption: bucketEncryptionStore(aws),
    objects: objectReader(aws),
    account,
    caller: account,
    inventoryConfigs: inventoryConfigStore(aws),
    bucketPolicies: bucketPolicyStore(aws),
    batchJobs: batchJobs(aws),
    batchFiles: batchFiles(aws),
    inventory: inventoryPorts(aws),
    bucketAudit: bucketAudit(aws),
    keyAudit: keyAudit(aws),
    files: jsonFiles(),
    encrypt: encryptServices(aws),
    audit: auditDirectory(base, config.sharedFiles ?? {}),
  };
}

/** awsServices after the checks no adapter can make lazily: a named profile must exist. */
export async function checkedAwsServices(config: GlobalConfig, signal?: AbortSignal): Promise<Services> {
  if (config.profile) await checkProfileExists(config.profile, config.sharedFiles ?? {});
  return awsServices(config, signal);
}

/** The default limits, with the waits the environment overrides (config/global.ts). */
function requestLimits(config: GlobalConfig): RequestLimits {
  return {
    ...DEFAULT_LIMITS,
    ...(config.timeouts?.connectMs !== undefined ? { connectMs: config.timeouts.connectMs } : {}),
    ...(config.timeouts?.responseMs !== undefined ? { responseMs: config.timeouts.responseMs } : {}),
  };
}
