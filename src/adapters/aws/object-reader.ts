import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ListedObject, ObjectHead } from '../../core/objects.js';
import type { ObjectReader } from '../../core/ports.js';
import type { AwsClients } from './clients.js';
import { call, httpStatus, mapAwsError } from './errors.js';
import { headVia, refusedHead, type LeanHead } from './lean-head.js';
import { leanList, type LeanListPage } from './lean-list.js';
import { leanSender } from './lean-send.js';
import { sdk } from './sdk.js';

export function objectReader(aws: AwsClients): ObjectReader {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  // Built on first use: the S3 client itself is created lazily. HEADs and listing pages share
  // one keep-alive pool.
  let lean: { head: LeanHead; list: LeanListPage } | undefined;
  const fast = () => {
    if (!lean) {
      const send = leanSender(aws.s3, aws.config.endpoint);
      lean = { head: headVia(send), list: leanList(send) };
    }
    return lean;
  };
  /** A page through the SDK command: whatever the lean request could not vouch for, and its errors. */
  const sdkListPage = async (bucket: string, prefix: string | undefined, token: string | undefined) => {
    const page = await call({ ...base, action: 's3:ListBucket', bucket }, () =>
      aws.s3.send(
        new sdk.s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      ),
    );
    return {
      objects: (page.Contents ?? []).map((o): ListedObject => ({
        key: o.Key ?? '',
        size: o.Size,
        storageClass: o.StorageClass,
        etag: o.ETag,
        isLatest: true,
      })),
      nextToken: page.IsTruncated ? page.NextContinuationToken : undefined,
    };
  };
  return {
    async *list(bucket, opts) {
      if (opts.allVersions) {
        let keyMarker: string | undefined;
        let versionMarker: string | undefined;
        do {
          const page = await call({ ...base, action: 's3:ListBucketVersions', bucket }, () =>
            aws.s3.send(
              new sdk.s3.ListObjectVersionsCommand({
                Bucket: bucket,
                Prefix: opts.prefix,
                KeyMarker: keyMarker,
                VersionIdMarker: versionMarker,
              }),
            ),
          );
          // Versions and delete markers come in two arrays; merge them back into key order.
          const entries: ListedObject[] = [
            ...(page.Versions ?? []).map((v) => ({
              key: v.Key ?? '',
              versionId: v.VersionId,
              isLatest: v.IsLatest,
              isDeleteMarker: false,
              size: v.Size,
              storageClass: v.StorageClass,
              etag: v.ETag,
            })),
            ...(page.DeleteMarkers ?? []).map((d) => ({
              key: d.Key ?? '',
              versionId: d.VersionId,
              isLatest: d.IsLatest,
              isDeleteMarker: true,
            })),
          ];
          entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          yield* entries;
          keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
          versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
        } while (keyMarker !== undefined);
        return;
      }
      let token: string | undefined;
      do {
        const page =
          (await fast().list(bucket, opts.prefix, token)) ?? (await sdkListPage(bucket, opts.prefix, token));
        yield* page.objects;
        token = page.nextToken;
      } while (token !== undefined);
    },

    async head(bucket, key, versionId) {
      const quick = await fast().head(bucket, key, versionId);
      if (quick.kind === 'head') return quick.head;
      // Anything else goes through the SDK command, which retries and maps errors as before.
      try {
        const out = await aws.s3.send(
          new sdk.s3.HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
        );
        return toHead(key, out);
      } catch (err) {
        const refused = refusedHead(httpStatus(err), key, versionId);
        if (refused) return refused.head;
        throw mapAwsError(err, {
          ...base,
          action: versionId ? 's3:GetObjectVersion' : 's3:GetObject',
          bucket,
          key,
        });
      }
    },
  };
}

export function toHead(key: string, out: HeadObjectCommandOutput): ObjectHead {
  return {
    key,
    versionId: out.VersionId,
    size: out.ContentLength ?? 0,
    etag: out.ETag ?? '',
    lastModified: out.LastModified,
    storageClass: out.StorageClass ?? 'STANDARD',
    serverSideEncryption: out.ServerSideEncryption,
    kmsKeyId: out.SSEKMSKeyId,
    bucketKeyEnabled: out.BucketKeyEnabled,
    sseCustomerAlgorithm: out.SSECustomerAlgorithm,
    contentType: out.ContentType,
    cacheControl: out.CacheControl,
    contentDisposition: out.ContentDisposition,
    contentEncoding: out.ContentEncoding,
    contentLanguage: out.ContentLanguage,
    expires: out.Expires,
    websiteRedirectLocation: out.WebsiteRedirectLocation,
    metadata: out.Metadata ?? {},
    objectLockMode: out.ObjectLockMode,
    objectLockRetainUntilDate: out.ObjectLockRetainUntilDate,
    objectLockLegalHoldStatus: out.ObjectLockLegalHoldStatus,
    restore: out.Restore,
    archiveStatus: out.ArchiveStatus,
    tagCount: out.TagCount,
    partsCount: out.PartsCount,
    checksumAlgorithm: undefined,
  };
}
