import type { S3Client } from '@aws-sdk/client-s3';
import type { getEndpointFromInstructions } from '@smithy/core/endpoints';
import type { LeanRequest } from './lean-send.js';
import { sdk } from './sdk.js';

/**
 * Where a lean request goes and how it is signed (lean-send.ts): the S3 client's own endpoint
 * resolution, and what of its answer the lean path can send to.
 */

/** What the S3 client's endpoint rules resolve to. */
type EndpointV2 = Awaited<ReturnType<typeof getEndpointFromInstructions>>;

/** The S3 operation a lean request is, for the SDK's endpoint rules; `undefined`: never lean. */
export type LeanOperation = 'HeadObject' | 'HeadBucket' | 'ListObjectsV2' | 'GetObject' | 'CopyObject';

export function operationOf(req: LeanRequest): LeanOperation | undefined {
  if (req.key === undefined)
    return req.method === 'HEAD' ? 'HeadBucket' : req.method === 'GET' ? 'ListObjectsV2' : undefined;
  if (req.method === 'HEAD') return 'HeadObject';
  if (req.method === 'GET') return 'GetObject';
  return req.headers?.['x-amz-copy-source'] !== undefined ? 'CopyObject' : undefined;
}

/** Where one operation on one bucket goes and how it is signed: what the SDK command would do. */
export interface Route {
  protocol: 'http:' | 'https:';
  /** For the socket: an IPv6 address without its brackets. */
  hostname: string;
  port: number | undefined;
  /** The Host header, as the SDK's host-header middleware writes it. */
  host: string;
  /** The endpoint's path: `/` (virtual-hosted) or `/bucket` (path-style), after any base path. */
  basePath: string;
  signingRegion: string;
  signingName: string;
}

interface AuthScheme {
  name?: unknown;
  signingName?: unknown;
  signingRegion?: unknown;
  disableDoubleEncoding?: unknown;
}

/**
 * The route of an endpoint the SDK's rules resolved, or `undefined` when only the SDK command can
 * send to it: an auth scheme other than plain SigV4 first (sigv4a for Multi-Region Access Points,
 * sigv4-s3express for directory buckets), a special backend, endpoint headers or a query, or a
 * path the store would see encoded twice.
 */
function routeOf(endpoint: EndpointV2): Route | undefined {
  const url = endpoint.url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.search || url.hash || url.username || url.password) return undefined;
  if (endpoint.headers && Object.keys(endpoint.headers).length > 0) return undefined;
  const properties = (endpoint.properties ?? {}) as { authSchemes?: AuthScheme[]; backend?: unknown };
  if (properties.backend !== undefined) return undefined;
  const scheme = properties.authSchemes?.[0];
  if (
    scheme?.name !== 'sigv4' ||
    scheme.disableDoubleEncoding !== true ||
    typeof scheme.signingName !== 'string' ||
    typeof scheme.signingRegion !== 'string'
  )
    return undefined;
  const port = url.port ? Number(url.port) : undefined;
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    host: port === undefined ? url.hostname : `${url.hostname}:${port}`,
    basePath: url.pathname,
    signingRegion: scheme.signingRegion,
    signingName: scheme.signingName,
  };
}

/** The resolved-config fields this module reads (S3Client's config type spells them all). */
type Config = S3Client['config'];

/**
 * The route of `operation` on `bucket` through the client's own endpoint resolution: the very
 * function its endpoint middleware calls, with the command's own parameter instructions, on a copy
 * of its config (as the middleware does: the resolution may set the configured endpoint on it).
 * `undefined` when the rules fail (the SDK command then reports it) or ask for the SDK.
 */
export async function resolveRoute(
  cfg: Config,
  operation: LeanOperation,
  bucket: string,
): Promise<Route | undefined> {
  const command = sdk.s3[`${operation}Command`];
  try {
    const endpoint = await sdk.endpoints.getEndpointFromInstructions(
      { Bucket: bucket },
      command,
      { ...cfg },
      {
        logger: cfg.logger,
      },
    );
    return routeOf(endpoint);
  } catch {
    return undefined;
  }
}
