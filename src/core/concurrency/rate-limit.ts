import type { Clock } from './clock.js';

type RateClock = Pick<Clock, 'now' | 'sleep'>;

/**
 * --max-rate: a token bucket of objects per second, so a run on a shared bucket never asks more
 * of it than the user allows. The bucket holds at most `burst` tokens (a twentieth of a second's
 * worth, at least one): over any interval of T seconds at most burst + rate * T objects start.
 * Time comes from the caller (a fake clock in tests).
 */
export class RateLimit {
  private tokens: number;
  private last: number;
  readonly burst: number;
  // Takers wait in line: a token is never handed to a later caller first.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly clock: RateClock,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`rate must be > 0, got ${perSecond}`);
    this.burst = Math.max(1, Math.floor(perSecond / 20));
    this.tokens = 1;
    this.last = clock.now();
  }

  /** Resolves when one more object may start. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
    }
  }

  private refill(): void {
    const t = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
  }
}

/** Items of `source`, each released only when `limit` allows (the source as it is without one). */
export async function* rateLimited<T>(
  source: AsyncIterable<T>,
  limit: RateLimit | undefined,
): AsyncGenerator<T> {
  for await (const item of source) {
    await limit?.take();
    yield item;
  }
}
