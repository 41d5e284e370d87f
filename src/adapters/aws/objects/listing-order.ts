import { ServiceError } from '../../../core/errors.js';

/**
 * S3 lists keys in ascending UTF-8 byte order, each once (ListObjectsV2), and versions grouped
 * by key in that order (ListObjectVersions). A listing that repeats a key or goes backwards has
 * been altered on the way (a proxy, a cache, a broken gateway), and one that can repeat can
 * also skip: its objects cannot be counted as "every object". These checks end such a run.
 */
export interface OrderCheck {
  check(key: string, versionId?: string): void;
}

/** Strictly ascending keys (ListObjectsV2). */
export function inKeyOrder(bucket: string): OrderCheck {
  let last: string | undefined;
  return {
    check(key) {
      if (last !== undefined && compareUtf8(last, key) >= 0) throw outOfOrder(bucket, last, key);
      last = key;
    },
  };
}

/** Ascending keys, each (key, version) once (ListObjectVersions). */
export function inVersionOrder(bucket: string): OrderCheck {
  let last: string | undefined;
  let versions = new Set<string>();
  return {
    check(key, versionId) {
      if (last !== undefined) {
        const c = compareUtf8(last, key);
        if (c > 0) throw outOfOrder(bucket, last, key);
        if (c < 0) versions = new Set();
      }
      const v = versionId ?? 'null';
      if (versions.has(v)) throw outOfOrder(bucket, last ?? key, key);
      versions.add(v);
      last = key;
    },
  };
}

function outOfOrder(bucket: string, before: string, after: string): ServiceError {
  return listingAltered(
    `the listing of bucket ${bucket} repeated or reordered keys (${JSON.stringify(after)} after ${JSON.stringify(before)}): a listing that can repeat keys can also skip them, so nothing was concluded`,
  );
}

/**
 * A listing that breaks S3's contract (out of order, or a page that does not add up): altered on
 * the way, or a store that does not keep the contract (SeaweedFS lists an unversioned bucket
 * directory by directory, so 'a/x' comes before 'a-b').
 */
export function listingAltered(message: string): ServiceError {
  return new ServiceError(
    'ListingAltered',
    message,
    'run again; if it persists, the store itself does not list keys in S3 order (SeaweedFS does not, for unversioned buckets) or something between this machine and the store (a proxy, a gateway) alters listings',
  );
}

/**
 * UTF-8 byte order without encoding: UTF-16 code units compare the same way except that
 * surrogates (code points above U+FFFF) must rank above U+E000..U+FFFF.
 */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
