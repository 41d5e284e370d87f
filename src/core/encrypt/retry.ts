import { InterruptedError } from '../errors.js';
import type { AimdLimiter } from '../concurrency/aimd.js';
import type { Clock } from '../concurrency/clock.js';
// What is retried and how often is decided in core/failure.ts (RETRIED, ENGINE_RETRY).
import type { RetryPolicy } from '../failure.js';
import { isRetryable, isStoreError } from './store-error.js';

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^(n-1))). @internal */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(random * ceiling);
}

export interface Pacing {
  limiter: AimdLimiter;
  clock: Clock;
  policy: RetryPolicy;
  /** Called before each retry (counts for the summary, debug lines). */
  onRetry?: ((err: unknown, attempt: number) => void) | undefined;
  /** The run's interrupt: no try starts after it, and a backoff sleep ends at once. */
  signal?: AbortSignal | undefined;
}

/**
 * One store request under the run's pacing: a permit from the AIMD limiter per try, retries
 * with jittered backoff for throttling and transient failures only. The permit is given back
 * before sleeping, so a backing-off request does not hold capacity.
 */
export async function paced<T>(fn: () => Promise<T>, p: Pacing): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (p.signal?.aborted) throw interrupted();
    await p.limiter.acquire();
    let failure: unknown;
    try {
      const result = await fn();
      p.limiter.onSuccess();
      return result;
    } catch (err) {
      if (isStoreError(err, 'throttle')) p.limiter.onThrottle();
      // No status: the connection failed (reset, refused, timed out): too much in flight, maybe.
      else if (isStoreError(err, 'transient') && err.status === undefined) p.limiter.onCongestion();
      if (!isRetryable(err) || attempt >= p.policy.attempts) throw err;
      failure = err;
    } finally {
      p.limiter.release();
    }
    if (p.signal?.aborted) throw failure;
    p.onRetry?.(failure, attempt);
    await sleepUnlessAborted(p, backoffMs(attempt, p.policy, p.clock.random()));
  }
}

function interrupted(): InterruptedError {
  return new InterruptedError('interrupted before the request was sent');
}

/** The backoff sleep, cut short by the interrupt (up to 20 s would otherwise hold the exit). */
async function sleepUnlessAborted(p: Pacing, ms: number): Promise<void> {
  const signal = p.signal;
  if (!signal) return p.clock.sleep(ms);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([p.clock.sleep(ms), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
