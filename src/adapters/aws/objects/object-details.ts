import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, Ownership } from '../../../core/encrypt/ports.js';
import { StoreError } from '../../../core/encrypt/store-error.js';
import { provenHead, proveHead, type HeadProver } from './head-proof.js';
import { headVia } from './lean-head.js';
import { leanSender } from '../transport/lean-send.js';
import { classifyStoreError, storeCall, storeError } from './object-errors.js';
import type { Where } from './object-writer.js';
import { versioningStatus } from '../settings/bucket-audit.js';
import { sdk } from '../transport/sdk.js';

type Reads = Pick<
  ObjectStore,
  'head' | 'getTags' | 'getAcl' | 'ownership' | 'hasDefaultRetention' | 'versioning' | 'listUploads'
>;

export function objectDetails(s3: S3Client, where: Where): Reads {
  const ctx = (action: string, bucket: string, key?: string) => ({ ...where, action, bucket, key });
  // Every object is HEADed before and after its rewrite: without the SDK's command stack each
  // costs less CPU (BENCHMARKS.md; bench/verify, bench/encrypt).
  let prover: HeadProver | undefined;
  return {
    async head(bucket, key, versionId) {
      if (!prover) {
        const send = leanSender(s3);
        prover = { send, lean: headVia(send), s3, throttleFast: true };
      }
      const proof = await proveHead(prover, bucket, key, versionId);
      return provenHead(proof, (p) => {
        switch (p.kind) {
          case 'unverified':
            throw new StoreError('unverified', p.code ?? 'Unverified', p.reason, { status: p.status });
          case 'throttled':
            // The engine backs off and retries; asking again through the SDK at once would double
            // the load on a store that is asking for less.
            throw new StoreError('throttle', 'SlowDown', `HEAD ${key}: the store answered ${p.status}`, {
              status: p.status,
            });
          case 'error':
            throw storeError(ctx(versionId ? 's3:GetObjectVersion' : 's3:GetObject', bucket, key), p.error);
        }
      });
    },

    async getTags(bucket, key, versionId) {
      const out = await storeCall(
        ctx(versionId ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging', bucket, key),
        () => s3.send(new sdk.s3.GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
      );
      return (out.TagSet ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
    },

    async getAcl(bucket, key, versionId) {
      const out = await storeCall(
        ctx(versionId ? 's3:GetObjectVersionAcl' : 's3:GetObjectAcl', bucket, key),
        () => s3.send(new sdk.s3.GetObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
      );
      return {
        ownerId: out.Owner?.ID,
        grants: (out.Grants ?? []).map((g) => ({
          type: g.Grantee?.Type ?? 'CanonicalUser',
          id: g.Grantee?.ID ?? g.Grantee?.URI ?? g.Grantee?.EmailAddress ?? '',
          permission: g.Permission ?? '',
        })),
      };
    },

    async ownership(bucket): Promise<Ownership> {
      try {
        const out = await s3.send(new sdk.s3.GetBucketOwnershipControlsCommand({ Bucket: bucket }));
        return out.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
      } catch (err) {
        const c = classifyStoreError(err);
        // Not configured (legacy buckets: ACLs apply), or a store without ownership controls.
        if (c.code === 'OwnershipControlsNotFoundError' || c.kind === 'unsupported' || c.kind === 'not-found')
          return undefined;
        return storeCall(ctx('s3:GetBucketOwnershipControls', bucket), () => Promise.reject(err));
      }
    },

    async listUploads(bucket, key) {
      const found: { uploadId: string; initiated?: Date | undefined }[] = [];
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const page = await storeCall(ctx('s3:ListBucketMultipartUploads', bucket), () =>
          s3.send(
            new sdk.s3.ListMultipartUploadsCommand({
              Bucket: bucket,
              Prefix: key,
              KeyMarker: keyMarker,
              UploadIdMarker: uploadIdMarker,
            }),
          ),
        );
        for (const u of page.Uploads ?? [])
          if (u.Key === key && u.UploadId) found.push({ uploadId: u.UploadId, initiated: u.Initiated });
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (keyMarker !== undefined);
      return found;
    },

    async versioning(bucket) {
      try {
        const out = await s3.send(new sdk.s3.GetBucketVersioningCommand({ Bucket: bucket }));
        return versioningStatus(out.Status);
      } catch (err) {
        // A store without the API has no versioning to suspend.
        if (classifyStoreError(err).kind === 'unsupported') return 'Off';
        return storeCall(ctx('s3:GetBucketVersioning', bucket), () => Promise.reject(err));
      }
    },

    async hasDefaultRetention(bucket) {
      try {
        const out = await s3.send(new sdk.s3.GetObjectLockConfigurationCommand({ Bucket: bucket }));
        return out.ObjectLockConfiguration?.Rule?.DefaultRetention !== undefined;
      } catch (err) {
        const c = classifyStoreError(err);
        if (
          c.code === 'ObjectLockConfigurationNotFoundError' ||
          c.kind === 'unsupported' ||
          c.kind === 'not-found'
        )
          return false;
        if (c.kind === 'invalid') return false;
        throw new StoreError(
          c.kind,
          c.code,
          `s3:GetBucketObjectLockConfiguration on bucket ${bucket} failed (${c.code})`,
          {
            status: c.status,
            cause: err,
          },
        );
      }
    },
  };
}
