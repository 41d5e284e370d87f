import { textDigests } from './adapters/crypto/text-digests.js';
import { checkEvidenceReportPath, writeEvidenceReport } from './adapters/fs/evidence-report-file.js';
import { listFiles } from './adapters/fs/list-file.js';
import { dirDeliveryReader } from './adapters/fs/manifest-from-dir.js';
import { checkOutDir, manifestWriter } from './adapters/fs/manifest-writer.js';
import { checkReportPath } from './adapters/fs/report-writer.js';
import { checkStateFile } from './adapters/fs/state-store.js';
import { checkOutputFile, sameFile } from './adapters/fs/user-path.js';
import type { GlobalConfig } from './config/global.js';
import type { EvidenceReportFiles } from './output/evidence-report.js';
import type { AuditDirectory, ListFiles } from './core/audit/ports.js';
import type { BatchFiles, BatchJobs, TextDigests } from './core/batch/ports.js';
import type { EncryptServices } from './core/encrypt/ports.js';
import type { BucketPolicyStore, InventoryConfigStore } from './core/inventory-config/ports.js';
import type { InventoryPorts, OfflineInventoryPorts } from './core/inventory/ports.js';
import type { BucketAudit, JsonFiles, KeyAudit } from './core/plan/ports.js';
import type {
  AccountInfo,
  BucketEncryptionStore,
  BucketInfo,
  CallerIdentity,
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
  /** Who the requests are made as: the evidence report names it. */
  caller: CallerIdentity;
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
  /** audit: any profile, assumed roles in other accounts, every region (read-only). */
  audit: AuditDirectory;
}

export type ServicesFactory = (config: GlobalConfig) => Services | Promise<Services>;

/** What needs no AWS at all: always loaded, and all that offline runs (--from-dir with --out) use. */
export interface OfflineServices {
  inventory: OfflineInventoryPorts;
  paths: PathChecks;
  evidence: EvidenceReportFiles;
  /** audit's --accounts and --buckets files. */
  lists: ListFiles;
  /** SHA-256 / MD5 of text: create-job's request tokens, status's retry-manifest comparison. */
  digests: TextDigests;
}

/**
 * Checks of the local paths a command was given, run before its first request: each refuses a
 * path it cannot use with one line (exit 2) and changes nothing.
 */
interface PathChecks {
  /** --state: usable, and empty or a state file of this bucket (and key, when known). */
  stateFile(path: string, want: { bucket: string; kmsKey?: string | undefined }): Promise<void>;
  /** --report: a file that can be written (or /dev/stdout). */
  reportFile(path: string): Promise<void>;
  /** --out: a directory, or a path where one can be made. */
  outDir(path: string): Promise<void>;
  /** Any other file a command writes (status --retry-manifest). */
  outputFile(path: string, flag: string): Promise<void>;
  /** Whether two paths name one file (through links too). */
  sameFile(a: string, b: string): Promise<boolean>;
}

export const offlineServices: OfflineServices = {
  inventory: {
    dirDelivery: (dir) => dirDeliveryReader(dir),
    manifestWriter: (opts) => manifestWriter(opts),
  },
  paths: {
    stateFile: async (path, want) => void (await checkStateFile(path, want)),
    reportFile: checkReportPath,
    outDir: checkOutDir,
    outputFile: checkOutputFile,
    sameFile,
  },
  evidence: { check: checkEvidenceReportPath, write: writeEvidenceReport },
  lists: listFiles(),
  digests: textDigests,
};

/**
 * The AWS adapters, loaded on first use: the SDK is about a third of the start-up time, which
 * --help, --version and offline runs need not pay. Every request they send is aborted when
 * `signal` (the run's interrupt) fires.
 */
export function awsServicesFor(signal: AbortSignal): ServicesFactory {
  return async (config) => (await import('./deps-aws.js')).checkedAwsServices(config, signal);
}
