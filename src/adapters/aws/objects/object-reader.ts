import {
  InterruptedError,
  PreconditionError,
  UnverifiedObjectError,
  UsageError,
} from '../../../core/errors.js';
import type { ListedObject } from '../../../core/objects.js';
import type { ObjectReader } from '../../../core/ports.js';
import type { AwsClients } from '../transport/clients.js';
import { call, mapAwsError } from '../transport/errors.js';
import { provenHead, proveHead, type HeadProver } from './head-proof.js';
import { headVia } from './lean-head.js';
import { leanList, type LeanListPage } from './lean-list.js';
import { leanSender } from '../transport/lean-send.js';
import { inKeyOrder, inVersionOrder, listingAltered } from './listing-order.js';
import { sdk } from '../transport/sdk.js';

export function objectReader(aws: AwsClients): ObjectReader {
  const base = { region: aws.config.region, endpoint: aws.config.endpoint };
  // Built on first use: the S3 client itself is created lazily. HEADs and listing pages share
  // one keep-alive pool.
  let lean: { prover: HeadProver; list: LeanListPage } | undefined;
  const fast = () => {
    if (!lean) {
      const send = leanSender(aws.s3);
      lean = { prover: { send, lean: headVia(send), s3: aws.s3, throttleFast: false }, list: leanList(send) };
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
    // KeyCount counts what the page holds: a page that lost entries on the way does not add up.
    if (page.KeyCount !== undefined && page.KeyCount !== (page.Contents ?? []).length)
      throw listingAltered(
        `a listing page of bucket ${bucket} says KeyCount ${page.KeyCount} but holds ${(page.Contents ?? []).length} keys: nothing was concluded`,
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
        const order = inVersionOrder(bucket);
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
          for (const e of entries) {
            order.check(e.key, e.versionId);
            yield e;
          }
          keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
          versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
        } while (keyMarker !== undefined);
        return;
      }
      const order = inKeyOrder(bucket);
      let token: string | undefined;
      do {
        const page =
          (await fast().list(bucket, opts.prefix, token)) ?? (await sdkListPage(bucket, opts.prefix, token));
        for (const o of page.objects) {
          order.check(o.key);
          yield o;
        }
        token = page.nextToken;
      } while (token !== undefined);
    },

    async head(bucket, key, versionId, opts) {
      const proof = await proveHead(fast().prover, bucket, key, versionId, opts);
      return provenHead(proof, (p) => {
        if (p.kind === 'unverified')
          throw new UnverifiedObjectError(p.reason, { status: p.status, code: p.code });
        const err = p.kind === 'error' ? p.error : undefined;
        const mapped = mapAwsError(err, {
          ...base,
          action: versionId ? 's3:GetObjectVersion' : 's3:GetObject',
          bucket,
          key,
        });
        // Errors that refuse the whole run (no endpoint, credentials, the interrupt) end it; the
        // rest are this object's: it stays unverified and the run goes on.
        if (
          mapped instanceof UsageError ||
          mapped instanceof PreconditionError ||
          mapped instanceof InterruptedError ||
          mapped.code === 'Unreachable'
        )
          throw mapped;
        throw new UnverifiedObjectError(mapped.message, { code: mapped.code, cause: err });
      });
    },
  };
}
