import { UsageError } from '../errors.js';
import { bucketArn, objectArn, type S3Location } from '../s3-uri.js';

/**
 * S3 Control CreateJob input in the SDK's own field names: the dry run prints exactly what the
 * adapter sends.
 */
export interface CreateJobRequest {
  AccountId: string;
  /** Always false: a job created with confirmation waits, Suspended, until someone confirms it. */
  ConfirmationRequired: false;
  ClientRequestToken: string;
  Priority: number;
  RoleArn: string;
  Description: string;
  Operation: JobOperation;
  Report: JobReport;
  Manifest?: JobManifest;
  ManifestGenerator?: JobManifestGenerator;
}

type JobOperation =
  | {
      S3PutObjectCopy: {
        TargetResource: string;
        BucketKeyEnabled: true;
        StorageClass: string;
        MetadataDirective: 'COPY';
      };
    }
  | {
      S3UpdateObjectEncryption: {
        ObjectEncryption: { SSEKMS: { KMSKeyArn: string; BucketKeyEnabled: true } };
      };
    };

interface JobReport {
  Bucket: string;
  Format: 'Report_CSV_20180820';
  Enabled: true;
  Prefix?: string;
  ReportScope: 'FailedTasksOnly';
}

interface JobManifest {
  Spec: { Format: 'S3BatchOperations_CSV_20180820'; Fields: ('Bucket' | 'Key' | 'VersionId')[] };
  Location: { ObjectArn: string; ETag: string };
}

interface JobManifestGenerator {
  S3JobManifestGenerator: {
    ExpectedBucketOwner: string;
    SourceBucket: string;
    EnableManifestOutput: true;
    ManifestOutputLocation: {
      ExpectedManifestBucketOwner: string;
      Bucket: string;
      ManifestPrefix?: string;
      ManifestEncryption: { SSES3: Record<string, never> };
      ManifestFormat: 'S3InventoryReport_CSV_20211130';
    };
    Filter: {
      MatchAnyObjectEncryption: [{ NOTSSE: Record<string, never> } | { SSES3: Record<string, never> }];
      MatchAnyStorageClass?: string[];
      KeyNameConstraint?: { MatchAnyPrefix: string[] };
    };
  };
}

export type JobGroup = 'copy' | 'update-encryption';

/**
 * Classes a Batch copy can write. REDUCED_REDUNDANCY is refused by Batch copy, and GLACIER /
 * DEEP_ARCHIVE objects must be restored before any copy; those never become copy jobs. @internal
 */
export const BATCH_COPY_CLASSES: readonly string[] = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
];

export function checkCopyStorageClass(storageClass: string, where: string): void {
  if (!BATCH_COPY_CLASSES.includes(storageClass)) {
    throw new UsageError(
      `${where}: storage class ${storageClass} cannot be written by a Batch copy job`,
      `copy jobs support ${BATCH_COPY_CLASSES.join(', ')}; use 's3-encrypt encrypt' for other objects`,
      'UnsupportedStorageClass',
    );
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function checkRoleArn(roleArn: string): string {
  const trimmed = roleArn.trim();
  if (!ROLE_ARN.test(trimmed)) {
    throw new UsageError(
      `invalid --role-arn "${roleArn}"`,
      'give the IAM role S3 Batch Operations assumes, as arn:aws:iam::ACCOUNT:role/NAME',
      'InvalidRoleArn',
    );
  }
  return trimmed;
}

export function checkAccountId(accountId: string): string {
  if (!/^\d{12}$/.test(accountId)) {
    throw new UsageError(
      `invalid account id "${accountId}"`,
      'an AWS account id is 12 digits',
      'InvalidAccountId',
    );
  }
  return accountId;
}

/**
 * The job's role must be in the account that creates the job: "You can only use the PassRole
 * permission to pass an IAM role to a service that shares the same AWS account" (IAM User Guide,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html). A role of another
 * account would be refused at CreateJob as an access denial naming iam:PassRole, which no grant
 * fixes; refused here before any upload instead.
 */
export function checkRoleAccount(roleArn: string, accountId: string): void {
  const roleAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1];
  if (roleAccount !== undefined && roleAccount !== accountId) {
    throw new UsageError(
      `--role-arn ${roleArn} is a role of account ${roleAccount}, but the job is created in account ${accountId} (these credentials' account)`,
      `pass a role of account ${accountId}: S3 Batch Operations can only be given a role of the account that creates the job`,
      'RoleInOtherAccount',
    );
  }
}

/** SHA-256 as lowercase hex; injected because the core does no crypto itself. */
export type Sha256Hex = (text: string) => string;

/**
 * The idempotency token: the same account, region, operation, manifest (ARN + ETag), key and
 * storage class always give the same token, so a rerun (after a timeout, a crash, or by habit)
 * never starts a second job on the same objects. Priority, report and role are left out on
 * purpose: changing them must not be a way to copy everything twice.
 *
 * The key ARN stays in it although the copy operation no longer names the key: the job's intent
 * is "these objects under this key" (create-job checks the bucket default is that key), so another
 * key is other work. Keeping the parts (and `v1`) also means a job created before the copy lost
 * SSEAwsKmsKeyId has the same token: a rerun gets that job back, or IdempotencyException (same
 * token, other request; the adapter reports "already created"), never a second copy. @internal
 */
export function jobToken(sha256: Sha256Hex, parts: readonly string[]): string {
  return sha256(['s3-encrypt/create-job/v1', ...parts].join('\n')).slice(0, 64);
}

export interface CommonJobInput {
  accountId: string;
  region: string;
  roleArn: string;
  priority: number;
  report: S3Location;
  /** Full key ARN: Batch refuses aliases and bare ids. */
  keyArn: string;
  bucket: string;
}

export interface ManifestJobInput extends CommonJobInput {
  group: JobGroup;
  storageClass?: string | undefined;
  manifest: S3Location;
  etag: string;
  versioned: boolean;
  description: string;
}

function operationFor(
  group: JobGroup,
  input: { bucket: string; keyArn: string; storageClass?: string | undefined },
): JobOperation {
  if (group === 'copy') {
    if (!input.storageClass) throw new Error('copy jobs need a storage class');
    // The recipe proven on AWS, and nothing more. No encryption field but BucketKeyEnabled:
    // - UG "Using S3 Batch Operations to encrypt objects with S3 Bucket Keys"
    //   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-copy-example-bucket-key.html)
    //   leaves the job's server-side encryption unspecified and lets the bucket default
    //   (SSE-KMS + Bucket Key) encrypt the copies; create-job refuses to run without that default
    //   (default-encryption-gate.ts). CopyObject: "if you don't specify encryption information in
    //   your copy request, the encryption setting of the target object is set to the default
    //   encryption configuration of the destination bucket" (API CopyObject).
    // - BucketKeyEnabled=true: the seed's team ran exactly {BucketKeyEnabled=true, TargetResource}
    //   and found the copies had no Bucket Key without it (API_control_S3CopyObjectOperation.html:
    //   "Setting this header to true causes Amazon S3 to use an S3 Bucket Key").
    // - No SSEAwsKmsKeyId: no AWS example sends it without NewObjectMetadata.SSEAlgorithm, and
    //   never NewObjectMetadata: given, it IS the new objects' metadata ("If you don't provide this
    //   parameter, Amazon S3 copies all the metadata from the original objects", same page).
    // - StorageClass: a copy without one writes STANDARD (API CopyObject StorageClass); one class
    //   per job. MetadataDirective=COPY: keep the metadata (valid values COPY | REPLACE, same page).
    return {
      S3PutObjectCopy: {
        TargetResource: bucketArn(input.bucket),
        BucketKeyEnabled: true,
        StorageClass: input.storageClass,
        MetadataDirective: 'COPY',
      },
    };
  }
  return {
    S3UpdateObjectEncryption: {
      ObjectEncryption: { SSEKMS: { KMSKeyArn: input.keyArn, BucketKeyEnabled: true } },
    },
  };
}

function jobReport(report: S3Location): JobReport {
  const prefix = report.key.replace(/\/+$/, '');
  return {
    Bucket: bucketArn(report.bucket),
    Format: 'Report_CSV_20180820',
    Enabled: true,
    ...(prefix ? { Prefix: prefix } : {}),
    ReportScope: 'FailedTasksOnly',
  };
}

/**
 * What every job request shares. The request token hashes the account, region and operation and
 * then `identity`: the parts that make it this job, so a rerun of the same work is the same job.
 */
function jobBase(
  sha256: Sha256Hex,
  input: CommonJobInput,
  operation: JobOperation,
  identity: string[],
  description: string,
): Omit<CreateJobRequest, 'Manifest' | 'ManifestGenerator'> {
  const operationName = Object.keys(operation)[0] as string;
  return {
    AccountId: input.accountId,
    ConfirmationRequired: false,
    ClientRequestToken: jobToken(sha256, [input.accountId, input.region, operationName, ...identity]),
    Priority: input.priority,
    RoleArn: input.roleArn,
    Description: description.slice(0, 256),
    Operation: operation,
    Report: jobReport(input.report),
  };
}

export function manifestJobRequest(sha256: Sha256Hex, input: ManifestJobInput): CreateJobRequest {
  const manifestArn = objectArn(input.manifest);
  const identity = [manifestArn, input.etag, input.keyArn, input.storageClass ?? ''];
  return {
    ...jobBase(sha256, input, operationFor(input.group, input), identity, input.description),
    Manifest: {
      Spec: {
        Format: 'S3BatchOperations_CSV_20180820',
        Fields: input.versioned ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'],
      },
      Location: { ObjectArn: manifestArn, ETag: input.etag },
    },
  };
}

export interface GeneratorJobInput extends CommonJobInput {
  group: JobGroup;
  /** Required for copy: the generator cannot split by class, and one job writes one class. */
  storageClass?: string | undefined;
  prefix?: string | undefined;
  /** YYYY-MM-DD (UTC): the object list is built when the job runs, so a rerun on another day is new work. */
  day: string;
}

/**
 * A job whose object list S3 builds itself (no inventory wait). The encryption filter takes
 * exactly one type, so NOT-SSE objects (copy) and SSE-S3 objects (update in place) are two jobs.
 */
export function generatorJobRequest(sha256: Sha256Hex, input: GeneratorJobInput): CreateJobRequest {
  const encryption = input.group === 'copy' ? { NOTSSE: {} } : { SSES3: {} };
  const filter: JobManifestGenerator['S3JobManifestGenerator']['Filter'] = {
    MatchAnyObjectEncryption: [encryption],
    ...(input.group === 'copy' && input.storageClass ? { MatchAnyStorageClass: [input.storageClass] } : {}),
    ...(input.prefix ? { KeyNameConstraint: { MatchAnyPrefix: [input.prefix] } } : {}),
  };
  const reportPrefix = input.report.key.replace(/\/+$/, '');
  const manifestPrefix = [reportPrefix, 'generated-manifests'].filter(Boolean).join('/');
  const identity = [
    `generator:${bucketArn(input.bucket)}`,
    JSON.stringify(filter),
    input.keyArn,
    input.storageClass ?? '',
    input.day,
  ];
  const description = `s3-encrypt ${input.group}${input.group === 'copy' ? ` ${input.storageClass}` : ''} s3://${input.bucket} (generated list, ${input.group === 'copy' ? 'NOT-SSE' : 'SSE-S3'})`;
  return {
    ...jobBase(sha256, input, operationFor(input.group, input), identity, description),
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: input.accountId,
        SourceBucket: bucketArn(input.bucket),
        EnableManifestOutput: true,
        ManifestOutputLocation: {
          ExpectedManifestBucketOwner: input.accountId,
          Bucket: bucketArn(input.report.bucket),
          ManifestPrefix: manifestPrefix,
          ManifestEncryption: { SSES3: {} },
          ManifestFormat: 'S3InventoryReport_CSV_20211130',
        },
        Filter: filter,
      },
    },
  };
}
