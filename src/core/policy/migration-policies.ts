import { PreconditionError, S3EncryptError, UsageError } from '../errors.js';
import {
  parseKeyRef,
  refuseAwsManagedAlias,
  refuseKeyMismatch,
  regionOfArn,
  sameKey,
  shortKeyId,
} from '../kms/key.js';
import type { AccountInfo, BucketEncryptionStore, KeyDirectory } from '../ports.js';
import { cleanPrefix, isBucketName, isS3Uri, parseS3Uri } from '../s3-uri.js';
import { PolicyDocument } from './document.js';
import {
  documentsFor,
  type NamedDocument,
  type Operation,
  type PolicyFor,
  type PolicyTarget,
} from './documents.js';
import { leastPrivilegeViolations } from './least-privilege.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The policy command's flags, parsed. */
export interface PolicyRequest {
  bucket: string;
  kmsKey: string;
  skipKeyCheck?: boolean | undefined;
  /** --manifest-bucket: a bucket name or s3://BUCKET/PREFIX. */
  manifestBucket?: string | undefined;
  roleName: string;
  appRoleArn?: string | undefined;
  for: PolicyFor;
  operation: Operation;
  accountId?: string | undefined;
  contextCondition: boolean;
  inventoryKms: boolean;
  manifestGenerator: boolean;
  /** --region / AWS_REGION when the user named one: an offline key ARN must be in it. */
  explicitRegion?: string | undefined;
}

/** What the online path reads: the bucket's region, and the services there (and the key's region). */
interface PolicyConnection {
  region: string;
  account: AccountInfo;
  /** KMS in the key ARN's own region when it names one, else the bucket's. */
  keys: KeyDirectory;
  encryption: Pick<BucketEncryptionStore, 'getEncryption'>;
}

export interface PolicyPorts {
  /** Only when the target cannot be named offline. `keyRegion`: the region a key ARN names. */
  connect(keyRegion: string | undefined): Promise<PolicyConnection>;
}

export interface PolicyEvents {
  warn(text: string): void;
  debug(text: string): void;
}

export interface MigrationPolicies {
  target: PolicyTarget;
  documents: NamedDocument[];
}

/**
 * policy: the least-privilege documents of one migration, each checked against the rules the
 * tests apply. Writes nothing; reads (STS, DescribeKey, the manifest bucket's default
 * encryption) only when the key ARN and account are not both given.
 */
export async function migrationPolicies(
  ports: PolicyPorts,
  req: PolicyRequest,
  events: PolicyEvents,
): Promise<MigrationPolicies> {
  if (req.skipKeyCheck)
    throw new UsageError(
      'policy does not accept --skip-key-check: policies must name the key by its full ARN',
      'pass --kms-key as the key ARN (with --account-id and --region to work offline), or let policy resolve it',
      'SkipKeyCheckRefused',
    );
  const ref = parseKeyRef(req.kmsKey);
  refuseAwsManagedAlias(ref, false, 'create a customer managed key (aws kms create-key) and pass its ARN');
  const manifest = manifestLocation(req.manifestBucket);
  const needsManifest = ['batch-role', 'operator', 'inventory-destination', 'all'].includes(req.for);
  if (needsManifest && !manifest)
    throw new UsageError(
      `--for ${req.for} needs --manifest-bucket`,
      'name the bucket (and prefix) for manifests, reports and inventory, e.g. --manifest-bucket s3://my-inventory/s3-encrypt',
      'MissingOption',
    );

  const target = await resolveTarget(ports, req, ref, manifest, events);
  const documents = documentsFor(req.for, target);
  for (const d of documents) selfCheck(d);
  const names = new Set(documents.map((d) => d.name));
  if (names.has('operator'))
    events.warn(
      'the operator statement S3EncryptCreateJobs uses Resource "*": IAM has no resource type for s3:CreateJob; conditions narrow it',
    );
  if (names.has('key-policy') && !req.appRoleArn)
    events.warn("pass --app-role-arn to add your application's role to the key-policy statements");
  return { target, documents };
}

interface ManifestLocation {
  bucket: string;
  prefix: string;
}

function manifestLocation(m: string | undefined): ManifestLocation | undefined {
  if (m === undefined) return undefined;
  if (isS3Uri(m)) {
    const loc = parseS3Uri(m, '--manifest-bucket');
    return { bucket: loc.bucket, prefix: cleanPrefix(loc.key) };
  }
  if (!isBucketName(m))
    throw new UsageError(
      `invalid --manifest-bucket "${m}"`,
      'give a bucket name or s3://BUCKET/PREFIX',
      'InvalidOption',
    );
  return { bucket: m, prefix: '' };
}

/**
 * Offline when the key is a full key ARN and the account is given: the region is the key's (S3
 * only uses keys from the bucket's region). Otherwise the bucket's region, STS and DescribeKey.
 */
async function resolveTarget(
  ports: PolicyPorts,
  req: PolicyRequest,
  ref: string,
  manifest: ManifestLocation | undefined,
  events: PolicyEvents,
): Promise<PolicyTarget> {
  const base = {
    bucket: req.bucket,
    manifestBucket: manifest?.bucket ?? req.bucket,
    manifestPrefix: manifest?.prefix ?? '',
    roleName: req.roleName,
    appRoleArn: req.appRoleArn,
    operation: req.operation,
    contextCondition: req.contextCondition,
    manifestGenerator: req.manifestGenerator,
  };
  if (KEY_ARN.test(ref) && req.accountId) {
    const region = regionOfArn(ref) as string;
    if (req.explicitRegion !== undefined && req.explicitRegion !== region)
      throw new UsageError(
        `--kms-key is in ${region} but --region is ${req.explicitRegion}`,
        `S3 only uses keys from the bucket's region: pass --region ${region} or a key in ${req.explicitRegion}`,
        'KeyInOtherRegion',
      );
    events.debug('offline: key ARN and --account-id given, no AWS call');
    return { ...base, accountId: req.accountId, region, keyArn: ref, inventoryKms: req.inventoryKms };
  }
  // A key ARN is described in its own region, so a key from another region is named as such.
  const svc = await ports.connect(regionOfArn(ref));
  const accountId = req.accountId ?? (await svc.account.accountId());
  const key = await svc.keys.describeKey(ref);
  refuseKeyMismatch(ref, key);
  if (key.region !== svc.region)
    throw new PreconditionError(
      'KeyInOtherRegion',
      `KMS key ${key.arn} is in ${key.region} but the bucket is in ${svc.region}`,
      `S3 only uses keys from the bucket's region: choose a key in ${svc.region}`,
    );
  if (key.manager === 'AWS')
    throw new PreconditionError(
      'KeyAwsManaged',
      `KMS key ${key.arn} is AWS managed (aws/s3): its key policy cannot be changed`,
      'create a customer managed key (aws kms create-key) and pass its ARN',
    );
  if (key.state !== 'Enabled')
    events.warn(`KMS key ${key.arn} is ${key.state}: enable it before the migration`);
  let inventoryKms = req.inventoryKms;
  if (!inventoryKms && manifest) {
    try {
      const enc = await svc.encryption.getEncryption(manifest.bucket);
      const by = enc?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      const resolved = { id: key.arn, shortId: shortKeyId(key.arn), checked: true };
      inventoryKms = by?.SSEAlgorithm === 'aws:kms' && sameKey(by.KMSMasterKeyID, resolved);
    } catch (err) {
      if (!(err instanceof S3EncryptError)) throw err;
      events.warn(
        `could not read the default encryption of ${manifest.bucket} (${err.code}): pass --inventory-kms if it encrypts with ${key.arn}`,
      );
    }
  }
  return { ...base, accountId, region: svc.region, keyArn: key.arn, inventoryKms };
}

/** Our own output must pass the same checks the tests apply; a failure here is a bug, not user input. */
function selfCheck(d: NamedDocument): void {
  PolicyDocument.parse(d.policy);
  const problems = leastPrivilegeViolations(d.policy);
  if (problems.length > 0)
    throw new Error(`internal: document ${d.name} is broader than intended: ${problems.join('; ')}`);
}
