import type { ObjectHead } from '../../../core/objects.js';
import type { LeanSend } from '../transport/lean-send.js';

/**
 * What a lean HEAD learned: the object (a 200 with the headers every HEAD carries), a refusal
 * (`refused`: a status that, without a body, proves nothing; head-proof.ts takes a second look),
 * or `fallback` when the caller must send the SDK command instead (unusual endpoint, other
 * status, network error), so errors, retries and redirects keep the SDK's handling.
 */
type LeanHeadResult =
  | { kind: 'head'; head: ObjectHead }
  /** `reason` for a 200 that lacks what every HEAD answer carries. */
  | { kind: 'refused'; status: number; reason?: string }
  /** `status`: what the store answered, when it answered at all. */
  | { kind: 'fallback'; status?: number };

export type LeanHead = (bucket: string, key: string, versionId?: string) => Promise<LeanHeadResult>;

/** Statuses whose (body-less) HEAD answer needs a second look before anything is believed. */
export const REFUSALS: ReadonlySet<number> = new Set([400, 403, 404]);

/**
 * HeadObject through the lean path, over a sender shared with other lean requests (one keep-alive
 * pool). 400, 403 and 404 are `refused`; anything else but 200 (and any network error) is
 * `fallback`: the caller asks again through the SDK command.
 */
export function headVia(send: LeanSend): LeanHead {
  return async (bucket, key, versionId) => {
    try {
      const response = await send({
        method: 'HEAD',
        bucket,
        key,
        ...(versionId !== undefined ? { query: { versionId } } : {}),
      });
      if (!response) return { kind: 'fallback' };
      // A HEAD has no body, but the stream must end for the socket to go back to the pool.
      response.body.resume();
      const status = response.status;
      if (status === 200) {
        const missing = missingHeadHeaders(response.headers);
        return missing
          ? { kind: 'refused', status, reason: missing }
          : { kind: 'head', head: headFromHeaders(key, response.headers) };
      }
      return REFUSALS.has(status) ? { kind: 'refused', status } : { kind: 'fallback', status };
    } catch {
      return { kind: 'fallback' };
    }
  };
}

/**
 * Every answer S3 gives to a HEAD of an object carries its ETag, length and modification time.
 * A 200 without them did not come from a store that looked at the object (a proxy, a cache, a
 * broken gateway), so nothing in it is evidence. `undefined` when all are there.
 */
function missingHeadHeaders(h: Record<string, string | undefined>): string | undefined {
  // Node hands header names lower-cased: the common case costs three lookups and no garbage.
  if (h.etag !== undefined && h['content-length'] !== undefined && h['last-modified'] !== undefined)
    return undefined;
  const lower = new Set(Object.keys(h).map((n) => n.toLowerCase()));
  const missing = ['etag', 'content-length', 'last-modified'].filter((n) => !lower.has(n));
  return missing.length > 0 ? `HEAD answered 200 without ${missing.join(', ')}` : undefined;
}

/** The ObjectHead the SDK path builds (object-reader.ts toHead), from the raw response headers. */
function headFromHeaders(key: string, h: Record<string, string | undefined>): ObjectHead {
  const metadata: Record<string, string> = {};
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    lowered[lower] = value;
    if (lower.startsWith('x-amz-meta-')) metadata[lower.slice('x-amz-meta-'.length)] = value;
  }
  const get = (name: string): string | undefined => lowered[name];
  return {
    key,
    versionId: get('x-amz-version-id'),
    size: int(get('content-length')) ?? 0,
    etag: get('etag') ?? '',
    lastModified: date(get('last-modified')),
    storageClass: get('x-amz-storage-class') ?? 'STANDARD',
    serverSideEncryption: get('x-amz-server-side-encryption'),
    kmsKeyId: get('x-amz-server-side-encryption-aws-kms-key-id'),
    bucketKeyEnabled: bool(get('x-amz-server-side-encryption-bucket-key-enabled')),
    sseCustomerAlgorithm: get('x-amz-server-side-encryption-customer-algorithm'),
    contentType: get('content-type'),
    cacheControl: get('cache-control'),
    contentDisposition: get('content-disposition'),
    contentEncoding: get('content-encoding'),
    contentLanguage: get('content-language'),
    expires: date(get('expires')),
    websiteRedirectLocation: get('x-amz-website-redirect-location'),
    metadata,
    objectLockMode: get('x-amz-object-lock-mode'),
    objectLockRetainUntilDate: date(get('x-amz-object-lock-retain-until-date')),
    objectLockLegalHoldStatus: get('x-amz-object-lock-legal-hold'),
    restore: get('x-amz-restore'),
    archiveStatus: get('x-amz-archive-status'),
    tagCount: int(get('x-amz-tagging-count')),
    partsCount: int(get('x-amz-mp-parts-count')),
    checksumAlgorithm: undefined,
  };
}

function int(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const l = v.trim().toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

function date(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * HeadBucket through the lean path: the bucket's region when the store answers 200 (its
 * `x-amz-bucket-region`, or `configured` for stores that omit it), else `undefined` and the caller
 * asks the SDK command, whose errors (404, 403, a 301 to another region) are already mapped.
 */
export function bucketRegionVia(
  send: LeanSend,
): (bucket: string, configured: string) => Promise<string | undefined> {
  return async (bucket, configured) => {
    try {
      const response = await send({ method: 'HEAD', bucket });
      if (!response) return undefined;
      response.body.resume();
      if (response.status !== 200) return undefined;
      return response.headers['x-amz-bucket-region'] ?? configured;
    } catch {
      return undefined;
    }
  };
}
