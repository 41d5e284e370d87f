// Everything a re-encryption must keep, read straight from the store: per current object the HEAD
// fields, tags, ACL grants, storage class, Object Lock and a sha256 of the content; per version
// (ListObjectVersions) the content hash and encryption. Compared before/after an encrypt run.
import { createHash } from 'node:crypto';
import {
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface ObjectSnapshot {
  key: string;
  versionId: string | undefined;
  size: number;
  sha256: string;
  etag: string;
  storageClass: string;
  contentType: string | undefined;
  cacheControl: string | undefined;
  contentDisposition: string | undefined;
  contentEncoding: string | undefined;
  contentLanguage: string | undefined;
  expires: number | undefined;
  websiteRedirectLocation: string | undefined;
  metadata: Record<string, string>;
  tags: string[];
  /** Sorted "type:id:permission"; undefined when the store cannot return it. */
  grants: string[] | undefined;
  lockMode: string | undefined;
  lockRetainUntil: number | undefined;
  legalHold: string | undefined;
  sse: string | undefined;
  kmsKeyId: string | undefined;
  bucketKey: boolean | undefined;
}

export interface VersionSnapshot {
  key: string;
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
  sha256?: string;
  sse?: string | undefined;
  kmsKeyId?: string | undefined;
}

export interface SnapshotOptions {
  /** Objects to leave out of content reads (e.g. GLACIER objects that cannot be read). */
  skipContent?: (key: string) => boolean;
  /** Read ACLs (false on stores or buckets where GetObjectAcl is not meaningful). */
  acls?: boolean;
}

async function sha256(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  const bytes = await out.Body?.transformToByteArray();
  return createHash('sha256')
    .update(bytes ?? new Uint8Array())
    .digest('hex');
}

async function snapshotObject(
  s3: S3Client,
  bucket: string,
  key: string,
  opts: SnapshotOptions = {},
  versionId?: string,
): Promise<ObjectSnapshot> {
  const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  // moto refuses tag reads of unrestored GLACIER objects; only those may be unreadable.
  const unreadable = opts.skipContent?.(key) === true;
  const tags = await s3
    .send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }))
    .catch((err: unknown) => {
      if (unreadable) return { TagSet: [{ Key: 'unreadable', Value: '' }] };
      throw err;
    });
  let grants: string[] | undefined;
  if (opts.acls !== false) {
    const acl = await s3
      .send(new GetObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId }))
      .catch((err: unknown) => {
        if (unreadable) return { Grants: [] };
        throw err;
      });
    grants = (acl.Grants ?? [])
      .map((g) => `${g.Grantee?.Type}:${g.Grantee?.ID ?? g.Grantee?.URI ?? ''}:${g.Permission}`)
      .sort();
  }
  return {
    key,
    versionId: h.VersionId,
    size: h.ContentLength ?? 0,
    sha256: opts.skipContent?.(key) ? 'not-read' : await sha256(s3, bucket, key, versionId),
    etag: h.ETag ?? '',
    storageClass: h.StorageClass ?? 'STANDARD',
    contentType: h.ContentType,
    cacheControl: h.CacheControl,
    contentDisposition: h.ContentDisposition,
    contentEncoding: h.ContentEncoding,
    contentLanguage: h.ContentLanguage,
    expires: h.Expires?.getTime(),
    websiteRedirectLocation: h.WebsiteRedirectLocation,
    metadata: h.Metadata ?? {},
    tags: (tags.TagSet ?? []).map((t) => `${t.Key}=${t.Value}`).sort(),
    grants,
    lockMode: h.ObjectLockMode,
    lockRetainUntil: h.ObjectLockRetainUntilDate?.getTime(),
    legalHold: h.ObjectLockLegalHoldStatus,
    sse: h.ServerSideEncryption,
    kmsKeyId: h.SSEKMSKeyId,
    bucketKey: h.BucketKeyEnabled,
  };
}

/** Every current object, by key. */
export async function snapshotBucket(
  s3: S3Client,
  bucket: string,
  opts: SnapshotOptions = {},
): Promise<Map<string, ObjectSnapshot>> {
  const out = new Map<string, ObjectSnapshot>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? [])
      out.set(o.Key ?? '', await snapshotObject(s3, bucket, o.Key ?? '', opts));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Every version and delete marker, by "key\u0000versionId", with content hash and encryption. */
export async function snapshotVersions(
  s3: S3Client,
  bucket: string,
  opts: SnapshotOptions = {},
): Promise<Map<string, VersionSnapshot>> {
  const out = new Map<string, VersionSnapshot>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const v of page.Versions ?? []) {
      const key = v.Key ?? '';
      const versionId = v.VersionId ?? 'null';
      const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      out.set(`${key}\u0000${versionId}`, {
        key,
        versionId,
        isLatest: v.IsLatest === true,
        deleteMarker: false,
        sha256: opts.skipContent?.(key) ? 'not-read' : await sha256(s3, bucket, key, versionId),
        sse: h.ServerSideEncryption,
        kmsKeyId: h.SSEKMSKeyId,
      });
    }
    for (const d of page.DeleteMarkers ?? [])
      out.set(`${d.Key}\u0000${d.VersionId}`, {
        key: d.Key ?? '',
        versionId: d.VersionId ?? 'null',
        isLatest: d.IsLatest === true,
        deleteMarker: true,
      });
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  return out;
}

/** The fields a re-encryption may change: encryption, ETag, version id (LastModified is not kept). */
export function kept(
  s: ObjectSnapshot,
): Omit<ObjectSnapshot, 'etag' | 'versionId' | 'sse' | 'kmsKeyId' | 'bucketKey'> {
  const { etag: _e, versionId: _v, sse: _s, kmsKeyId: _k, bucketKey: _b, ...rest } = s;
  return rest;
}
