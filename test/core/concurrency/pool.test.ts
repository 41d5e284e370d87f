import { describe, expect, it } from 'vitest';
import { pool } from '../../../src/core/concurrency/pool.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('pool', () => {
  it('processes every item once with at most N in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await collect(
      pool(
        Array.from({ length: 50 }, (_, i) => i),
        4,
        async (i) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await sleep(i % 3);
          inFlight--;
          return i * 2;
        },
      ),
    );
    expect(out.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(peak).toBe(4);
  });

  it('pulls lazily: never more than concurrency + buffered results ahead of the consumer', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield i;
      }
    }
    const it = pool(source(), 2, async (i) => i)[Symbol.asyncIterator]();
    await it.next();
    await sleep(5);
    expect(pulled).toBeLessThanOrEqual(2 * 3 + 2);
    await it.return?.(undefined);
  });

  it('stops starting work when the signal aborts, and yields what was in flight', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    for await (const x of pool(
      Array.from({ length: 100 }, (_, i) => i),
      2,
      async (i) => {
        await sleep(1);
        return i;
      },
      ac.signal,
    )) {
      seen.push(x);
      if (seen.length === 5) ac.abort();
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThan(12);
  });

  it('rethrows a worker exception after in-flight work settles', async () => {
    await expect(
      collect(
        pool([1, 2, 3], 2, async (i) => {
          if (i === 2) throw new Error('boom');
          return i;
        }),
      ),
    ).rejects.toThrow('boom');
  });

  it('refuses a concurrency below 1', async () => {
    await expect(collect(pool([1], 0, async (i) => i))).rejects.toThrow(RangeError);
  });
});
