// One task per manifest line, performed the way S3 Batch Operations documents each operation.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  HeadObjectCommand,
  UpdateObjectEncryptionCommand,
  type CopyObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { JobOperation } from '@aws-sdk/client-s3-control';
import type { TaskOutcome } from './report.js';
import { bucketOfArn } from './rules.js';
import { errorOf } from './store.js';

export interface Task {
  bucket: string;
  /** As in the manifest (URL-encoded): what the report repeats. */
  rawKey: string;
  /** Decoded: what S3 is asked about. */
  key: string;
  versionId?: string | undefined;
}

const KMS = { KMS: 'aws:kms', AES256: 'AES256' } as const;

/**
 * S3PutObjectCopy: "passes every object to the underlying CopyObject API operation" (API
 * S3CopyObjectOperation) with the job's parameters and nothing else, so where the job names no
 * encryption the target bucket's default applies, exactly as the store applies it. No ACL is sent
 * unless the job names one: a CopyObject without one gives the copy the default (private) ACL,
 * which is how a Batch copy resets ACLs. With a VersionId in the manifest that version is the copy
 * source; on a versioned bucket the copy is a new version (the store does that).
 */
function copyInput(op: NonNullable<JobOperation['S3PutObjectCopy']>, t: Task): CopyObjectCommandInput {
  const target = op.TargetResource ? bucketOfArn(op.TargetResource) : undefined;
  const source = `${t.bucket}/${encodeURIComponent(t.key).replace(/%2F/g, '/')}`;
  const meta = op.NewObjectMetadata;
  const sse = meta?.SSEAlgorithm ? KMS[meta.SSEAlgorithm as keyof typeof KMS] : undefined;
  return {
    Bucket: target ?? t.bucket,
    Key: op.TargetKeyPrefix ? `${op.TargetKeyPrefix}${t.key}` : t.key,
    CopySource: t.versionId ? `${source}?versionId=${encodeURIComponent(t.versionId)}` : source,
    ...(op.MetadataDirective ? { MetadataDirective: op.MetadataDirective } : {}),
    ...(op.StorageClass ? { StorageClass: op.StorageClass } : {}),
    ...(op.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: op.BucketKeyEnabled } : {}),
    // A key id names SSE-KMS: S3 refuses the key-id header without x-amz-server-side-encryption.
    ...(op.SSEAwsKmsKeyId
      ? { SSEKMSKeyId: op.SSEAwsKmsKeyId, ServerSideEncryption: 'aws:kms' as const }
      : {}),
    ...(sse ? { ServerSideEncryption: sse } : {}),
    ...(op.CannedAccessControlList ? { ACL: op.CannedAccessControlList } : {}),
    ...(op.ChecksumAlgorithm ? { ChecksumAlgorithm: op.ChecksumAlgorithm } : {}),
    ...(op.UnModifiedSinceConstraint ? { CopySourceIfUnmodifiedSince: op.UnModifiedSinceConstraint } : {}),
    ...(op.ObjectLockMode ? { ObjectLockMode: op.ObjectLockMode } : {}),
    ...(op.ObjectLockRetainUntilDate ? { ObjectLockRetainUntilDate: op.ObjectLockRetainUntilDate } : {}),
    ...(op.ObjectLockLegalHoldStatus ? { ObjectLockLegalHoldStatus: op.ObjectLockLegalHoldStatus } : {}),
    ...(op.RequesterPays ? { RequestPayer: 'requester' as const } : {}),
    ...(op.MetadataDirective === 'REPLACE' && meta
      ? {
          ...(meta.UserMetadata ? { Metadata: meta.UserMetadata } : {}),
          ...(meta.ContentType ? { ContentType: meta.ContentType } : {}),
          ...(meta.CacheControl ? { CacheControl: meta.CacheControl } : {}),
          ...(meta.ContentDisposition ? { ContentDisposition: meta.ContentDisposition } : {}),
          ...(meta.ContentEncoding ? { ContentEncoding: meta.ContentEncoding } : {}),
          ...(meta.ContentLanguage ? { ContentLanguage: meta.ContentLanguage } : {}),
        }
      : {}),
  };
}

/**
 * "The UpdateObjectEncryption operation doesn't supported unencrypted source objects. Only source
 * objects encrypted with SSE-S3 or SSE-KMS are supported." (the SDK's UpdateObjectEncryptionCommand
 * documentation, from AWS's model; UG update-sse-encryption.html). A store that has no
 * UpdateObjectEncryption answers with its own error (NotImplemented, 405, ...): the task fails with
 * that answer, as AWS's report carries the operation's error.
 */
const UNSUPPORTED_SOURCE =
  "The UpdateObjectEncryption operation doesn't supported unencrypted source objects. Only source objects encrypted with SSE-S3 or SSE-KMS are supported.";

/**
 * HEAD the task's object. A HEAD's error has no body, so its code is a bare "NotFound"; AWS's
 * operation answers with the real one (NoSuchKey, NoSuchVersion), which the report must carry:
 * a GET of one byte asks for it.
 */
async function headWithCode(s3: S3Client, t: Task) {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: t.bucket, Key: t.key, VersionId: t.versionId }));
  } catch (err) {
    if (errorOf(err).status !== 404) throw err;
    await s3.send(
      new GetObjectCommand({ Bucket: t.bucket, Key: t.key, VersionId: t.versionId, Range: 'bytes=0-0' }),
    );
    throw err;
  }
}

/** What a store does with UpdateObjectEncryption: `undefined` when it does it, else why not. */
export type UpdateSupport = { code: string; status: number; message: string } | undefined;

/**
 * Whether the store really implements UpdateObjectEncryption, asked once per job on a scratch
 * bucket before any task touches a real object: Ceph RGW 16 answers 200 to it but treats the
 * request as a PutObject, replacing the object's bytes with the request's XML. A store that
 * refuses the call, or that changes the probe's bytes, cannot run the operation: every task then
 * fails with that answer, and no object of the job is touched.
 */
export async function probeUpdateSupport(s3: S3Client, keyArn: string | undefined): Promise<UpdateSupport> {
  const bucket = `s3e-batch-probe-${randomBytes(6).toString('hex')}`;
  const body = 'update-object-encryption probe';
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'probe', Body: body, ServerSideEncryption: 'AES256' }),
    );
    try {
      await s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: bucket,
          Key: 'probe',
          ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } },
        } as never),
      );
    } catch (err) {
      return errorOf(err);
    }
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'probe' }));
    if ((await got.Body?.transformToString()) !== body) {
      return {
        code: 'NotImplemented',
        status: 501,
        message:
          'the store does not implement UpdateObjectEncryption: it answered 200 but stored the request body as the object (probed on a scratch object)',
      };
    }
    return undefined;
  } finally {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'probe' })).catch(() => undefined);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  }
}

export async function runTask(
  s3: S3Client,
  op: JobOperation,
  t: Task,
  update?: () => Promise<UpdateSupport>,
): Promise<TaskOutcome> {
  const base = { bucket: t.bucket, key: t.rawKey, versionId: t.versionId };
  try {
    if (op.S3PutObjectCopy) {
      await s3.send(new CopyObjectCommand(copyInput(op.S3PutObjectCopy, t)));
      return { ...base, status: 'succeeded', httpStatus: 200, message: 'Successful' };
    }
    const upd = op.S3UpdateObjectEncryption;
    if (upd) {
      const head = await headWithCode(s3, t);
      const sse = head.ServerSideEncryption;
      if (sse !== 'AES256' && sse !== 'aws:kms') {
        return {
          ...base,
          status: 'failed',
          httpStatus: 400,
          errorCode: 'InvalidRequest',
          message: UNSUPPORTED_SOURCE,
        };
      }
      const unsupported = await update?.();
      if (unsupported) {
        return {
          ...base,
          status: 'failed',
          httpStatus: unsupported.status,
          errorCode: unsupported.code,
          message: unsupported.message,
        };
      }
      const kms = upd.ObjectEncryption?.SSEKMS;
      await s3.send(
        new UpdateObjectEncryptionCommand({
          Bucket: t.bucket,
          Key: t.key,
          VersionId: t.versionId,
          ObjectEncryption: {
            SSEKMS: { KMSKeyArn: kms?.KMSKeyArn, BucketKeyEnabled: kms?.BucketKeyEnabled },
          },
        } as never),
      );
      return { ...base, status: 'succeeded', httpStatus: 200, message: 'Successful' };
    }
    return {
      ...base,
      status: 'failed',
      httpStatus: 501,
      errorCode: 'NotImplemented',
      message: `this local service runs S3PutObjectCopy and S3UpdateObjectEncryption only (got ${Object.keys(op).join(',')})`,
    };
  } catch (err) {
    const e = errorOf(err);
    return { ...base, status: 'failed', httpStatus: e.status, errorCode: e.code, message: e.message };
  }
}
