import type { FailureClass } from '../../../core/failure.js';

/**
 * The one classifier of failed requests: any thrown SDK, Node or undici error (and a lean
 * response's failure, which lean-copy.ts rebuilds as an SDK-shaped error) becomes one class of
 * core/failure.ts. Both object paths use it: the SDK clients' retry strategy (retry-strategy.ts:
 * ObjectReader, plan, every control-plane call) and the engine's StoreError kind
 * (object-errors.ts). The one-line messages the user sees stay in errors.ts (mapAwsError).
 */

/**
 * Node, undici and stream error codes that mean the network failed, with what each says. One list
 * for every path: a code missing from one side once made the same failure a retry on one path
 * and a flat failure on the other. `unreachable`: no connection was made (or our connect wait
 * ran out); `closed`: the connection was there and went away under the request.
 */
export const NETWORK_CODES: Readonly<Record<string, 'unreachable' | 'closed'>> = {
  /** Nothing listens on the port (a stopped store, a wrong --endpoint-url port). */
  ECONNREFUSED: 'unreachable',
  /** The host name does not resolve (a typo in --endpoint-url, no DNS). */
  ENOTFOUND: 'unreachable',
  /** DNS failed for now (resolver overloaded or unreachable): may pass a moment later. */
  EAI_AGAIN: 'unreachable',
  /** No route to the host or its network (VPN down, firewall dropping). */
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  /** A connect that timed out in the kernel, and our own waits (NoAnswerError carries it). */
  ETIMEDOUT: 'unreachable',
  /** The peer reset the connection (a store or load balancer dropping a keep-alive socket). */
  ECONNRESET: 'closed',
  /** We wrote to a socket the peer had closed. */
  EPIPE: 'closed',
  /** The connection was aborted on our side of the wire (a proxy or the kernel gave it up). */
  ECONNABORTED: 'closed',
  /** undici's "other side closed" (Node's fetch; the credential providers' HTTP calls). */
  UND_ERR_SOCKET: 'closed',
  /** A response body that ended before its length (Node's streams): the answer was cut off. */
  ERR_STREAM_PREMATURE_CLOSE: 'closed',
};

/** Service codes that ask the caller to slow down (S3, KMS, STS and the SDK's own list). */
const THROTTLED = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'KMS.ThrottlingException',
  'KMS.LimitExceededException',
  // The rest of the SDK's own throttling codes (@smithy's THROTTLING_ERROR_CODES): KMS answers
  // LimitExceededException when its request quota is exceeded.
  'LimitExceededException',
  'PriorRequestNotComplete',
  'TransactionInProgressException',
]);
/** Service codes that say "try again": the service's fault, not the request's. */
const SERVER = new Set([
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'OperationAborted',
  'KMS.InternalException',
  'KMS.KMSInternalException',
]);
// Proof of absence comes from an error document's code; a bare 404 (the SDK names it NotFound)
// proves nothing and is `unverified`.
const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchVersion']);
const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed', 'UnsupportedOperation', 'InvalidAction']);

export interface Failure {
  class: FailureClass;
  /** The network code, or the error's name (the store's error code, e.g. SlowDown). */
  code: string;
  status?: number | undefined;
}

interface Raw {
  name?: string;
  code?: string;
  message?: string;
  /** A socket error's far end (Node's connect errors carry them). */
  address?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

/** The first network error along an error's cause chain (and inside an AggregateError), at most five deep. */
function networkError(err: unknown): Raw | undefined {
  const isNetwork = (e: Raw | undefined): boolean => typeof e?.code === 'string' && e.code in NETWORK_CODES;
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const c = cur as Raw;
    if (isNetwork(c)) return c;
    const inner = (Array.isArray(c.errors) ? c.errors : []).find((e) => isNetwork(e as Raw | undefined));
    if (inner !== undefined) return inner as Raw;
    cur = c.cause;
  }
  return undefined;
}

export function networkCode(err: unknown): string | undefined {
  return networkError(err)?.code;
}

/**
 * Where the failed connection went (`127.0.0.1:9`, `[::1]:9`), when the socket error says: the
 * endpoint may come from settings the SDK reads itself (a profile's endpoint_url).
 */
export function networkPeer(err: unknown): string | undefined {
  const e = networkError(err);
  if (typeof e?.address !== 'string' || typeof e.port !== 'number') return undefined;
  return `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}

/**
 * The class of one failure. The order is the rule: a network code wins over what the SDK named
 * the error; a throttle over the status; a status-only 404 is `unverified`, never `not-found`.
 */
export function classifyFailure(err: unknown): Failure {
  const e = (err ?? {}) as Raw;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = e.message ?? '';
  const at = (c: FailureClass, code = name): Failure => ({ class: c, code, status });
  const net = networkCode(err);
  if (net) return at(net === 'ETIMEDOUT' ? 'timeout' : 'network', net);
  if (name === 'AbortError') return at('interrupted');
  if (THROTTLED.has(name) || status === 503 || status === 429 || /throttl/i.test(name))
    return at('throttled');
  if (
    name === 'PreconditionFailed' ||
    status === 412 ||
    name === 'ConditionalRequestConflict' ||
    status === 409
  )
    return at('precondition');
  // A retried Complete whose first attempt succeeded, or an upload aborted under us: re-read the object.
  if (name === 'NoSuchUpload') return at('precondition');
  if (NOT_FOUND.has(name)) return at('not-found');
  if (status === 404) return at('unverified');
  if (name === 'ObjectNotInActiveTierError' || name === 'InvalidObjectState') return at('archived');
  if (UNSUPPORTED.has(name) || status === 501 || status === 405) return at('unsupported');
  if (/copy an object to itself/i.test(message)) return at('self-copy');
  if (name === 'TimeoutError') return at('timeout');
  if (SERVER.has(name) || (status !== undefined && status >= 500)) return at('server');
  if (/socket hang up/i.test(message)) return at('network');
  if (/timed? ?out/i.test(message)) return at('timeout');
  if (name === 'AccessDenied' || status === 403) return at('denied');
  if (status === 400) return at('invalid');
  return at('unknown');
}

/** A lean response that carried no error document (lean-head.ts): its status alone. */
export function classifyStatus(status: number): FailureClass {
  return classifyFailure({ $metadata: { httpStatusCode: status } }).class;
}
