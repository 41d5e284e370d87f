// --max-rate: a token bucket over an injected clock; the rate is never exceeded.
import { describe, expect, it } from 'vitest';
import { RateLimit, rateLimited } from '../../../src/core/concurrency/rate-limit.js';

function fakeClock() {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
      await Promise.resolve();
    },
  };
  return c;
}

describe('RateLimit', () => {
  it('never starts more than burst + rate * T objects in any T seconds', async () => {
    const clock = fakeClock();
    const limit = new RateLimit(200, clock);
    expect(limit.burst).toBe(10);
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      await limit.take();
      times.push(clock.t);
    }
    // 1,000 objects at 200/s: about five seconds of fake time.
    expect(clock.t).toBeGreaterThanOrEqual(4950);
    for (let i = 0; i < times.length; i++) {
      const inOneSecond = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inOneSecond).toBeLessThanOrEqual(200 + limit.burst);
    }
  });

  it('lets an idle bucket fill only up to its burst', async () => {
    const clock = fakeClock();
    const limit = new RateLimit(20, clock);
    clock.t += 60_000; // a minute idle
    const start = clock.t;
    for (let i = 0; i < 21; i++) await limit.take();
    // one token of burst, then 20 more at 20/s: one second
    expect(clock.t - start).toBeGreaterThanOrEqual(1000);
  });

  it('serves concurrent takers one token each, in order', async () => {
    const clock = fakeClock();
    const limit = new RateLimit(10, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limit.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.t).toBeGreaterThanOrEqual(300);
  });

  it('rateLimited passes items through unchanged, and the source as it is without a limit', async () => {
    async function* items() {
      yield* [1, 2, 3];
    }
    const out: number[] = [];
    for await (const x of rateLimited(items(), new RateLimit(1000, fakeClock()))) out.push(x);
    for await (const x of rateLimited(items(), undefined)) out.push(x);
    expect(out).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimit(0, fakeClock())).toThrow(RangeError);
  });
});
