import { describe, expect, it } from 'vitest';
import { CountAhead, listingTotal } from '../../../src/core/concurrency/count-ahead.js';

/** A listing of `pages` pages of `size` items, each page released by the test. */
function pagedListing(pages: number, size: number) {
  const gates: (() => void)[] = [];
  let pagesAsked = 0;
  async function* list(): AsyncGenerator<{ key: string; isDeleteMarker?: boolean }> {
    for (let p = 0; p < pages; p++) {
      pagesAsked++;
      await new Promise<void>((r) => gates.push(r));
      for (let i = 0; i < size; i++) yield { key: `${p}/${i}`, isDeleteMarker: i === 0 };
    }
  }
  return {
    list,
    release: async () => {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
    pagesAsked: () => pagesAsked,
  };
}

describe('CountAhead', () => {
  it('counts page by page, and is complete only at the end', async () => {
    const l = pagedListing(3, 4);
    const c = new CountAhead(l.list(), (o) => !(o as { isDeleteMarker?: boolean }).isDeleteMarker);
    await l.release();
    expect(c.listed).toBe(3);
    expect(c.complete).toBe(false);
    await l.release();
    await l.release();
    await c.settled;
    expect(c.listed).toBe(9);
    expect(c.complete).toBe(true);
  });

  it('stops after the page in flight once stopped, and is then not complete', async () => {
    const l = pagedListing(100, 2);
    const c = new CountAhead(l.list());
    await l.release();
    c.stop();
    await l.release();
    await c.settled;
    expect(l.pagesAsked()).toBe(2);
    expect(c.complete).toBe(false);
    expect(c.listed).toBe(2);
  });

  it('a failing walk stops counting without throwing', async () => {
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      throw new Error('AccessDenied');
    }
    const c = new CountAhead(broken());
    await c.settled;
    expect(c.listed).toBe(1);
    expect(c.complete).toBe(false);
    expect(c.failure).toBeInstanceOf(Error);
  });
});

describe('listingTotal', () => {
  it('a finished count is the total', () => {
    expect(listingTotal(10, { listed: 200, complete: true })).toEqual({ total: 200, growing: false });
  });
  it('an unfinished count is a lower bound', () => {
    expect(listingTotal(10, { listed: 1000, complete: false })).toEqual({ total: 1000, growing: true });
  });
  it('more done than counted: at least what is done', () => {
    expect(listingTotal(250, { listed: 200, complete: true })).toEqual({ total: 250, growing: true });
    expect(listingTotal(250, { listed: 200, complete: false })).toEqual({ total: 250, growing: true });
  });
  it('nothing counted and nothing done: no total yet', () => {
    expect(listingTotal(0, { listed: 0, complete: false })).toEqual({ total: undefined, growing: true });
  });
  it('no count walk, or one that failed: no total at all', () => {
    expect(listingTotal(5, undefined)).toEqual({ total: undefined, growing: false });
    expect(listingTotal(5, { listed: 900, complete: false, failure: new Error('AccessDenied') })).toEqual({
      total: undefined,
      growing: false,
    });
  });
});
