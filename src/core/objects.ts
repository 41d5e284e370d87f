/** One entry of a bucket listing (current objects, or every version with --all-versions). */
export interface ListedObject {
  key: string;
  /** Absent on unversioned buckets; "null" for objects written before versioning. */
  versionId?: string | undefined;
  isLatest?: boolean | undefined;
  isDeleteMarker?: boolean | undefined;
  size?: number | undefined;
  storageClass?: string | undefined;
  etag?: string | undefined;
}

/** The object's content headers and user metadata: what a multipart rewrite must restate. */
export interface ContentHeaders {
  contentType?: string | undefined;
  cacheControl?: string | undefined;
  contentDisposition?: string | undefined;
  contentEncoding?: string | undefined;
  contentLanguage?: string | undefined;
  expires?: Date | undefined;
  websiteRedirectLocation?: string | undefined;
  metadata: Record<string, string>;
}

/** What HeadObject tells us, in our own words. Every field the engine must carry over is here. */
export interface ObjectHead extends ContentHeaders {
  key: string;
  versionId?: string | undefined;
  size: number;
  etag: string;
  lastModified?: Date | undefined;
  /** STANDARD when S3 omits the header. */
  storageClass: string;
  /** `AES256`, `aws:kms`, `aws:kms:dsse`, or undefined for plaintext. */
  serverSideEncryption?: string | undefined;
  kmsKeyId?: string | undefined;
  bucketKeyEnabled?: boolean | undefined;
  /** Set when the object is SSE-C (the HEAD needs the key, so S3 answers 400 without it). */
  sseCustomerAlgorithm?: string | undefined;
  objectLockMode?: string | undefined;
  objectLockRetainUntilDate?: Date | undefined;
  objectLockLegalHoldStatus?: string | undefined;
  /** Raw x-amz-restore header: `ongoing-request="false", expiry-date="..."` once restored. */
  restore?: string | undefined;
  archiveStatus?: string | undefined;
  tagCount?: number | undefined;
  partsCount?: number | undefined;
  checksumAlgorithm?: string | undefined;
}
