import { describe, expect, it } from 'vitest';
import { DigestSet } from '../../../src/core/encrypt/digest-set.js';

describe('DigestSet', () => {
  it('holds many digests, grows, and answers membership exactly', () => {
    const s = new DigestSet(16);
    const rnd = (i: number, salt: number) => Math.imul(i + 1, 2654435761 + salt) >>> 0;
    let added = 0;
    for (let i = 0; i < 50_000; i++) if (s.add(rnd(i, 1), rnd(i, 2), rnd(i, 3))) added++;
    expect(added).toBe(50_000);
    expect(s.size).toBe(50_000);
    let found = 0;
    for (let i = 0; i < 50_000; i++) if (s.has(rnd(i, 1), rnd(i, 2), rnd(i, 3))) found++;
    expect(found).toBe(50_000);
    expect(s.has(rnd(1, 1), rnd(1, 2), rnd(2, 3))).toBe(false);
    expect(s.add(rnd(7, 1), rnd(7, 2), rnd(7, 3))).toBe(false);
    // 12 bytes a slot, at most 70% full: the documented bound.
    expect(s.bytes).toBeLessThanOrEqual(Math.ceil((50_000 / 0.7) * 2) * 12);
  });

  it('stores the all-zero digest', () => {
    const s = new DigestSet();
    expect(s.has(0, 0, 0)).toBe(false);
    s.add(0, 0, 0);
    expect(s.has(0, 0, 0)).toBe(true);
  });
});
