import { inventoryStatement } from '../inventory-config/destination-policy.js';
import { batchJobsArn, partitionOf, roleArn, s3BucketArn, s3ObjectsArn, s3ViaService } from './arns.js';
import { policy, type PolicyDocument, type Statement } from './document.js';

export type Operation = 'copy' | 'update' | 'both';

/** The IAM role name policy prints and plan's next commands use, unless --role-name says otherwise. */
export const DEFAULT_ROLE_NAME = 's3-encrypt-batch';

/** Everything the documents name. All of it is resolved before any document is built. */
export interface PolicyTarget {
  accountId: string;
  region: string;
  bucket: string;
  /** Full key ARN. */
  keyArn: string;
  /** Where manifests are read and completion reports written (and inventory delivered). */
  manifestBucket: string;
  manifestPrefix: string;
  roleName: string;
  appRoleArn?: string | undefined;
  operation: Operation;
  /** Pin the application's KMS use to the bucket ARN encryption context (Bucket Keys only). */
  contextCondition: boolean;
  /** The inventory destination encrypts reports with this key: S3 itself must be allowed to use it. */
  inventoryKms: boolean;
  /** Jobs whose object list S3 builds (ManifestGenerator) need s3:PutInventoryConfiguration. */
  manifestGenerator: boolean;
}

type DocumentName =
  'app' | 'batch-role-trust' | 'batch-role-permissions' | 'operator' | 'inventory-destination' | 'key-policy';

export interface NamedDocument {
  name: DocumentName;
  /** Where it goes, in one line. */
  attachTo: string;
  policy: PolicyDocument;
}

const copies = (op: Operation) => op !== 'update';
const updates = (op: Operation) => op !== 'copy';

/**
 * The KMS actions S3 performs for the chosen operations; ReEncrypt is spelled out, never ReEncrypt*.
 * @internal
 */
export function kmsActions(op: Operation): string[] {
  const base = ['kms:Decrypt', 'kms:GenerateDataKey'];
  return updates(op) ? [...base, 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'] : base;
}

function viaS3(t: PolicyTarget): Statement['Condition'] {
  return { StringEquals: { 'kms:ViaService': [s3ViaService(t.region)] } };
}

/** @internal */
export function appDocument(t: PolicyTarget): NamedDocument {
  const p = partitionOf(t.keyArn);
  const condition: Record<string, string[]> = { 'kms:ViaService': [s3ViaService(t.region)] };
  if (t.contextCondition) condition['kms:EncryptionContext:aws:s3:arn'] = [s3BucketArn(p, t.bucket)];
  return {
    name: 'app',
    attachTo: "your application's IAM role (identity policy)",
    policy: policy([
      {
        Sid: 'S3EncryptAppUseKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [t.keyArn],
        Condition: { StringEquals: condition },
      },
    ]),
  };
}

/** @internal */
export function batchTrustDocument(t: PolicyTarget): NamedDocument {
  return {
    name: 'batch-role-trust',
    attachTo: `trust policy of IAM role ${t.roleName}`,
    policy: policy([
      {
        Sid: 'S3BatchOperationsAssumeRole',
        Effect: 'Allow',
        Principal: { Service: ['batchoperations.s3.amazonaws.com'] },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'aws:SourceAccount': [t.accountId] } },
      },
    ]),
  };
}

/** @internal */
export function batchPermissionsDocument(t: PolicyTarget): NamedDocument {
  const p = partitionOf(t.keyArn);
  const objects = s3ObjectsArn(p, t.bucket);
  const statements: Statement[] = [];
  if (copies(t.operation)) {
    statements.push(
      {
        Sid: 'S3EncryptCopyReadSource',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectAcl',
          's3:GetObjectVersionAcl',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
        ],
        Resource: [objects],
      },
      {
        Sid: 'S3EncryptCopyWriteInPlace',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging'],
        Resource: [objects],
      },
      {
        Sid: 'S3EncryptCopyListSource',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [s3BucketArn(p, t.bucket)],
      },
    );
  }
  if (updates(t.operation)) {
    statements.push({
      Sid: 'S3EncryptUpdateObjectEncryption',
      Effect: 'Allow',
      Action: ['s3:UpdateObjectEncryption', 's3:PutObject', 's3:GetObject', 's3:GetObjectVersion'],
      Resource: [objects],
    });
  }
  if (t.manifestGenerator) {
    statements.push({
      Sid: 'S3EncryptGenerateManifest',
      Effect: 'Allow',
      Action: ['s3:PutInventoryConfiguration'],
      Resource: [s3BucketArn(p, t.bucket)],
    });
  }
  const area = s3ObjectsArn(p, t.manifestBucket, t.manifestPrefix);
  statements.push(
    {
      Sid: 'S3EncryptReadManifests',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: [area],
    },
    { Sid: 'S3EncryptWriteReports', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [area] },
    {
      Sid: 'S3EncryptUseKeyThroughS3',
      Effect: 'Allow',
      Action: kmsActions(t.operation),
      Resource: [t.keyArn],
      Condition: viaS3(t),
    },
  );
  return {
    name: 'batch-role-permissions',
    attachTo: `permissions policy of IAM role ${t.roleName} (the role S3 Batch Operations assumes)`,
    policy: policy(statements),
  };
}

/** Job operation names as s3:RequestJobOperation sees them. */
function jobOperations(op: Operation): string[] {
  return [...(copies(op) ? ['S3PutObjectCopy'] : []), ...(updates(op) ? ['S3UpdateObjectEncryption'] : [])];
}

/** @internal */
export function operatorDocument(t: PolicyTarget): NamedDocument {
  const p = partitionOf(t.keyArn);
  const bucket = s3BucketArn(p, t.bucket);
  const area = s3ObjectsArn(p, t.manifestBucket, t.manifestPrefix);
  return {
    name: 'operator',
    attachTo:
      'the IAM user or role that runs s3-encrypt (plan, enable-sse, setup-inventory, build-manifest, create-job, status, verify)',
    policy: policy([
      {
        Sid: 'S3EncryptReadAndConfigureBucket',
        Effect: 'Allow',
        Action: [
          's3:ListBucket',
          's3:ListBucketVersions',
          's3:GetBucketVersioning',
          's3:GetLifecycleConfiguration',
          's3:GetBucketObjectLockConfiguration',
          's3:GetBucketOwnershipControls',
          's3:GetReplicationConfiguration',
          's3:GetBucketNotification',
          's3:GetBucketPolicy',
          's3:GetEncryptionConfiguration',
          's3:PutEncryptionConfiguration',
          's3:GetInventoryConfiguration',
          's3:PutInventoryConfiguration',
        ],
        Resource: [bucket],
      },
      {
        Sid: 'S3EncryptInspectObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAcl'],
        Resource: [s3ObjectsArn(p, t.bucket)],
      },
      {
        Sid: 'S3EncryptManifestBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketPolicy', 's3:PutBucketPolicy'],
        Resource: [s3BucketArn(p, t.manifestBucket)],
      },
      {
        Sid: 'S3EncryptManifestObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [area],
      },
      {
        Sid: 'S3EncryptInspectKey',
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus'],
        Resource: [t.keyArn],
      },
      {
        Sid: 'S3EncryptReadEncryptedReports',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [t.keyArn],
        Condition: viaS3(t),
      },
      {
        // IAM has no resource type for CreateJob: "*" is the only Resource that works, so the
        // statement is narrowed to this account's region and the migration's job operations.
        Sid: 'S3EncryptCreateJobs',
        Effect: 'Allow',
        Action: ['s3:CreateJob'],
        Resource: ['*'],
        Condition: {
          StringEquals: {
            's3:RequestJobOperation': jobOperations(t.operation),
            'aws:RequestedRegion': [t.region],
          },
        },
      },
      {
        Sid: 'S3EncryptFollowJobs',
        Effect: 'Allow',
        Action: ['s3:DescribeJob', 's3:UpdateJobStatus'],
        Resource: [batchJobsArn(p, t.region, t.accountId)],
      },
      {
        Sid: 'S3EncryptPassBatchRole',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [roleArn(p, t.accountId, t.roleName)],
        Condition: { StringEquals: { 'iam:PassedToService': ['batchoperations.s3.amazonaws.com'] } },
      },
    ]),
  };
}

function inventoryDestinationDocument(t: PolicyTarget): NamedDocument {
  const s = inventoryStatement({
    sourceBucket: t.bucket,
    sourceAccount: t.accountId,
    destinationBucket: t.manifestBucket,
    destinationPrefix: t.manifestPrefix,
  });
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
  const condition: Record<string, Record<string, string[]>> = {};
  for (const [op, block] of Object.entries(s.Condition ?? {}))
    condition[op] = Object.fromEntries(Object.entries(block).map(([k, v]) => [k, list(v)]));
  return {
    name: 'inventory-destination',
    attachTo: `bucket policy of ${t.manifestBucket} (merge this statement; 's3-encrypt setup-inventory' writes the same one)`,
    policy: policy([
      {
        Sid: s.Sid ?? 'S3EncryptInventory',
        Effect: 'Allow',
        Principal: { Service: list((s.Principal as { Service: unknown }).Service) },
        Action: list(s.Action),
        Resource: list(s.Resource),
        Condition: condition,
      },
    ]),
  };
}

/** @internal */
export function keyPolicyDocument(t: PolicyTarget): NamedDocument {
  const p = partitionOf(t.keyArn);
  const statements: Statement[] = [
    {
      Sid: 'S3EncryptBatchRoleUseKey',
      Effect: 'Allow',
      Principal: { AWS: [roleArn(p, t.accountId, t.roleName)] },
      Action: kmsActions(t.operation),
      Resource: [t.keyArn],
      Condition: viaS3(t),
    },
  ];
  if (t.appRoleArn)
    statements.push({
      Sid: 'S3EncryptAppRoleUseKey',
      Effect: 'Allow',
      Principal: { AWS: [t.appRoleArn] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [t.keyArn],
      Condition: viaS3(t),
    });
  if (t.inventoryKms)
    statements.push({
      Sid: 'S3EncryptInventoryDelivery',
      Effect: 'Allow',
      Principal: { Service: ['s3.amazonaws.com'] },
      Action: ['kms:GenerateDataKey'],
      Resource: [t.keyArn],
      Condition: {
        StringEquals: { 'aws:SourceAccount': [t.accountId] },
        ArnLike: { 'aws:SourceArn': [s3BucketArn(p, t.bucket)] },
      },
    });
  return {
    name: 'key-policy',
    attachTo: `key policy of ${t.keyArn} (add these statements; the roles must exist first)`,
    policy: policy(statements),
  };
}

export type PolicyFor = 'app' | 'batch-role' | 'operator' | 'inventory-destination' | 'key-policy' | 'all';

export function documentsFor(which: PolicyFor, t: PolicyTarget): NamedDocument[] {
  const all: Record<Exclude<PolicyFor, 'all'>, () => NamedDocument[]> = {
    app: () => [appDocument(t)],
    'batch-role': () => [batchTrustDocument(t), batchPermissionsDocument(t)],
    operator: () => [operatorDocument(t)],
    'inventory-destination': () => [inventoryDestinationDocument(t)],
    'key-policy': () => [keyPolicyDocument(t)],
  };
  // `all` is what the issue promises wildcard-free; the operator statement needs Resource "*"
  // (IAM cannot scope s3:CreateJob), so it is printed only when asked for by name.
  if (which === 'all') return Object.entries(all).flatMap(([name, f]) => (name === 'operator' ? [] : f()));
  return all[which]();
}
