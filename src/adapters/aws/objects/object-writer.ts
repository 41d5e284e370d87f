import type {
  CopyObjectCommandInput,
  CreateMultipartUploadCommandInput,
  ObjectLockLegalHoldStatus,
  ObjectLockMode,
  ObjectLockRetentionMode,
  S3Client,
  StorageClass,
} from '@aws-sdk/client-s3';
import type {
  CopyInPlace,
  Grant,
  LockSettings,
  MultipartStart,
  ObjectStore,
} from '../../../core/encrypt/ports.js';
import { taggingHeader } from '../../../core/encrypt/requests.js';
import { storeCall } from './object-errors.js';
import { leanCopy } from './lean-copy.js';
import { leanSender } from '../transport/lean-send.js';
import { sdk } from '../transport/sdk.js';

type Writes = Pick<
  ObjectStore,
  | 'copyInPlace'
  | 'createMultipartUpload'
  | 'uploadPartCopy'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
  | 'updateObjectEncryption'
  | 'putTags'
  | 'putAcl'
  | 'putLock'
  | 'deleteVersion'
>;

export interface Where {
  region: string;
  endpoint?: string | undefined;
}

/**
 * x-amz-copy-source: `bucket/key[?versionId=]`, the key URL-encoded with `/` kept (the SDK sends
 * the header as given; an unencoded `?`, `#`, `%` or space names another object or fails). @internal
 */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const path = `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  return versionId === undefined ? path : `${path}?versionId=${encodeURIComponent(versionId)}`;
}

/** The CopyObject request for an in-place re-encryption. Exported for the request-shape tests. @internal */
export function copyObjectInput(req: CopyInPlace): CopyObjectCommandInput {
  return {
    Bucket: req.bucket,
    Key: req.key,
    CopySource: copySource(req.bucket, req.key, req.sourceVersionId),
    CopySourceIfMatch: req.guard.sourceEtag,
    IfMatch: req.guard.destinationEtag,
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: req.target.keyId,
    BucketKeyEnabled: req.target.bucketKey,
    StorageClass: req.storageClass as StorageClass,
    MetadataDirective: 'COPY',
    TaggingDirective: 'COPY',
    ...(req.websiteRedirectLocation !== undefined
      ? { WebsiteRedirectLocation: req.websiteRedirectLocation }
      : {}),
    ...lockInput(req.lock),
  };
}

/** The CreateMultipartUpload request: no metadata directive exists, so everything is restated. */
function createMultipartInput(req: MultipartStart): CreateMultipartUploadCommandInput {
  const opt = <K extends string, V>(k: K, v: V | undefined) =>
    v === undefined ? {} : ({ [k]: v } as Record<K, V>);
  return {
    Bucket: req.bucket,
    Key: req.key,
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: req.target.keyId,
    BucketKeyEnabled: req.target.bucketKey,
    StorageClass: req.storageClass as StorageClass,
    ...opt('ContentType', req.contentType),
    ...opt('CacheControl', req.cacheControl),
    ...opt('ContentDisposition', req.contentDisposition),
    ...opt('ContentEncoding', req.contentEncoding),
    ...opt('ContentLanguage', req.contentLanguage),
    ...opt('Expires', req.expires),
    ...opt('WebsiteRedirectLocation', req.websiteRedirectLocation),
    Metadata: req.metadata,
    ...(req.tags.length > 0 ? { Tagging: taggingHeader(req.tags) } : {}),
    ...lockInput(req.lock),
  };
}

function lockInput(lock: LockSettings) {
  return {
    ...(lock.mode !== undefined
      ? { ObjectLockMode: lock.mode as ObjectLockMode, ObjectLockRetainUntilDate: lock.retainUntil }
      : {}),
    ...(lock.legalHold !== undefined
      ? { ObjectLockLegalHoldStatus: lock.legalHold as ObjectLockLegalHoldStatus }
      : {}),
  };
}

/**
 * x-amz-grant-* header values for PutObjectAcl (moto ignores an AccessControlPolicy body; headers work everywhere).
 * @internal
 */
export function grantHeaders(grants: Grant[]): Record<string, string> {
  const byPermission = new Map<string, string[]>();
  for (const g of grants) {
    const who =
      g.type === 'Group'
        ? `uri="${g.id}"`
        : g.type === 'AmazonCustomerByEmail'
          ? `emailAddress="${g.id}"`
          : `id="${g.id}"`;
    const list = byPermission.get(g.permission) ?? [];
    list.push(who);
    byPermission.set(g.permission, list);
  }
  const header: Record<string, string> = {
    FULL_CONTROL: 'GrantFullControl',
    READ: 'GrantRead',
    READ_ACP: 'GrantReadACP',
    WRITE: 'GrantWrite',
    WRITE_ACP: 'GrantWriteACP',
  };
  const out: Record<string, string> = {};
  for (const [permission, who] of byPermission) {
    const name = header[permission];
    if (name) out[name] = who.join(', ');
  }
  return out;
}

/** MD5 of an empty body, base64: what stores that insist on Content-MD5 for Object Lock writes get. */
const EMPTY_MD5 = '1B2M2Y8AsgTpgAmY4PhCRg==';

export function objectWriter(s3: S3Client, where: Where): Writes {
  const ctx = (action: string, bucket: string, key?: string) => ({ ...where, action, bucket, key });
  return {
    async copyInPlace(req) {
      const input = copyObjectInput(req);
      const withLock = req.lock.mode !== undefined || req.lock.legalHold !== undefined;
      // One copy per object: without the SDK's command stack (less CPU per object, BENCHMARKS.md,
      // and fewer headers for the store to parse). The SDK command when a plain URL cannot say it.
      const send = leanSender(s3);
      const sent = await storeCall(ctx('s3:PutObject', req.bucket, req.key), () =>
        leanCopy(send, input, withLock ? EMPTY_MD5 : undefined),
      );
      if (sent) return sent;
      const cmd = new sdk.s3.CopyObjectCommand(input);
      if (withLock) {
        // moto (as AWS for PutObject) refuses an Object Lock write without Content-MD5 or an SDK
        // checksum; a copy has no body, so the MD5 of the empty body is the honest value.
        cmd.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) request.headers['content-md5'] = EMPTY_MD5;
            return next(args);
          },
          { step: 'build', name: 's3eEmptyMd5' },
        );
      }
      const out = await storeCall(ctx('s3:PutObject', req.bucket, req.key), () => s3.send(cmd));
      return { versionId: out.VersionId };
    },

    async createMultipartUpload(req) {
      const out = await storeCall(ctx('s3:PutObject', req.bucket, req.key), () =>
        s3.send(new sdk.s3.CreateMultipartUploadCommand(createMultipartInput(req))),
      );
      if (!out.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
      return out.UploadId;
    },

    async uploadPartCopy(req) {
      const out = await storeCall(ctx('s3:PutObject', req.bucket, req.key), () =>
        s3.send(
          new sdk.s3.UploadPartCopyCommand({
            Bucket: req.bucket,
            Key: req.key,
            UploadId: req.uploadId,
            PartNumber: req.partNumber,
            CopySource: copySource(req.bucket, req.key, req.sourceVersionId),
            CopySourceIfMatch: req.sourceEtag,
            ...(req.range ? { CopySourceRange: `bytes=${req.range.start}-${req.range.end}` } : {}),
          }),
        ),
      );
      const etag = out.CopyPartResult?.ETag;
      if (!etag) throw new Error('UploadPartCopy returned no ETag');
      return etag;
    },

    async completeMultipartUpload(bucket, key, uploadId, parts, destinationEtag) {
      const out = await storeCall(ctx('s3:PutObject', bucket, key), () =>
        s3.send(
          new sdk.s3.CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            IfMatch: destinationEtag,
            MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
          }),
        ),
      );
      return { versionId: out.VersionId };
    },

    async abortMultipartUpload(bucket, key, uploadId) {
      await storeCall(ctx('s3:AbortMultipartUpload', bucket, key), () =>
        s3.send(new sdk.s3.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
      );
    },

    async updateObjectEncryption(req) {
      await storeCall(ctx('s3:UpdateObjectEncryption', req.bucket, req.key), () =>
        s3.send(
          new sdk.s3.UpdateObjectEncryptionCommand({
            Bucket: req.bucket,
            Key: req.key,
            ...(req.versionId !== undefined ? { VersionId: req.versionId } : {}),
            ObjectEncryption: { SSEKMS: { KMSKeyArn: req.keyArn, BucketKeyEnabled: true } },
          }),
        ),
      );
    },

    async putTags(bucket, key, versionId, tags) {
      await storeCall(
        ctx(versionId ? 's3:PutObjectVersionTagging' : 's3:PutObjectTagging', bucket, key),
        () =>
          s3.send(
            new sdk.s3.PutObjectTaggingCommand({
              Bucket: bucket,
              Key: key,
              VersionId: versionId,
              Tagging: { TagSet: tags.map((t) => ({ Key: t.key, Value: t.value })) },
            }),
          ),
      );
    },

    async putAcl(bucket, key, versionId, grants) {
      await storeCall(ctx(versionId ? 's3:PutObjectVersionAcl' : 's3:PutObjectAcl', bucket, key), () =>
        s3.send(
          new sdk.s3.PutObjectAclCommand({
            Bucket: bucket,
            Key: key,
            VersionId: versionId,
            ...grantHeaders(grants),
          }),
        ),
      );
    },

    async putLock(bucket, key, versionId, lock) {
      if (lock.mode !== undefined)
        await storeCall(ctx('s3:PutObjectRetention', bucket, key), () =>
          s3.send(
            new sdk.s3.PutObjectRetentionCommand({
              Bucket: bucket,
              Key: key,
              VersionId: versionId,
              Retention: { Mode: lock.mode as ObjectLockRetentionMode, RetainUntilDate: lock.retainUntil },
            }),
          ),
        );
      if (lock.legalHold !== undefined)
        await storeCall(ctx('s3:PutObjectLegalHold', bucket, key), () =>
          s3.send(
            new sdk.s3.PutObjectLegalHoldCommand({
              Bucket: bucket,
              Key: key,
              VersionId: versionId,
              LegalHold: { Status: lock.legalHold as ObjectLockLegalHoldStatus },
            }),
          ),
        );
    },

    async deleteVersion(bucket, key, versionId) {
      await storeCall(ctx(versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject', bucket, key), () =>
        s3.send(new sdk.s3.DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
      );
    },
  };
}
