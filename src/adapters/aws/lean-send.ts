import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { VERSION } from '../../version.js';
import { boundsOf, type RequestBounds } from './http-handler.js';
import { abortError, DEFAULT_LIMITS, mayAnswerLate, NoAnswerError, originOf } from './request-limits.js';
import { signS3, uriEncode, type SigningCredentials } from './sigv4.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const USER_AGENT = `s3-encrypt/${VERSION}`;
// Buckets the SDK would address virtual-hosted without further rules: no dots (TLS wildcard),
// no S3 Express directory buckets, no ARNs.
const PLAIN_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// Commercial-partition regions only: other partitions have other DNS suffixes.
const AWS_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/;

/** A request the lean path can send: the key is encoded here, headers are signed as given. */
export interface LeanRequest {
  method: 'HEAD' | 'PUT' | 'GET';
  bucket: string;
  /** Absent for a bucket-level request (ListObjectsV2). */
  key?: string;
  query?: Record<string, string>;
  /** Lower-case names; `host`, `x-amz-date`, `x-amz-content-sha256` and auth are added. */
  headers?: Record<string, string>;
}

export interface LeanResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * Sends one request without the SDK: `undefined` when the request cannot be expressed as a plain
 * URL (then the caller must use the SDK command); network errors are thrown.
 */
export type LeanSend = (req: LeanRequest) => Promise<LeanResponse | undefined>;

interface Target {
  protocol: 'http:' | 'https:';
  port?: number | undefined;
  /** Host for a bucket, and the path prefix before the key. */
  locate(bucket: string): { hostname: string; host: string; prefix: string } | undefined;
}

/** One HTTP exchange; the default is Node's http/https over a keep-alive agent. */
export type Transport = (req: {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  method: string;
  path: string;
  headers: Record<string, string>;
}) => Promise<LeanResponse>;

/**
 * Node's client over one keep-alive agent per protocol, bounded as the SDK clients' requests are
 * (request-limits.ts, http-handler.ts): a connect limit; a limit from sending to the response
 * headers, short for a HEAD or a listing page and long for a copy (S3 answers a copy's headers
 * and then may stay silent while it works); a silence limit once the body flows. Every request
 * in flight is destroyed when `signal` (the run's interrupt) fires, through one listener.
 */
export function nodeTransport({ limits = DEFAULT_LIMITS, signal }: Partial<RequestBounds> = {}): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  const inFlight = new Set<http.ClientRequest>();
  signal?.addEventListener(
    'abort',
    () => {
      for (const request of inFlight) request.destroy(abortError());
    },
    { once: true },
  );
  return (req) =>
    new Promise<LeanResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const origin = originOf(req.protocol, req.hostname, req.port);
      const answerMs = mayAnswerLate(req) ? limits.idleMs : limits.responseMs;
      const request = (req.protocol === 'https:' ? https : http).request(
        { ...req, agent: agents[req.protocol], timeout: limits.idleMs },
        (res) => {
          clearTimeout(answer);
          resolve({ status: res.statusCode ?? 0, headers: flat(res.headers), body: res });
        },
      );
      const answer = setTimeout(
        () => request.destroy(new NoAnswerError('response', answerMs, origin)),
        answerMs,
      );
      inFlight.add(request);
      request.once('close', () => {
        clearTimeout(answer);
        inFlight.delete(request);
      });
      request.on('error', reject);
      request.on('timeout', () => request.destroy(new NoAnswerError('idle', limits.idleMs, origin)));
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => request.destroy(new NoAnswerError('connect', limits.connectMs, origin)),
          limits.connectMs,
        );
        const clear = () => clearTimeout(timer);
        socket.once('connect', clear);
        request.once('close', clear);
      });
      request.end();
    });
}

interface Ready {
  target: Target;
  region: string;
}

// One sender per client: the client's adapters (HeadBucket, listing, HEADs, copies) share one
// keep-alive pool and one set of resolved settings, as the client's own requests do.
const senders = new WeakMap<S3Client, LeanSend>();

/**
 * S3 requests without the SDK's per-request machinery: its middleware stack cost ~1 ms of CPU per
 * request, and its signer and request handler another ~0.15 ms over this (bench/verify,
 * bench/encrypt). Signed with the client's own credentials provider (so profiles, SSO and role
 * refreshes apply), region and clock correction; sent over one keep-alive agent per client.
 * `endpoint` is the --endpoint-url the client was built with (path-style then, as clients.ts sets).
 * `transport` replaces Node's http (tests); such a sender is not shared.
 */
export function leanSender(s3: S3Client, endpoint: string | undefined, transport?: Transport): LeanSend {
  if (transport) return newSender(s3, endpoint, transport);
  let send = senders.get(s3);
  if (!send) {
    send = newSender(s3, endpoint, nodeTransport(boundsOf(s3)));
    senders.set(s3, send);
  }
  return send;
}

function newSender(s3: S3Client, endpoint: string | undefined, transport: Transport): LeanSend {
  const cfg = s3.config;
  let setup: Promise<Ready | undefined> | undefined;

  async function prepare(): Promise<Ready | undefined> {
    const region = await cfg.region();
    // Endpoint variants the SDK's rules handle and a plain URL does not.
    if ((await cfg.useFipsEndpoint()) || (await cfg.useDualstackEndpoint())) return undefined;
    if (cfg.useAccelerateEndpoint) return undefined;
    const target = endpoint ? pathStyle(endpoint) : virtualHosted(region);
    if (!target) return undefined;
    return { target, region };
  }

  // The provider caches too, but asking it costs a few promises per request; ask again only when
  // what it gave is about to expire (it then refreshes, as for the SDK's own requests).
  let held: { creds: SigningCredentials; refreshAt: number } | undefined;
  async function credentials(): Promise<SigningCredentials> {
    if (held && Date.now() < held.refreshAt) return held.creds;
    const creds = (await cfg.credentials()) as SigningCredentials & { expiration?: Date };
    const expires = creds.expiration?.getTime() ?? Infinity;
    held = { creds, refreshAt: Math.min(expires - 5 * 60_000, Date.now() + 60_000) };
    return creds;
  }

  return async (req) => {
    setup ??= prepare();
    const ready = await setup;
    if (!ready) return undefined;
    const where = ready.target.locate(req.bucket);
    if (!where) return undefined;
    let path = where.prefix || '/';
    if (req.key !== undefined) {
      const key = encodeKey(req.key);
      if (key === undefined) return undefined;
      path = `${where.prefix}/${key}`;
    }
    const creds = await credentials();
    // The SDK learns the server's clock from skew errors; sign with the same correction.
    const { headers, queryString } = signS3(
      {
        method: req.method,
        path,
        query: req.query ?? {},
        headers: { ...req.headers, host: where.host, 'x-amz-content-sha256': EMPTY_SHA256 },
      },
      creds,
      ready.region,
      new Date(Date.now() + (cfg.systemClockOffset ?? 0)),
    );
    headers['user-agent'] = USER_AGENT;
    return transport({
      protocol: ready.target.protocol,
      hostname: where.hostname,
      port: ready.target.port,
      method: req.method,
      path: queryString ? `${path}?${queryString}` : path,
      headers,
    });
  };
}

function flat(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in h) {
    const v = h[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
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
      hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      host: u.host,
      prefix: `${base}/${uriEncode(bucket)}`,
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
  if (key.includes('.') && key.split('/').some((s) => s === '.' || s === '..')) return undefined;
  try {
    return uriEncode(key).replace(/%2F/g, '/');
  } catch {
    // Lone surrogates cannot be encoded as UTF-8; let the SDK report that key.
    return undefined;
  }
}
