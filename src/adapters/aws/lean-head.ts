import { createHash, createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { ObjectHead } from '../../core/objects.js';
import { sdk } from './sdk.js';

/**
 * What a lean HEAD learned: the object, "not found" (404), "SSE-C" (400), or `fallback` when the
 * caller must send the SDK command instead (unusual endpoint, other status, network error), so
 * errors, retries and redirects keep the SDK's handling.
 */
export type LeanHeadResult =
  | { kind: 'head'; head: ObjectHead }
  | { kind: 'not-found' }
  | { kind: 'sse-c' }
  /** `status`: what the store answered, when it answered at all. */
  | { kind: 'fallback'; status?: number };

export type LeanHead = (bucket: string, key: string, versionId?: string) => Promise<LeanHeadResult>;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// Buckets the SDK would address virtual-hosted without further rules: no dots (TLS wildcard),
// no S3 Express directory buckets, no ARNs.
const PLAIN_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// Commercial-partition regions only: other partitions have other DNS suffixes.
const AWS_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/;

class NodeSha256 {
  private readonly h;
  constructor(secret?: unknown) {
    this.h = secret ? createHmac('sha256', secret as string | Uint8Array) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

interface Target {
  protocol: string;
  port?: number | undefined;
  /** Host for a bucket, and the path prefix before the key. */
  locate(bucket: string): { hostname: string; host: string; prefix: string } | undefined;
}

interface Handler {
  handle(
    request: unknown,
    options?: unknown,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body?: unknown } }>;
}

/** A request the lean path can send: the key is encoded here, headers are signed as given. */
export interface LeanRequest {
  method: 'HEAD' | 'PUT';
  bucket: string;
  key: string;
  query?: Record<string, string>;
  /** Lower-case names; `host`, `x-amz-date`, `x-amz-content-sha256` and auth are added. */
  headers?: Record<string, string>;
}

export interface LeanResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable | undefined;
}

/**
 * Sends one request without it: `undefined` when the request cannot be expressed as a plain URL
 * (then the caller must use the SDK command); network errors are thrown.
 */
export type LeanSend = (req: LeanRequest) => Promise<LeanResponse | undefined>;

/**
 * S3 requests without the SDK's per-request middleware (~1 ms of CPU per request, bench/verify):
 * signed by the SDK's own SignatureV4 with the client's credentials provider and region, sent
 * through the client's own request handler (same sockets, timeouts and proxy settings).
 * `endpoint` is the --endpoint-url the client was built with (path-style then, as clients.ts sets).
 */
export function leanSender(s3: S3Client, endpoint: string | undefined): LeanSend {
  const cfg = s3.config;
  let setup: Promise<{ signer: SignatureV4; target: Target } | undefined> | undefined;

  async function prepare(): Promise<{ signer: SignatureV4; target: Target } | undefined> {
    const region = await cfg.region();
    // Endpoint variants the SDK's rules handle and a plain URL does not.
    if ((await cfg.useFipsEndpoint()) || (await cfg.useDualstackEndpoint())) return undefined;
    if (cfg.useAccelerateEndpoint) return undefined;
    const target = endpoint ? pathStyle(endpoint) : virtualHosted(region);
    if (!target) return undefined;
    const signer = new sdk.sigv4.SignatureV4({
      service: 's3',
      region,
      credentials: cfg.credentials,
      sha256: NodeSha256,
      // S3 signs the path as sent (already encoded once), unlike other services.
      uriEscapePath: false,
      applyChecksum: false,
    });
    return { signer, target };
  }

  return async (req) => {
    setup ??= prepare();
    const ready = await setup;
    if (!ready) return undefined;
    const where = ready.target.locate(req.bucket);
    const path = where && encodeKey(req.key);
    if (!where || path === undefined) return undefined;
    const request = await ready.signer.sign(
      {
        method: req.method,
        protocol: ready.target.protocol,
        hostname: where.hostname,
        port: ready.target.port,
        path: `${where.prefix}/${path}`,
        query: req.query ?? {},
        headers: { ...req.headers, host: where.host, 'x-amz-content-sha256': EMPTY_SHA256 },
      },
      // The SDK learns the server's clock from skew errors; sign with the same correction.
      { signingDate: new Date(Date.now() + (cfg.systemClockOffset ?? 0)) },
    );
    const { response } = await (cfg.requestHandler as unknown as Handler).handle(request, {});
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body as Readable | undefined,
    };
  };
}

/**
 * HeadObject through the lean path. Anything but 200, 404 and 400 (and any network error) is
 * `fallback`: the caller asks again through the SDK command, for its retries and error mapping.
 */
export function leanHead(s3: S3Client, endpoint: string | undefined): LeanHead {
  const send = leanSender(s3, endpoint);
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
      response.body?.resume?.();
      const status = response.status;
      if (status === 404) return { kind: 'not-found' };
      if (status === 400) return { kind: 'sse-c' };
      if (status < 200 || status > 299) return { kind: 'fallback', status };
      return { kind: 'head', head: headFromHeaders(key, response.headers) };
    } catch {
      return { kind: 'fallback' };
    }
  };
}

function pathStyle(endpoint: string): Target | undefined {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.username || u.password)
    return undefined;
  const base = u.pathname.replace(/\/+$/, '');
  return {
    protocol: u.protocol,
    port: u.port ? Number(u.port) : undefined,
    locate: (bucket) => ({
      hostname: u.hostname,
      host: u.host,
      prefix: `${base}/${encodeSegment(bucket)}`,
    }),
  };
}

function virtualHosted(region: string): Target | undefined {
  if (!AWS_REGION.test(region)) return undefined;
  return {
    protocol: 'https:',
    locate: (bucket) => {
      if (!PLAIN_BUCKET.test(bucket) || bucket.includes('--')) return undefined;
      const hostname = `${bucket}.s3.${region}.amazonaws.com`;
      return { hostname, host: hostname, prefix: '' };
    },
  };
}

/** RFC 3986 per segment, `/` kept; undefined for keys whose path a server could normalise. */
export function encodeKey(key: string): string | undefined {
  if (key === '') return undefined;
  const segments = key.split('/');
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  try {
    return segments.map(encodeSegment).join('/');
  } catch {
    // Lone surrogates cannot be encoded as UTF-8; let the SDK report that key.
    return undefined;
  }
}

function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The ObjectHead the SDK path builds (object-reader.ts toHead), from the raw response headers. */
export function headFromHeaders(key: string, h: Record<string, string | undefined>): ObjectHead {
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
