import { UsageError } from './errors.js';

/** A bucket and a key (or key prefix; '' for the bucket's root). */
export interface S3Location {
  bucket: string;
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens). */
export function isBucketName(value: string): boolean {
  return BUCKET.test(value);
}

export function isS3Uri(value: string): boolean {
  return /^s3:\/\//i.test(value.trim());
}

/**
 * Parse `s3://bucket[/key]`. `flag` names the option in the error, so the user knows which of
 * several locations is wrong. The key is kept exactly as typed (no decoding, no trimming of `/`).
 */
export function parseS3Uri(value: string, flag: string): S3Location {
  const trimmed = value.trim();
  if (!isS3Uri(trimmed)) {
    throw new UsageError(
      `${flag} "${value}" is not an s3:// URI`,
      `write it as s3://BUCKET/PREFIX, e.g. s3://my-reports/s3-encrypt`,
      'InvalidS3Uri',
    );
  }
  const rest = trimmed.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) {
    throw new UsageError(
      `${flag} "${value}" does not name a valid bucket ("${bucket}")`,
      'a bucket name is 3-63 lowercase letters, digits, dots and hyphens: s3://BUCKET/PREFIX',
      'InvalidS3Uri',
    );
  }
  return { bucket, key };
}

export function formatS3Uri(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** A key prefix without leading or trailing slashes ('' when none), for joining with `/`. */
export function cleanPrefix(prefix: string | undefined): string {
  return (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
}

/** Join path segments with single slashes, skipping empty ones. */
export function joinKey(...parts: string[]): string {
  return parts
    .map(cleanPrefix)
    .filter((p) => p.length > 0)
    .join('/');
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function objectArn(loc: S3Location): string {
  return `arn:aws:s3:::${loc.bucket}/${loc.key}`;
}
