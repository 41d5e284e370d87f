// The limit without --concurrency: it finds itself (grows while completions per second grow),
// halves on throttling, never passes its ceiling. Time is a fake clock: no test waits.
import { describe, expect, it } from 'vitest';
import { ADAPTIVE, AimdLimiter, limiterFor } from '../../../src/core/concurrency/aimd.js';

/**
 * A store `latencyMs` away that completes at most `capacity` requests per second: every 10 ms
 * of fake time, the requests in flight (the limit: there is always work) that finished.
 */
function drive(l: AimdLimiter, clock: { t: number }, ms: number, latencyMs: number, capacity = Infinity) {
  let carry = 0;
  for (let elapsed = 0; elapsed < ms; elapsed += 10) {
    clock.t += 10;
    carry += Math.min((l.current * 10) / latencyMs, (capacity * 10) / 1000);
    for (; carry >= 1; carry--) l.onSuccess();
  }
}

describe('adaptive limit', () => {
  it('starts modestly and doubles while throughput grows, up to its ceiling', () => {
    const clock = { t: 0 };
    const l = limiterFor(undefined, { now: () => clock.t });
    expect(l.current).toBe(ADAPTIVE.start);
    expect(l.max).toBe(ADAPTIVE.ceiling);
    drive(l, clock, 400, 50);
    expect(l.current).toBeGreaterThanOrEqual(32); // slow start: doubled at least twice in 0.4 s
    drive(l, clock, 5000, 50);
    expect(l.current).toBe(ADAPTIVE.ceiling);
    drive(l, clock, 5000, 50);
    expect(l.current).toBe(ADAPTIVE.ceiling);
    expect(l.highest).toBe(ADAPTIVE.ceiling);
    expect(l.backoffs).toBe(0);
  });

  it('stops growing where more in flight brings nothing (the store is the bottleneck)', () => {
    const clock = { t: 0 };
    const l = new AimdLimiter(256, () => clock.t, 1000, 8);
    // 50 ms away, 400 requests/s at most: 20 in flight saturate it.
    drive(l, clock, 20_000, 50, 400);
    expect(l.current).toBeGreaterThanOrEqual(20);
    expect(l.current).toBeLessThanOrEqual(64);
    expect(l.highest).toBe(l.current);
  });

  it('halves on throttling (a burst within the cool-down once), then climbs back to where it was', () => {
    const clock = { t: 0 };
    const l = new AimdLimiter(256, () => clock.t, 1000, 8);
    drive(l, clock, 20_000, 50, 1280); // saturates at 64 in flight
    const before = l.current;
    expect(before).toBeGreaterThanOrEqual(64);
    l.onThrottle();
    l.onThrottle();
    expect(l.current).toBe(Math.floor(before / 2));
    expect(l.throttles).toBe(2);
    expect(l.backoffs).toBe(1);
    expect(l.lowest).toBe(Math.floor(before / 2));
    clock.t += 1500;
    l.onCongestion(); // a reset connection cuts too, without counting as a throttle
    expect(l.current).toBe(Math.floor(before / 4));
    expect(l.throttles).toBe(2);
    expect(l.backoffs).toBe(2);
    drive(l, clock, 20_000, 50, 1280);
    expect(l.current).toBeGreaterThanOrEqual(before);
    expect(l.current).toBeLessThanOrEqual(ADAPTIVE.ceiling);
  });

  it('with --concurrency N: starts at N, never grows past it, comes down on throttling as before', () => {
    const clock = { t: 0 };
    const l = limiterFor(16, { now: () => clock.t });
    expect(l.current).toBe(16);
    drive(l, clock, 10_000, 50);
    expect(l.current).toBe(16);
    expect(l.highest).toBe(16);
    l.onThrottle();
    expect(l.current).toBe(8);
    drive(l, clock, 10_000, 50);
    expect(l.current).toBe(16);
  });

  it('hands permits to waiters as soon as the limit grows', async () => {
    const clock = { t: 0 };
    const l = new AimdLimiter(256, () => clock.t, 1000, 2, 10);
    await l.acquire();
    await l.acquire();
    let third = false;
    const waiting = l.acquire().then(() => (third = true));
    // Two rounds of two successes over 10 ms: the window's rate beats nothing, so it doubles.
    for (let i = 0; i < 4; i++) {
      clock.t += 5;
      l.onSuccess();
    }
    await waiting;
    expect(third).toBe(true);
    expect(l.current).toBe(4);
  });
});
