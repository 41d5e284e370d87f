import { describe, expect, it } from 'vitest';
import { AimdLimiter } from '../../../src/core/concurrency/aimd.js';
import type { Clock } from '../../../src/core/concurrency/clock.js';
import { backoffMs, paced } from '../../../src/core/encrypt/retry.js';
import type { RetryPolicy } from '../../../src/core/failure.js';
import { StoreError } from '../../../src/core/encrypt/store-error.js';

function fakeClock(): Clock & { t: number; slept: number[] } {
  const c = {
    t: 0,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
    random: () => 0.5,
  };
  return c;
}

describe('AimdLimiter', () => {
  it('halves on throttling once per cool-down and climbs back additively', () => {
    let now = 0;
    const l = new AimdLimiter(16, () => now, 1000);
    l.onThrottle();
    l.onThrottle(); // same burst: counted, not cut again
    expect(l.current).toBe(8);
    expect(l.throttles).toBe(2);
    now = 1500;
    l.onThrottle();
    expect(l.current).toBe(4);
    expect(l.lowest).toBe(4);
    // +1/limit per success: about one more permit per round of `limit` successes.
    for (let i = 0; i < 4; i++) l.onSuccess();
    expect(l.current).toBe(4);
    l.onSuccess();
    expect(l.current).toBe(5);
    for (let i = 0; i < 1000; i++) l.onSuccess();
    expect(l.current).toBe(16);
  });

  it('never goes below 1 and holds callers beyond the limit until a permit is released', async () => {
    let now = 0;
    const l = new AimdLimiter(2, () => now, 0);
    for (let i = 0; i < 5; i++) {
      now += 10;
      l.onThrottle();
    }
    expect(l.current).toBe(1);
    await l.acquire();
    let second = false;
    const p = l.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    l.release();
    await p;
    expect(second).toBe(true);
    expect(l.active).toBe(1);
  });
});

describe('paced', () => {
  const policy: RetryPolicy = { attempts: 4, baseMs: 100, capMs: 1000 };
  const throttle = () => new StoreError('throttle', 'SlowDown', 'slow down', { status: 503 });

  it('retries throttling and transient errors with growing jittered backoff, then succeeds', async () => {
    const clock = fakeClock();
    const limiter = new AimdLimiter(8, clock.now, 0);
    const errors = [throttle(), new StoreError('transient', 'ECONNRESET', 'reset')];
    let calls = 0;
    const retries: number[] = [];
    const r = await paced(
      async () => {
        calls++;
        const e = errors.shift();
        if (e) throw e;
        return 'ok';
      },
      { limiter, clock, policy, onRetry: (_e, n) => retries.push(n) },
    );
    expect(r).toBe('ok');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(clock.slept).toEqual([50, 100]);
    expect(limiter.throttles).toBe(1);
    expect(limiter.current).toBeLessThan(8);
    expect(limiter.active).toBe(0);
  });

  it('gives up after the last attempt and never retries other errors', async () => {
    const clock = fakeClock();
    const limiter = new AimdLimiter(4, clock.now);
    let calls = 0;
    await expect(
      paced(async () => (calls++, Promise.reject(throttle())), { limiter, clock, policy }),
    ).rejects.toMatchObject({ kind: 'throttle' });
    expect(calls).toBe(4);
    calls = 0;
    const denied = new StoreError('denied', 'AccessDenied', 'no');
    await expect(
      paced(async () => (calls++, Promise.reject(denied)), { limiter, clock, policy }),
    ).rejects.toBe(denied);
    const pre = new StoreError('precondition', 'PreconditionFailed', 'changed');
    await expect(paced(async () => (calls++, Promise.reject(pre)), { limiter, clock, policy })).rejects.toBe(
      pre,
    );
    expect(calls).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it('backoff is full jitter under a cap', () => {
    expect(backoffMs(1, policy, 0.999)).toBe(99);
    expect(backoffMs(3, policy, 0.5)).toBe(200);
    expect(backoffMs(20, policy, 0.999)).toBe(999);
    expect(backoffMs(5, policy, 0)).toBe(0);
  });
});
