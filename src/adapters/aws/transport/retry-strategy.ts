import type { Provider, RetryErrorInfo, RetryErrorType, RetryStrategy, RetryStrategyV2 } from '@smithy/types';
import { isRetried } from '../../../core/failure.js';
import { classifyFailure } from './failure-class.js';

/**
 * The SDK's retry decision for one failure, read from the one taxonomy (core/failure.ts): a
 * retried class is retried (a throttle with the SDK's longer throttling backoff), the run's
 * interrupt never is. For the classes the taxonomy does not retry, the SDK's own verdict stands,
 * so the SDK clients never retry less than the SDK would: it alone knows a clock skew it has just
 * corrected and a service's `$retryable` trait. @internal
 */
export function retryErrorType(error: unknown, sdkType: RetryErrorType): RetryErrorType {
  const c = classifyFailure(error).class;
  if (c === 'interrupted') return 'CLIENT_ERROR';
  if (isRetried(c)) return c === 'throttled' ? 'THROTTLING' : 'TRANSIENT';
  return sdkType;
}

/** The client's own strategy (its mode, attempts, backoff and retry quota), deciding by the taxonomy. */
function classified(inner: RetryStrategyV2 & { mode?: string }): RetryStrategyV2 {
  return {
    // The user agent names the retry mode (standard, adaptive) from it.
    ...(inner.mode !== undefined ? { mode: inner.mode } : {}),
    acquireInitialRetryToken: (scope) => inner.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token, info: RetryErrorInfo) =>
      inner.refreshRetryTokenForRetry(token, {
        ...info,
        errorType: retryErrorType(info.error, info.errorType),
      }),
    recordSuccess: (token) => inner.recordSuccess(token),
  };
}

/**
 * Make an SDK client's retries follow the taxonomy. The client keeps the strategy it resolved
 * (standard or adaptive, its attempts, backoff and quota); only the retry decision is ours. A
 * legacy (v1) strategy is left as it is.
 */
export function retryByFailureClass<
  C extends { config: { retryStrategy: Provider<RetryStrategyV2 | RetryStrategy> } },
>(client: C): C {
  const own = client.config.retryStrategy;
  let wrapped: Promise<RetryStrategyV2 | RetryStrategy> | undefined;
  client.config.retryStrategy = () =>
    (wrapped ??= own().then((s) => ('refreshRetryTokenForRetry' in s ? classified(s) : s)));
  return client;
}
