/**
 * The one taxonomy of failed requests, and the one place that says which are retried and how
 * often. Which class a thrown SDK, Node or undici error belongs to is decided by one classifier
 * (`adapters/aws/transport/failure-class.ts`); the SDK clients' retry strategy (`adapters/aws/transport/retry-strategy.ts`)
 * and the engine's `paced()` (`core/encrypt/retry.ts`, through StoreError's kind) both act on it.
 */
export type FailureClass =
  /** The run's interrupt cut the request short: never retried, the run ends (exit 130). */
  | 'interrupted'
  /** A wait ran out (connect, answer, silence: request-limits.ts; the SDK's TimeoutError). */
  | 'timeout'
  /** The connection could not be made, or went away under the request (NETWORK_CODES). */
  | 'network'
  /** SlowDown, 503, 429, KMS throttling: back off (the engine also shrinks its concurrency). */
  | 'throttled'
  /** The service's own "try again": 500, 502, 504, InternalError, RequestTimeout. */
  | 'server'
  /** 412 / 409: the object changed since it was read (or an upload is gone): re-read it. */
  | 'precondition'
  /** An error document's NoSuchKey / NoSuchVersion: proof that the object is gone. */
  | 'not-found'
  /** A body-less 404: the store answered without proving anything (head-proof.ts). */
  | 'unverified'
  /** The object must be restored first (ObjectNotInActiveTierError, InvalidObjectState). */
  | 'archived'
  /** The store does not implement the operation (501, 405, NotImplemented). */
  | 'unsupported'
  /** The store refuses an in-place copy as "copy to itself" (it ignores the encryption change). */
  | 'self-copy'
  /** 403 AccessDenied. */
  | 'denied'
  /** Any other 400: the request was refused as such. */
  | 'invalid'
  /** Anything else. */
  | 'unknown';

/**
 * The classes worth asking again: the same request may pass a moment later. Everything else is
 * an answer (or the user's interrupt) that a retry would only repeat.
 */
export const RETRIED: ReadonlySet<FailureClass> = new Set<FailureClass>([
  'timeout',
  'network',
  'throttled',
  'server',
]);

export function isRetried(c: FailureClass): boolean {
  return RETRIED.has(c);
}

/**
 * Tries per request of the SDK clients (verify, plan, every control-plane call): the SDK's own
 * backoff between them. A request that never gets an answer ends after about 5 x 8 s
 * (request-limits.ts).
 */
export const SDK_ATTEMPTS = 5;

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

/**
 * The encrypt engine's tries per request (its client sends each once; `paced()` retries with
 * full-jitter backoff and adaptive concurrency): about a minute of patience per request before
 * the object is given up (it fails alone).
 */
export const ENGINE_RETRY: RetryPolicy = { attempts: 8, baseMs: 100, capMs: 20_000 };
