// The listing walked ahead of the workers: the next page is fetched while the workers work, and
// never more than `capacity` items are held.
import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../src/core/concurrency/read-ahead.js';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe('readAhead', () => {
  it('yields every item in order', async () => {
    async function* source() {
      for (let i = 0; i < 50; i++) yield i;
    }
    const out: number[] = [];
    for await (const x of readAhead(source(), 7)) out.push(x);
    expect(out).toEqual([...Array(50).keys()]);
  });

  it('fetches ahead while the consumer waits, up to its capacity and no further', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const it = readAhead(source(), 10)[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    for (let i = 0; i < 5; i++) await tick();
    // One taken, ten held, at most one more being pulled.
    expect(pulled).toBeGreaterThanOrEqual(10);
    expect(pulled).toBeLessThanOrEqual(12);
    await it.return?.(undefined);
  });

  it('gives the items listed before an error, then the error', async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('page 2 failed');
    }
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const x of readAhead(source())) out.push(x);
      })(),
    ).rejects.toThrow('page 2 failed');
    expect(out).toEqual([1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const x of readAhead(source(), 5)) if (x === 2) break;
    expect(closed).toBe(true);
  });
});
