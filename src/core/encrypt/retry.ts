import type { AimdLimiter } from './aimd.js';
import type { Clock } from './clock.js';
import { isRetryable, isStoreError } from './store-error.js';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

/** About a minute of patience per request before the object is given up (it fails alone). */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 100, capMs: 20_000 };

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^(n-1))). */
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
}

/**
 * One store request under the run's pacing: a permit from the AIMD limiter per try, retries
 * with jittered backoff for throttling and transient failures only. The permit is given back
 * before sleeping, so a backing-off request does not hold capacity.
 */
export async function paced<T>(fn: () => Promise<T>, p: Pacing): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await p.limiter.acquire();
    let failure: unknown;
    try {
      const result = await fn();
      p.limiter.onSuccess();
      return result;
    } catch (err) {
      if (isStoreError(err, 'throttle')) p.limiter.onThrottle();
      if (!isRetryable(err) || attempt >= p.policy.attempts) throw err;
      failure = err;
    } finally {
      p.limiter.release();
    }
    p.onRetry?.(failure, attempt);
    await p.clock.sleep(backoffMs(attempt, p.policy, p.clock.random()));
  }
}
