import type * as Http from 'node:http';
import type { ClientRequest, IncomingHttpHeaders } from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { VERSION } from '../../../version.js';
import { boundsOf, type RequestBounds } from './http-handler.js';
import { operationOf, resolveRoute, type LeanOperation, type Route } from './lean-route.js';
import { abortError, DEFAULT_LIMITS, mayAnswerLate, NoAnswerError, originOf } from './request-limits.js';
import { signS3, uriEncode, type SigningCredentials } from './sigv4.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const USER_AGENT = `s3-encrypt/${VERSION}`;

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

interface LeanResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * Sends one request without the SDK's middleware stack: `undefined` when the SDK command must send
 * it instead (the client's endpoint resolution asks for another auth scheme, or the key cannot be
 * a plain path); network errors are thrown.
 */
export type LeanSend = (req: LeanRequest) => Promise<LeanResponse | undefined>;

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
 * Node's http and https, loaded when a transport is made. An ES import of node:http reads every
 * export of the module, and one of them loads Node's fetch (undici): about 11 ms of every start,
 * of offline runs too (build-manifest --from-dir, --help).
 */
const load = createRequire(import.meta.url);

/**
 * Node's client over one keep-alive agent per protocol, bounded as the SDK clients' requests are
 * (request-limits.ts, http-handler.ts): a connect limit; a limit from sending to the response
 * headers, short for a HEAD or a listing page and long for a copy (S3 answers a copy's headers
 * and then may stay silent while it works); a silence limit once the body flows. Every request
 * in flight is destroyed when `signal` (the run's interrupt) fires, through one listener. @internal
 */
export function nodeTransport({ limits = DEFAULT_LIMITS, signal }: Partial<RequestBounds> = {}): Transport {
  const http = load('node:http') as typeof Http;
  const https = load('node:https') as typeof Https;
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  const inFlight = new Set<ClientRequest>();
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

// One sender per client: the client's adapters (HeadBucket, listing, HEADs, copies) share one
// keep-alive pool, one credentials cache and one route cache, as the client's own requests do.
const senders = new WeakMap<S3Client, LeanSend>();

/**
 * S3 requests without the SDK's per-request machinery: its middleware stack is most of the client's
 * CPU per request (BENCHMARKS.md, "What the misses are made of"). Where they go is the client's own decision: the endpoint,
 * signing region and signing name come from its endpoint rules over its resolved configuration, so
 * --endpoint-url, a profile's endpoint_url or `services` section, AWS_ENDPOINT_URL*, FIPS,
 * dual-stack, path-style and dotted buckets address the same place as its commands; anything
 * needing another auth scheme is left to the command. Signed by sigv4.ts (faster than the SDK's
 * signer by the margin bench/verify run 9 records, and checked against it) with the client's
 * credentials provider (profiles, SSO and role refreshes apply) and its clock correction, which
 * this path's responses also update. Sent over one keep-alive agent per client.
 * `transport` replaces Node's http (tests); such a sender is not shared.
 */
export function leanSender(s3: S3Client, transport?: Transport): LeanSend {
  if (transport) return newSender(s3, transport);
  let send = senders.get(s3);
  if (!send) {
    send = newSender(s3, nodeTransport(boundsOf(s3)));
    senders.set(s3, send);
  }
  return send;
}

// A run touches a bucket or two; the bound only keeps a long-lived client from growing without end.
const MAX_ROUTES = 256;

function newSender(s3: S3Client, transport: Transport): LeanSend {
  const cfg = s3.config;
  // S3's endpoint rules read the bucket and the client's settings, never the key, prefix or copy
  // source (the parameters of its EndpointCache): one resolution per operation and bucket serves
  // every request. Resolving costs as much CPU as signing (bench/verify/RESULTS.md).
  const routes = new Map<string, Promise<Route | undefined>>();
  const routeFor = (operation: LeanOperation, bucket: string) => {
    const id = `${operation} ${bucket}`;
    let route = routes.get(id);
    if (!route) {
      if (routes.size >= MAX_ROUTES) routes.clear();
      route = resolveRoute(cfg, operation, bucket);
      routes.set(id, route);
    }
    return route;
  };

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

  // Read once: the setting is the client's, fixed when it was built.
  let skewCorrection: Promise<boolean> | undefined;

  return async (req) => {
    const operation = operationOf(req);
    if (!operation) return undefined;
    const route = await routeFor(operation, req.bucket);
    if (!route) return undefined;
    let opPath = '/';
    if (req.key !== undefined) {
      const key = encodeKey(req.key);
      if (key === undefined) return undefined;
      opPath = `/${key}`;
    }
    // As the SDK's serializer joins the endpoint's path and the operation's.
    const path = route.basePath === '/' ? opPath : route.basePath + opPath;
    skewCorrection ??= Promise.resolve(cfg.disableClockSkewCorrection?.()).then((off) => off !== true);
    const correct = await skewCorrection;
    const creds = await credentials();
    // Signed with the clock correction the client learned from any response (the SDK's or ours).
    const { headers, queryString } = signS3(
      {
        method: req.method,
        path,
        query: req.query ?? {},
        headers: { ...req.headers, host: route.host, 'x-amz-content-sha256': EMPTY_SHA256 },
      },
      creds,
      route.signingRegion,
      new Date(Date.now() + (correct ? (cfg.systemClockOffset ?? 0) : 0)),
      route.signingName,
    );
    headers['user-agent'] = USER_AGENT;
    const sentAt = Date.now();
    const response = await transport({
      protocol: route.protocol,
      hostname: route.hostname,
      port: route.port,
      method: req.method,
      path: queryString ? `${path}?${queryString}` : path,
      headers,
    });
    if (correct) learnClock(cfg, response.headers, sentAt);
    return response;
  };
}

/**
 * The clock correction the SDK's signer takes from every response it sees (AwsSdkSigV4Signer's
 * success and error handlers, which do not export it): the server's Date minus the local clock,
 * unless a cache answered (Age) or the answer took over 15 minutes. Every later request, lean or
 * through the SDK, is signed with it, so a store that refuses a skewed clock is answered in kind.
 */
function learnClock(
  cfg: { systemClockOffset?: number },
  headers: Record<string, string>,
  sentAt: number,
): void {
  const date = headers.date;
  if (date === undefined || headers.age !== undefined) return;
  const serverTime = Date.parse(date);
  if (Number.isNaN(serverTime)) return;
  const now = Date.now();
  if (now - sentAt > 900_000) return;
  cfg.systemClockOffset = serverTime - now;
}

function flat(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in h) {
    const v = h[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** RFC 3986 per segment, `/` kept; undefined for keys whose path a server could normalise. @internal */
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
